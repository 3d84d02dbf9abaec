#!/usr/bin/env python3
"""Drives ad-mint through the AT-SPI accessibility tree, as a screen reader would. Prints TAP."""
import os
import subprocess
import sys
import time

import gi
gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

APP = sys.argv[1]
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


def find_app(timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and app.get_name() in ("ad-mint", "Ad Mint"):
                for node in walk(app):
                    if node.get_role() == Atspi.Role.FRAME or node.get_role() == Atspi.Role.WINDOW:
                        return app
        time.sleep(0.2)
    return None


def nodes_with(app, role, name):
    return [n for n in walk(app) if n.get_role() == role and (n.get_name() or "") == name]


app_env = dict(os.environ)
app_env["G_DEBUG"] = os.environ.get("ADMINT_APP_G_DEBUG", "")
proc = subprocess.Popen([APP], env=app_env)
try:
    app = find_app()
    check("app appears on the accessibility bus", app is not None)
    if app is not None:
        time.sleep(0.5)
        frames = [n for n in walk(app) if n.get_role() in (Atspi.Role.FRAME, Atspi.Role.WINDOW)]
        check("window named Ad Mint", any(f.get_name() == "Ad Mint" for f in frames),
              [f.get_name() for f in frames])
        buttons = [n for n in walk(app) if n.get_role() in (Atspi.Role.PUSH_BUTTON,
                                                               Atspi.Role.TOGGLE_BUTTON)]
        names = sorted({b.get_name() for b in buttons})
        check("every button has a name", all(names) and all(b.get_name() for b in buttons), names)
        check("Main Menu button", "Main Menu" in names, names)
        check("New Ad button", "New Ad" in names, names)
        entries = [n for n in walk(app) if n.get_role() in (Atspi.Role.ENTRY, Atspi.Role.TEXT)]
        check("brief entry named", any(e.get_name() == "Ad brief" for e in entries),
              [e.get_name() for e in entries])
        labels = [n.get_name() for n in walk(app)
                  if n.get_role() in (Atspi.Role.LABEL, Atspi.Role.HEADING)]
        check("status page invites a new ad", "Start a New Ad" in labels, labels[:20])

        # Press "New Ad" through its accessible action, as a screen reader user would.
        new_ad = nodes_with(app, Atspi.Role.PUSH_BUTTON, "New Ad")
        pressed = False
        if new_ad:
            action = new_ad[0].get_action_iface()
            if action is not None and action.get_n_actions() > 0:
                pressed = action.do_action(0)
        check("New Ad button can be pressed via AT-SPI", pressed)
        time.sleep(0.5)
        focused = [e for e in walk(app)
                   if e.get_role() in (Atspi.Role.ENTRY, Atspi.Role.TEXT)
                   and e.get_state_set().contains(Atspi.StateType.FOCUSED)]
        check("pressing New Ad focuses the brief entry",
              any(e.get_name() == "Ad brief" for e in focused),
              [e.get_name() for e in focused])
finally:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()

print("1..%d" % len(results))
for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail != "":
        print("# %s" % (detail,))
sys.exit(0 if all(ok for _, ok, _ in results) else 1)
