#!/usr/bin/env bash
# A bounded soak of `otaprio engine`: N minutes (default 10) at 80% of the simulated DSP's capacity with a burst
# every minute, recording heap, GC pauses, RSS, journal size and per-level latency, to show that nothing grows
# without bound. Not part of CI (it takes N minutes plus about 3 s a minute and busies both cores).
#
#   loadgen/scripts/soak.sh [--out DIR] [--minutes N] [OPTIONS]
#
# --out DIR              where results go (default perf-results/<date>-soak/ in the repository).
# --minutes N            minutes of load (default 10); e.g. --minutes 2 for a short trial.
# --rate-fraction F      steady rate as a fraction of the DSP's capacity for the traffic mix (default 0.8).
# --burst-multiplier K   burst rate as a multiple of that capacity (default 1.5, see below).
# --roll-cycle NAME      journal.rollCycle of the soak's config copy (default MINUTELY, so that retention deletes
#                        cycles within the run; "config" keeps the config's own, FAST_HOURLY when shipped).
# --sample-interval S    seconds between samples of heap, RSS, journal size and /metrics (default 10).
# --config FILE          engine configuration to start from (default conf/otaprio.yaml).
# --idle STRATEGY        the engine's scheduler idle strategy (default: the config's, busy-spin when shipped).
# --no-forced-gc         no full GC at each minute boundary (then the live heap is not measured, see step 4).
#
# Each minute is one `otaprio loadgen --scenario burst --duration 60` run, whose fixed shape (LoadProfile.burst)
# is 10 s at the steady rate, 10 s of burst, 40 s at the steady rate: run back to back, a burst every minute with
# 50 s of steady load between bursts. With the defaults a minute offers 50 x 0.8 + 10 x 1.5 = 55 capacity-seconds
# (92% of capacity): the burst's backlog (5 capacity-seconds) drains in about 25 s, within the minute. At the
# loadgen's default burst of 3x a minute offers 117% of capacity and the backlog grows every minute by design.
#
# Steps: (1) write a copy of the config with the roll cycle chosen (policy path made absolute) to a temporary
# directory; (2) start `otaprio engine` on a fresh temporary journal, ports chosen by the kernel (port 0, read back
# from its log), status lines every 10 s, GC and safepoint logging to OUT/gc.log; (3) a one-second probe run reads
# the DSP's capacity for the mix (the loadgen prints it) and sets the steady rate; (4) a full GC
# (`jcmd GC.class_histogram`, which collects first) measures the live heap before the load and after every
# minute; (5) in the background, `jstat -gc` every second and a sampler every S seconds: heap, RSS (anon/file),
# threads, journal size (`du`) and files, and /metrics (accepted, completed, depth by lane, dedup entries,
# rejections) into OUT/samples.csv; (6) N minutes of load, each minute's loadgen JSON and log in OUT/minutes/;
# (7) SIGTERM to the engine, which must exit 0, then `otaprio journal stats`; (8) OUT/summary.md: command,
# machine and load average, per-minute per-level latency, live heap, GC pauses, RSS, journal size over time,
# queue depth and dedup index at minute boundaries, and a verdict "nothing grew without bound: yes/no".
# Whatever happens, the engine, the samplers and the temporary journal and config are stopped or removed on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OTAPRIO="$ROOT/otaprio"
COMMAND="$(printf '%q ' "$0" "$@")"
STARTED_UTC="$(date -u '+%Y-%m-%d %H:%M UTC')"
OUT=""
MINUTES=10
RATE_FRACTION=0.8
BURST_MULTIPLIER=1.5
ROLL_CYCLE=MINUTELY
SAMPLE_INTERVAL=10
CONFIG="$ROOT/conf/otaprio.yaml"
FORCED_GC=1
ENGINE_ARGS=()
IDLE=""

die()
{
    echo "soak: error: $*" >&2
    exit 2
}

