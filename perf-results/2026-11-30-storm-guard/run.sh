#!/usr/bin/env bash
# The level-1 storm guard's measurement: the outage-restoration scenario, the same traffic (seed 1) with the guard as
# conf/otaprio.yaml ships it and with it off, in one in-process simulation (about 2.5 minutes, both halves).
# Waits (up to MAX_WAIT_S) for the 1-minute load average to fall below 3 on this shared 2-core machine first, and
# records `uptime` before and after. Run from the repository root: perf-results/2026-11-30-storm-guard/run.sh [TAG]
set -euo pipefail
OUT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TAG="${1:-run}"
MAX_WAIT_S="${MAX_WAIT_S:-1800}"
waited=0
while (( waited < MAX_WAIT_S )) && awk '{ exit !($1 >= 3) }' /proc/loadavg; do
    sleep 30
    waited=$((waited + 30))
done
{
    echo "before: $(uptime)"
    ./otaprio simulate --scenario outage-restoration --json "$OUT/$TAG.json"
    echo "after: $(uptime)"
} 2>&1 | tee "$OUT/$TAG.out"
