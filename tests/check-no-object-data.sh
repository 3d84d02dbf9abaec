#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The front ends hold no untyped state on objects: no g_object_{set,get,steal}_data (nor the
# _full and qdata variants) in src/ui or src/cli; state lives in typed fields and structs.
# Prints TAP. Arg: the source root.
cd "$1" || exit 1
n=0 failed=0
echo "1..2"
for dir in src/ui src/cli; do
  n=$((n + 1))
  found=$(grep -rnE 'g_object_(set|get|steal|dup|replace)_q?data' "$dir" 2>/dev/null)
  if [ -z "$found" ]; then echo "ok $n - $dir holds no untyped state on objects"
  else
    echo "not ok $n - $dir uses g_object_set_data and kin: keep the state in a typed field"
    echo "$found" | sed 's/^/# /'
    failed=1
  fi
done
exit $failed
