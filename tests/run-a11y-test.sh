#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs test-a11y.py against the real app on a private D-Bus session and X server, with the
# accessibility bus on (the rest of the suite turns it off). Args: APP SCRIPT
unset NO_AT_BRIDGE GTK_A11Y
# The app keeps fatal warnings; the AT-SPI client library in Python warns on harmless races.
export ADMINT_APP_G_DEBUG="${G_DEBUG:-}"
unset G_DEBUG
# The scripts import their shared harness (a11y_harness.py) from their own folder.
PYTHONPATH="$(dirname "$2")${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH
# ... without leaving a __pycache__ folder in the source tree.
export PYTHONDONTWRITEBYTECODE=1
# A runtime folder of its own: the accessibility bus's socket goes there (or into ~/.cache when
# XDG_RUNTIME_DIR is unset, shared by every run), and two of these scripts run at once (the
# a11y tests in parallel) would take each other's socket: "Unable to connect to the
# accessibility bus".
XDG_RUNTIME_DIR=$(mktemp -d)
chmod 700 "$XDG_RUNTIME_DIR"
export XDG_RUNTIME_DIR
# Only TAP on stdout: what the session's daemons print goes to stderr.
ADMINT_TAP_FILE=$(mktemp)
export ADMINT_TAP_FILE
# xvfb-run -a starts looking for a free display at 99: two of these scripts started together can
# both pick it. Start each from a number of its own (the C tests start from 110 to 499).
display=$((500 + $$ % 400))
dbus-run-session -- xvfb-run -a -n "$display" -s "-screen 0 1280x800x24" /usr/bin/python3 "$2" "$1" 1>&2
status=$?
cat "$ADMINT_TAP_FILE"
rm -f "$ADMINT_TAP_FILE"
rm -rf "$XDG_RUNTIME_DIR"
exit $status
