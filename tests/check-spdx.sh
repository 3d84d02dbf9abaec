#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source, build and template file names its licence (GPL-3.0-or-later) near its top.
set -u
top=${1:?usage: check-spdx.sh SOURCE_ROOT}
cd "$top" || exit 1
echo "1..1"
missing=$(find src tests bench build-aux resources data .ci -type f \
    \( -name '*.c' -o -name '*.h' -o -name '*.py' -o -name '*.sh' -o -name '*.ui' \
       -o -name '*.css' -o -name 'meson.build' -o -name run \) \
    -not -path '*/corpus*' -not -path '*/crashes/*' 2>/dev/null | sort | while read -r f; do
  head -n 5 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' || echo "$f"
done)
if [ -z "$missing" ]; then
  echo "ok 1 - every source file carries an SPDX line"
else
  echo "not ok 1 - files without an SPDX line (add 'SPDX-License-Identifier: GPL-3.0-or-later'):"
  echo "$missing" | sed 's/^/# /'
  exit 1
fi
