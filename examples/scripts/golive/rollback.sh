#!/bin/sh
# Simulated rollback to the pre-deploy backup. Harmless: prints and sleeps.
set -eu
ts="${1:?usage: rollback.sh BACKUP_TIMESTAMP [--force]}"
echo "rollback: restoring database from backup $ts"
sleep 1
echo "rollback: code reset to the previous commit"
echo "rollback: maintenance mode off, caches rebuilt"
echo "rollback: done"
