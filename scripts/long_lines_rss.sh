#!/usr/bin/env bash
# Console memory while it follows a log of very long lines at full speed
# (issue 10; aim: peak RSS under 64 MiB). A writer appends 70 KB lines to the
# followed file as fast as it can for SECONDS while `warroom open` runs in a
# private tmux session; the console's peak RSS (VmHWM) and current RSS are
# read from /proc, and the Logs pane is checked for the "lines dropped" marker
# (the console drops and counts what it cannot keep up with, never buffers it).
#
#   scripts/long_lines_rss.sh [SECONDS]      (default 30)
#
# Uses target/release/warroom if present, else target/debug/warroom.
set -euo pipefail
. "$(dirname "$0")/lib/console.sh"
cd "$(dirname "$0")/.."
secs="${1:-30}"
bin=target/release/warroom
[ -x "$bin" ] || bin=target/debug/warroom
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }
command -v python3 >/dev/null || { echo "needs python3 (the writer)" >&2; exit 2; }

sock="wr-long-lines-$$"
data="$(mktemp -d)"
writer=""
cleanup() {
  [ -n "$writer" ] && kill "$writer" 2>/dev/null || true
  tmux -L "$sock" kill-server 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

cat >"$data/rb.toml" <<TOML
[runbook]
id = "long-lines"
title = "Long lines"

[[log]]
id = "app"
path = "app.log"
error = "ERROR"
TOML
: >"$data/app.log"

start_console "$sock" \
  "WARROOM_DATA_DIR=$data WARROOM_OPERATOR=bench TERM=xterm-256color $bin open $data/rb.toml --layout monitor"

kb() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
start_rss="$(kb VmRSS)"

python3 - "$data/app.log" "$secs" >"$data/writer.out" <<'PY' &
import sys, time
path, secs = sys.argv[1], float(sys.argv[2])
body = "x" * 70_000
n = 0
end = time.time() + secs
with open(path, "a", buffering=1 << 20) as f:
    while time.time() < end:
        f.write(f"{n} {'ERROR' if n % 10 == 0 else 'INFO'} {body}\n")
        n += 1
print(n)
PY
writer=$!
wait "$writer"
writer=""
sleep 2 # let the console drain what is queued
lines="$(cat "$data/writer.out")"
size="$(du -m "$data/app.log" | cut -f1)"
hwm="$(kb VmHWM)"
rss="$(kb VmRSS)"
screen="$(tmux -L "$sock" capture-pane -p)"
dropped="no"
grep -q "lines dropped" <<<"$screen" && dropped="yes"
echo "binary: $bin"
echo "written: $lines lines of 70 KB in ${secs}s (${size} MiB)"
echo "console RSS: start $((start_rss / 1024)) MiB, now $((rss / 1024)) MiB, peak $((hwm / 1024)) MiB (aim: peak < 64 MiB)"
echo "\"lines dropped\" marker in view at the end: $dropped"
