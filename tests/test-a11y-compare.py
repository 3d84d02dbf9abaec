#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two variants compared and a winner picked through the AT-SPI tree, as a screen reader user
would: Compare from the history row, Pick This One, the pick stored. Prints TAP."""
import os
import sqlite3
import subprocess
import sys
import time
import uuid

from a11y_harness import Atspi, app_environment, check, find_app, press, report, stop, \
    unnamed_controls, wait_for, walk

APP = sys.argv[1]
BUTTONS = (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON)


def named(app, name, roles=None):
    try:
        return [n for n in walk(app) if (n.get_name() or "") == name
                and (roles is None or n.get_role() in roles)]
    except Exception:
        # A node that went away while it was read: the next try reads the tree again.
        return []


def find_app_of(pid, timeout=60.0):
    """The app on the accessibility bus that is process PID (the first run's may linger)."""
    def look():
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            try:
                app = desktop.get_child_at_index(i)
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:
                continue
        return None
    return wait_for(look, timeout)


def store_variants(db_path):
    """Two finished variants of one brief, in a group, written beside what the app made."""
    now = int(time.time() * 1e6)
    group = str(uuid.uuid4())
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    db = sqlite3.connect(db_path)
    db.execute("INSERT INTO generation_groups (id, name, created_at) VALUES (?, ?, ?)",
               (group, "Kettle", now))
    for i, (gid, letter) in enumerate(zip(ids, "AB")):
        db.execute("INSERT INTO generations (id, prompt, status, quality_score, created_at,"
                   " updated_at) VALUES (?, ?, 'completed', ?, ?, ?)",
                   (gid, "Ad for an electric kettle", 60 + 10 * i, now + i, now + i))
        db.execute("INSERT INTO generation_group_members (group_id, generation_id, variant)"
                   " VALUES (?, ?, ?)", (group, gid, letter))
    db.commit()
    db.close()
    return group, ids


app_env, scratch = app_environment("admint-a11y-compare-")
db_path = os.path.join(app_env["XDG_DATA_HOME"], "admint", "admint.db")

# A first run makes the library; then the variants go into it.
proc = subprocess.Popen([APP], env=app_env)
made = wait_for(lambda: os.path.exists(db_path) and find_app(1), 30)
proc.terminate()
proc.wait(10)
check("the app makes its library", made)
group, ids = store_variants(db_path)

proc = subprocess.Popen([APP], env=app_env)
try:
    app = find_app_of(proc.pid)
    def apps():
        desktop = Atspi.get_desktop(0)
        out = []
        for i in range(desktop.get_child_count()):
            try:
                a = desktop.get_child_at_index(i)
                out.append("%s/%s" % (a.get_name(), a.get_process_id()))
            except Exception as e:
                out.append(str(e))
        return out
    check("app appears on the accessibility bus", app is not None, (proc.pid, apps()))
    if app is not None:
        compare = wait_for(lambda: named(app, "Compare Variants", BUTTONS), 20)
        check("each variant's row offers Compare Variants", compare and len(compare) == 2,
              len(compare or []))
        if compare:
            press(compare[0])
        # GTK 4.8 reads the button's label after the name it is given.
        pick = wait_for(lambda: [n for n in walk(app) if n.get_role() in BUTTONS and
                                 (n.get_name() or "").startswith("Pick variant B")], 20)
        check("Compare shows Pick This One for variant B", pick,
              sorted({"%s/%s" % (n.get_name(), n.get_role_name()) for n in walk(app)
                      if "ick" in (n.get_name() or "")}))
        check("the score table is named",
              wait_for(lambda: named(app, "Scores of the variants"), 5))
        bad = unnamed_controls(app)
        check("Compare: every control has a name (not its GTK class name)", not bad, bad)
        check("one control bar: Play all", named(app, "Play all", BUTTONS))
        check("one control bar: the position of all variants",
              named(app, "Position of all variants"))
        if pick:
            press(pick[0])

        def stored_winner():
            db = sqlite3.connect(db_path)
            row = db.execute("SELECT winner_id FROM generation_groups WHERE id = ?",
                             (group,)).fetchone()
            db.close()
            return row and row[0]
        check("the pick is stored", wait_for(lambda: stored_winner() == ids[1], 10),
              stored_winner())
        check("the history shows the winner's badge",
              wait_for(lambda: [n for n in named(app, "Winner") if n.get_role() ==
                                Atspi.Role.LABEL], 10))
finally:
    stop(proc, scratch)

report()
