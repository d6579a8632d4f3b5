#!/usr/bin/env bash
# Log ingest benchmark (issue 4, L7): warroom's file tail against `tail -F | grep -c ERROR`
# and `lnav -n`, on the same machine in the same run.
#
#   scripts/log_ingest_bench.sh [SECONDS]      (default 10)
#
# 1. live: a writer appends lines as fast as it can for SECONDS while each follower
#    follows the file; throughput = lines / (writer start → follower has the last line).
#    warroom's tail feeds a LogWindow as the console does; peak RSS is the whole
#    bench process (writer included).
# 2. ingest: each tool reads the same finished file from the start (lnav -n indexes
#    it headless; warroom's tail gets it renamed into a followed path).
# Needs a release build (built once here, in this worktree's target/).
set -euo pipefail
SECS="${1:-10}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/warroom-logbench.XXXXXX")"
TAIL_PID=""; GREP_PID=""
cleanup() {
    [ -n "$TAIL_PID" ] && kill "$TAIL_PID" 2>/dev/null || true
    [ -n "$GREP_PID" ] && kill "$GREP_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "building the benchmark (release)…" >&2
(cd "$ROOT" && cargo bench --bench log_ingest --no-run 2>&1 | tail -1) >&2
BIN="$(ls -t "$CARGO_TARGET_DIR"/release/deps/log_ingest-* | grep -v '\.d$' | head -1)"
now() { date +%s.%N; }
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }

echo "== live, warroom tail (${SECS}s of writing)"
OURS="$("$BIN" follow "$WORK/ours.log" "$SECS")"
echo "$OURS"
rm -f "$WORK/ours.log"

echo "== live, tail -F | grep ERROR (${SECS}s of writing)"
: > "$WORK/gnu.log"
mkfifo "$WORK/pipe"
grep --line-buffered ERROR < "$WORK/pipe" > "$WORK/errors.out" & GREP_PID=$!
tail -n0 -F "$WORK/gnu.log" > "$WORK/pipe" 2>/dev/null & TAIL_PID=$!
sleep 0.5
T0="$(now)"
WROTE="$("$BIN" write "$WORK/gnu.log" "$SECS")"
WRITTEN="$(echo "$WROTE" | kv written_lines)"
for _ in $(seq 1 2400); do
    grep -q 'bench-end' "$WORK/errors.out" && break
    sleep 0.05
done
T1="$(now)"
GNU_ERRORS="$(wc -l < "$WORK/errors.out")"
kill "$TAIL_PID" 2>/dev/null || true; wait "$GREP_PID" 2>/dev/null || true; TAIL_PID=""; GREP_PID=""
GNU_RATE="$(echo "$WRITTEN / ($T1 - $T0)" | bc -l)"
printf 'mode=follow tool=tail-F|grep written_lines=%s errors_seen=%s seconds=%.3f lines_per_s=%.0f\n' \
    "$WRITTEN" "$GNU_ERRORS" "$(echo "$T1 - $T0" | bc -l)" "$GNU_RATE"

echo "== ingest of the same file ($WRITTEN lines)"
INGEST="$("$BIN" ingest "$WORK/gnu.log")"
echo "$INGEST"
T0="$(now)"; GREP_COUNT="$(tail -n +1 "$WORK/gnu.log" | grep -c ERROR)"; T1="$(now)"
TAILGREP_INGEST="$(echo "$WRITTEN / ($T1 - $T0)" | bc -l)"
printf 'mode=ingest tool=tail|grep-c errors=%s seconds=%.3f lines_per_s=%.0f\n' "$GREP_COUNT" "$(echo "$T1 - $T0" | bc -l)" "$TAILGREP_INGEST"
LNAV_RATE=""
if command -v lnav >/dev/null; then
    # lnav keeps every line indexed in memory: give it at most 5 M lines.
    head -n 5000000 "$WORK/gnu.log" > "$WORK/lnav.log"
    LN="$(wc -l < "$WORK/lnav.log")"
    T0="$(now)"; HOME="$WORK" lnav -n "$WORK/lnav.log" >/dev/null 2>&1 || true; T1="$(now)"
    LNAV_RATE="$(echo "$LN / ($T1 - $T0)" | bc -l)"
    printf 'mode=ingest tool=lnav-n lines=%s seconds=%.3f lines_per_s=%.0f\n' "$LN" "$(echo "$T1 - $T0" | bc -l)" "$LNAV_RATE"
else
    echo "lnav not installed (apt-get install -y lnav): skipped"
fi

OURS_RATE="$(echo "$OURS" | kv lines_per_s)"
OURS_RSS="$(echo "$OURS" | kv peak_rss_mib)"
INGEST_RATE="$(echo "$INGEST" | kv lines_per_s)"
echo "== summary"
printf 'warroom live: %.0f lines/s (target >= 1000000), peak RSS %s MiB (target < 64)\n' "$OURS_RATE" "$OURS_RSS"
printf 'live ratio warroom / tail -F|grep: %.2f\n' "$(echo "$OURS_RATE / $GNU_RATE" | bc -l)"
printf 'ingest ratio warroom / tail|grep -c: %.2f\n' "$(echo "$INGEST_RATE / $TAILGREP_INGEST" | bc -l)"
[ -n "$LNAV_RATE" ] && printf 'ingest ratio warroom / lnav -n: %.2f\n' "$(echo "$INGEST_RATE / $LNAV_RATE" | bc -l)"
awk -v r="$OURS_RATE" -v m="$OURS_RSS" 'BEGIN { exit !(r >= 1000000 && m < 64) }' && echo "PASS" || { echo "FAIL"; exit 1; }
