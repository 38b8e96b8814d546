#!/bin/bash
# The protected fast lane (dsp.reserved): the runs summary.md reports. From the repository root:
#   perf-results/2026-11-30-fast-lane/run.sh
# Each run's output (NAME.txt), JSON (NAME.json) and the load average before and after it (NAME.uptime) land here.
set -euo pipefail
OUT=perf-results/2026-11-30-fast-lane
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# The shipped configuration with another number of reserved slots (only dsp.reserved.slots is indented by four).
for r in 0 2 4; do
    sed "s|^policy: priority-policy.yaml|policy: $PWD/conf/priority-policy.yaml|; s|^    slots: 2$|    slots: $r|" \
        conf/otaprio.yaml > "$TMP/reserved-$r.yaml"
done
run()
{
    local name=$1
    shift
    uptime > "$OUT/$name.uptime"
    ./otaprio simulate "$@" --json "$OUT/$name.json" > "$OUT/$name.txt" 2>&1
    uptime >> "$OUT/$name.uptime"
}
# 1. The README's table: the shipped configuration (2 slots for levels 1-2) and none, same traffic.
run slow-downstream --scenario slow-downstream
# 2. Four slots and none.
run slow-downstream-4 --scenario slow-downstream --config "$TMP/reserved-4.yaml"
# 3. What a reservation costs when the downstream is the shipped fast model and overloaded: 1.2x its capacity for
#    10 s, completions counted when the load ends (--drain-timeout 0), with 0, 2 and 4 slots reserved.
for r in 0 2 4; do
    run "overload-$r" --scenario steady --rate 9000 --duration 10 --drain-timeout 0 --quiet \
        --config "$TMP/reserved-$r.yaml"
done
