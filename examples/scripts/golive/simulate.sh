#!/bin/sh
# Stands in for one deploy command (drush, composer, git…): says what it would
# run, waits a second, succeeds. Usage: simulate.sh WHAT [DETAIL...]
set -eu
what="${1:?usage: simulate.sh WHAT [DETAIL...]}"
shift
echo "$what: starting $*"
sleep 1
echo "$what: done"
