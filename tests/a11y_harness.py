# SPDX-License-Identifier: GPL-3.0-or-later
"""The AT-SPI harness test-a11y.py and test-a11y-pages.py share: the tree, the app, the TAP."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def walk(node, depth=0):
    if node is None or depth > 60:
        return
    yield node
    try:
        n = node.get_child_count()
    except Exception:
        return
    for i in range(n):
        try:
            child = node.get_child_at_index(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


# Slower builds (the sanitized run) stretch every wait: ADMINT_TEST_TIME_SCALE=5 waits 5x longer.
TIME_SCALE = float(os.environ.get("ADMINT_TEST_TIME_SCALE", "1") or "1")
if TIME_SCALE > 1:
    # libatspi gives up on a call after 800 ms ("Did not receive a reply") and on a starting
    # app after 15 s; a sanitized GTK app under load can be busy longer than that.
    Atspi.set_timeout(int(5000 * TIME_SCALE), int(15000 * TIME_SCALE))


def find_app(timeout=20.0):
    end = time.time() + timeout * TIME_SCALE
    seen = set()
    while time.time() < end:
        try:
            desktop = Atspi.get_desktop(0)
            for i in range(desktop.get_child_count()):
                app = desktop.get_child_at_index(i)
                name = app.get_name() if app is not None else None
                seen.add(name)
                if name in ("ad-mint", "Ad Mint"):
                    for node in walk(app):
                        if node.get_role() in (Atspi.Role.FRAME, Atspi.Role.WINDOW):
                            return app
        except GLib.Error as e:
            # A busy app (the sanitized build under load) may miss one call's limit: ask again.
            seen.add("(no reply: %s)" % e.message[:60])
        time.sleep(0.2)
    print("find_app: no Ad Mint window in %.0f s; on the bus: %r"
          % (timeout * TIME_SCALE, sorted(str(n) for n in seen)), file=sys.stderr)
    return None


def press(node):
    action = node.get_action_iface()
    if action is None:
        return False
    for i in range(action.get_n_actions()):
        if action.get_action_name(i) in ("click", "press", "activate"):
            return action.do_action(i)
    return action.get_n_actions() > 0 and action.do_action(0)


def wait_for(predicate, timeout=30.0):
    end = time.time() + timeout * TIME_SCALE
    while time.time() < end:
        try:
            found = predicate()
        except GLib.Error:
            # One call past libatspi's limit while the app was busy is not an answer: the wait's
            # own limit decides.
            found = None
        if found:
            return found
        time.sleep(0.3)
    return None


def app_environment(prefix):
    """The app's environment: the runner's G_DEBUG, and its library and config in a scratch
    folder, out of the user's home. Returns (env, scratch)."""
    env = dict(os.environ)
    env["G_DEBUG"] = os.environ.get("ADMINT_APP_G_DEBUG", "")
    scratch = tempfile.mkdtemp(prefix=prefix)
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = os.path.join(scratch, var.lower())
    return env, scratch


def stop(proc, scratch):
    proc.terminate()
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def report():
    """Prints the results as TAP and exits, 0 when every check passed."""
    # TAP goes to ADMINT_TAP_FILE when the runner gives one: the accessibility daemons the
    # session starts print to the same stdout, which a TAP reader would trip over.
    tap_file = os.environ.get("ADMINT_TAP_FILE")
    out = open(tap_file, "w") if tap_file else sys.stdout
    print("1..%d" % len(results), file=out)
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name), file=out)
        if not ok and detail != "":
            print("# %s" % (detail,), file=out)
    out.flush()
    sys.exit(0 if all(ok for _, ok, _ in results) else 1)


# What a user operates, and pictures: each needs a name a screen reader can say.
CONTROL_ROLES = (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.CHECK_BOX,
                 Atspi.Role.RADIO_BUTTON, Atspi.Role.SLIDER, Atspi.Role.SPIN_BUTTON,
                 Atspi.Role.COMBO_BOX, Atspi.Role.IMAGE, Atspi.Role.PROGRESS_BAR,
                 Atspi.Role.LEVEL_BAR)
CLASS_NAME = re.compile(r"^(Gtk|Adw|Admint)[A-Z][A-Za-z]*$")


def named_control_above(node, levels=8):
    for _ in range(levels):
        try:
            node = node.get_parent()
        except Exception:
            return False
        if node is None:
            return False
        name = (node.get_name() or "").strip()
        if node.get_role() in (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON,
                               Atspi.Role.PAGE_TAB, Atspi.Role.MENU_ITEM) \
                and name and not CLASS_NAME.match(name):
            return True
    return False


def ancestry(node, levels=5):
    """Where a node sits: its ancestors' roles and names, nearest first, to find it by."""
    out = []
    try:
        parent = node.get_parent()
        while parent is not None and len(out) < levels:
            out.append("%s %r" % (parent.get_role_name(), parent.get_name() or ""))
            parent = parent.get_parent()
    except Exception:
        pass
    return " < ".join(out)


def unnamed_controls(app):
    """The controls whose name, as AT-SPI reports it, says nothing: empty, or the widget's GTK
    class name ("GtkToggleButton"), which is what GTK 4.8 gives a widget with no label and
    what a screen reader then reads out. Returned as "role: name" strings."""
    bad = []
    for n in walk(app):
        try:
            role = n.get_role()
        except Exception:
            continue
        if role not in CONTROL_ROLES:
            continue
        name = n.get_name() or ""
        # An icon inside a named button or tab is read as part of it.
        if role == Atspi.Role.IMAGE and named_control_above(n):
            continue
        if name.strip() == "" or CLASS_NAME.match(name.strip()):
            bad.append("%s: %r in %s" % (n.get_role_name(), name, ancestry(n)))
    return bad
