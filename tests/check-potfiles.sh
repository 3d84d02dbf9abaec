#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every file with translatable strings is listed in po/POTFILES, and every listed file exists.
# Prints TAP. Arg: the source root.
cd "$1" || exit 1
n=0 failed=0
missing=$(grep -rlE '(^|[^A-Za-z0-9_])N?_\("|translatable="yes"' src resources data 2>/dev/null \
          | sort | while read -r f; do grep -qx "$f" po/POTFILES || echo "$f"; done)
stale=$(grep -v '^#' po/POTFILES | sed '/^$/d' | while read -r f; do [ -f "$f" ] || echo "$f"; done)
echo "1..2"
if [ -z "$missing" ]; then echo "ok 1 - every file with translatable strings is in po/POTFILES"
else echo "not ok 1 - files with translatable strings missing from po/POTFILES"; echo "$missing" | sed 's/^/# /'; failed=1; fi
if [ -z "$stale" ]; then echo "ok 2 - every file in po/POTFILES exists"
else echo "not ok 2 - po/POTFILES names files that do not exist"; echo "$stale" | sed 's/^/# /'; failed=1; fi
exit $failed
