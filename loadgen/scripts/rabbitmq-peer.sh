#!/usr/bin/env bash
# otaprio beside a real peer: the same load and overload through RabbitMQ's classic priority queue and through
# otaprio, side by side. Not part of CI (it installs and runs a broker, and takes about 2 x the load duration).
#
#   loadgen/scripts/rabbitmq-peer.sh [--out DIR] [LOAD OPTIONS]
#
# LOAD OPTIONS go unchanged to both `otaprio peer-rabbitmq` and `otaprio loadgen` (see their --help):
#   --scenario steady|burst|alert-storm (default burst), --rate N, --burst-multiplier K, --storm-multiplier K,
#   --duration S (default 30 for burst), --seed N, --drain-timeout S, --mix FILE;
#   --config FILE and --policy FILE|fifo go to the engine as well, so that all three use the same.
# --transient (peer only): a non-durable queue and transient messages instead of durable and persistent, the
#   default, which is the analogue of the engine's journal.
# --out DIR: where results go (default perf-results/<date>-rabbitmq-peer/ in the repository): rabbitmq.json,
# otaprio.json, their logs, engine.log and summary.md (command, machine, the side-by-side table).
#
# Steps: (1) install rabbitmq-server from Debian's packages if missing (needs root); (2) start the broker unless
# one is running (no systemd: `rabbitmq-server -detached`, then `rabbitmqctl await_startup`); (3) run
# `otaprio peer-rabbitmq`; (4) stop the broker if this script started it, so that it takes no CPU from the next
# run; (5) run `otaprio engine` on a fresh temporary journal and a free loopback port, and `otaprio loadgen`
# against it, then stop the engine with SIGTERM; (6) print and write the side-by-side table.
# Whatever happens, the broker (if started here), epmd (if started with it), the engine and the temporary journal
# are stopped or removed on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OTAPRIO="$ROOT/otaprio"
COMMAND="$(printf '%q ' "$0" "$@")"
STARTED_UTC="$(date -u '+%Y-%m-%d %H:%M UTC')"
OUT=""
LOAD_ARGS=()
ENGINE_ARGS=()
PEER_ARGS=()

die()
{
    echo "rabbitmq-peer: error: $*" >&2
    exit 2
}

log()
{
    echo "rabbitmq-peer: $*"
}

usage()
{
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --out) (($# >= 2)) || die "--out needs a directory"; OUT="$2"; shift 2 ;;
        --out=*) OUT="${1#--out=}"; shift ;;
        --config|--policy)
            (($# >= 2)) || die "$1 needs a value"
            LOAD_ARGS+=("$1" "$2"); ENGINE_ARGS+=("$1" "$2"); shift 2 ;;
        --config=*|--policy=*) LOAD_ARGS+=("$1"); ENGINE_ARGS+=("$1"); shift ;;
        --json|--json=*|--uri|--uri=*|--connect|--connect=*|--queue|--queue=*)
            die "$1 is set by this script (results go to --out DIR)" ;;
        --scenario|--rate|--burst-multiplier|--storm-multiplier|--duration|--seed|--drain-timeout|--mix)
            (($# >= 2)) || die "$1 needs a value"
            LOAD_ARGS+=("$1" "$2"); shift 2 ;;
        --scenario=*|--rate=*|--burst-multiplier=*|--storm-multiplier=*|--duration=*|--seed=*|--drain-timeout=*|--mix=*)
            LOAD_ARGS+=("$1"); shift ;;
        --quiet) LOAD_ARGS+=("$1"); shift ;;
        --transient) PEER_ARGS+=("$1"); shift ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

OUT="${OUT:-$ROOT/perf-results/$(date +%F)-rabbitmq-peer}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

BROKER_STARTED=0
EPMD_WAS_RUNNING=0
ENGINE_PID=""
JOURNAL=""

cleanup()
{
    local status=$?
    set +e
    if [[ -n "$ENGINE_PID" ]] && kill -0 "$ENGINE_PID" 2>/dev/null; then
        kill -TERM "$ENGINE_PID"
        for _ in $(seq 1 100); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$ENGINE_PID" 2>/dev/null && kill -KILL "$ENGINE_PID"
        wait "$ENGINE_PID" 2>/dev/null
    fi
    [[ -n "$JOURNAL" ]] && rm -rf "$JOURNAL"
    stop_broker
    exit "$status"
}

