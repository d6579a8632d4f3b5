#!/usr/bin/env bash
# How long `warroom open` takes to exit after its terminal hangs up (tmux
# kill-server: SIGHUP) while a step that ignores TERM runs (aim: under 2 s),
# and what the journal says about the step's end (signal 9: KILL was needed)
# and the session (session.closed written). A figure, not a test.
#
#   scripts/hangup_exit.sh [ROUNDS]
#
# Uses target/release/warroom if present, else target/debug/warroom.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
bin="$PWD/target/release/warroom"
[ -x "$bin" ] || bin="$PWD/target/debug/warroom"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }

for round in $(seq "$rounds"); do
  sock="wr-hangup-$$-$round"
  dir="$(mktemp -d)"
  cat >"$dir/rb.toml" <<'TOML'
[runbook]
id = "hangup"
title = "Hang-up drill"
[[phase]]
id = "p"
title = "P"
[[step]]
id = "stubborn"
phase = "p"
title = "Ignores TERM"
run = "trap '' TERM; sleep 600 & sleep 600"
TOML
  tmux -L "$sock" new-session -d -x 160 -y 45 \
    "cd $dir && WARROOM_DATA_DIR=$dir/data WARROOM_OPERATOR=ana TERM=xterm-256color $bin open rb.toml --journal $dir/j.jsonl"
  for _ in $(seq 100); do tmux -L "$sock" capture-pane -p | grep -q "Hang-up drill" && break; sleep 0.1; done
  tmux -L "$sock" send-keys 1 r; sleep 0.5; tmux -L "$sock" send-keys y
  for _ in $(seq 100); do grep -q step.started "$dir/j.jsonl" 2>/dev/null && break; sleep 0.05; done
  pid=""
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = warroom ] || continue
    tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "WARROOM_DATA_DIR=$dir/data" && pid="${p#/proc/}"
  done
  [ -n "$pid" ] || { echo "console not found" >&2; exit 1; }
  start=$(date +%s%N)
  tmux -L "$sock" kill-server
  # Gone, or a zombie waiting to be reaped (its exit is what counts).
  while [ -e "/proc/$pid" ] && ! grep -q '^[0-9]* (warroom) Z' "/proc/$pid/stat" 2>/dev/null; do sleep 0.01; done
  end=$(date +%s%N)
  signal=$(grep -o '"kind":"step.finished".*' "$dir/j.jsonl" | grep -o '"signal":[0-9]*' || echo "no step.finished")
  closed=$(grep -c '"session.closed"' "$dir/j.jsonl" || true)
  printf 'round %d: exit after hang-up %d ms; step end %s; session.closed %s\n' \
    "$round" $(((end - start) / 1000000)) "$signal" "$closed"
  rm -rf "$dir"
done
