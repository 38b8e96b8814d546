#!/usr/bin/env bash
# otaprio's Prometheus endpoint scraped by a real Prometheus server from Debian's packages, checked through
# Prometheus' HTTP API. Not part of CI (it installs and runs Prometheus; about 30 s plus the load duration).
#
#   loadgen/scripts/prometheus-scrape.sh [--out DIR] [--duration S] [--config FILE]
#
# --duration S: seconds of offered burst load (default 10; `otaprio loadgen` needs about 5 s more to drain).
# --config FILE: engine configuration for both the engine and loadgen (default conf/otaprio.yaml).
# --out DIR: also keep the evidence there: checks.txt (the PASS/FAIL lines), queries.txt (each PromQL query and
#   what Prometheus answered), metrics.txt and metrics-openmetrics.txt (the raw /metrics after the drain, in the
#   plain text format and in the OpenMetrics format that Prometheus asks for), targets.json, prometheus.yml,
#   prometheus.log, engine.log, loadgen.log, loadgen.json, duplicate.log.
#
# Steps: (1) install the prometheus package if `prometheus` is not on PATH (needs root; no recommends, so no node
# exporter; nothing relies on its service: the binary is started here); (2) start `otaprio engine` on a fresh
# temporary journal, a free gateway port and a free metrics port; (3) start Prometheus on a free loopback port with
# a generated configuration (one job `otaprio`, scrape_interval 1s, its TSDB in the temporary directory) and wait
# for its first successful scrape; (4) run `otaprio loadgen --scenario burst` against the engine, then resend one
# RequestID to see otaprio_duplicates_total move, and wait for a scrape after the drain; (5) query Prometheus and
# check: the target is up with no scrape error and no scrape failed or took 1 s during the load, every sample
# /metrics serves was stored, accepted > 0 and equal to completed and to what the load generator saw acknowledged
# (+ the resend), the duplicate was counted, the level-1 p99 latency is there, Prometheus saw the backlog the burst
# built, its log has no scrape warning, `promtool check metrics` finds nothing; list a few series; (6) stop
# Prometheus and the engine with SIGTERM (both must exit 0) and check that nothing started here still runs.
# Prints PASS/FAIL lines and `N passed, N failed`; exits 1 if a check failed, 2 on an error.
# Whatever happens, Prometheus and the engine (if started), any prometheus process the package's install scripts
# started, and the temporary directory are stopped or removed on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OTAPRIO="$ROOT/otaprio"
OUT=""
DURATION=10
CONFIG_ARGS=()

die()
{
    echo "prometheus-scrape: error: $*" >&2
    exit 2
}

log()
{
    echo "prometheus-scrape: $*"
}

usage()
{
    sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($# > 0)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --out) (($# >= 2)) || die "--out needs a directory"; OUT="$2"; shift 2 ;;
        --out=*) OUT="${1#--out=}"; shift ;;
        --duration) (($# >= 2)) || die "--duration needs seconds"; DURATION="$2"; shift 2 ;;
        --duration=*) DURATION="${1#--duration=}"; shift ;;
        --config) (($# >= 2)) || die "--config needs a file"; CONFIG_ARGS=(--config "$2"); shift 2 ;;
        --config=*) CONFIG_ARGS=("$1"); shift ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] || die "--duration must be a whole number of seconds, not $DURATION"
if [[ -n "$OUT" ]]; then
    mkdir -p "$OUT"
    OUT="$(cd "$OUT" && pwd)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/otaprio-prometheus.XXXXXX")"
ENGINE_PID=""
PROMETHEUS_PID=""
PACKAGE_PIDS=()
PASSED=0
FAILED=0