broker_up()
{
    timeout 30 rabbitmqctl -q status > /dev/null 2>&1
}

stop_broker()
{
    if ((BROKER_STARTED == 1)); then
        log "stopping the broker this script started"
        local log
        for log in /var/log/rabbitmq/rabbit@*.log; do
            if [[ -f "$log" && "$log" != *_upgrade.log ]]; then
                cp "$log" "$OUT/rabbitmq-node.log"
            fi
        done
        timeout 60 rabbitmqctl -q stop > /dev/null 2>&1 || echo "rabbitmq-peer: rabbitmqctl stop failed" >&2
        BROKER_STARTED=0
        # The Erlang port mapper outlives the node it was started for, and refuses -kill while a node is still
        # registered with it: wait for the stopping node to leave first.
        if ((EPMD_WAS_RUNNING == 0)) && command -v epmd > /dev/null 2>&1; then
            for _ in $(seq 1 100); do
                epmd -names 2> /dev/null | grep -q '^name ' || break
                sleep 0.1
            done
            epmd -kill > /dev/null 2>&1 || echo "rabbitmq-peer: epmd -kill failed" >&2
        fi
    fi
}

trap cleanup EXIT
# A signal ends the script through exit, so that the EXIT trap stops what it started.
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 1. the broker, installed from Debian's packages ---------------------------------------------------------
pgrep -x epmd > /dev/null 2>&1 && EPMD_WAS_RUNNING=1
if ! command -v rabbitmq-server > /dev/null 2>&1; then
    ((EUID == 0)) || die "rabbitmq-server is not installed and installing it needs root: apt-get install rabbitmq-server"
    log "installing rabbitmq-server from Debian's packages (apt-get; log in $OUT/apt.log)"
    apt-get update > "$OUT/apt.log" 2>&1 || die "apt-get update failed; see $OUT/apt.log"
    DEBIAN_FRONTEND=noninteractive apt-get install -y rabbitmq-server >> "$OUT/apt.log" 2>&1 ||
        die "apt-get install rabbitmq-server failed; see $OUT/apt.log"
    # A package script may have started it (no systemd here, but an init script may run): ours to stop, then.
    broker_up && BROKER_STARTED=1
fi

# ---- 2. started here unless one is running --------------------------------------------------------------------
if ((BROKER_STARTED == 0)) && broker_up; then
    log "using the RabbitMQ node already running (left running at the end)"
elif ((BROKER_STARTED == 0)); then
    log "starting rabbitmq-server -detached"
    BROKER_STARTED=1
    rabbitmq-server -detached > "$OUT/rabbitmq-server.log" 2>&1 || die "rabbitmq-server -detached failed; see $OUT/rabbitmq-server.log"
fi
for i in $(seq 1 60); do
    if timeout 30 rabbitmqctl -q await_startup --timeout 10 > /dev/null 2>&1; then
        break
    fi
    ((i < 60)) || die "RabbitMQ did not come up within about 2 minutes (logs: /var/log/rabbitmq/)"
    sleep 1
done
RABBITMQ_VERSION="$(timeout 30 rabbitmqctl -q version 2>/dev/null || dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null || echo unknown)"
ERLANG_VERSION="$(timeout 30 rabbitmqctl -q eval 'erlang:system_info(otp_release).' 2>/dev/null | tr -d '"' || echo unknown)"
log "RabbitMQ $RABBITMQ_VERSION (Erlang/OTP $ERLANG_VERSION) is up"

# Build the jar if it is missing or predates peer-rabbitmq.
if ! "$OTAPRIO" peer-rabbitmq --help > /dev/null 2>&1; then
    log "building otaprio (its jar has no peer-rabbitmq yet)"
    OTAPRIO_REBUILD=1 "$OTAPRIO" --version > /dev/null
fi

# ---- 3. the peer ----------------------------------------------------------------------------------------------
uptime > "$OUT/load-before-rabbitmq.txt"
log "(a) RabbitMQ: otaprio peer-rabbitmq ${PEER_ARGS[*]:+${PEER_ARGS[*]} }${LOAD_ARGS[*]}"
"$OTAPRIO" peer-rabbitmq --json "$OUT/rabbitmq.json" "${PEER_ARGS[@]}" "${LOAD_ARGS[@]}" 2>&1 |
    tee "$OUT/rabbitmq.log"

