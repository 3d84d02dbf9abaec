#!/bin/sh
# One entry point for a fresh Debian 12 machine: installs the missing Debian packages (listed in
# build-aux/debian-packages.txt), builds incrementally, then runs the job asked for.
#   build-aux/dev.sh demo   render an ad offline and print where it is
#   build-aux/dev.sh test   run the whole test suite
#   build-aux/dev.sh gui    start the desktop app
#   build-aux/dev.sh bench  also install the benchmarks' peers (ffmpeg, numpy, OpenCV), run them
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
cd "$top"
job=${1:-}
builddir=${ADMINT_BUILDDIR:-build}

case "$job" in
  demo|test|gui|build|bench) ;;
  *) echo "usage: build-aux/dev.sh demo|test|gui|build|bench" >&2; exit 2 ;;
esac

# Install only what is missing, so a second run costs a second, not a download.
missing=""
lists=build-aux/debian-packages.txt
[ "$job" = bench ] && lists="$lists build-aux/bench-packages.txt"
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
    status=0
    meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?
    # One plain closing line that any reader understands, counted per test program.
    python3 - "$builddir/meson-logs/testlog.json" <<'PY' || true
import json, sys
passed = failed = skipped = 0
for line in open(sys.argv[1]):
    r = json.loads(line).get("result")
    if r in ("OK", "EXPECTEDFAIL"): passed += 1
    elif r == "SKIP": skipped += 1
    else: failed += 1
print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
PY
    exit $status
    ;;
esac