stop_pid()
{
    # SIGTERM, up to $2 seconds to go, then SIGKILL; returns the process' exit status.
    local pid="$1" seconds="$2" status=0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((seconds * 10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "prometheus-scrape: pid $pid did not stop within ${seconds} s of SIGTERM: SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || status=$?
    return "$status"
}

cleanup()
{
    local status=$?
    set +e
    if [[ -n "$PROMETHEUS_PID" ]] && kill -0 "$PROMETHEUS_PID" 2>/dev/null; then
        stop_pid "$PROMETHEUS_PID" 30
    fi
    if [[ -n "$ENGINE_PID" ]] && kill -0 "$ENGINE_PID" 2>/dev/null; then
        stop_pid "$ENGINE_PID" 30
    fi
    local pid
    for pid in "${PACKAGE_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"
    done
    if [[ -n "$OUT" ]]; then
        local file
        for file in checks.txt queries.txt metrics.txt metrics-openmetrics.txt targets.json prometheus.yml \
            prometheus.log engine.log loadgen.log loadgen.json duplicate.log apt.log; do
            [[ -f "$WORK/$file" ]] && cp "$WORK/$file" "$OUT/"
        done
        echo "prometheus-scrape: evidence in $OUT"
    fi
    rm -rf "$WORK"
    exit "$status"
}

trap cleanup EXIT
# A signal ends the script through exit, so that the EXIT trap stops what it started.
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 1. Prometheus, installed from Debian's packages ----------------------------------------------------------
if ! command -v prometheus > /dev/null 2>&1; then
    ((EUID == 0)) || die "prometheus is not installed and installing it needs root: apt-get install prometheus"
    log "installing prometheus from Debian's packages (apt-get; log in $WORK/apt.log)"
    BEFORE="$(pgrep -x prometheus || true)"
    apt-get update > "$WORK/apt.log" 2>&1 || die "apt-get update failed: $(tail -3 "$WORK/apt.log")"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus >> "$WORK/apt.log" 2>&1 ||
        die "apt-get install prometheus failed: $(tail -3 "$WORK/apt.log")"
    # A package script may have started its service (no systemd here, but an init script may run): ours to stop.
    for pid in $(pgrep -x prometheus || true); do
        grep -qx "$pid" <<< "$BEFORE" || PACKAGE_PIDS+=("$pid")
    done
    ((${#PACKAGE_PIDS[@]} == 0)) || log "the package started prometheus (pid ${PACKAGE_PIDS[*]}): stopped at the end"
fi
PROMETHEUS_VERSION="$(prometheus --version 2>&1 | head -1)"
log "$PROMETHEUS_VERSION"

# Build the jar if it is missing or predates the metrics endpoint.
if ! "$OTAPRIO" engine --help 2>/dev/null | grep -q -- "--metrics"; then
    log "building otaprio (its jar has no --metrics yet)"
    OTAPRIO_REBUILD=1 "$OTAPRIO" --version > /dev/null
fi

# Three distinct free loopback ports: the gateway, the engine's metrics endpoint and Prometheus' web server.
read -r PORT MPORT PPORT <<< "$(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()')"
PROM="http://127.0.0.1:$PPORT"
METRICS_URL="http://127.0.0.1:$MPORT/metrics"

# ---- 2. the engine --------------------------------------------------------------------------------------------
mkdir "$WORK/journal"
log "engine: gateway 127.0.0.1:$PORT, metrics $METRICS_URL, journal $WORK/journal"
"$OTAPRIO" engine "${CONFIG_ARGS[@]}" --journal "$WORK/journal" --listen "127.0.0.1:$PORT" \
    --metrics "127.0.0.1:$MPORT" > "$WORK/engine.log" 2>&1 &
ENGINE_PID=$!
for i in $(seq 1 300); do
    grep -q " listening on " "$WORK/engine.log" && grep -q " metrics on " "$WORK/engine.log" && break
    kill -0 "$ENGINE_PID" 2>/dev/null || die "the engine exited at start-up: $(tail -5 "$WORK/engine.log")"
    ((i < 300)) || die "the engine did not listen within 30 s: $(tail -5 "$WORK/engine.log")"
    sleep 0.1
done
grep -q " metrics on $METRICS_URL\$" "$WORK/engine.log" ||
    die "the engine serves metrics elsewhere than $METRICS_URL: $(grep ' metrics on ' "$WORK/engine.log")"
curl -fsS -o /dev/null "$METRICS_URL" || die "GET $METRICS_URL failed"

# ---- 3. Prometheus --------------------------------------------------------------------------------------------
cat > "$WORK/prometheus.yml" << EOF
# Generated by loadgen/scripts/prometheus-scrape.sh
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: otaprio
    static_configs:
      - targets: ['127.0.0.1:$MPORT']
EOF
log "prometheus on $PROM, scraping 127.0.0.1:$MPORT every second"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
    --web.listen-address="127.0.0.1:$PPORT" --log.level=debug > "$WORK/prometheus.log" 2>&1 &
PROMETHEUS_PID=$!
for i in $(seq 1 300); do
    curl -fsS -o /dev/null "$PROM/-/ready" 2>/dev/null && break
    kill -0 "$PROMETHEUS_PID" 2>/dev/null || die "prometheus exited at start-up: $(tail -5 "$WORK/prometheus.log")"
    ((i < 300)) || die "prometheus was not ready within 30 s: $(tail -5 "$WORK/prometheus.log")"
    sleep 0.1
done

# JSON answers of Prometheus' HTTP API, read by python3 (standard library only). Modes: value (the one series'
# value, "none" if there is none, "many:N" if there are more), series (one `name{labels} value` line each).
cat > "$WORK/promjson.py" << 'PY'
import json, sys

mode = sys.argv[1]
answer = json.load(sys.stdin)
if answer.get("status") != "success":
    sys.exit(f"prometheus: {answer.get('errorType')}: {answer.get('error')}")
data = answer["data"]
if data["resultType"] == "scalar":
    rows = [({}, data["result"][1])]
else:
    rows = [(r["metric"], r["value"][1]) for r in data["result"]]


def name(metric):
    labels = ",".join(f'{k}="{v}"' for k, v in sorted(metric.items()) if k != "__name__")
    return metric.get("__name__", "") + (f"{{{labels}}}" if labels else "")


if mode == "value":
    print("none" if not rows else rows[0][1] if len(rows) == 1 else f"many:{len(rows)}")
else:
    for metric, value in sorted(rows, key=lambda row: name(row[0])):
        print(f"{name(metric)} {value}")
PY

# query MODE PROMQL: ask Prometheus (an instant query, now), note question and answer in queries.txt.
query()
{
    local mode="$1" promql="$2" answer
    answer="$(curl -fsS --data-urlencode "query=$promql" "$PROM/api/v1/query" | python3 "$WORK/promjson.py" "$mode")" ||
        answer="error"
    { echo "$promql"; awk '{ print "  " $0 }' <<< "$answer"; echo; } >> "$WORK/queries.txt"
    echo "$answer"
}

# holds A OP B: numeric comparison of two values as Prometheus prints them ("12", "0.5", "NaN"...).
holds()
{
    python3 -c 'import math, sys
try:
    a, b = float(sys.argv[1]), float(sys.argv[3])
except ValueError:
    sys.exit(1)
ok = {"==": a == b, ">": a > b, ">=": a >= b, "<": a < b}[sys.argv[2]] and math.isfinite(a)
sys.exit(0 if ok else 1)' "$1" "$2" "$3"
}

check()
{
    # check DESCRIPTION A OP B
    if holds "$2" "$3" "$4"; then
        PASSED=$((PASSED + 1))
        echo "PASS  $1: $2" | tee -a "$WORK/checks.txt"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL  $1: $2, expected $3 $4" | tee -a "$WORK/checks.txt"
    fi
}

target_error()
{
    curl -fsS "$PROM/api/v1/targets" > "$WORK/targets.json" 2>/dev/null || { echo "(no /api/v1/targets)"; return; }
    python3 -c 'import json, sys
targets = json.load(open(sys.argv[1]))["data"]["activeTargets"]
print("; ".join("%s %s: lastError \"%s\"" % (t["scrapeUrl"], t["health"], t["lastError"]) for t in targets)
      or "no active target")' "$WORK/targets.json"
}

for i in $(seq 1 150); do
    [[ "$(query value 'up{job="otaprio"}')" == "1" ]] && break
    ((i < 150)) || die "Prometheus did not scrape the engine within 15 s: $(target_error)" \
        "$(grep -E 'level=(warn|error)|Scrape failed' "$WORK/prometheus.log" | tail -3)"
    sleep 0.1
done
log "prometheus scrapes the engine"

# ---- 4. load, a resend, the drain -----------------------------------------------------------------------------
LOAD_STARTED="$(date +%s)"
log "otaprio loadgen --scenario burst --duration $DURATION --quiet"
"$OTAPRIO" loadgen "${CONFIG_ARGS[@]}" --connect "127.0.0.1:$PORT" --scenario burst --duration "$DURATION" --quiet \
    --json "$WORK/loadgen.json" > "$WORK/loadgen.log" 2>&1 || die "otaprio loadgen failed: $(tail -5 "$WORK/loadgen.log")"
sed 's/^/  /' "$WORK/loadgen.log"

# One Submit sent twice on one connection (docs/protocol.md): an Ack, a Reject DUPLICATE naming the Ack's message
# id, and one Completed.
log "resending one RequestID (SRV 2.2) to see otaprio_duplicates_total move"
python3 - "$PORT" > "$WORK/duplicate.log" 2>&1 << 'PY' || die "the duplicate submit failed: $(tail -3 "$WORK/duplicate.log")"
import socket, struct, sys

originator, target, counter = 0x0011223344556677, 0x8899AABBCCDDEEFF, 0x5052
payload = b"prometheus-scrape"
body = struct.pack("<HHHHQQQIB", 29, 1, 7400, 2, originator, target, counter, 0x02020000, 1)
body += struct.pack("<H", len(payload)) + payload
submit = struct.pack(">IH", 6 + len(body), 0xEB50) + body

sock = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
sock.sendall(submit + submit)


def read(n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            sys.exit("the engine closed the connection")
        data += chunk
    return data


ack = reject = completed = None
while ack is None or reject is None or completed is None:
    length, _ = struct.unpack(">IH", read(6))
    frame = read(length - 6)
    block_length, template = struct.unpack_from("<HH", frame)
    block = frame[8:8 + block_length]
    if template == 2:
        ack = struct.unpack_from("<qB", block, 24)
        print(f"Ack: message id {ack[0]}, level {ack[1]}")
    elif template == 3:
        reason, original = block[24], struct.unpack_from("<q", block, 32)[0]
        (detail_length,) = struct.unpack_from("<H", frame, 8 + block_length)
        detail = frame[10 + block_length:10 + block_length + detail_length].decode("ascii")
        print(f"Reject: reason {reason}, original message id {original}, detail {detail!r}")
        if reason != 2:
            sys.exit("expected DUPLICATE (2)")
        reject = original
    elif template == 4:
        completed = struct.unpack_from("<qqBBB", block, 24)
        print(f"Completed: message id {completed[0]}, engine latency {completed[1]} us, level {completed[2]}, "
              f"outcome {completed[3]}, trtMet {completed[4]}")
if not ack[0] == reject == completed[0]:
    sys.exit("the Ack, the Reject's original message id and the Completed do not name the same message")
PY
sed 's/^/  /' "$WORK/duplicate.log"

# A scrape that began after the drain and the resend, plus a second to spare.
DRAINED="$(date +%s.%N)"
for i in $(seq 1 100); do
    LAST_SCRAPE="$(query value 'timestamp(up{job="otaprio"})')"
    holds "$LAST_SCRAPE" ">" "$DRAINED" && break
    ((i < 100)) || die "no scrape after the drain within 10 s: $(target_error)"
    sleep 0.1
done
sleep 1
curl -fsS "$METRICS_URL" > "$WORK/metrics.txt" || die "GET $METRICS_URL failed"
curl -fsS -H 'Accept: application/openmetrics-text;version=1.0.0' "$METRICS_URL" > "$WORK/metrics-openmetrics.txt" ||
    die "GET $METRICS_URL (OpenMetrics) failed"

# ---- 5. what Prometheus stored --------------------------------------------------------------------------------
echo
log "checks against Prometheus' HTTP API ($PROM/api/v1/query)"
TARGET="$(target_error)"
if grep -q ' up: lastError ""$' <<< "$TARGET"; then
    PASSED=$((PASSED + 1)); echo "PASS  target health: $TARGET" | tee -a "$WORK/checks.txt"
else
    FAILED=$((FAILED + 1)); echo "FAIL  target health: $TARGET" | tee -a "$WORK/checks.txt"
fi
check 'up{job="otaprio"}' "$(query value 'up{job="otaprio"}')" == 1

# Every sample the endpoint serves (OpenMetrics, as Prometheus asks for it) is a stored series.
SERVED="$(grep -c '^otaprio_' "$WORK/metrics-openmetrics.txt" || true)"
check "series stored, count({job=\"otaprio\",__name__=~\"otaprio_.*\"}) == samples served ($SERVED)" \
    "$(query value 'count({job="otaprio",__name__=~"otaprio_.*"})')" == "$SERVED"
check "scrape_samples_scraped{job=\"otaprio\"} == samples served ($SERVED)" \
    "$(query value 'scrape_samples_scraped{job="otaprio"}')" == "$SERVED"

ACCEPTED="$(query value 'sum(otaprio_accepted_total)')"
COMPLETED="$(query value 'sum(otaprio_completed_total)')"
LOADGEN_ACCEPTED="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["accepted"])' "$WORK/loadgen.json")"
check 'sum(otaprio_accepted_total) > 0' "$ACCEPTED" ">" 0
check 'sum(otaprio_completed_total) == sum(otaprio_accepted_total) after the drain' "$COMPLETED" == "$ACCEPTED"
check "sum(otaprio_accepted_total) == acknowledged to loadgen ($LOADGEN_ACCEPTED) + 1 resent" \
    "$ACCEPTED" == $((LOADGEN_ACCEPTED + 1))
check 'sum(otaprio_dispatched_total) == sum(otaprio_completed_total)' \
    "$(query value 'sum(otaprio_dispatched_total)')" == "$COMPLETED"
check 'sum(otaprio_duplicates_total) == 1 (the resend)' "$(query value 'sum(otaprio_duplicates_total)')" == 1
check 'otaprio_rejected_total{reason="DUPLICATE"} == 1' \
    "$(query value 'otaprio_rejected_total{reason="DUPLICATE"}')" == 1
check 'sum(otaprio_queue_depth) == 0 after the drain' "$(query value 'sum(otaprio_queue_depth)')" == 0
check 'otaprio_latency_seconds{level="1",quantile="0.99"} present, > 0' \
    "$(query value 'otaprio_latency_seconds{level="1",quantile="0.99"}')" ">" 0
check 'otaprio_latency_seconds_count{level="1"} > 0' "$(query value 'otaprio_latency_seconds_count{level="1"}')" ">" 0
check 'otaprio_journal_accepting == 1' "$(query value 'otaprio_journal_accepting')" == 1

# During the load: as many scrapes as seconds (give or take), and the backlog the burst built.
WINDOW="$(($(date +%s) - LOAD_STARTED + 1))s"
check "scrapes since the load started, count_over_time(up{job=\"otaprio\"}[$WINDOW]) >= $DURATION" \
    "$(query value "count_over_time(up{job=\"otaprio\"}[$WINDOW])")" ">=" "$DURATION"
check "no failed scrape since the load started, min_over_time(up{job=\"otaprio\"}[$WINDOW])" \
    "$(query value "min_over_time(up{job=\"otaprio\"}[$WINDOW])")" == 1
check "slowest scrape, max_over_time(scrape_duration_seconds{job=\"otaprio\"}[$WINDOW]) < scrape_timeout 1 s" \
    "$(query value "max_over_time(scrape_duration_seconds{job=\"otaprio\"}[$WINDOW])")" "<" 1
check "backlog seen during the load, max_over_time(sum(otaprio_queue_depth)[$WINDOW:1s]) > 0" \
    "$(query value "max_over_time(sum(otaprio_queue_depth)[$WINDOW:1s])")" ">" 0
check "peak accept rate, max_over_time(sum(rate(otaprio_accepted_total[3s]))[$WINDOW:1s]) > 0 msgs/s" \
    "$(query value "max_over_time(sum(rate(otaprio_accepted_total[3s]))[$WINDOW:1s])")" ">" 0

PROBLEMS="$(grep -E 'level=(warn|error)' "$WORK/prometheus.log" | grep -iE 'scrape|ingest|sample|target' || true)"
if [[ -z "$PROBLEMS" ]]; then
    PASSED=$((PASSED + 1)); echo "PASS  prometheus.log: no scrape or ingestion warning or error" | tee -a "$WORK/checks.txt"
else
    FAILED=$((FAILED + 1)); echo "FAIL  prometheus.log: $PROBLEMS" | tee -a "$WORK/checks.txt"
fi

# Prometheus' own linter of the text format (promtool ships in the same package).
if command -v promtool > /dev/null 2>&1; then
    if LINT="$(promtool check metrics < "$WORK/metrics.txt" 2>&1)"; then
        PASSED=$((PASSED + 1)); echo "PASS  promtool check metrics < /metrics (text format 0.0.4): no problem" |
            tee -a "$WORK/checks.txt"
    else
        FAILED=$((FAILED + 1)); echo "FAIL  promtool check metrics < /metrics: $LINT" | tee -a "$WORK/checks.txt"
    fi
fi

echo
log "a few series as Prometheus stored them"
query series '{job="otaprio",__name__=~"otaprio_(accepted|completed|trt_met|trt_missed|duplicates)_total"}
    or otaprio_rejected_total > 0 or otaprio_latency_seconds{quantile=~"0.5|0.99"} or otaprio_queue_depth
    or otaprio_gateway_frames_in_total or otaprio_gateway_frames_out_total or otaprio_dedup_entries' |
    sed 's/^/  /'
echo

# ---- 6. stop ----------------------------------------------------------------------------------------------------
log "stopping prometheus and the engine (SIGTERM)"
PROMETHEUS_STATUS=0
stop_pid "$PROMETHEUS_PID" 30 || PROMETHEUS_STATUS=$?
PROMETHEUS_PID=""
ENGINE_STATUS=0
stop_pid "$ENGINE_PID" 30 || ENGINE_STATUS=$?
ENGINE_PID=""
check "prometheus exit status after SIGTERM" "$PROMETHEUS_STATUS" == 0
check "engine exit status after SIGTERM" "$ENGINE_STATUS" == 0
grep -q " stopped cleanly" "$WORK/engine.log" || {
    FAILED=$((FAILED + 1)); echo "FAIL  engine.log has no 'stopped cleanly'" | tee -a "$WORK/checks.txt"; }
# Both were started with the temporary directory on their command line: nothing of theirs may be left.
LEFT="$(pgrep -af -- "$WORK" || true)"
if [[ -z "$LEFT" ]]; then
    PASSED=$((PASSED + 1)); echo "PASS  nothing left running (pgrep -f $WORK)" | tee -a "$WORK/checks.txt"
else
    FAILED=$((FAILED + 1)); echo "FAIL  still running: $LEFT" | tee -a "$WORK/checks.txt"
fi

echo
echo "prometheus-scrape: $PROMETHEUS_VERSION; $PASSED passed, $FAILED failed" | tee -a "$WORK/checks.txt"
echo "$PASSED passed, $FAILED failed"
((FAILED == 0)) || exit 1