# ---- 4. the broker gives its CPU back -------------------------------------------------------------------------
stop_broker

# ---- 5. otaprio under the same overload -----------------------------------------------------------------------
JOURNAL="$(mktemp -d "${TMPDIR:-/tmp}/otaprio-peer-journal.XXXXXX")"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
uptime > "$OUT/load-before-otaprio.txt"
log "(b) otaprio: engine on 127.0.0.1:$PORT, journal $JOURNAL; otaprio loadgen ${LOAD_ARGS[*]}"
"$OTAPRIO" engine --journal "$JOURNAL" --listen "127.0.0.1:$PORT" "${ENGINE_ARGS[@]}" > "$OUT/engine.log" 2>&1 &
ENGINE_PID=$!
for i in $(seq 1 300); do
    grep -q "listening on" "$OUT/engine.log" 2>/dev/null && break
    kill -0 "$ENGINE_PID" 2>/dev/null || die "the engine exited at start-up; see $OUT/engine.log"
    ((i < 300)) || die "the engine did not listen within 30 s; see $OUT/engine.log"
    sleep 0.1
done
"$OTAPRIO" loadgen --connect "127.0.0.1:$PORT" --json "$OUT/otaprio.json" "${LOAD_ARGS[@]}" 2>&1 |
    tee "$OUT/otaprio.log"
kill -TERM "$ENGINE_PID"
wait "$ENGINE_PID" || die "the engine did not stop cleanly on SIGTERM; see $OUT/engine.log"
ENGINE_PID=""
rm -rf "$JOURNAL"
JOURNAL=""

# ---- 6. side by side ------------------------------------------------------------------------------------------
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
JAVA_VERSION="$(java -version 2>&1 | head -1)"
COMPARISON="$(python3 - "$OUT" << 'PY'
import json, re, sys
from decimal import Decimal, ROUND_HALF_UP

out = sys.argv[1]
otaprio = json.load(open(f"{out}/otaprio.json"))
rabbit = json.load(open(f"{out}/rabbitmq.json"))


def micros(us):
    # The same units as otaprio's level table (LevelTable.micros).
    if us < 1_000:
        return f"{us}us"
    if us < 1_000_000:
        return f"{us / 1e3:.1f}ms"
    return f"{us / 1e6:.1f}s"


def pct(value):
    # Half up, as Java's %.2f rounds the tables the two runs printed (the JSON holds three decimals).
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def peak(log):
    # Highest one-second completion rate in the progress lines: the service rate while a backlog exists.
    rates = [float(m) for m in re.findall(r"completed\s+([0-9.]+)/s", open(log).read())]
    return max(rates) if rates else float("nan")


def throughput(r):
    seconds = r["durationSeconds"] + r["drainSeconds"]
    return r["completed"] / seconds if seconds > 0 else float("nan")


def kept(r):
    level = r["levels"][0]
    if level["completed"] == 0:
        return "n/a (no level-1 message completed)"
    budget = micros(int(level["trtMs"] * 1000))
    if level["withinTrtPct"] >= 100.0:
        return f"yes (100% within {budget}, max {micros(level['maxUs'])})"
    return (f"no ({pct(level['withinTrtPct'])} within {budget}, p99 {micros(level['p99Us'])}, "
            f"max {micros(level['maxUs'])})")


name = rabbit.get("broker", "RabbitMQ")
sides = [("otaprio", otaprio, f"{out}/otaprio.log"), (name, rabbit, f"{out}/rabbitmq.log")]
lines = []
lines.append(f"scenario {otaprio['scenario']}: {otaprio['profile']} (seed {otaprio['seed']}); "
             f"simulated DSP capacity {otaprio['capacityPerSecond']:.0f} msgs/s on both sides")
lines.append(f"{name}: {rabbit['queue']}; consumer prefetch {rabbit['prefetch']}, at most {rabbit['maxInService']} "
             f"in service; publishing lagged the schedule by p99 {micros(rabbit['publishLag']['p99Us'])}, "
             f"max {micros(rabbit['publishLag']['maxUs'])}")
