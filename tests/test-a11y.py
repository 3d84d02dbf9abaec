#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Drives ad-mint through the AT-SPI accessibility tree, as a screen reader would. Prints TAP."""
import os
import subprocess
import sys
import time

from a11y_harness import Atspi, app_environment, check, find_app, press, report, stop, \
    unnamed_controls, wait_for, walk

APP = sys.argv[1]


def nodes_with(app, role, name):
    return [n for n in walk(app) if n.get_role() == role and (n.get_name() or "") == name]


def text_of(node):
    try:
        t = node.get_text_iface()
        return t.get_text(0, t.get_character_count()) if t is not None else ""
    except Exception:
        return ""


# The app makes a real ad below: keep its library and config out of the user's home.
app_env, scratch = app_environment("admint-a11y-")
# Xvfb has no GPU: GTK's GL renderer falls back to software GL, whose frames take seconds on two
# busy cores, long enough for AT-SPI calls to time out. Cairo draws the same widgets cheaply.
app_env.setdefault("GSK_RENDERER", "cairo")
os.makedirs(os.path.join(app_env["XDG_CONFIG_HOME"], "admint"))
with open(os.path.join(app_env["XDG_CONFIG_HOME"], "admint", "config.yaml"), "w") as f:
    f.write("video: {resolution: 360p}\nstages: {references: {count: 1}}\n")
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
        bad = unnamed_controls(app)
        check("every control has a name (not its GTK class name)", not bad, bad)
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

        # Type a brief and press Create Ad, as a screen reader user would.
        brief = [e for e in walk(app) if e.get_role() in (Atspi.Role.ENTRY, Atspi.Role.TEXT)
                 and e.get_name() == "Ad brief"]
        typed = False
        if brief:
            editable = brief[0].get_editable_text_iface()
            typed = editable is not None and editable.set_text_contents(
                "6-second ad for a bamboo toothbrush")
        check("brief typed through EditableText", typed)
        create = nodes_with(app, Atspi.Role.PUSH_BUTTON, "Create Ad")
        check("Create Ad button named", create)
        pressed = press(create[0]) if create else False
        check("Create Ad pressed through AT-SPI", pressed)

        chat = wait_for(lambda: [n for n in walk(app) if n.get_name() == "Conversation"
                                 and n.get_role() in (Atspi.Role.LIST, Atspi.Role.LIST_BOX)
                                 and n.get_child_count() > 0])
        check("the chat is an accessible list named Conversation, with messages", chat)
        reply = [e for e in walk(app) if e.get_role() in (Atspi.Role.ENTRY, Atspi.Role.TEXT)
                 and e.get_name() == "Reply"]
        check("reply entry named", reply)

        # Approve the story, then the scenes, through the accessibility tree.
        approvals = 0
        for stage in ("story", "scenes"):
            approve = wait_for(lambda: nodes_with(app, Atspi.Role.PUSH_BUTTON, "Approve"), 20)
            # The generation asks before Approve does anything: wait for the question.
            asked = wait_for(lambda: [n for n in walk(app)
                                      if "Reply “ok”" in (n.get_name() or "")
                                      or "Reply “ok”" in text_of(n)], 60)
            if approve and asked:
                time.sleep(0.5 * (approvals + 1))
                if press(approve[0]):
                    approvals += 1
                    time.sleep(1.0)
        check("story and scenes approved through AT-SPI", approvals == 2, approvals)

        video = wait_for(lambda: [n for n in walk(app) if n.get_name() == "Finished video"], 150)
        check("the finished video is in the tree, named", video)
        score = wait_for(lambda: [n for n in walk(app)
                                  if "Quality score" in (n.get_name() or "")
                                  or "Quality score" in text_of(n)], 30)
        check("the quality score is announced", score)
        ads = [n for n in walk(app) if n.get_name() == "Ads"
               and n.get_role() in (Atspi.Role.LIST, Atspi.Role.LIST_BOX)]
        check("sidebar list named Ads", ads)
        buttons = [n for n in walk(app) if n.get_role() in (Atspi.Role.PUSH_BUTTON,
                                                               Atspi.Role.TOGGLE_BUTTON)]
        bad = unnamed_controls(app)
        check("every control of the finished ad has a name (not its GTK class name)", not bad,
              bad)
        player = [n.get_name() for n in walk(app)
                  if n.get_name() in ("Play", "Pause", "Position in the video", "Mute",
                                      "Full Screen", "Export…")]
        check("the player's controls and Export are named", {"Position in the video", "Mute",
              "Full Screen"} <= set(player) and ("Play" in player or "Pause" in player), player)

        def doubled(name):
            words = name.split()
            half = len(words) // 2
            return len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]
        names = sorted({b.get_name() for b in buttons})
        check("button names are said once, without mnemonic underscores",
              not any("_" in n or doubled(n) for n in names), names)

        # Edit the scene in place, then make its clip again, through the tree (issue 13).
        def named(role, name):
            return lambda: nodes_with(app, role, name)

        def said(words):
            return lambda: [n for n in walk(app)
                            if words in (n.get_name() or "") or words in text_of(n)]
        edit = wait_for(named(Atspi.Role.PUSH_BUTTON, "Edit scene 1"), 10)
        check("Edit scene 1 button named", edit)
        if edit:
            press(edit[-1])
        text = wait_for(lambda: [e for e in walk(app)
                                 if e.get_role() in (Atspi.Role.ENTRY, Atspi.Role.TEXT)
                                 and e.get_name() == "Text of scene 1"], 10)
        check("the scene's text entry is named", text)
        length = wait_for(lambda: [n for n in walk(app)
                                   if n.get_name() == "Length of scene 1 in seconds"], 5)
        check("the scene's length is named", length)
        typed = False
        if text:
            editable = text[0].get_editable_text_iface()
            typed = editable is not None and editable.set_text_contents(
                "A close-up of the bamboo toothbrush on a bathroom shelf")
        check("scene text typed through EditableText", typed)
        save = wait_for(named(Atspi.Role.PUSH_BUTTON, "Save scene 1"), 5)
        check("Save scene 1 pressed through AT-SPI", save and press(save[0]))
        remade = wait_for(said("Clip 1 (version 2)"), 240)
        check("the edited scene's clip is made again (version 2)", remade)

        regen = wait_for(named(Atspi.Role.PUSH_BUTTON, "Regenerate clip 1"), 10)
        check("Regenerate clip 1 button named", regen)
        pressed = False
        if regen:
            # Sensitive again once the ad is finished.
            wait_for(lambda: regen[0].get_state_set().contains(Atspi.StateType.SENSITIVE), 240)
            pressed = press(regen[0])
        check("Regenerate clip 1 pressed through AT-SPI", pressed)
        remade = wait_for(said("Clip 1 (version 3)"), 240)
        check("the clip is made again (version 3)", remade)
finally:
    stop(proc, scratch)

report()
