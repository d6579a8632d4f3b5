#!/bin/sh
# Simulated pre-deploy backup: writes a small marker file under the example's
# work folder (default /tmp/warroom-example), nothing else.
set -eu
workdir="${1:?usage: backup.sh WORKDIR TIMESTAMP}"
ts="${2:?usage: backup.sh WORKDIR TIMESTAMP}"
case "$workdir" in
    /tmp/*) ;;
    *) echo "backup: refusing to write outside /tmp ($workdir)" >&2; exit 2 ;;
esac
mkdir -p "$workdir/backups"
echo "simulated dump taken $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$workdir/backups/db_pre_deploy_$ts.sql"
sleep 1
echo "Backup: $ts -> $workdir/backups/db_pre_deploy_$ts.sql"
