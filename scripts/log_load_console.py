#!/usr/bin/env python3
"""The console under log load, measured as the engineer sees it (T10, L7).

Runs `warroom open` at 120x40 in a private tmux server, behind `script` so
every byte the console writes to its terminal is recorded, while a writer
appends to the runbook's followed log at a fixed rate:

1. T10: at 10,000 lines/s, how many bytes a second reach the terminal
   (aim: under 50 KB/s), against the idle rate.
2. L7: at 50,000 lines/s, how long a key takes to show on screen: `1` and
   `2` alternately move the focus, and the time from `tmux send-keys` until
   capture-pane shows the new focus marker is taken (aim: under 100 ms).
   Then a sentinel line is appended and the time until it is on screen is
   the console's lag behind the file.

Timings include tmux's own latency (send-keys, capture-pane), so they are an
upper bound on the console's. Figures, not assertions: this is a benchmark.

    cargo build --release && scripts/log_load_console.py [SECONDS]   (default 10)
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "warroom")
SOCK = f"wr-logload-{os.getpid()}"
SECS = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCK, *args], capture_output=True, text=True).stdout


def screen():
    return tmux("capture-pane", "-p")


def wait_screen(text, timeout=20.0):
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if text in screen():
            return
        time.sleep(0.02)
    sys.exit(f"timed out waiting for {text!r} on screen:\n{screen()}")


class Writer(threading.Thread):
    """Appends realistic lines at `rate` lines/s in 10 ms batches (1 % errors)."""

    def __init__(self, path, rate):
        super().__init__(daemon=True)
        self.path, self.rate, self.stop, self.written = path, rate, threading.Event(), 0

    def run(self):
        per_batch = max(1, self.rate // 100)
        start = time.monotonic()
        with open(self.path, "a", buffering=1 << 20) as f:
            batch = 0
            while not self.stop.is_set():
                lines = []
                for i in range(per_batch):
                    n = self.written + i
                    level = "ERROR" if n % 100 == 0 else ("WARN " if n % 37 == 0 else "INFO ")
                    lines.append(
                        f"2026-11-23T10:00:00.{n % 1000:03}Z {level} [web] GET /api/orders/{n} 200 {n % 250}ms req={n:08x}\n"
                    )
                f.write("".join(lines))
                f.flush()
                self.written += per_batch
                batch += 1
                # Keep to the schedule (catch up after a slow batch, never burst ahead).
                delay = start + batch * 0.01 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)


def key_latencies(secs):
    """`1` and `2` alternately for `secs`: ms from send-keys until the new focus marker is on screen."""
    out, focus = [], 1
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        focus = 2 if focus == 1 else 1
        marker = "▶ 1 Steps" if focus == 1 else "▶ 2 Checklist"
        t0 = time.monotonic()
        tmux("send-keys", str(focus))
        while marker not in screen():
            if time.monotonic() - t0 > 5:
                sys.exit(f"key {focus} not shown after 5 s:\n{screen()}")
            time.sleep(0.002)
        out.append((time.monotonic() - t0) * 1000)
        time.sleep(0.2)
    return sorted(out)


def summary(ms):
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    return f"{len(ms)} presses, p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def bytes_per_second(typescript, secs):
    a = os.path.getsize(typescript)
    time.sleep(secs)
    return (os.path.getsize(typescript) - a) / secs


def main():
    if not os.access(BIN, os.X_OK):
        sys.exit("build first: cargo build --release")
    for tool in ("tmux", "script"):
        if not shutil.which(tool):
            sys.exit(f"needs {tool}")
    work = tempfile.mkdtemp(prefix="warroom-logload.")
    log = os.path.join(work, "app.log")
    open(log, "w").close()
    runbook = os.path.join(work, "logload.toml")
    with open(runbook, "w") as f:
        f.write(
            '[runbook]\nid = "logload"\ntitle = "Log load benchmark"\n\n'
            '[[phase]]\nid = "deploy"\ntitle = "Deploy"\n\n'
            '[[step]]\nid = "announce"\nphase = "deploy"\ntitle = "Announce the deploy"\nmanual = true\n\n'
            '[[criterion]]\nid = "errors"\ntitle = "Few errors"\nseverity = "high"\non_fail = "monitor"\n\n'
            f'[[log]]\nid = "app"\ntitle = "Application"\npath = "{log}"\n'
            'error = "\\\\bERROR\\\\b"\nwarn = "\\\\bWARN\\\\b"\n'
        )
    typescript = os.path.join(work, "typescript")
    env = f"WARROOM_DATA_DIR={work} WARROOM_OPERATOR=bench TERM=xterm-256color"
    cmd = f"script -qfc '{env} {BIN} open {runbook}' {typescript}"
    writer = None
    try:
        check = subprocess.run([BIN, "check", runbook], capture_output=True, text=True)
        if check.returncode != 0:
            sys.exit(f"the benchmark's runbook does not load:\n{check.stderr}")
        tmux("new-session", "-d", "-x", "120", "-y", "40", cmd)
        wait_screen("Log load benchmark")
        time.sleep(2)
        idle = bytes_per_second(typescript, min(SECS, 5))

        writer = Writer(log, 10_000)
        writer.start()
        time.sleep(1)
        loaded = bytes_per_second(typescript, SECS)
        writer.stop.set()
        writer.join()
        print(f"T10 terminal output at 120x40: idle {idle / 1000:.2f} KB/s; "
              f"at 10,000 lines/s {loaded / 1000:.2f} KB/s (aim < 50 KB/s)")

        baseline = key_latencies(min(SECS, 5))
        writer = Writer(log, 50_000)
        began = time.monotonic()
        writer.start()
        time.sleep(1)
        latencies = key_latencies(SECS)
        if os.environ.get("SHOW_SCREEN"):
            print(screen())
        writer.stop.set()
        writer.join()
        rate = writer.written / (time.monotonic() - began)
        with open(log, "a") as f:
            f.write("SENTINEL-end-of-load\n")
        t0 = time.monotonic()
        wait_screen("SENTINEL-end-of-load", timeout=60)
        lag = (time.monotonic() - t0) * 1000
        print(f"L7 key shown on screen (aim < 100 ms; includes tmux's send-keys and capture-pane):\n"
              f"   idle:                      {summary(baseline)}\n"
              f"   at {rate:,.0f} lines/s written: {summary(latencies)} ({writer.written:,} lines)")
        print(f"   last line on screen {lag:.0f} ms after it was written (the console kept up)")
    finally:
        if writer:
            writer.stop.set()
        tmux("kill-server")
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