lines.append("")
lines.append(f"| | otaprio | {name} |")
lines.append("|---|---:|---:|")
lines.append(f"| offered | {otaprio['offered']} | {rabbit['offered']} |")
lines.append(f"| accepted / published | {otaprio['accepted']} | {rabbit['published']} |")
lines.append(f"| completed | {otaprio['completed']} | {rabbit['completed']} |")
lines.append(f"| pending at the end | {otaprio['pending']} | {rabbit['pending']} |")
lines.append(f"| load + drain (s) | {otaprio['durationSeconds']:.1f} + {otaprio['drainSeconds']:.1f} | "
             f"{rabbit['durationSeconds']:.1f} + {rabbit['drainSeconds']:.1f} |")
lines.append(f"| throughput, completed / (load + drain) (msgs/s) | {throughput(otaprio):.0f} | {throughput(rabbit):.0f} |")
lines.append(f"| peak completed in one second (msgs/s) | {peak(sides[0][2]):.0f} | {peak(sides[1][2]):.0f} |")
lines.append("")
lines.append(f"| level | TRT | otaprio p50 | otaprio p99 | otaprio within TRT | {name} p50 | {name} p99 | "
             f"{name} within TRT |")
lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
for o, r in zip(otaprio["levels"], rabbit["levels"]):
    lines.append(f"| {o['level']} | {micros(int(o['trtMs'] * 1000))} | {micros(o['p50Us'])} | {micros(o['p99Us'])} | "
                 f"{pct(o['withinTrtPct'])} | {micros(r['p50Us'])} | {micros(r['p99Us'])} | {pct(r['withinTrtPct'])} |")
lines.append("")
lines.append(f"level 1 kept its TRT: otaprio {kept(otaprio)}; {name} {kept(rabbit)}")
print("\n".join(lines))
PY
)"

echo
echo "$COMPARISON"

{
    echo "# RabbitMQ peer vs otaprio under the same overload"
    echo
    echo "Run $STARTED_UTC by \`loadgen/scripts/rabbitmq-peer.sh\`, in \`$PWD\`:"
    echo
    echo '```'
    echo "$COMMAND"
    echo '```'
    echo
    echo "## Machine"
    echo
    echo "- cores (nproc): $(nproc)"
    echo "- CPU: $CPU_MODEL"
    echo "- Java: $JAVA_VERSION"
    echo "- RabbitMQ: $RABBITMQ_VERSION (Erlang/OTP $ERLANG_VERSION), Debian package, default configuration"
    echo "- load average before each run: RabbitMQ $(sed 's/.*load average: //' "$OUT/load-before-rabbitmq.txt"); otaprio $(sed 's/.*load average: //' "$OUT/load-before-otaprio.txt")"
    echo
    echo "## Result"
    echo
    echo "$COMPARISON"
    echo
    echo "## How it was measured"
    echo
    echo "- Both sides: the same \`LoadProfile\`, traffic mix and \`Arrivals\` (same seed), open loop; latency is end to"
    echo "  end from each message's intended send time (coordinated omission corrected), judged against its level's TRT."
    echo "- otaprio: \`otaprio engine\` (journal on a fresh temporary directory, simulated DSP of conf/otaprio.yaml) and"
    echo "  \`otaprio loadgen\` over TCP; latency ends at the receipt of the Completed frame. See otaprio.log, engine.log."
    echo "- RabbitMQ: \`otaprio peer-rabbitmq\`: one publisher connection, a classic queue with x-max-priority 4,"
    echo "  AMQP priority = 5 - level, one consumer with prefetch K = dsp.slots that serves each delivery for a service"
    echo "  time drawn from the same service times and dsp.seed, then acknowledges it; latency ends at the ack. See"
    echo "  rabbitmq.log (its last line: publish lag behind the schedule and the most messages in service at once)."
    echo "- Throughput is completed / (load duration + drain time); the peak is the highest one-second completion rate"
    echo "  in the progress lines, i.e. the service rate while a backlog exists (bounded by the DSP's capacity)."
    echo "- The runs are one after the other on the same machine; the broker is stopped before the engine runs."
} > "$OUT/summary.md"
log "wrote $OUT/summary.md"
