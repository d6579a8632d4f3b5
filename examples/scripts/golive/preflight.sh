#!/bin/sh
# Simulated preflight checks (a real one would check PHP limits, disk, modules…).
# Harmless: prints and sleeps. FAIL=1 in the environment makes it fail, to try
# the console's stop-on-failure and the checklist's auto verdicts.
set -eu
site="${1:?usage: preflight.sh SITE}"
echo "preflight: target $site"
for check in "PHP memory_limit >= 256M" "disk space >= 500MB" "settings.local.php present" "86 modules enabled"; do
    echo "  [ OK ] $check"
done
sleep 1
if [ "${FAIL:-0}" = "1" ]; then
    echo "  [FAIL] database reachable (FAIL=1 was set)"
    echo "preflight: 1 FAIL"
    exit 1
fi
echo "preflight: 0 FAIL"
