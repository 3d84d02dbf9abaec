#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a keys test against a real gnome-keyring-daemon on a private D-Bus session, with a
# throw-away home so that no real keyring is touched. Args: TEST [ARGS...]
set -e
tmp=$(mktemp -d "${TMPDIR:-/tmp}/admint-keyring-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
unset SECRET_BACKEND SECRET_FILE_TEST_PATH SECRET_FILE_TEST_PASSWORD OPENAI_API_KEY REPLICATE_API_TOKEN
export ADMINT_TEST_KEYRING=gnome-keyring
# The daemon creates and unlocks a "login" keyring with the password it reads on stdin.
exec dbus-run-session -- sh -c '
  # meson'"'"'s G_DEBUG=fatal-warnings and MALLOC_PERTURB_ make the daemon itself crash on replace: it is not under test.
  printf "admint-test" | env -u MALLOC_PERTURB_ -u MALLOC_CHECK_ -u G_DEBUG \
    gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  env -u MALLOC_PERTURB_ -u MALLOC_CHECK_ -u G_DEBUG \
    gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1
  exec "$@"' sh "$@"
# (the daemon leaves with the private bus when dbus-run-session ends)
