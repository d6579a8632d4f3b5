#!/bin/sh
# Simulated cron status for the "cron" probe: the last line is what the
# Probes pane shows; exit 0 means UP.
echo "cron: last run $(date -u +%H:%M) UTC, next in 1h"
