#!/usr/bin/env bash
# Idle CPU of `warroom open` over 30 s (aim: under 1 %), measured from
# /proc/PID/stat (utime + stime) while the console sits in a private tmux
# session with nothing happening but its clock.
#
#   scripts/idle_cpu.sh [RUNBOOK] [SECONDS]
#
# Uses target/release/warroom if present, else target/debug/warroom.
set -euo pipefail
. "$(dirname "$0")/lib/console.sh"
cd "$(dirname "$0")/.."
runbook="${1:-examples/golive-platform.toml}"
secs="${2:-30}"
bin=target/release/warroom
[ -x "$bin" ] || bin=target/debug/warroom
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }

sock="wr-idle-cpu-$$"
data="$(mktemp -d)"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT

start_console "$sock" \
  "WARROOM_DATA_DIR=$data WARROOM_OPERATOR=idle TERM=xterm-256color $bin open $runbook"
sleep 2 # let it settle after the first frames

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"
t0="$(ticks "$pid")"
s0="$(date +%s.%N)"
sleep "$secs"
t1="$(ticks "$pid")"
s1="$(date +%s.%N)"
awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s0="$s0" -v s1="$s1" -v bin="$bin" 'BEGIN {
  cpu = (b - a) / hz; wall = s1 - s0;
  printf "idle CPU of %s over %.1f s: %.3f s CPU = %.2f %%\n", bin, wall, cpu, 100 * cpu / wall
}'