log()
{
    echo "soak: $(date -u '+%H:%M:%S') $*"
}

usage()
{
    sed -n '2,36p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

number()
{
    [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "$1 needs a positive number, got \"$2\""
}

while (($# > 0)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --out|--minutes|--rate-fraction|--burst-multiplier|--roll-cycle|--sample-interval|--config|--idle)
            (($# >= 2)) || die "$1 needs a value"
            set -- "$1=$2" "${@:3}" ;;
        --out=*) OUT="${1#*=}"; shift ;;
        --minutes=*) MINUTES="${1#*=}"; shift ;;
        --rate-fraction=*) RATE_FRACTION="${1#*=}"; shift ;;
        --burst-multiplier=*) BURST_MULTIPLIER="${1#*=}"; shift ;;
        --roll-cycle=*) ROLL_CYCLE="${1#*=}"; shift ;;
        --sample-interval=*) SAMPLE_INTERVAL="${1#*=}"; shift ;;
        --config=*) CONFIG="${1#*=}"; shift ;;
        --idle=*) ENGINE_ARGS+=(--idle "${1#*=}"); IDLE="${1#*=}"; shift ;;
        --no-forced-gc) FORCED_GC=0; shift ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$MINUTES" =~ ^[1-9][0-9]*$ ]] || die "--minutes needs a whole number >= 1, got \"$MINUTES\""
number --rate-fraction "$RATE_FRACTION"
number --burst-multiplier "$BURST_MULTIPLIER"
number --sample-interval "$SAMPLE_INTERVAL"
[[ "$ROLL_CYCLE" =~ ^[A-Z0-9_]+$|^config$ ]] || die "--roll-cycle needs a Chronicle roll cycle name or \"config\""
[[ -f "$CONFIG" ]] || die "no configuration file $CONFIG"
CONFIG="$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")"
for tool in jcmd jstat curl python3 du; do
    command -v "$tool" > /dev/null 2>&1 || die "$tool is needed (jcmd and jstat come with the JDK)"
done

OUT="${OUT:-$ROOT/perf-results/$(date +%F)-soak}"
mkdir -p "$OUT/minutes"
OUT="$(cd "$OUT" && pwd)"
# The launcher splits OTAPRIO_JAVA_OPTS on spaces, and the -Xlog file name is in it.
[[ "$OUT" != *[[:space:]]* ]] || die "--out must not contain spaces (it goes into -Xlog:...:file=OUT/gc.log)"

ENGINE_PID=""
LOADGEN_PID=""
JSTAT_PID=""
SAMPLER_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/otaprio-soak.XXXXXX")"
JOURNAL="$WORK/journal"

stop_pid()
{
    local pid="$1"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null || true
    fi
    return 0
}

