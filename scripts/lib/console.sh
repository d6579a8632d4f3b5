# Shared by the measuring scripts: start warroom in a private tmux server and
# find its pid. Source it, then: start_console SOCKET COMMAND  (sets $pid).

# The pane's shell may exec warroom or run it as a child (no procps needed).
find_console_pid() {
  local sock="$1" pane_pid p
  pane_pid="$(tmux -L "$sock" list-panes -F '#{pane_pid}' 2>/dev/null || true)"
  [ "$(cat /proc/"$pane_pid"/comm 2>/dev/null)" = warroom ] && { echo "$pane_pid"; return; }
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = warroom ] && [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$pane_pid" ] \
      && { echo "${p#/proc/}"; return; }
  done
}

start_console() {
  local sock="$1" cmd="$2"
  tmux -L "$sock" new-session -d -x 160 -y 50 "$cmd"
  pid=""
  for _ in $(seq 100); do
    pid="$(find_console_pid "$sock")"
    [ -n "$pid" ] && return 0
    sleep 0.1
  done
  echo "warroom did not start" >&2
  tmux -L "$sock" capture-pane -p >&2 || true
  exit 1
}
