#!/bin/sh
# Simulated validation suite: lists the checks a real one would make against
# the site, per vertical. Harmless: prints and sleeps.
set -eu
site="${1:?usage: smoke-test.sh SITE}"
for path in / /user/login /marketplace /api/v1/analytics/dashboard; do
    echo "  [ OK ] GET $site$path"
done
sleep 1
echo "validation suite: 0 FAIL"
