#!/usr/bin/env python3
"""Summarise a soak run of loadgen/scripts/soak.sh into markdown on stdout.

    python3 loadgen/scripts/soak-summary.py OUT > OUT/summary.md

Reads only OUT: run.json (command, machine, settings), minutes/minute-NN.json and minutes/minutes.csv (the load
generator's per-minute results and the minutes' wall-clock times), samples.csv (heap, RSS, journal, /metrics every
few seconds), fullgc.csv (the live heap after a forced full GC at each minute boundary), gc.log (pauses and
safepoints), histogram-growth.txt, journal-stats.txt and engine.log. Standard library only.
"""
import csv
import glob
import json
import os
import re
import sys
from datetime import datetime

OUT = sys.argv[1]
FORCED_CAUSES = ("Heap Inspection Initiated GC", "System.gc()", "Diagnostic Command", "Heap Dump Initiated GC")


def path(*parts):
    return os.path.join(OUT, *parts)


def micros(us):
    if us < 1_000:
        return f"{us:.0f}us"
    if us < 1_000_000:
        return f"{us / 1e3:.1f}ms"
    return f"{us / 1e6:.1f}s"


def mb(kb):
    return f"{kb / 1024:.1f} MB"


def num(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


run = json.load(open(path("run.json")))
minutes_n = int(run["minutes"])
capacity = float(run["capacity"])

# ---- per-minute load generator results --------------------------------------------------------------------------
minute_results = {}
for f in sorted(glob.glob(path("minutes", "minute-*.json"))):
    m = int(re.search(r"minute-(\d+)\.json$", f).group(1))
    minute_results[m] = json.load(open(f))
minute_times = {}
if os.path.exists(path("minutes", "minutes.csv")):
    for row in csv.DictReader(open(path("minutes", "minutes.csv"))):
        minute_times[int(row["minute"])] = row

# Time without load between one minute's loadgen run ending and the next one starting (forced GC, JVM start).
_ordered = [minute_times[m] for m in sorted(minute_times)]
gaps = [float(b["start_epoch_s"]) - float(a["end_epoch_s"]) for a, b in zip(_ordered, _ordered[1:])]

# ---- samples ------------------------------------------------------------------------------------------------------
samples = list(csv.DictReader(open(path("samples.csv"))))
for s in samples:
    for k, v in list(s.items()):
        if k not in ("time_utc", "minute"):
            s[k] = num(v)


def by_minute(column, how=max, minute_filter=None):
    out = {}
    for s in samples:
        if s.get(column) is None or not s["minute"].isdigit():
            continue
        m = int(s["minute"])
        out.setdefault(m, []).append(s[column])
    return {m: how(v) for m, v in out.items()}


def at_minute_end(column):
    # The last sample taken while that minute ran (the next minute's first sample follows its forced GC).
    out = {}
    for s in samples:
        if s.get(column) is not None and s["minute"].isdigit():
            out[int(s["minute"])] = s[column]
    return out


def first_sample(column, minute):
    for s in samples:
        if s["minute"] == str(minute) and s.get(column) is not None:
            return s[column]
    return None


last = samples[-1] if samples else {}

# ---- live heap after forced full GCs ------------------------------------------------------------------------------
fullgc = [{k: num(v) for k, v in row.items()} for row in csv.DictReader(open(path("fullgc.csv")))]
live = {int(r["minute"]): r for r in fullgc if r["old_used_kb"] is not None}

# ---- gc.log -------------------------------------------------------------------------------------------------------
pause_re = re.compile(r"^\[([^\]]+)\]\[([\d.]+)s\]\[info\]\[gc\s*\] GC\((\d+)\) Pause (Young|Full) \((.*)\) "
                      r"(\d+)M->(\d+)M\((\d+)M\) ([\d.]+)ms")
old_re = re.compile(r"\[gc,heap\s*\] GC\((\d+)\) ParOldGen: (\d+)K\((\d+)K\)->(\d+)K\((\d+)K\)")
safepoint_re = re.compile(r"^\[([^\]]+)\]\[([\d.]+)s\].*Safepoint \"([^\"]+)\".*Total: (\d+) ns")
pauses = []
old_after = {}
safepoints = []
gc_logs = sorted(glob.glob(path("gc.log*")), key=lambda p: (p != path("gc.log"), p))
for f in gc_logs:
    for line in open(f, errors="replace"):
        m = pause_re.search(line)
        if m:
            pauses.append({"time": m.group(1), "uptime": float(m.group(2)), "id": int(m.group(3)),
                           "kind": m.group(4), "cause": m.group(5), "before_mb": int(m.group(6)),
                           "after_mb": int(m.group(7)), "heap_mb": int(m.group(8)), "ms": float(m.group(9))})
            continue
        m = old_re.search(line)
        if m:
            old_after[int(m.group(1))] = int(m.group(4))
            continue
        m = safepoint_re.search(line)
        if m:
            safepoints.append({"time": m.group(1), "op": m.group(3), "ms": int(m.group(4)) / 1e6})


def epoch(stamp):
    # gc.log's time decorator: 2026-11-29T12:21:56.994+0000
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def minute_of(stamp):
    t = epoch(stamp)
    for m, row in minute_times.items():
        if float(row["start_epoch_s"]) <= t < float(row["end_epoch_s"]):
            return m
    return None


for p in pauses:
    p["forced"] = p["cause"] in FORCED_CAUSES
    p["minute"] = minute_of(p["time"]) if minute_times else None
    p["old_after_kb"] = old_after.get(p["id"])
natural = [p for p in pauses if not p["forced"]]
forced = [p for p in pauses if p["forced"]]
young = [p for p in natural if p["kind"] == "Young"]
natural_full = [p for p in natural if p["kind"] == "Full"]


def stats(ps):
    if not ps:
        return "none"
    ms = [p["ms"] for p in ps]
    return f"{len(ms)} pauses, max {max(ms):.1f} ms, total {sum(ms):.1f} ms, mean {sum(ms) / len(ms):.1f} ms"


# ---- the checks behind the verdict --------------------------------------------------------------------------------
later = [m for m in range(1, minutes_n + 1) if m > minutes_n / 2]
earlier = [m for m in range(2, minutes_n + 1) if m <= minutes_n / 2] or [1]
judgeable = minutes_n >= 4
checks = []


def check(name, series, rel, absolute, fmt, note="", trend=False, first_minute=2):
    """Bounded when the later half's maximum is at most the earlier half's maximum (minute 1 is warm-up) plus a
    tolerance: rel (fraction) of it plus absolute. trend=True (for noisy series such as latency): grew only when
    every minute of the later half is above that limit, i.e. a trend and not one bad minute."""
    values = {m: v for m, v in series.items() if v is not None and m >= 1}
    e = [values[m] for m in earlier if m in values and m >= first_minute]
    lt = [values[m] for m in later if m in values]
    if not judgeable or not e or not lt:
        checks.append((name, "-", "-", "-", "not judged (run too short"
                       + (f" for a plateau from minute {first_minute}" if first_minute > 2 else "") + ")", note))
        return None
    emax, lmax = max(e), max(lt)
    limit = emax * (1 + rel) + absolute
    ok = (min(lt) if trend else lmax) <= limit
    first = values.get(1)
    checks.append((name, "-" if first is None else fmt(first), fmt(emax), fmt(lmax),
                   ("bounded" if ok else "**grew**") + f" (limit {fmt(limit)}" +
                   (", for every later minute)" if trend else ")"), note))
    return ok


results = []
live_series = {m: r["old_used_kb"] for m, r in live.items() if m >= 1}
results.append(check("live heap (old gen after a forced full GC, at minute ends)", live_series, 0.02, 4096, mb,
                     "2% + 4 MB"))
results.append(check("heap used, max within the minute (jstat)", by_minute("heap_used_kb"), 0.10, 65536, mb,
                     "young gen fills and empties; 10% + 64 MB"))
results.append(check("RSS, max within the minute", by_minute("rss_kb"), 0.05, 32768, mb,
                     "includes journal pages mapped (RssFile); 5% + 32 MB"))
results.append(check("RSS anon (heap + native), max within the minute", by_minute("rss_anon_kb"), 0.05, 32768, mb,
                     "5% + 32 MB"))
results.append(check("threads", by_minute("threads"), 0, 2, lambda v: f"{v:.0f}", "+2"))
results.append(check("open file descriptors", by_minute("open_fds"), 0, 8, lambda v: f"{v:.0f}", "+8"))
results.append(check("deleted journal files still held open (space du cannot see)", by_minute("deleted_open_kb"), 0,
                     16384, mb, "+16 MB"))
roll_exercised = run["roll_cycle"] in ("MINUTELY", "TEST_SECONDLY", "TEST4_SECONDLY", "FIVE_MINUTELY") and \
    minutes_n >= 4
# With one-minute cycles the journal fills for retainCompletedCycles + 2 minutes before retention can delete one.
plateau = int(run["retain"]) + 2 if run["roll_cycle"] == "MINUTELY" else 2
journal_ok = check("journal on disk (du -sk), max within the minute", by_minute("journal_disk_kb"), 0.25, 16384, mb,
                   f"25% + 16 MB; earlier half from minute {plateau}: the journal fills until retention can delete",
                   first_minute=plateau)
if roll_exercised:
    results.append(journal_ok)
else:
    checks[-1] = checks[-1][:4] + ("not judged: retention cannot delete a cycle within the run with roll cycle "
                                   f"{run['roll_cycle']}",) + checks[-1][5:]
results.append(check("journal cycle files (both queues), max within the minute", by_minute("journal_cycle_files"),
                     0, 2, lambda v: f"{v:.0f}", f"+2; earlier half from minute {plateau}", first_minute=plateau)
               if roll_exercised else None)
if not roll_exercised:
    checks.pop()
minute_traffic = capacity * 60
depth_total = {}
for s in samples:
    if s["minute"].isdigit() and s["depth_lane0"] is not None:
        depth_total.setdefault(int(s["minute"]), []).append(
            s["depth_lane0"] + s["depth_lane1"] + s["depth_lane2"] + s["depth_lane3"])
depth_max = {m: max(v) for m, v in depth_total.items()}
results.append(check("queued in the rings, max within the minute", depth_max, 0.25, 0.01 * minute_traffic,
                     lambda v: f"{v:,.0f}", "25% + 1% of a minute at capacity", trend=True))
results.append(check("dedup index entries, max within the minute", by_minute("dedup_entries"), 0.05, 1000,
                     lambda v: f"{v:,.0f}", "5% + 1000; bounded by dedup.window and dedup.maxEntries"))
results.append(check("drain after the minute's load (loadgen waits for every answer)",
                     {m: r["drainSeconds"] for m, r in minute_results.items()}, 0.5, 5, lambda v: f"{v:.1f}s",
                     "50% + 5 s: the backlog a minute leaves behind", trend=True))
for level in range(1, 5):
    series = {m: r["levels"][level - 1]["p99Us"] for m, r in minute_results.items()}
    results.append(check(f"level {level} p99 latency (loadgen)", series, 0.5, 0, micros,
                         "50%: latency is noisy on 2 shared cores; a growing backlog shows here first", trend=True))
rejected_by_reason = {}
for r in minute_results.values():
    for reason, count in r["rejected"].items():
        rejected_by_reason[reason] = rejected_by_reason.get(reason, 0) + count
# FULL (a ring overflowed: the backlog outgrew its lane) and UNAVAILABLE (the journal could not be written) are
# what growth ends in; the other reasons (DUPLICATE, THROTTLED, MALFORMED, ...) are answers by design.
growth_rejections = rejected_by_reason.get("FULL", 0) + rejected_by_reason.get("UNAVAILABLE", 0)
untracked = last.get("dedup_untracked") or 0
journal_failures = last.get("journal_failures") or 0
judged = [r for r in results if r is not None]
verdict_ok = judgeable and all(judged) and growth_rejections == 0 and journal_failures == 0 and \
    int(run["engine_status"]) == 0

# ---- write --------------------------------------------------------------------------------------------------------
w = print
w(f"# Soak: {minutes_n} minutes at {float(run['rate_fraction']) * 100:.0f}% of capacity with a burst every minute")
w()
w(f"Run {run['started']} by `loadgen/scripts/soak.sh`, in `{run['cwd']}`:")
w()
w("```")
w(run["command"])
w("```")
w()
w("## Machine")
w()
w(f"- cores (nproc): {run['nproc']}")
w(f"- CPU: {run['cpu']}")
w(f"- Java: {run['java']}")
if run.get("git"):
    w(f"- source: commit {run['git']}" + (f" with {run['git_dirty']} modified file(s) outside perf-results/ and "
      "loadgen/scripts/" if run.get("git_dirty", "0") != "0" else "") + " (`loadgen/target/otaprio.jar` is built "
      "from the tree the first time `./otaprio` runs, or again with OTAPRIO_REBUILD=1)")
w(f"- engine JVM: `./otaprio`'s `-XX:+UseParallelGC -Xms1g -Xmx4g`, plus "
  f"`{(run.get('java_opts') or '').strip() + ' ' if (run.get('java_opts') or '').strip() else ''}"
  f"-Xlog:gc*,safepoint:file=gc.log:time,uptime,level,tags`")
loads = [float(r["loadavg_1m_at_start"]) for r in minute_times.values()] + \
    [float(r["loadavg_1m_at_end"]) for r in minute_times.values()]
w(f"- load average (1, 5, 15 min) before the engine started: {run['load_before']}; after the run: "
  f"{run.get('load_after', '?')}; 1-minute load at the minute boundaries: "
  f"{min(loads):.2f} to {max(loads):.2f}" if loads else "")
busy = [s for s in samples if s.get("host_busy_cpu_s") is not None and s.get("engine_cpu_s") is not None]
if len(busy) >= 2:
    wall = busy[-1]["elapsed_s"] - busy[0]["elapsed_s"]
    host = (busy[-1]["host_busy_cpu_s"] - busy[0]["host_busy_cpu_s"]) / wall
    engine = (busy[-1]["engine_cpu_s"] - busy[0]["engine_cpu_s"]) / wall
    w(f"- CPU over the run: the machine was busy {host:.2f} of its {run['nproc']} cores on average, the engine "
      f"{engine:.2f} (its scheduler busy-spins when idle unless scheduler.idle says otherwise); the rest is the "
      f"load generator, the samplers and anything else running (the machine is shared with another developer)")
w()
w("## Load and configuration")
w()
w(f"- simulated DSP capacity for the traffic mix: {capacity:.0f} msgs/s (printed by `otaprio loadgen`); steady rate "
  f"{float(run['rate']):.0f} msgs/s ({float(run['rate_fraction']) * 100:.0f}%), bursts at "
  f"{float(run['burst_multiplier']):g}x capacity ({float(run['burst_multiplier']) * capacity:.0f} msgs/s)")
w(f"- each minute is one `otaprio loadgen --scenario burst --duration 60 --rate {run['rate']} --burst-multiplier "
  f"{run['burst_multiplier']} --seed MINUTE` run: 10 s steady, 10 s burst, 40 s steady (`LoadProfile.burst`), back to "
  f"back, so a burst comes every minute with 50 s of steady load between; a minute offers "
  f"{50 * float(run['rate_fraction']) + 10 * float(run['burst_multiplier']):.0f} capacity-seconds of work in 60 s; "
  + (f"between minutes {min(gaps):.1f} to {max(gaps):.1f} s without load (the forced GC, the next loadgen JVM "
     f"starting); each minute's run lasted its 60 s of load plus the drain of its backlog (table below)" if gaps
     else ""))
w(f"- configuration: `{run['config']}` with `journal.rollCycle: {run['roll_cycle']}` "
  + ("(as configured)" if run["roll_cycle_option"] == "config" else "(the only change, in a temporary copy)")
  + f", `retainCompletedCycles: {run['retain']}`, scheduler idle strategy `{run.get('idle') or '?'}`; fresh "
    "temporary journal; gateway and metrics on ports the kernel chose")
if run["roll_cycle"] == "MINUTELY":
    w("- why MINUTELY: retention deletes only fully completed cycles older than the newest "
      f"`retainCompletedCycles` ({run['retain']}) completed ones, never the current one; with the shipped FAST_HOURLY "
      "a 10-minute run never completes a cycle, so the journal only grows with traffic and the soak would say "
      "nothing about retention. One-minute cycles let retention run about every minute, and the journal should "
      f"plateau at roughly {int(run['retain']) + 2} cycles per queue (current, one not yet fully completed, "
      f"{run['retain']} retained)")
w(f"- the live heap is measured by a full GC (`jcmd GC.class_histogram`) before the load and after every minute, "
  "while no load runs" if run["forced_gc"] == "1" else "- no forced full GCs (--no-forced-gc)")
w()
w("## Verdict")
w()
if not judgeable:
    w(f"**nothing grew without bound: not judged** ({minutes_n} minute(s) is too short: the checks compare the "
      "later half of the run with the earlier half, minute 1 being warm-up; use --minutes 4 or more)")
else:
    w(f"**nothing grew without bound: {'yes' if verdict_ok else 'no'}**")
    unjudged = [c[0] for c in checks if c[4].startswith("not judged")]
    if unjudged:
        w()
        w("Not judged in this run (see the table): " + "; ".join(unjudged) + ".")
w()
if judgeable:
    w("Each quantity's maximum over the later half of the run (minutes "
      f"{min(later)}-{max(later)}) against its maximum over the earlier half (minutes {min(earlier)}-{max(earlier)}; "
      "minute 1 is warm-up) plus a tolerance:")
    w()
    w("| quantity | minute 1 | earlier half, max | later half, max | result | tolerance |")
    w("|---|---:|---:|---:|---|---|")
    for name, first, emax, lmax, result, note in checks:
        w(f"| {name} | {first} | {emax} | {lmax} | {result} | {note} |")
    w()
w(f"Also: rejected FULL or UNAVAILABLE over the run {growth_rejections} (must be 0; all rejections by reason: "
  + (", ".join(f"{k} {v}" for k, v in sorted(rejected_by_reason.items()) if v) or "none")
  + "); messages admitted without resend "
  f"detection because the dedup index was full {untracked:.0f}; journal write failures {journal_failures:.0f}; "
  f"engine exit status on SIGTERM {run['engine_status']} (expected 0).")
w()

w("## Latency per minute")
w()
w("End to end from each message's intended send time to its Completed frame (open loop, coordinated omission "
  "corrected), from each minute's `minutes/minute-NN.json`. TRT budgets: "
  + ", ".join(f"level {lv['level']} {micros(lv['trtMs'] * 1000)}"
              for lv in next(iter(minute_results.values()))["levels"]) + "." if minute_results else "")
w()
w("| minute | offered | rejected | drain | " + " | ".join(
    f"L{lv} p50 | L{lv} p99 | L{lv} in TRT" for lv in range(1, 5)) + " |")
w("|---:|---:|---:|---:|" + "---:|" * 12)
for m in sorted(minute_results):
    r = minute_results[m]
    cells = []
    for lv in r["levels"]:
        cells += [micros(lv["p50Us"]), micros(lv["p99Us"]), f"{lv['withinTrtPct']:.2f}%"]
    w(f"| {m} | {r['offered']:,} | {sum(r['rejected'].values())} | {r['drainSeconds']:.1f}s | " + " | ".join(cells) +
      " |")
w()

w("## Heap and GC")
w()
if live:
    w("Live heap: old generation and all classes' bytes right after a forced full GC (`fullgc.csv`):")
    w()
    w("| after minute | old gen used | live objects (histogram total) | heap committed |")
    w("|---:|---:|---:|---:|")
    for m in sorted(live):
        r = live[m]
        w(f"| {m if m > 0 else '0 (before load)'} | {mb(r['old_used_kb'])} | "
          f"{(r['classes_bytes'] or 0) / 1048576:.1f} MB | {mb(r['heap_committed_kb'])} |")
    w()
    ms = sorted(m for m in live if m >= 1)
    if len(ms) >= 2:
        a, b = live[ms[0]]["old_used_kb"], live[ms[-1]]["old_used_kb"]
        w(f"Old generation after full GC, end of minute {ms[0]} to end of minute {ms[-1]}: {mb(a)} to {mb(b)} "
          f"({(b - a) / 1024:+.1f} MB, {(b - a) / 1024 / (ms[-1] - ms[0]):+.2f} MB a minute).")
        w()
if live and live[min(live)].get("mapped_files") is not None:
    w("Objects followed in each of those histograms (long[]: Agrona maps and sets grow theirs with the backlog and "
      "keep the size; the rest are what Chronicle Queue holds per roll cycle file):")
    w()
    w("| after minute | long[] | long[] bytes | mapped files | file channels | thread-local entries | finalizers |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    for m in sorted(live):
        r = live[m]
        w(f"| {m} | {r['long_arrays']:.0f} | {r['long_arrays_bytes'] / 1048576:.2f} MB | {r['mapped_files']:.0f} | "
          f"{r['file_channels']:.0f} | {r['thread_local_entries']:.0f} | {r['finalizers']:.0f} |")
    w()
if os.path.exists(path("histogram-growth.txt")):
    w("Which classes grew (`histogram-growth.txt`):")
    w()
    w("```")
    w(open(path("histogram-growth.txt")).read().rstrip())
    w("```")
    w()
w(f"GC pauses (`gc.log`, ParallelGC):")
w()
w(f"- young collections: {stats(young)}")
w(f"- full collections of the JVM's own: {stats(natural_full)}")
w(f"- forced collections (the live-heap measurements above, between minutes; ParallelGC scavenges the young "
  f"generation before each full collection, so each is a young and a full pause): {stats(forced)}")
if young:
    olds = [p["old_after_kb"] for p in young if p["old_after_kb"] is not None]
    if olds:
        w(f"- old generation after young collections: first {mb(olds[0])}, last {mb(olds[-1])} (promotion between "
          f"the forced full GCs; ParallelGC does not shrink it without a full GC)")
    w(f"- heap after young collections: first {young[0]['after_mb']} MB, last {young[-1]['after_mb']} MB "
      f"(of {young[-1]['heap_mb']} MB committed)")
# Allocation rate: how fast the young generation fills within each minute (between two young collections).
rates = []
for m in range(1, minutes_n + 1):
    rows = [s for s in samples if s["minute"] == str(m) and s.get("young_used_kb") is not None]
    if len(rows) >= 2 and rows[-1]["young_gcs"] == rows[0]["young_gcs"] and \
            rows[-1]["elapsed_s"] > rows[0]["elapsed_s"]:
        rates.append((rows[-1]["young_used_kb"] - rows[0]["young_used_kb"]) / 1024 /
                     (rows[-1]["elapsed_s"] - rows[0]["elapsed_s"]))
if rates:
    offered_rate = sum(r["offered"] for r in minute_results.values()) / (60 * max(1, len(minute_results)))
    w(f"- allocation rate (young generation filling within a minute, jstat): {min(rates):.2f} to {max(rates):.2f} "
      f"MB/s, mean {sum(rates) / len(rates):.2f} MB/s, against about {offered_rate:,.0f} "
      "msgs/s offered (it includes the samplers' /metrics scrapes and the status lines)")
if safepoints:
    sp = [s["ms"] for s in safepoints]
    big = sorted(safepoints, key=lambda s: -s["ms"])[:3]
    w(f"- safepoints: {len(sp)}, total {sum(sp):.1f} ms, max {max(sp):.1f} ms; longest: " +
      ", ".join(f"{s['op']} {s['ms']:.1f} ms" for s in big))
w()
if minute_times and young:
    w("| minute | young GCs | max pause | total pause |")
    w("|---:|---:|---:|---:|")
    for m in sorted(minute_times, key=int):
        ps = [p["ms"] for p in young if p["minute"] == m]
        w(f"| {m} | {len(ps)} | {max(ps) if ps else 0:.1f} ms | {sum(ps):.1f} ms |")
    outside = [p for p in young if p["minute"] is None]
    if outside:
        w(f"| outside the minutes | {len(outside)} | {max(p['ms'] for p in outside):.1f} ms | "
          f"{sum(p['ms'] for p in outside):.1f} ms |")
    w()

w("## RSS")
w()
r1 = first_sample("rss_kb", 1)
if r1 is not None and last:
    w(f"- VmRSS: first sample of minute 1 {mb(r1)}, last sample {mb(last['rss_kb'])}; anon (heap and native) "
      f"{mb(first_sample('rss_anon_kb', 1))} to {mb(last['rss_anon_kb'])}; file (mapped journal pages) "
      f"{mb(first_sample('rss_file_kb', 1))} to {mb(last['rss_file_kb'])}")
    w(f"- heap committed {mb(first_sample('heap_committed_kb', 1))} to {mb(last['heap_committed_kb'])} "
      f"(-Xms1g: the heap is reserved up front but its pages count in RSS only once touched)")
w()

w("## Journal size over time")
w()
w("`du -sk` (space on disk) and `du -sb` (apparent size: Chronicle sizes each cycle file in whole blocks and "
  "writes into it sparsely) of the journal directory, and its `.cq4` cycle files, both queues:")
w()
w("| minute | on disk, max | on disk, at the end | apparent, at the end | cycle files, max | at the end | accepted "
  "so far |")
w("|---:|---:|---:|---:|---:|---:|---:|")
dmax, dend = by_minute("journal_disk_kb"), at_minute_end("journal_disk_kb")
aend, fend = at_minute_end("journal_bytes"), at_minute_end("journal_cycle_files")
fmax = by_minute("journal_cycle_files")
accend = at_minute_end("accepted_total")
for m in sorted(dmax):
    if m == 0:
        continue
    w(f"| {m} | {mb(dmax[m])} | {mb(dend[m])} | {aend[m] / 1048576:.0f} MB | {fmax[m]:.0f} | {fend[m]:.0f} | "
      f"{accend[m]:,.0f} |")
w()
if os.path.exists(path("journal-stats.txt")):
    w("`otaprio journal stats` after the engine stopped:")
    w()
    w("```")
    w(open(path("journal-stats.txt")).read().rstrip())
    w("```")
    w()

w("## Backlog and resend-detection index")
w()
w("| minute | queued in the rings, max | at the end | dedup entries, max | at the end | accepted | completed |")
w("|---:|---:|---:|---:|---:|---:|---:|")
dd_max, dd_end = by_minute("dedup_entries"), at_minute_end("dedup_entries")
comend = at_minute_end("completed_total")
depth_end = {m: v[-1] for m, v in depth_total.items()}
for m in sorted(depth_max):
    if m == 0:
        continue
    w(f"| {m} | {depth_max[m]:,.0f} | {depth_end[m]:,.0f} | {dd_max.get(m, 0):,.0f} | {dd_end.get(m, 0):,.0f} | "
      f"{accend.get(m, 0):,.0f} | {comend.get(m, 0):,.0f} |")
w()

if os.path.exists(path("notes.md")):
    # Written by hand after the run (what the numbers do not say by themselves); kept when this file is regenerated.
    w("## Notes")
    w()
    w(open(path("notes.md")).read().rstrip())
    w()

w("## Files")
w()
w("- `samples.csv`: every ~" + str(run["sample_interval"]) + " s: heap (jstat -gc, at most 1 s old), RSS "
  "(VmRSS, RssAnon, RssFile), threads, journal size and cycle files, /metrics (accepted, completed, depth by lane, "
  "dedup entries, rejections, connections), load average, the engine's and the machine's CPU seconds")
w("- `fullgc.csv`: live heap after the forced full GC at each minute boundary; `histogram-minute-NN.txt`: the top of "
  "the class histogram then; `histogram-growth.txt`: classes that grew between minute 1 and the end")
w("- `minutes/minute-NN.json`, `minutes/minute-NN.log`: each minute's loadgen result and progress lines; "
  "`minutes/minutes.csv`: the minutes' wall-clock times and load averages")
w("- `gc.log`: GC and safepoint log of the engine; `engine.log`: its start-up summary, status lines every 10 s and "
  "final tables; `journal-stats.txt`; `run.json`: the settings and machine facts this summary was made from")
w("- regenerate this file: `python3 loadgen/scripts/soak-summary.py OUT > OUT/summary.md`")
