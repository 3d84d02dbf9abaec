#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Valgrind memcheck over the core (no GTK) test programs: for each one, the wall time, the
# memcheck errors and the bytes definitely and indirectly lost. Not part of CI (about 20-50x
# slower than a plain run); the sanitized suite in `build-aux/dev.sh test` catches most of
# the same faults on every run. Figures go in docs/hardening.md.
#   bench/valgrind/bench-memcheck.sh [TEST...]     default: the list below
#   ADMINT_BUILDDIR (build)   ADMINT_VALGRIND_LOGS (a temporary folder)
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${ADMINT_BUILDDIR:-$top/build}
command -v valgrind >/dev/null || { echo "bench-memcheck: install valgrind (apt install valgrind)" >&2; exit 2; }
logs=${ADMINT_VALGRIND_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/admint-memcheck-XXXXXX")}
tests=${*:-"tests/test-log tests/config/test-config tests/config/test-config-yaml
  tests/store/test-store tests/store/test-asset-import tests/ai/test-ai-sse
  tests/ai/test-ai-http tests/ai/test-ai-chat tests/ai/test-ai-replicate
  tests/pipeline/test-intent tests/pipeline/test-brief tests/pipeline/test-local-writer"}
glib_supp=/usr/share/glib-2.0/valgrind/glib.supp
supp="--suppressions=$top/tests/sanitizers/valgrind.supp"
[ -f "$glib_supp" ] && supp="$supp --suppressions=$glib_supp"

# The same environment as meson test (tests/meson.build), minus MALLOC_CHECK_ (valgrind
# replaces malloc) and with G_SLICE=always-malloc so that every block is visible.
home=$(mktemp -d "${TMPDIR:-/tmp}/admint-memcheck-home-XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
export XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache"
export G_DEBUG=gc-friendly G_SLICE=always-malloc GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
export G_TEST_SRCDIR="$top/tests" G_TEST_BUILDDIR="$builddir/tests"
export ADMINT_CLI="$builddir/src/cli/admint" ADMINT_FAKE_AI="$builddir/tests/ai/admint-fake-ai"
export ADMINT_SOURCE_ROOT="$top" GST_REGISTRY="$builddir/gst-registry.bin"

printf '%-28s %9s %9s %7s %12s %12s\n' test plain_ms memchk_ms errors def_lost ind_lost
total_errors=0
for t in $tests; do
  exe="$builddir/$t"
  name=$(basename "$t")
  [ -x "$exe" ] || { echo "bench-memcheck: $exe is missing; build first" >&2; continue; }
  s=$(date +%s%N)
  "$exe" --tap -k >/dev/null 2>&1 || true
  plain=$(( ($(date +%s%N) - s) / 1000000 ))
  s=$(date +%s%N)
  valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite --num-callers=30 $supp \
    --log-file="$logs/$name.log" "$exe" --tap -k >"$logs/$name.tap" 2>&1 || true
  slow=$(( ($(date +%s%N) - s) / 1000000 ))
  errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$logs/$name.log" | tr -d , | tail -n 1)
  def=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$logs/$name.log" | tr -d , | tail -n 1)
  ind=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$logs/$name.log" | tr -d , | tail -n 1)
  total_errors=$((total_errors + ${errors:-0}))
  printf '%-28s %9s %9s %7s %12s %12s\n' "$name" "$plain" "$slow" "${errors:-?}" "${def:-0}" "${ind:-0}"
done
echo "memcheck: $total_errors error(s) in all; logs in $logs"
