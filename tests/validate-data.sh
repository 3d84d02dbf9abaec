#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Validates the desktop data we ship; prints TAP. Args: DESKTOP METAINFO DATADIR MANIFEST
desktop=$1 metainfo=$2 datadir=$3 manifest=$4
n=0 failed=0
ok() { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); failed=1; echo "not ok $n - $1"; sed 's/^/# /' "$tmp"; }
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
echo "1..5"

if desktop-file-validate "$desktop" >"$tmp" 2>&1 && [ ! -s "$tmp" ]; then ok "desktop-file-validate"
else not_ok "desktop-file-validate"; fi

if appstreamcli validate --no-net --pedantic --explain "$metainfo" >"$tmp" 2>&1; then ok "appstreamcli validate"
else not_ok "appstreamcli validate"; fi

if glib-compile-schemas --strict --dry-run "$datadir" >"$tmp" 2>&1 && [ ! -s "$tmp" ]; then ok "glib-compile-schemas --strict"
else not_ok "glib-compile-schemas --strict"; fi

# flatpak-builder parses the manifest the way a real build would; any warning is a failure.
if flatpak-builder --show-manifest "$manifest" >/dev/null 2>"$tmp" && [ ! -s "$tmp" ]; then ok "flatpak-builder --show-manifest"
else not_ok "flatpak-builder --show-manifest"; fi

python3 - "$manifest" >"$tmp" 2>&1 <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
want = ["--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11", "--device=dri"]
errors = []
if sorted(m.get("finish-args", [])) != sorted(want):
    errors.append("finish-args are %s, expected exactly %s" % (m.get("finish-args"), want))
if m.get("command") != "ad-mint":
    errors.append("command is %r, expected 'ad-mint'" % m.get("command"))
if m.get("runtime") != "org.gnome.Platform" or m.get("sdk") != "org.gnome.Sdk":
    errors.append("runtime/sdk must be org.gnome.Platform/Sdk")
names = [mod.get("name") for mod in m.get("modules", []) if isinstance(mod, dict)]
if "libyaml" not in names:
    errors.append("no libyaml module: the GNOME runtime lacks libyaml")
if not names or names[-1] != "admint" or m["modules"][-1].get("buildsystem") != "meson":
    errors.append("the last module must be the app, built with meson")
print("\n".join(errors))
sys.exit(1 if errors else 0)
PY
if [ $? -eq 0 ]; then ok "flatpak finish-args and modules"; else not_ok "flatpak finish-args and modules"; fi
exit $failed
