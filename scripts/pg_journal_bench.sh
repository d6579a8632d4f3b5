#!/usr/bin/env bash
# The PostgreSQL journal benchmark (benches/pg_journal.rs): append latency
# p50/p99 through PostgreSQL vs the file journal, time from an append in one
# process to the record read in another (NOTIFY vs file watcher) p50/p95, and
# 4 writer processes × 250 marks → chain intact. Starts its own throwaway
# cluster (fsync on); needs PostgreSQL's server installed (scripts/test does it).
#   scripts/pg_journal_bench.sh            optimised build (cargo bench)
#   scripts/pg_journal_bench.sh --dev      the dev build (quicker to build)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--dev" ]; then
  exec cargo bench --profile dev --bench pg_journal
fi
exec cargo bench --bench pg_journal
