#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang in build-fuzz/ (ASan + UBSan + coverage) and runs each
# for ADMINT_FUZZ_SECONDS (60) seconds on a scratch copy of its committed corpus, printing the
# executions per second, the corpus growth and any crash. A crash's input is copied to
# tests/fuzz/crashes/TARGET-*: add it to corpus/TARGET/ with the fix, so the replay test in the
# normal suite keeps it fixed.
#   ADMINT_FUZZ_TARGETS="sse intent"  run only these   ADMINT_FUZZ_BUILDDIR  default build-fuzz
set -eu

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fuzzdir=${ADMINT_FUZZ_BUILDDIR:-build-fuzz}
seconds=${ADMINT_FUZZ_SECONDS:-60}
targets=${ADMINT_FUZZ_TARGETS:-"sse json-schema yaml-config replicate asset-sniff mp4-boxes intent"}
cc=${ADMINT_FUZZ_CC:-clang-14}

if [ ! -f "$fuzzdir/build.ninja" ]; then
  CC=$cc meson setup "$fuzzdir" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
    >&2
fi
# Only the fuzzers and what they link, not the app.
build_targets=""
for t in $targets; do build_targets="$build_targets fuzz-$t"; done
meson compile -C "$fuzzdir" $build_targets >&2

work=$(mktemp -d "${TMPDIR:-/tmp}/admint-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p tests/fuzz/crashes
total_crashes=0
printf '%-12s %8s %10s %8s %8s %s\n' target seconds exec/s corpus new crashes
for t in $targets; do
  exe=$(find "$fuzzdir/tests/fuzz" -maxdepth 1 -type f -name "fuzz-$t" | head -n 1)
  seeds="tests/fuzz/corpus/$t"
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  cp "$seeds"/* "$work/$t/corpus/"
  before=$(ls "$work/$t/corpus" | wc -l)
  status=0
  G_DEBUG=fatal-criticals \
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
    "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -artifact_prefix="$work/$t/artifacts/" -print_final_stats=1 \
      "$work/$t/corpus" >"$work/$t/log" 2>&1 || status=$?
  after=$(ls "$work/$t/corpus" | wc -l)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -n 1)
  took=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t/log" | tail -n 1)
  crashes=0
  for a in "$work/$t/artifacts"/*; do
    [ -e "$a" ] || continue
    crashes=$((crashes + 1))
    cp "$a" "tests/fuzz/crashes/$t-$(basename "$a")"
  done
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  total_crashes=$((total_crashes + crashes))
  printf '%-12s %8s %10s %8s %8s %s\n' "$t" "$seconds" "${took:-?}" "$after" \
    "$((after - before))" "$crashes"
  if [ "$crashes" -gt 0 ]; then
    echo "  -- $t stopped with status $status; the end of its log:" >&2
    tail -n 40 "$work/$t/log" >&2
  fi
  : "${runs:=0}"
done
if [ "$total_crashes" -gt 0 ]; then
  echo "fuzz: $total_crashes new crash(es); inputs in tests/fuzz/crashes/" >&2
  exit 1
fi
echo "fuzz: no new crashes"
