#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kill-and-fault soak: many `admint generate --auto` runs (OpenAI-style chat, Replicate
# images and video) against the fake AI server injecting random faults, SIGKILLed at random
# points and resumed until each finishes or fails with a reason; several run at once on one
# data folder. Prints the table of docs/hardening.md and exits 1 when a must-be-zero figure
# is not zero.
#
#   build-aux/soak.sh [-n GENERATIONS] [-j PARALLEL] [-k KILL_PERCENT] [-f FAULT_RATE]
#                     [-s SEED] [-r MAX_RESUMES] [-w WORKDIR]
#   build-aux/soak.sh -R -w WORKDIR    the table again for a finished or interrupted run
# Ctrl+C (or SIGTERM) stops starting generations, lets the running ones end, and reports.
#
# Needs a build (ADMINT_BUILDDIR, default build/) with the tests, sqlite3 and gst-launch-1.0.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
builddir=${ADMINT_BUILDDIR:-$top/build}
n=20 jobs=2 kill_percent=40 fault_rate=0.05 seed=1 max_resumes=6 work="" report_only=0
while getopts n:j:k:f:s:r:w:R opt; do
  case "$opt" in
    n) n=$OPTARG ;; j) jobs=$OPTARG ;; k) kill_percent=$OPTARG ;; f) fault_rate=$OPTARG ;;
    s) seed=$OPTARG ;; r) max_resumes=$OPTARG ;; w) work=$OPTARG ;; R) report_only=1 ;;
    *) sed -n '9,13p' "$0" >&2; exit 2 ;;
  esac
done
admint=$builddir/src/cli/admint
fake=$builddir/tests/ai/admint-fake-ai
for f in "$admint" "$fake"; do
  [ -x "$f" ] || { echo "soak: $f is missing; build first (build-aux/dev.sh build)" >&2; exit 2; }
done
for p in sqlite3 gst-launch-1.0 python3; do
  command -v "$p" >/dev/null || { echo "soak: $p is missing (see build-aux/debian-packages.txt)" >&2; exit 2; }
done

