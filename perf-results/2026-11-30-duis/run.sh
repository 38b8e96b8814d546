#!/usr/bin/env bash
# The commands behind summary.md, run from the repository root on the 2-core machine, one after another:
#   perf-results/2026-11-30-duis/run.sh [jmh|duis|tcp|jfr]...   (default: all four)
# The engine is the standalone process on conf/bench-tcp.yaml (simulated DSP of 4,096 slots x 1 us, so the DSP is
# never the limit) with a backoff scheduler (the generator shares the two cores), journals under /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=perf-results/2026-11-30-duis
LOGS=/tmp/otaprio-duis-perf
MIX=$OUT/mix-2k.yaml
GATEWAY=127.0.0.1:17400
DUIS=127.0.0.1:17401
SECTIONS=("${@:-jmh duis tcp jfr duis-gc pipeline pass3 quiet}")
mkdir -p "$LOGS"
./otaprio --help > /dev/null   # builds the jars on first use (mvn package, never install)

engine_start() {   # $1: extra JVM options for the engine
    rm -rf "$LOGS/journal"
    OTAPRIO_JAVA_OPTS="${1:-}" ./otaprio engine --config conf/bench-tcp.yaml --idle backoff --listen $GATEWAY \
        --duis $DUIS --metrics off --journal "$LOGS/journal" --status-interval 0 > "$LOGS/engine.log" 2>&1 &
    ENGINE=$!
    for _ in $(seq 1 100); do
        grep -q "started\|listening" "$LOGS/engine.log" 2>/dev/null && break
        sleep 0.2
    done
    sleep 1
}
engine_gc() {   # a full GC first: the rings preallocated at start leave eden, so no young GC must copy them in the run
    jcmd "$ENGINE" GC.run > /dev/null
    sleep 1
}
engine_stop() {
    kill "$ENGINE" 2>/dev/null || true
    wait "$ENGINE" 2>/dev/null || true
}

for section in ${SECTIONS[*]}; do
    case "$section" in
    jmh)
        # DuisParseBenchmark alone: parse and parse+classify of a 2 KB and a 27 KB Service Request, with the
        # byte-search baseline, GC profiler for B/op.
        java -Dotaprio.home="$PWD" -cp loadgen/target/otaprio.jar org.openjdk.jmh.Main DuisParseBenchmark \
            -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc -rf json -rff $OUT/jmh-duis-parse.json | tee "$LOGS/jmh.log"
        ;;
    duis)
        # POST /duis at fixed rates, 2 KB documents, 60 keep-alive connections (the endpoint serves 64), one request
        # at a time on each, 20 s each, a fresh engine each time.
        for rate in 5000 10000 20000 30000; do
            engine_start
            ./otaprio loadgen --duis --connect $DUIS --connections 60 --scenario steady --rate $rate --duration 20 \
                --mix $MIX --config conf/bench-tcp.yaml --json $OUT/duis-$rate.json | tee "$LOGS/duis-$rate.log"
            engine_stop
        done
        ;;
    tcp)
        # Baseline in the same session: the TCP generator at the same rates with 2,048-byte Submit payloads.
        for rate in 5000 10000 20000 30000; do
            engine_start
            ./otaprio loadgen --connect $GATEWAY --connections 4 --scenario steady --rate $rate --duration 20 \
                --mix $MIX --config conf/bench-tcp.yaml --json $OUT/tcp-$rate.json | tee "$LOGS/tcp-$rate.log"
            engine_stop
        done
        ;;
    jfr)
        # Where the time goes at 20,000/s: a JFR recording of the engine process (summarised in summary.md).
        engine_start "-XX:StartFlightRecording=filename=$LOGS/engine-20k.jfr,settings=profile"
        ./otaprio loadgen --duis --connect $DUIS --connections 60 --scenario steady --rate 20000 --duration 20 \
            --mix $MIX --config conf/bench-tcp.yaml --quiet | tee "$LOGS/jfr-20000.log"
        engine_stop
        jfr print --events jdk.ExecutionSample "$LOGS/engine-20k.jfr" > "$LOGS/samples.txt"
        jfr summary "$LOGS/engine-20k.jfr" > "$LOGS/jfr-summary.txt"
        ;;
    duis-gc)
        # As duis, with a full GC of the engine before the load.
        for rate in 5000 10000 20000 30000; do
            engine_start
            engine_gc
            ./otaprio loadgen --duis --connect $DUIS --connections 60 --scenario steady --rate $rate --duration 20 \
                --mix $MIX --config conf/bench-tcp.yaml --json $OUT/duis-gc-$rate.json | tee "$LOGS/duis-gc-$rate.log"
            engine_stop
        done
        ;;
    pipeline)
        # As duis-gc, 8 requests pipelined on each connection: what the endpoint takes without a round trip each.
        for rate in 20000 30000; do
            engine_start
            engine_gc
            ./otaprio loadgen --duis --connect $DUIS --connections 60 --pipeline 8 --scenario steady --rate $rate \
                --duration 20 --mix $MIX --config conf/bench-tcp.yaml --json $OUT/duis-pipeline8-$rate.json \
                | tee "$LOGS/duis-pipeline8-$rate.log"
            engine_stop
        done
        ;;
    quiet)
        # Pass 4, on a quiet machine (no other work; load average 2.7 before it): /duis at 20,000/s and 25,000/s,
        # then the TCP generator at 20,000/s, a fresh engine (after a full GC) each.
        for rate in 20000 25000; do
            engine_start; engine_gc
            ./otaprio loadgen --duis --connect $DUIS --connections 60 --scenario steady --rate $rate --duration 20 \
                --mix $MIX --config conf/bench-tcp.yaml --json $OUT/duis-quiet-$rate.json | tee "$LOGS/quiet-$rate.log"
            engine_stop
        done
        engine_start; engine_gc
        ./otaprio loadgen --connect $GATEWAY --connections 4 --scenario steady --rate 20000 --duration 20 \
            --mix $MIX --config conf/bench-tcp.yaml --json $OUT/tcp-quiet-20000.json | tee "$LOGS/quiet-tcp.log"
        engine_stop
        ;;
    pass3)
        # A third pass at 20,000/s when the machine was quieter (load average ~6): /duis one at a time and 8
        # pipelined, then the TCP generator, back to back.
        engine_start; engine_gc
        ./otaprio loadgen --duis --connect $DUIS --connections 60 --scenario steady --rate 20000 --duration 20 \
            --mix $MIX --config conf/bench-tcp.yaml --json $OUT/pass3-duis-20000.json | tee "$LOGS/pass3-duis.log"
        engine_stop
        engine_start; engine_gc
        ./otaprio loadgen --duis --connect $DUIS --connections 60 --pipeline 8 --scenario steady --rate 20000 \
            --duration 20 --mix $MIX --config conf/bench-tcp.yaml --json $OUT/pass3-duis-pipeline8-20000.json \
            | tee "$LOGS/pass3-pipeline8.log"
        engine_stop
        engine_start
        ./otaprio loadgen --connect $GATEWAY --connections 4 --scenario steady --rate 20000 --duration 20 \
            --mix $MIX --config conf/bench-tcp.yaml --json $OUT/pass3-tcp-20000.json | tee "$LOGS/pass3-tcp.log"
        engine_stop
        ;;
    *) echo "unknown section $section" >&2; exit 2 ;;
    esac
done