cleanup()
{
    local status=$?
    set +e
    stop_pid "$LOADGEN_PID"
    stop_pid "$SAMPLER_PID"
    stop_pid "$JSTAT_PID"
    stop_pid "$ENGINE_PID"
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
# A signal ends the script through exit, so that the EXIT trap stops what it started.
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 1. the soak's copy of the configuration ----------------------------------------------------------------
SOAK_CONFIG="$WORK/otaprio-soak.yaml"
python3 - "$CONFIG" "$SOAK_CONFIG" "$ROLL_CYCLE" << 'PY'
import os, re, sys
source, target, roll = sys.argv[1:]
text = open(source).read()
base = os.path.dirname(source)

def policy(m):
    value = m.group(2).strip().strip('"').strip("'")
    if value != "fifo" and not os.path.isabs(value):
        value = os.path.join(base, value)
    return m.group(1) + value + m.group(3)

text, n = re.subn(r'(?m)^(policy:\s*)([^#\n]*?)(\s*(#.*)?)$', policy, text, count=1)
if roll != "config":
    text, n = re.subn(r'(?m)^(\s+rollCycle:\s*)\S+', lambda m: m.group(1) + roll, text, count=1)
    if n != 1:
        # No rollCycle entry: add one under journal: (which must then exist).
        text, n = re.subn(r'(?m)^journal:\s*$', 'journal:\n  rollCycle: ' + roll, text, count=1)
        if n != 1:
            text += "\njournal:\n  rollCycle: " + roll + "\n"
open(target, "w").write(text)
PY
ROLL_CYCLE_USED="$(sed -n 's/^ *rollCycle: *\([A-Z0-9_]*\).*/\1/p' "$SOAK_CONFIG" | head -1)"
ROLL_CYCLE_USED="${ROLL_CYCLE_USED:-FAST_HOURLY}"
RETAIN_USED="$(sed -n 's/^ *retainCompletedCycles: *\([0-9]*\).*/\1/p' "$SOAK_CONFIG" | head -1)"
RETAIN_USED="${RETAIN_USED:-2}"

# ---- 2. the engine -------------------------------------------------------------------------------------------
rm -f "$OUT/gc.log" "$OUT"/gc.log.* "$OUT/samples.csv" "$OUT/fullgc.csv" "$OUT"/histogram-*.txt "$OUT/run.json" \
    "$OUT/summary.md" "$OUT/journal-stats.txt" "$OUT/engine.log" "$OUT"/minutes/minute-* "$OUT/minutes/minutes.csv"
uptime > "$WORK/load-before.txt"
log "engine: journal $JOURNAL (rollCycle $ROLL_CYCLE_USED), GC log $OUT/gc.log"
OTAPRIO_JAVA_OPTS="${OTAPRIO_JAVA_OPTS:-} -Xlog:gc*,safepoint:file=$OUT/gc.log:time,uptime,level,tags" \
    "$OTAPRIO" engine --config "$SOAK_CONFIG" --journal "$JOURNAL" --listen 127.0.0.1:0 --metrics 127.0.0.1:0 \
    --status-interval 10 "${ENGINE_ARGS[@]}" > "$OUT/engine.log" 2>&1 &
ENGINE_PID=$!
ENGINE_START_S=$SECONDS
for i in $(seq 1 300); do
    grep -q "metrics on http" "$OUT/engine.log" 2>/dev/null && break
    kill -0 "$ENGINE_PID" 2>/dev/null || die "the engine exited at start-up; see $OUT/engine.log"
    ((i < 300)) || die "the engine did not listen within 30 s; see $OUT/engine.log"
    sleep 0.1
done
LISTEN="$(sed -n 's/.* listening on \([0-9.]*:[0-9]*\)$/\1/p' "$OUT/engine.log" | head -1)"
METRICS_URL="$(sed -n 's/.* metrics on \(http[^ ]*\)$/\1/p' "$OUT/engine.log" | head -1)"
[[ -n "$LISTEN" && -n "$METRICS_URL" ]] || die "could not read the gateway and metrics addresses from $OUT/engine.log"
# The launcher execs java, so $! is the JVM (jcmd and jstat need it).
[[ "$(cat "/proc/$ENGINE_PID/comm" 2>/dev/null)" == java ]] || die "pid $ENGINE_PID is not the engine's JVM"
log "engine pid $ENGINE_PID on $LISTEN, $METRICS_URL"

# ---- 3. capacity probe ---------------------------------------------------------------------------------------
"$OTAPRIO" loadgen --connect "$LISTEN" --config "$SOAK_CONFIG" --scenario steady --rate 100 --duration 1 \
    --seed 0 --quiet > "$WORK/probe.log" 2>&1 || die "the probe run failed: $(tail -5 "$WORK/probe.log")"
CAPACITY="$(sed -n 's/.*DSP capacity \([0-9.]*\) msgs\/s.*/\1/p' "$WORK/probe.log" | head -1)"
[[ -n "$CAPACITY" ]] || die "could not read the DSP capacity from the probe run"
RATE="$(python3 -c "print(round($CAPACITY * $RATE_FRACTION))")"
log "DSP capacity $CAPACITY msgs/s for the mix; steady $RATE msgs/s, bursts at ${BURST_MULTIPLIER}x capacity"

# ---- 4. live heap (a full GC first) --------------------------------------------------------------------------
FULLGC_COLUMNS=(minute elapsed_s old_used_kb heap_used_kb heap_committed_kb classes_bytes long_arrays long_arrays_bytes
    mapped_files file_channels thread_local_entries finalizers)
(IFS=,; echo "${FULLGC_COLUMNS[*]}") > "$OUT/fullgc.csv"
gc_used()
{
    # Sum of the jstat -gc columns named in $1 (comma separated), by header name.
    jstat -gc "$ENGINE_PID" | awk -v cols="$1" 'NR == 1 { for (i = 1; i <= NF; i++) name[$i] = i }
        NR == 2 { n = split(cols, c, ","); s = 0; for (i = 1; i <= n; i++) s += $(name[c[i]]); printf "%.0f", s }'
}
live_heap()
{
    local minute="$1" histogram="$WORK/histogram.txt"
    ((FORCED_GC == 1)) || return 0
    jcmd "$ENGINE_PID" GC.class_histogram > "$histogram" 2>&1 || { log "GC.class_histogram failed"; return 0; }
    local total classes
    total="$(awk '$1 == "Total" { print $3 }' "$histogram")"
    # A few classes worth following: long[] (Agrona maps and sets grow theirs with the backlog), and what Chronicle
    # keeps per roll cycle file (mapped files, channels, thread-local entries, finalizable objects).
    classes="$(awk '$4 == "[J" { la += $2; lb += $3 } $4 ~ /MappedFile$/ { mf += $2 }
        $4 == "sun.nio.ch.FileChannelImpl" { fc += $2 } $4 == "java.lang.ThreadLocal$ThreadLocalMap$Entry" { tl += $2 }
        $4 == "java.lang.ref.Finalizer" { fz += $2 }
        END { printf "%d,%d,%d,%d,%d,%d", la, lb, mf, fc, tl, fz }' "$histogram")"
    echo "$minute,$((SECONDS - ENGINE_START_S)),$(gc_used OU),$(gc_used S0U,S1U,EU,OU),$(gc_used S0C,S1C,EC,OC),${total:-},$classes" \
        >> "$OUT/fullgc.csv"
    if ((minute <= 1 || minute == MINUTES)); then
        head -33 "$histogram" > "$OUT/histogram-minute-$(printf '%02d' "$minute").txt"
        cp "$histogram" "$WORK/histogram-full-$minute.txt"
    fi
}
live_heap 0

# ---- 5. samplers ---------------------------------------------------------------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
jstat -gc -t "$ENGINE_PID" 1000 > "$WORK/jstat.txt" 2>&1 &
JSTAT_PID=$!
echo 0 > "$WORK/minute"

sample()
{
    local now elapsed minute jstat_line status journal_bytes journal_kb journal_files metrics load1 cpu fds deleted_kb
    # A sample with a gap (a file vanishing under du or find, a slow scrape) is better than a sampler that stops.
    local -
    set +e +o pipefail
    now="$(date -u '+%Y-%m-%dT%H:%M:%SZ')"
    elapsed=$((SECONDS - ENGINE_START_S))
    minute="$(cat "$WORK/minute")"
    # jstat -gc -t: Timestamp S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC YGCT FGC FGCT CGC CGCT GCT
    jstat_line="$(awk 'NR == 1 { for (i = 1; i <= NF; i++) name[$i] = i; next }
        $1 ~ /^[0-9.]+$/ { last = sprintf("%.0f,%.0f,%.0f,%.0f,%.0f,%d,%d,%.3f",
            $(name["S0U"]) + $(name["S1U"]) + $(name["EU"]) + $(name["OU"]), $(name["EU"]) + $(name["S0U"]) + $(name["S1U"]),
            $(name["OU"]), $(name["S0C"]) + $(name["S1C"]) + $(name["EC"]) + $(name["OC"]), $(name["MU"]),
            $(name["YGC"]), $(name["FGC"]), $(name["GCT"])) }
        END { print (last == "" ? ",,,,,,," : last) }' "$WORK/jstat.txt")"
    status="$(awk '/^VmRSS:/ { r = $2 } /^RssAnon:/ { a = $2 } /^RssFile:/ { f = $2 } /^Threads:/ { t = $2 }
        END { printf "%s,%s,%s,%s", r, a, f, t }' "/proc/$ENGINE_PID/status" 2>/dev/null || echo ",,,")"
    journal_bytes="$(du -sb "$JOURNAL" 2>/dev/null | cut -f1 || true)"
    journal_kb="$(du -sk "$JOURNAL" 2>/dev/null | cut -f1 || true)"
    journal_files="$(find "$JOURNAL" -name '*.cq4' 2>/dev/null | wc -l)"
    metrics="$(curl -s --max-time 3 "$METRICS_URL" 2>/dev/null | awk '
        /^otaprio_accepted_total\{/ { acc += $2 }
        /^otaprio_completed_total\{/ { com += $2 }
        /^otaprio_queue_depth\{lane="0"\}/ { d0 = $2 } /^otaprio_queue_depth\{lane="1"\}/ { d1 = $2 }
        /^otaprio_queue_depth\{lane="2"\}/ { d2 = $2 } /^otaprio_queue_depth\{lane="3"\}/ { d3 = $2 }
        /^otaprio_dedup_entries / { dd = $2 } /^otaprio_dedup_untracked_total / { du = $2 }
        /^otaprio_rejected_total\{/ { rej += $2 } /^otaprio_full_total\{/ { full += $2 }
        /^otaprio_gateway_connections / { conn = $2 } /^otaprio_journal_failures_total / { jf = $2 }
        END { if (NR == 0) { print ",,,,,,,,,,," } else {
            printf "%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f", acc, com, d0, d1, d2, d3, dd, du, rej,
                full, conn, jf } }')"
    load1="$(cut -d' ' -f1 /proc/loadavg)"
    # Open file descriptors; files deleted (by retention) that the engine still holds open or mapped, and the disk
    # space they keep (du cannot see it).
    fds="$(find "/proc/$ENGINE_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l),$(
        find "/proc/$ENGINE_PID/fd" -mindepth 1 -maxdepth 1 -lname '*(deleted)' 2>/dev/null | wc -l),$(
        awk '/\(deleted\)$/ { print $6 }' "/proc/$ENGINE_PID/maps" 2>/dev/null | sort -u | wc -l),$(
        find "/proc/$ENGINE_PID/fd" -mindepth 1 -maxdepth 1 -lname '*(deleted)' -printf '%l\n' 2>/dev/null |
            sort -u | wc -l)"
    deleted_kb="$(find -L "/proc/$ENGINE_PID/fd" -mindepth 1 -maxdepth 1 -type f -links 0 -printf '%k\n' 2>/dev/null |
        awk '{ s += $1 } END { printf "%d", s }')"
    # CPU seconds used so far by the engine (utime + stime) and by the whole machine (all non-idle time).
    cpu="$(awk -v hz="$CLK_TCK" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$ENGINE_PID/stat" 2>/dev/null || true),$(
        awk -v hz="$CLK_TCK" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat)"
    echo "$now,$elapsed,$minute,$jstat_line,$status,$journal_bytes,$journal_kb,$journal_files,$metrics,$load1,$cpu,$fds,$deleted_kb" \
        >> "$OUT/samples.csv"
}
SAMPLE_COLUMNS=(time_utc elapsed_s minute
    heap_used_kb young_used_kb old_used_kb heap_committed_kb metaspace_used_kb young_gcs full_gcs gc_time_s
    rss_kb rss_anon_kb rss_file_kb threads
    journal_bytes journal_disk_kb journal_cycle_files
    accepted_total completed_total depth_lane0 depth_lane1 depth_lane2 depth_lane3 dedup_entries dedup_untracked
    rejected_total full_total gateway_connections journal_failures
    loadavg_1m engine_cpu_s host_busy_cpu_s
    open_fds deleted_open_fds deleted_mapped_files deleted_open_files deleted_open_kb)
(IFS=,; echo "${SAMPLE_COLUMNS[*]}") > "$OUT/samples.csv"
sleep 1.5   # a first jstat line
sample
(
    # The sampler's own trap: a TERM from cleanup ends it between samples.
    trap 'exit 0' TERM
    while :; do
        sleep "$SAMPLE_INTERVAL" &
        wait $! || true
        sample
    done
) &
SAMPLER_PID=$!

# ---- 6. the load ---------------------------------------------------------------------------------------------
echo "minute,start_epoch_s,end_epoch_s,loadavg_1m_at_start,loadavg_5m_at_start,loadavg_1m_at_end" \
    > "$OUT/minutes/minutes.csv"
for minute in $(seq 1 "$MINUTES"); do
    mm="$(printf '%02d' "$minute")"
    echo "$minute" > "$WORK/minute"
    minute_start="$(date +%s.%N)"
    load_start="$(cut -d' ' -f1,2 /proc/loadavg | tr ' ' ',')"
    log "minute $minute/$MINUTES: loadgen --scenario burst --duration 60 --rate $RATE" \
        "--burst-multiplier $BURST_MULTIPLIER --seed $minute"
    # In the background and waited for, so that a TERM to this script is handled at once (the trap stops it too).
    "$OTAPRIO" loadgen --connect "$LISTEN" --config "$SOAK_CONFIG" --scenario burst --duration 60 --rate "$RATE" \
        --burst-multiplier "$BURST_MULTIPLIER" --seed "$minute" --json "$OUT/minutes/minute-$mm.json" \
        > "$OUT/minutes/minute-$mm.log" 2>&1 &
    LOADGEN_PID=$!
    wait "$LOADGEN_PID" || die "minute $minute: loadgen failed; see $OUT/minutes/minute-$mm.log"
    LOADGEN_PID=""
    kill -0 "$ENGINE_PID" 2>/dev/null || die "the engine died in minute $minute; see $OUT/engine.log"
    echo "$minute,$minute_start,$(date +%s.%N),$load_start,$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/minutes/minutes.csv"
    grep -E '^ +[1-4] ' "$OUT/minutes/minute-$mm.log" | head -4 | sed 's/^/    /' || true
    live_heap "$minute"
done
echo end > "$WORK/minute"
sample
stop_pid "$SAMPLER_PID"
SAMPLER_PID=""
stop_pid "$JSTAT_PID"
JSTAT_PID=""

# Which classes grew between the end of minute 1 and the end of the run (full histograms, live objects).
if [[ -f "$WORK/histogram-full-1.txt" && -f "$WORK/histogram-full-$MINUTES.txt" ]] && ((MINUTES > 1)); then
    python3 - "$WORK/histogram-full-1.txt" "$WORK/histogram-full-$MINUTES.txt" "$MINUTES" \
        > "$OUT/histogram-growth.txt" << 'PY'
import re, sys
def read(path):
    rows = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(.*\S)", line)
        if m:
            rows[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return rows
a, b = read(sys.argv[1]), read(sys.argv[2])
rows = []
for name in set(a) | set(b):
    (ia, ba), (ib, bb) = a.get(name, (0, 0)), b.get(name, (0, 0))
    rows.append((bb - ba, ib - ia, ba, bb, ia, ib, name))
rows.sort(reverse=True)
print(f"live objects after a full GC, end of minute 1 vs end of minute {sys.argv[3]} (jcmd GC.class_histogram)")
print(f"{'bytes +/-':>12} {'count +/-':>10} {'bytes m1':>12} {'bytes end':>12} {'count m1':>10} {'count end':>10}  class")
for r in rows[:15] + [r for r in rows[-5:] if r[0] < 0]:
    print(f"{r[0]:>12} {r[1]:>10} {r[2]:>12} {r[3]:>12} {r[4]:>10} {r[5]:>10}  {r[6]}")
print(f"{sum(r[0] for r in rows):>12} {sum(r[1] for r in rows):>10} {sum(r[2] for r in rows):>12} "
      f"{sum(r[3] for r in rows):>12} {sum(r[4] for r in rows):>10} {sum(r[5] for r in rows):>10}  (all classes)")
PY
fi

# ---- 7. stop the engine, then the journal's own account ------------------------------------------------------
log "stopping the engine with SIGTERM"
kill -TERM "$ENGINE_PID"
ENGINE_STATUS=0
wait "$ENGINE_PID" || ENGINE_STATUS=$?
ENGINE_PID=""
((ENGINE_STATUS == 0)) || log "the engine exited $ENGINE_STATUS on SIGTERM (expected 0); see $OUT/engine.log"
"$OTAPRIO" journal stats --journal "$JOURNAL" > "$OUT/journal-stats.txt" 2>&1 || log "journal stats failed"
rm -rf "$JOURNAL"

# ---- 8. summary ----------------------------------------------------------------------------------------------
SOAK_COMMAND="$COMMAND" SOAK_CWD="$PWD" SOAK_STARTED="$STARTED_UTC" SOAK_NPROC="$(nproc)" \
SOAK_CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)" \
SOAK_JAVA="$(java -version 2>&1 | tr '\n' ' ' | sed 's/ *$//')" SOAK_JAVA_OPTS="${OTAPRIO_JAVA_OPTS:-}" \
SOAK_LOAD_BEFORE="$(sed 's/.*load average: //' "$WORK/load-before.txt")" SOAK_LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)" \
SOAK_MINUTES="$MINUTES" SOAK_CAPACITY="$CAPACITY" \
SOAK_RATE="$RATE" SOAK_RATE_FRACTION="$RATE_FRACTION" SOAK_BURST_MULTIPLIER="$BURST_MULTIPLIER" \
SOAK_ROLL_CYCLE="$ROLL_CYCLE_USED" SOAK_ROLL_CYCLE_OPTION="$ROLL_CYCLE" SOAK_RETAIN="$RETAIN_USED" \
SOAK_CONFIG="${CONFIG#"$ROOT/"}" SOAK_FORCED_GC="$FORCED_GC" SOAK_SAMPLE_INTERVAL="$SAMPLE_INTERVAL" \
SOAK_GIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
SOAK_GIT_DIRTY="$(git -C "$ROOT" status --porcelain --untracked-files=no -- . ':!perf-results' ':!loadgen/scripts' \
    2>/dev/null | wc -l)" \
SOAK_ENGINE_STATUS="$ENGINE_STATUS" \
SOAK_IDLE="${IDLE:-$(sed -n 's/^ *idle: *\([a-z:0-9-]*\).*/\1/p' "$SOAK_CONFIG" | head -1)}" \
    python3 - "$OUT/run.json" << 'PY'
import json, os, sys
facts = {k[5:].lower(): v for k, v in os.environ.items() if k.startswith("SOAK_")}
json.dump(facts, open(sys.argv[1], "w"), indent=1, sort_keys=True)
PY
python3 "$ROOT/loadgen/scripts/soak-summary.py" "$OUT" > "$OUT/summary.md"
sed -n '/^## Verdict/,/^## /p' "$OUT/summary.md" | sed '$d'
log "wrote $OUT/summary.md"
((ENGINE_STATUS == 0)) || exit 1