[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/admint-soak-XXXXXX")
mkdir -p "$work/data" "$work/config" "$work/state" "$work/cache" "$work/tmp" "$work/out" \
  "$work/runtime"
chmod 700 "$work/runtime"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state"
export XDG_CACHE_HOME="$work/cache" XDG_RUNTIME_DIR="$work/runtime" TMPDIR="$work/tmp"
export GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1
# Keys that exist nowhere else, so that finding one anywhere is a leak.
if [ "$report_only" -eq 1 ]; then
  [ -f "$work/.soak-run" ] || { echo "soak: $work is not a soak folder" >&2; exit 2; }
  . "$work/.soak-run"
else
  suffix=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf 'suffix=%s n=%s jobs=%s kill_percent=%s fault_rate=%s seed=%s\n' "$suffix" "$n" \
    "$jobs" "$kill_percent" "$fault_rate" "$seed" >"$work/.soak-run"
fi
export OPENAI_API_KEY="sk-soak-$suffix" REPLICATE_API_TOKEN="r8_soak$suffix"
unset ADMINT_OPENAI_BASE_URL ADMINT_REPLICATE_BASE_URL

if [ "$report_only" -eq 0 ]; then
# A real 2-second clip for the fake video model to hand out.
gst-launch-1.0 -q videotestsrc num-buffers=60 pattern=ball \
  ! video/x-raw,width=640,height=360,framerate=30/1 ! x264enc ! h264parse \
  ! mp4mux faststart=true ! filesink location="$work/served.mp4" >/dev/null
# And a real 1024x576 image for the image model (a tiny one would be refused, and redone).
gst-launch-1.0 -q videotestsrc num-buffers=1 pattern=smpte \
  ! video/x-raw,width=1024,height=576 ! pngenc ! filesink location="$work/served.png" >/dev/null

"$fake" --port 0 --video "$work/served.mp4" --image "$work/served.png" --polls 2 --faults "$fault_rate" \
  --fault-seed "$seed" --slow-ms 3000 --schema-replies --ledger "$work/ledger.json" \
  >"$work/fake.out" 2>"$work/fake.err" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
stop=0
trap 'stop=1' INT TERM
for _ in 1 2 3 4 5 6 7 8 9 10; do
  grep -q 'listening on' "$work/fake.out" 2>/dev/null && break
  sleep 0.5
done
origin=$(sed -n 's/^admint-fake-ai listening on //p' "$work/fake.out")
[ -n "$origin" ] || { echo "soak: the fake server did not start" >&2; cat "$work/fake.err" >&2; exit 1; }
export ADMINT_OPENAI_BASE_URL="$origin/v1" ADMINT_REPLICATE_BASE_URL="$origin/v1"

# Short timeouts so that slow answers (3 s) pass them, and never-finishing predictions end.
cat >"$work/soak.yaml" <<'EOF'
video:
  target_seconds: 6
  resolution: 360p
stages:
  references:
    count: 1
  clips:
    max_concurrent: 2
    max_retries: 2
network:
  max_retries: 3
  backoff_initial_seconds: 0.05
  backoff_max_seconds: 0.5
  max_retry_after_seconds: 2
  chat_first_byte_timeout_seconds: 2
  image_timeout_seconds: 15
  video_timeout_seconds: 20
  poll_interval_image_seconds: 0.1
  poll_interval_video_max_seconds: 0.3
budget:
  max_usd_per_generation: 1000
EOF
"$admint" config check "$work/soak.yaml" >/dev/null

rss_kb () { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }
fake_rss_start=$(rss_kb "$fake_pid")

# One generation, from its brief to its end: runs, maybe kills, resumes. Writes its outcome
# to out/I.result: "completed", "failed: REASON", "lost: WHY", and kills/peak RSS counters.
one_generation () {
  i=$1
  brief="soak $i: 6-second ad for a reusable water bottle for hikers"
  rnd=$(( $(od -An -N2 -tu2 /dev/urandom) % 100 ))
  kills=0 id="" attempt=0 status=0 result="" peak=0
  while :; do
    attempt=$((attempt + 1))
    out="$work/out/$i.$attempt"
    if [ -z "$id" ]; then
      set -- generate --auto --json --llm openai --images replicate --video replicate \
        --config "$work/soak.yaml" "$brief"
    else
      set -- resume "$id" --auto --json
    fi
    /usr/bin/time -f '%M' -o "$out.rss" "$admint" "$@" >"$out.stdout" 2>"$out.stderr" &
    pid=$!
    # Kill most first attempts and fewer resumes, at a random moment (0.3 to 12 s in).
    rnd=$(( $(od -An -N2 -tu2 /dev/urandom) % 100 ))
    limit=$kill_percent
    [ "$attempt" -gt 1 ] && limit=$((kill_percent / 2))
    killed=0
    if [ "$rnd" -lt "$limit" ] && [ "$attempt" -le "$max_resumes" ]; then
      delay=$(( $(od -An -N2 -tu2 /dev/urandom) % 117 + 3 ))
      t=0
      while [ "$t" -lt "$delay" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; t=$((t + 1)); done
      # The child of time(1) is the admint process.
      child=$(pgrep -P "$pid" 2>/dev/null | head -n 1 || true)
      if [ -n "$child" ] && kill -KILL "$child" 2>/dev/null; then killed=1; kills=$((kills + 1)); fi
    fi
    status=0
    wait "$pid" || status=$?
    r=$(tail -n 1 "$out.rss" 2>/dev/null | tr -dc 0-9)
    [ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
    if [ -z "$id" ]; then
      id=$("$admint" history --json 2>/dev/null | python3 -c '
import json, sys
brief = sys.argv[1]
for g in json.load(sys.stdin):
    if g.get("prompt") == brief:
        print(g["id"]); break' "$brief" || true)
    fi
    if [ "$killed" -eq 1 ]; then
      [ "$attempt" -gt $((max_resumes + 2)) ] && { result="lost: still not finished after $attempt runs"; break; }
      continue
    fi
    if [ "$status" -eq 0 ]; then
      video=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d = d[0] if isinstance(d, list) else d
print(d.get("final_video") or "")' "$out.stdout" 2>/dev/null || true)
      if [ -z "$id" ]; then result="lost: exit 0 but no generation in history"
      elif [ -n "$video" ] && [ ! -s "$video" ]; then result="lost: done but its video $video does not exist"
      else result="completed"; fi
      break
    fi
    reason=$(grep -v '^[[:space:]]*$' "$out.stderr" | tail -n 1 | cut -c1-160)
    if [ "$status" -gt 2 ]; then
      result="lost: exit status $status (a crash?): $reason"
      break
    fi
    if [ -z "$id" ]; then
      # Failed before its row existed: nothing to resume, nothing lost; start it again.
      [ "$attempt" -gt "$max_resumes" ] && { result="failed: $reason"; break; }
      continue
    fi
    if [ "$attempt" -gt "$max_resumes" ]; then
      if [ -n "$reason" ]; then result="failed: $reason"; else result="lost: failed with no reason"; fi
      break
    fi
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$i" "$kills" "$peak" "$id" "$result" >"$work/out/$i.result"
}

start=$(date +%s)
running=0
i=0
while [ "$i" -lt "$n" ] && [ "$stop" -eq 0 ]; do
  i=$((i + 1))
  one_generation "$i" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n 2>/dev/null || wait; running=$((running - 1)); fi
done
wait_for_children () { for p in $(jobs -p); do [ "$p" = "$fake_pid" ] || wait "$p" || true; done; }
wait_for_children
elapsed=$(( $(date +%s) - start ))
fake_rss_end=$(rss_kb "$fake_pid")
kill -TERM "$fake_pid"
wait "$fake_pid" 2>/dev/null || true
trap - EXIT INT TERM
printf 'elapsed=%s fake_rss_start=%s fake_rss_end=%s\n' "$elapsed" "$fake_rss_start" \
  "$fake_rss_end" >>"$work/.soak-run"

fi
. "$work/.soak-run"
: "${elapsed:=0}" "${fake_rss_start:=0}" "${fake_rss_end:=0}"

db="$XDG_DATA_HOME/admint/admint.db"
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check;' 2>&1 | tr '\n' ' ')
leftover=$( (find "$TMPDIR" -mindepth 1 2>/dev/null; find "$XDG_DATA_HOME/admint" \
  \( -name '*.part' -o -name '.import-*' -o -name '.thumb-*' -o -name '.*.tmp' \) 2>/dev/null) \
  | wc -l)
key_hits=$(grep -rlaF -e "$OPENAI_API_KEY" -e "$REPLICATE_API_TOKEN" -e "$suffix" \
  "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME" "$TMPDIR" \
  "$work/out" "$work/soak.yaml" 2>/dev/null | wc -l)
locked=$(grep -l 'database is locked' "$work"/out/*.stderr 2>/dev/null | wc -l)
status=0

python3 - "$work" "$n" "$elapsed" "$integrity" "$leftover" "$key_hits" "$locked" \
  "$fake_rss_start" "$fake_rss_end" "$jobs" "$fault_rate" "$kill_percent" "$seed" \
  >"$work/table.txt" <<'PY' || status=$?
import collections, glob, json, os, sys
work, n, elapsed, integrity, leftover, key_hits, locked = sys.argv[1:8]
fake_start, fake_end, jobs, rate, kill_percent, seed = sys.argv[8:14]
rows = []
for f in glob.glob(os.path.join(work, "out", "*.result")):
    i, kills, peak, gid, result = open(f).read().rstrip("\n").split("\t", 4)
    rows.append((int(i), int(kills), int(peak or 0), gid, result))
rows.sort()
ledger = json.load(open(os.path.join(work, "ledger.json")))
faults = ledger["faults"]
paid = collections.Counter()
open_preds = 0
for p in ledger["predictions"]:
    if p["status"] not in ("failed", "canceled"):
        paid[(p["model"], p["prompt"])] += 1
    if p["status"] in ("starting", "processing"):
        open_preds += 1
twice = sum(c - 1 for c in paid.values() if c > 1)
completed = sum(1 for r in rows if r[4] == "completed")
failed = [r for r in rows if r[4].startswith("failed")]
lost = [r for r in rows if r[4].startswith("lost")]
peaks = [r[2] for r in rows if r[2] > 0]
k = max(1, min(10, len(peaks) // 4))
reasons = collections.Counter(r[4][len("failed: "):][:100] for r in failed)
print("== Ad Mint kill-and-fault soak: %s generations, %s at once, faults %s, kills %s%%, seed %s"
      % (n, jobs, rate, kill_percent, seed))
print("generations run                 %d (%d s)" % (len(rows), int(elapsed)))
print("kills (SIGKILL)                 %d" % sum(r[1] for r in rows))
print("faults injected                 %d  %s" % (sum(faults.values()),
      " ".join("%s=%d" % kv for kv in faults.items() if kv[1])))
print("predictions created             %d (%d left running: never cancelled)"
      % (len(ledger["predictions"]), open_preds))
print("completed                       %d" % completed)
print("failed with a clear reason      %d" % len(failed))
print("lost (must be 0)                %d" % len(lost))
print("predictions paid twice (0)      %d" % twice)
print("PRAGMA integrity_check          %s" % integrity.strip())
print("files left in the temp folder   %s" % leftover)
print("'database is locked' (0)        %s" % locked)
print("key found on disk or output (0) %s" % key_hits)
if peaks:
    print("admint peak RSS, first %d runs  %d MB" % (k, sum(peaks[:k]) / k / 1024))
    print("admint peak RSS, last %d runs   %d MB" % (k, sum(peaks[-k:]) / k / 1024))
print("fake server RSS start / end     %d / %d MB" % (int(fake_start or 0) / 1024,
      int(fake_end or 0) / 1024))
for reason, count in reasons.most_common(8):
    print("  failed %3d x %s" % (count, reason))
for r in lost[:10]:
    print("  lost: generation %d (%s): %s" % (r[0], r[3] or "no id", r[4]))
bad = len(lost) or twice or integrity.strip() != "ok" or int(leftover) or int(locked) or int(key_hits)
sys.exit(1 if bad else 0)
PY
cat "$work/table.txt"
echo "soak: logs and data in $work"
exit $status
