#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The front ends (src/cli, src/ui) include no private core header, and the folder of headers
# they compile against holds none. Prints TAP. Args: the source root, src/core/public's build dir.
root=$1 public=$2
echo "1..3"
failed=0
found=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"][^>"]*-private\.h[>"]' \
        "$root/src/cli" "$root/src/ui" 2>/dev/null)
if [ -z "$found" ]; then echo "ok 1 - src/cli and src/ui include no *-private.h"
else echo "not ok 1 - a front-end file includes a private header"; echo "$found" | sed 's/^/# /'
     failed=1; fi
hidden=$(find "$public" -name '*-private.h' 2>/dev/null)
if [ -z "$hidden" ]; then echo "ok 2 - the front ends' header folder holds no *-private.h"
else echo "not ok 2 - private headers in $public"; echo "$hidden" | sed 's/^/# /'; failed=1; fi
if [ -f "$public/admint-studio.h" ] && [ -f "$public/admint-generation.h" ]; then
  echo "ok 3 - the front ends' header folder has the public API (admint-studio.h)"
else echo "not ok 3 - $public lacks admint-studio.h or admint-generation.h"; failed=1; fi
exit $failed
