#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# One entry point for a fresh Debian 12 machine: installs the missing Debian packages (listed in
# build-aux/debian-packages.txt), builds incrementally, then runs the job asked for.
#   build-aux/dev.sh demo   render an ad offline and print where it is
#   build-aux/dev.sh test   run the whole test suite twice: in build/, then in build-asan/ built
#                           with AddressSanitizer, LeakSanitizer and UBSan (ADMINT_SANITIZE=0
#                           skips the second run; ADMINT_SANITIZE_QUICK=1 leaves the gui and
#                           slow suites out of it, for a quicker check)
#   build-aux/dev.sh fuzz   build the libFuzzer targets with clang in build-fuzz/ and run each for
#                           ADMINT_FUZZ_SECONDS (60) seconds; new crashes land in tests/fuzz/crashes/
#   build-aux/dev.sh gui    start the desktop app
#   build-aux/dev.sh bench  also install the benchmarks' peers (ffmpeg, numpy, OpenCV), run them
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cd "$top"
job=${1:-}
builddir=${ADMINT_BUILDDIR:-build}

case "$job" in
  demo|test|gui|build|bench|fuzz) ;;
  *) echo "usage: build-aux/dev.sh demo|test|gui|build|bench|fuzz" >&2; exit 2 ;;
esac

# Install only what is missing, so a second run costs a second, not a download.
missing=""
lists=build-aux/debian-packages.txt
[ "$job" = bench ] && lists="$lists build-aux/bench-packages.txt"
[ "$job" = fuzz ] && lists="$lists build-aux/fuzz-packages.txt"
for pkg in $(cat $lists | grep -v '^#' | sed '/^[[:space:]]*$/d'); do
  if ! dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
    missing="$missing $pkg"
  fi
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -eq 0 ]; then sudo=""
  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"
  else echo "dev.sh: these packages are missing and I am not root and have no sudo:$missing" >&2; exit 2
  fi
  echo "dev.sh: installing$missing" >&2
  $sudo apt-get update -q >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2
fi

# "N passed, N failed, N skipped" from a build dir's last meson test log.
count_results () {
  python3 - "$1/meson-logs/testlog.json" <<'PY' || echo "no results"
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
PY
}

if [ "$job" = fuzz ]; then
  exec "$top/tests/fuzz/run-fuzzers.sh"
fi

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" >&2
fi
meson compile -C "$builddir" >&2

case "$job" in
  build)
    ;;
  demo)
    # The built-in local provider: no network, no key. The ad lands in the data folder.
    "$builddir/src/cli/admint" generate --auto --seed 1 --output admint-demo.mp4 \
      "30-second ad for a reusable water bottle for hikers"
    echo "dev.sh: the ad is at $top/admint-demo.mp4"
    ;;
  bench)
    # Every benchmark executable and script under build/bench prints its own figures.
    for b in $(find "$builddir/bench" -type f -perm -u+x -name 'bench-*' | sort); do
      echo "== $b"
      "$b" || echo "!! $b failed with status $?"
    done
    ;;
  gui)
    exec "$builddir/src/ui/ad-mint"
    ;;
  test)
    # Run 1: the normal build. Run 2: the same suite built with ASan+LSan+UBSan, where any
    # leak, overflow or undefined behaviour in our code aborts the test that hit it. Leaks
    # inside system libraries (GTK, fontconfig, GStreamer plugins, Mesa) are suppressed in
    # tests/sanitizers/lsan.supp, each entry with its reason.
    status=0
    counts=""
    meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
    counts="normal: $(count_results "$builddir")"
    if [ "${ADMINT_SANITIZE:-1}" != 0 ]; then
      asandir=${ADMINT_ASAN_BUILDDIR:-build-asan}
      if [ ! -f "$asandir/build.ninja" ]; then
        meson setup "$asandir" -Db_sanitize=address,undefined -Db_lundef=false \
          -Dc_args=-fno-omit-frame-pointer >&2
      fi
      meson compile -C "$asandir" >&2
      # The whole suite, the GTK tests (under Xvfb, as in the normal run) and the 'slow'
      # whole-pipeline programs included; ADMINT_SANITIZE_QUICK=1 leaves those two suites out.
      sanitize_suites=""
      if [ "${ADMINT_SANITIZE_QUICK:-0}" = 1 ]; then
        sanitize_suites="--no-suite gui --no-suite slow"
      fi
      supp="$top/tests/sanitizers"
      # ASan+UBSan run the tests 3-10x slower (more under load): meson's timeouts and the tests'
      # own waits (ADMINT_TEST_TIME_SCALE, honoured by the GTK and AT-SPI tests) stretch alike.
      scale=${ADMINT_SANITIZE_TIME_SCALE:-5}
      # GTK draws with cairo there: with GL, Mesa's software shader compiler mallocs so much that
      # ASan's full unwinding on each malloc (needed to match lsan.supp) made test-window take
      # over 600 s instead of 20.
      GSK_RENDERER=cairo \
      ADMINT_TEST_TIME_SCALE=$scale \
      ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:detect_odr_violation=0" \
      LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0" \
      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp" \
      G_SLICE=always-malloc \
        meson test -C "$asandir" --print-errorlogs --num-processes 2 --timeout-multiplier "$scale" \
          $sanitize_suites || status=$?
      counts="$counts; sanitized: $(count_results "$asandir")"
    fi
    # One plain closing line that any reader understands, counted per test program and run.
    echo "$counts"
    exit $status
    ;;
esac
