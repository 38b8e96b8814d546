package io.otaprio.perf;

import io.otaprio.bench.LatencySweep;
import org.HdrHistogram.Histogram;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bench run's {@code summary.md}: the performance targets with the measured value, the baseline ratio and
 * met or missed, then the tables behind them. Numbers only from this run's files; nothing typed in.
 */
final class BenchSummary
{
    private static final String ENGINE = "FourRingSchedulerThroughputBenchmark.publishBatch";
    private static final String JOURNALED = "JournaledEngineThroughputBenchmark.publishBatch";
    private static final String PBQ = "PriorityBlockingQueueThroughputBenchmark.publishBatch";
    private static final String ONE_RING = "OneRingThroughputBenchmark.publishBatch";
    private static final String UNBATCHED = "UnbatchedEngineThroughputBenchmark.publishBatch";
    private static final long LATENCY_JUDGED_RATE = 50_000;

    private final BenchRun.Settings settings;
    private final List<String[]> targets = new ArrayList<>();
    private final StringBuilder sections = new StringBuilder();
    private final String loadAtStart = MachineInfo.loadAverage();
    private double journaledInProcess;

    BenchSummary(final BenchRun.Settings settings)
    {
        this.settings = settings;
    }

    void jmh(final JmhResults results)
    {
        final JmhResults.Entry engine = results.find(ENGINE, "");
        final JmhResults.Entry journaled = results.find(JOURNALED, "");
        final JmhResults.Entry pbq = results.find(PBQ, "");
        if (null != engine && null != pbq)
        {
            final double ratio = engine.forkMedian() / pbq.forkMedian();
            targets.add(row("Scheduler path, no journal: >= 15 M msgs/s", millions(engine.forkMedian()) +
                " msgs/s", "", verdict(engine.forkMedian() >= 15e6, engine.forkMedian() / 15e6)));
            targets.add(row("... and >= 10x `PriorityBlockingQueue` in the same run",
                String.format(Locale.ROOT, "%.2fx", ratio), "PBQ " + millions(pbq.forkMedian()) + " msgs/s",
                verdict(ratio >= 10, ratio / 10)));
        }
        if (null != journaled)
        {
            targets.add(row("Both journals on, in-process: >= 2 M msgs/s sustained",
                millions(journaled.forkMedian()) + " msgs/s", null == engine ? "" :
                String.format(Locale.ROOT, "%.2fx the unjournaled engine", journaled.forkMedian() /
                engine.forkMedian()), verdict(journaled.forkMedian() >= 2e6, journaled.forkMedian() / 2e6)));
        }
        if (null != engine && null != journaled)
        {
            journaledInProcess = journaled.forkMedian();
            final double ratio = journaled.forkMedian() / engine.forkMedian();
            targets.add(row("Journaling: both journals on >= 0.5x the unjournaled engine, same run",
                String.format(Locale.ROOT, "%.2fx", ratio), "journaled " + millions(journaled.forkMedian()) +
                " msgs/s, unjournaled " + millions(engine.forkMedian()), verdict(ratio >= 0.5, ratio / 0.5)));
        }
        final JmhResults.Entry oneRing = results.find(ONE_RING, "");
        if (null != engine && null != oneRing)
        {
            final JmhResults.Entry unbatched = results.find(UNBATCHED, "");
            final double ratio = engine.forkMedian() / oneRing.forkMedian();
            targets.add(row("Rings: the four-ring engine >= 0.75x one plain ring, same run",
                String.format(Locale.ROOT, "%.2fx", ratio), "one ring " + millions(oneRing.forkMedian()) +
                " msgs/s" + (null == unbatched ? "" : String.format(Locale.ROOT, "; unbatched admission %.2fx " +
                "one ring (%s msgs/s)", unbatched.forkMedian() / oneRing.forkMedian(),
                millions(unbatched.forkMedian()))), verdict(ratio >= 0.75, ratio / 0.75)));
        }
        if (null != engine)
        {
            final double alloc = Math.max(engine.allocBytesPerOp(), null == journaled ? 0 :
                journaled.allocBytesPerOp());
            targets.add(row("Allocation on the engine path: ~0 B per message",
                String.format(Locale.ROOT, "%.3f B/msg (journal off), %s (journals on)", engine.allocBytesPerOp(),
                null == journaled ? "n/a" : String.format(Locale.ROOT, "%.3f B/msg", journaled.allocBytesPerOp())),
                null == pbq ? "" : String.format(Locale.ROOT, "PBQ %.0f B/msg", pbq.allocBytesPerOp()),
                alloc < 1.0 ? "**met**" : "**missed**"));
        }

        sections.append("\n## JMH (`jmh.json`, log `jmh.log`)\n\n");
        sections.append("Score: JMH's mean ± 99.9% error over all forks; \"median\": the median of the per-fork " +
            "means (each fork is its own JVM). Allocation: `gc.alloc.rate.norm` (GC profiler), bytes per " +
            "operation (a throughput benchmark's operation is one message).\n\n");
        sections.append("| benchmark | score ± error | unit | fork means | median | alloc B/op |\n");
        sections.append("|---|---|---|---|---|---|\n");
        for (final JmhResults.Entry entry : results.entries())
        {
            final StringBuilder forks = new StringBuilder();
            for (final double mean : entry.forkMeans())
            {
                forks.append(forks.length() > 0 ? " / " : "").append(number(mean));
            }
            sections.append(String.format(Locale.ROOT, "| %s | %s ± %s | %s | %s | %s | %.3f |%n", entry.label(),
                number(entry.score()), number(entry.error()), entry.unit(), forks, number(entry.forkMedian()),
                entry.allocBytesPerOp()));
        }
        sections.append("\n![throughput](throughput.png)\n");
    }

    void latency(final List<List<LatencySweep.Point>> runs)
    {
        final List<Double> publishP99 = new ArrayList<>();
        final List<Double> intendedP99 = new ArrayList<>();
        final List<Double> publishRatio = new ArrayList<>();
        final List<Double> intendedRatio = new ArrayList<>();
        for (final List<LatencySweep.Point> points : runs)
        {
            final LatencySweep.Point engine = find(points, "engine", LatencySweep.TARGET_RATE);
            final LatencySweep.Point pbq = find(points, "PriorityBlockingQueue", LatencySweep.TARGET_RATE);
            if (null != engine && null != pbq)
            {
                publishP99.add(engine.published().getValueAtPercentile(99) / 1e3);
                intendedP99.add(engine.all().getValueAtPercentile(99) / 1e3);
                publishRatio.add(ratio(pbq.published(), engine.published(), 99.9));
                intendedRatio.add(ratio(pbq.all(), engine.all(), 99.9));
            }
        }
        if (!publishP99.isEmpty())
        {
            final double p99 = median(publishP99);
            final double ratio = median(publishRatio);
            targets.add(row("Latency at 100k msgs/s, publish to dispatch: p99 <= 5 us",
                String.format(Locale.ROOT, "%.1f us (median of %d sweeps: %s)", p99, publishP99.size(),
                    list(publishP99, "%.1f")),
                String.format(Locale.ROOT, "from intended send time (coordinated omission corrected): p99 %.1f us " +
                    "(%s)", median(intendedP99), list(intendedP99, "%.1f")), verdict(p99 <= 5, 5 / p99)));
            targets.add(row("... and p99.9 >= 10x lower than `PriorityBlockingQueue` in the same run",
                String.format(Locale.ROOT, "%.1fx lower (%s)", ratio, list(publishRatio, "%.1f")),
                String.format(Locale.ROOT, "from intended send time: %.1fx (%s)", median(intendedRatio),
                    list(intendedRatio, "%.1f")), verdict(ratio >= 10, ratio / 10)));
        }

        sections.append("\n## Open-loop latency sweep (`latency-sweep-run*.json`, `hgrm/`)\n\n");
        sections.append("One producer thread at a constant rate, latency from each message's intended send time to " +
            "its dispatch (coordinated omission corrected), all levels in the 5/7/12/76% mix, measured window only. " +
            "Saturated: the consumer took < 97% of the offered rate. Knee: the highest sustained rate whose p99 is " +
            "within 10x the p99 at the lowest rate. The last two columns are publish (the producer's actual " +
            "hand-over, later than intended when it ran late) to dispatch: the queue's own latency.\n");
        int run = 1;
        for (final List<LatencySweep.Point> points : runs)
        {
            sections.append(String.format(Locale.ROOT, "%n### Sweep %d%n%n", run++));
            sections.append("| target | offered/s | took/s | p50 | p99 | p99.9 | p99.99 | max | producer lag max | " +
                "publish to dispatch p99 | p99.9 |\n");
            sections.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (final LatencySweep.Point point : points)
            {
                sections.append(String.format(Locale.ROOT,
                    "| %s | %,d | %,.0f%s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    point.target(), point.rate(), point.achievedRate(), point.sustained() ? "" : " SATURATED",
                    LatencySweep.micros(point.all(), 50), LatencySweep.micros(point.all(), 99),
                    LatencySweep.micros(point.all(), 99.9), LatencySweep.micros(point.all(), 99.99),
                    LatencySweep.micros(point.all(), 100), LatencySweep.micros(point.producerMaxLagNs()),
                    LatencySweep.micros(point.published(), 99), LatencySweep.micros(point.published(), 99.9)));
            }
            for (final String target : new String[]{ "engine", "PriorityBlockingQueue" })
            {
                final List<LatencySweep.Point> mine = new ArrayList<>();
                for (final LatencySweep.Point point : points)
                {
                    if (point.target().equals(target))
                    {
                        mine.add(point);
                    }
                }
                final LatencySweep.Point knee = LatencySweep.knee(mine);
                sections.append(String.format(Locale.ROOT, "%nKnee of %s: %s", target,
                    null == knee ? "none (the first rate was not sustained)" :
                    String.format(Locale.ROOT, "%,d msgs/s", knee.rate())));
            }
            sections.append('\n');
        }
        sections.append("\n![latency sweep](latency-sweep.png)\n\n" +
            "![percentiles at 100k](latency-percentiles-100k.png)\n");
    }

    void tcp(final Map<String, List<TcpSweep.Point>> sweeps)
    {
        // The target is judged on the default layout, one thread per agent; the others are shown beside it.
        final String judged = sweeps.containsKey("dedicated") ? "dedicated" : sweeps.keySet().iterator().next();
        final TcpSweep.Point atTarget = atRate(sweeps.get(judged), TcpSweep.TARGET_RATE);
        final String target = "Over TCP, one load generator: >= 300k msgs/s with level-1 p99 < 1 ms (" + judged + ")";
        if (null == atTarget)
        {
            targets.add(row(target, "not reached: the sweep saturated below 300k", "", "**missed**"));
        }
        else
        {
            final long p99Us = atTarget.result().run().level(1).latency().p99Us();
            final boolean met = atTarget.sustained() && p99Us < 1000;
            targets.add(row(target, String.format(Locale.ROOT, "at 300k offered: %,.0f completed/s%s, level-1 p99 %s",
                atTarget.achievedRate(), atTarget.sustained() ? "" : " (saturated)", TcpSweep.ms(p99Us)),
                "", met ? "**met**" : verdict(false, 1000.0 / Math.max(1, p99Us))));
        }
        final double best = highestSustained(sweeps.get(judged));
        targets.add(row("TCP: sustained rate >= 0.5x the in-process journaled engine of the same run (" + judged +
            ")", sustained(sweeps.get(judged)), journaledInProcess > 0 ? "in-process journaled " +
            millions(journaledInProcess) + " msgs/s (JMH)" : "JMH not run", journaledInProcess > 0 ?
            verdict(best >= 0.5 * journaledInProcess, best / (0.5 * journaledInProcess)) : "n/a"));
        for (final Map.Entry<String, List<TcpSweep.Point>> sweep : sweeps.entrySet())
        {
            final TcpSweep.Point at = atRate(sweep.getValue(), LATENCY_JUDGED_RATE);
            final long p99Us = null == at ? Long.MAX_VALUE : at.result().run().level(1).latency().p99Us();
            targets.add(row(String.format(Locale.ROOT, "TCP: level-1 p99 at %,d msgs/s < 1 ms (%s)",
                LATENCY_JUDGED_RATE, sweep.getKey()), levelOneP99(at), "",
                null == at ? "n/a" : p99Us < 1000 ? "**met**" : verdict(false, 1000.0 / Math.max(1, p99Us))));
        }
        sections.append("\n## TCP sweep\n\n");
        sections.append("`./otaprio engine --config conf/bench-tcp.yaml --threading MODE` (its own JVM, both " +
            "journals on, a DSP that answers at once) and this process as the one load generator, 4 connections, " +
            "steady Poisson arrivals of the shipped traffic mix; latency from intended send time to the Completed " +
            "frame. Warm-up, not reported: load at 100k msgs/s before the first rate, then " +
            TcpSweep.RATE_WARM_UP_MS / 1000 + " s of each rate's own load before it. Sustained: every message " +
            "accepted and answered, backlog cleared within 1 s of the load's end. " +
            "One sweep per threading mode, back to back on the same machine: `dedicated` runs admission, scheduler " +
            "and reporter on a thread each, `shared` runs all three on one thread.\n");
        if (sweeps.size() > 1)
        {
            final List<String> modes = new ArrayList<>(sweeps.keySet());
            compare(modes.get(0), sweeps.get(modes.get(0)), modes.get(1), sweeps.get(modes.get(1)));
        }
        sweepTables(sweeps, false);
        sections.append("\n![tcp sweep](tcp-sweep.png)\n");
    }

    /**
     * The TCP sweep over mutual TLS 1.3, beside the plain one of the same run when there is one.
     *
     * @param plain the plain TCP sweeps by threading mode; empty when not run.
     * @param tls   the TLS sweeps by threading mode.
     */
    void tcpTls(final Map<String, List<TcpSweep.Point>> plain, final Map<String, List<TcpSweep.Point>> tls)
    {
        final String judged = tls.containsKey("dedicated") ? "dedicated" : tls.keySet().iterator().next();
        final List<TcpSweep.Point> secured = tls.get(judged);
        final List<TcpSweep.Point> clear = plain.get(judged);
        final TcpSweep.Point tlsAt = atRate(secured, TcpSweep.TLS_COMPARED_RATE);
        final TcpSweep.Point plainAt = null == clear ? null : atRate(clear, TcpSweep.TLS_COMPARED_RATE);
        final String measured = String.format(Locale.ROOT, "TLS: %s sustained; level-1 p99 at %,d/s %s",
            sustained(secured), TcpSweep.TLS_COMPARED_RATE, levelOneP99(tlsAt));
        final String beside = null == clear ? "plain TCP not run" : String.format(Locale.ROOT,
            "plain TCP: %s sustained, level-1 p99 %s; TLS/plain %s sustained, %s p99", sustained(clear),
            levelOneP99(plainAt), ratioText(highestSustained(secured), highestSustained(clear)),
            null == tlsAt || null == plainAt ? "n/a" : ratioText(tlsAt.result().run().level(1).latency().p99Us(),
            plainAt.result().run().level(1).latency().p99Us()));
        targets.add(row("Over mutual TLS 1.3 (" + judged + "): what TLS costs the TCP sweep (no target)", measured,
            beside, "measured"));

        sections.append("\n## TCP sweep over mutual TLS 1.3\n\n");
        sections.append("The same sweep, rates, load generator and messages as the plain TCP sweep, each " +
            "connection mutual TLS 1.3 (`io.otaprio.tls.TlsChannel` over the generator's non-blocking sockets, " +
            "ECDSA P-256 certificates made for the run by the development CA of `./otaprio certs`, the JDK's " +
            "default TLS 1.3 cipher suite); the engine's configuration is `conf/bench-tcp.yaml` with a `tls:` " +
            "section and one `clients:` entry naming the originators the load draws, so every Submit is checked " +
            "against the client's identity. As over plain TCP, each rate's load generator opens its 4 connections " +
            "afresh as its load starts, so the 4 handshakes (the engine checks each certificate) delay the first " +
            "messages of every rate and count in their latency: a stall at the start shows as a p99.9 close to the " +
            "max, with the p50 well below. Sustained: the highest offered rate sustained (as for plain TCP), as " +
            "completed/s.\n");
        for (final Map.Entry<String, List<TcpSweep.Point>> sweep : tls.entrySet())
        {
            final List<TcpSweep.Point> baseline = plain.get(sweep.getKey());
            if (null != baseline)
            {
                sections.append(String.format(Locale.ROOT, "%nThreading %s, plain TCP against TLS:%n",
                    sweep.getKey()));
                compare("plain", baseline, "TLS", sweep.getValue());
            }
        }
        sweepTables(tls, true);
        if (plain.isEmpty())
        {
            sections.append("\n![tcp sweep](tcp-sweep.png)\n");
        }
    }

    private void sweepTables(final Map<String, List<TcpSweep.Point>> sweeps, final boolean tls)
    {
        for (final Map.Entry<String, List<TcpSweep.Point>> sweep : sweeps.entrySet())
        {
            final List<TcpSweep.Point> points = sweep.getValue();
            sections.append(String.format(Locale.ROOT, "%n### threading %s%s (`%s`, engine log `%s`)%n%n",
                sweep.getKey(), tls ? ", mutual TLS 1.3" : "", TcpSweep.jsonName(sweep.getKey(), tls),
                TcpSweep.engineLogName(sweep.getKey(), tls)));
            sections.append("| offered/s | completed/s | sustained | drain |\n|---|---|---|---|\n");
            for (final TcpSweep.Point point : points)
            {
                sections.append(String.format(Locale.ROOT, "| %,d | %,.0f | %s | %.2f s |%n", point.rate(),
                    point.achievedRate(), point.sustained() ? "yes" : "no", point.result().run().drainSeconds()));
            }
            sections.append("\n| offered/s | level | completed | p50 | p99 | p99.9 | max | within TRT |\n");
            sections.append("|---|---|---|---|---|---|---|---|\n");
            for (final String row : TcpSweep.levelRows(points))
            {
                sections.append(row).append('\n');
            }
        }
    }

    void recovery(final List<RecoveryBench.Point> points)
    {
        final RecoveryBench.Point atTarget = atBacklog(points, RecoveryBench.TARGET_BACKLOG);
        final String target = String.format(Locale.ROOT, "DR recovery: first replayed level-1 dispatch <= %.0f s " +
            "after the JVM starts, %,d backlog", RecoveryBench.TARGET_FIRST_LEVEL_ONE_US / 1e6,
            RecoveryBench.TARGET_BACKLOG);
        if (null == atTarget)
        {
            targets.add(row(target, "not run", "", "**missed**"));
        }
        else
        {
            final long us = atTarget.firstLevelOneUs();
            targets.add(row(target, RecoveryBench.seconds(us), String.format(Locale.ROOT, "start-up before the scan " +
                "%s, scan %s, whole backlog queued %s", RecoveryBench.seconds(atTarget.startUpUs()),
                RecoveryBench.seconds(atTarget.scanUs()), RecoveryBench.seconds(atTarget.backlogQueuedUs())),
                verdict(us >= 0 && us <= RecoveryBench.TARGET_FIRST_LEVEL_ONE_US,
                (double)RecoveryBench.TARGET_FIRST_LEVEL_ONE_US / Math.max(1, us))));
        }
        // Linear: the time per pending message from the scan's start to the whole backlog queued at the largest
        // backlog, against the target backlog's (or, when the target backlog is the largest, the smallest's).
        final RecoveryBench.Point largest = points.get(points.size() - 1);
        final RecoveryBench.Point base = null != atTarget && atTarget != largest ? atTarget : points.get(0);
        if (largest != base)
        {
            final double ratio = largest.recoveryUsPerMessage() / base.recoveryUsPerMessage();
            targets.add(row(String.format(Locale.ROOT, "DR recovery time grows no faster than linearly: scan start " +
                "to whole backlog queued per pending message, %,d vs %,d backlog, ratio <= %.1f", largest.backlog(),
                base.backlog(), RecoveryBench.LINEAR_RATIO_MAX), String.format(Locale.ROOT, "%.2f (%.2f vs %.2f us " +
                "per message)", ratio, largest.recoveryUsPerMessage(), base.recoveryUsPerMessage()),
                String.format(Locale.ROOT, "accepted journal scanned %s of %s written (%,d vs %,d backlog)",
                RecoveryBench.megabytes(largest.acceptedScanned()), RecoveryBench.megabytes(largest.acceptedBytes()),
                largest.backlog(), base.backlog()),
                verdict(ratio <= RecoveryBench.LINEAR_RATIO_MAX, RecoveryBench.LINEAR_RATIO_MAX / ratio)));
        }

        sections.append("\n## DR recovery (`recovery.json`, engine logs `recovery-engine-N.log`)\n\n");
        sections.append("For each backlog, a journal written with the engine's own journal writers as a crashed " +
            "engine leaves it after a 10-minute downstream outage: as many messages completed in the 10 minutes " +
            "before it and checkpointed (the watermark and the accepted-queue index of its message) as the outage " +
            "then left pending, drawn from `conf/traffic-mix.yaml` and classified by the shipped policy, no clean " +
            "stop. (The completions are older than resend detection's 60 s window; completions within it that lie " +
            "before the checkpoint are read back from it, a window's worth at most.) Then `./otaprio engine " +
            "--config conf/bench-tcp.yaml` (its own JVM; the simulated DSP answers at once, so the backlog drains " +
            "at the engine's own speed) starts on it and " +
            "reports its recovery milestones in its status file, in microseconds after its JVM started " +
            "(`RuntimeMXBean.getStartTime()`); the bench then kills it (`kill -9`) and deletes the journal. " +
            "Queued: the replay feeder has handed the last pending message to the rings (with rings of " +
            "8,192/8,192/32,768/131,072 slots, all but the rings' worth has been dispatched and completed by " +
            "then). Start-up before the scan: from the JVM's start to the scan's (the JVM, the command line, the " +
            "configuration, the status file and the resend index; the scan runs on a thread of its own while the " +
            "rings and payload stores are allocated). Scanned: bytes of each " +
            "queue the start-up scan read. Per message: from the scan's start to the whole backlog queued, per " +
            "pending message (the start-up before the scan does not depend on the backlog); linear growth is " +
            "judged on it.\n\n");
        sections.append("| backlog | level 1/2/3/4 | start-up before the scan | scan | scan done | first level-1 " +
            "dispatch | backlog queued | per message | accepted scanned / written | outcomes scanned | spawn to JVM " +
            "start |\n");
        sections.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final RecoveryBench.Point point : points)
        {
            final long[] level = point.pendingByLevel();
            sections.append(String.format(Locale.ROOT, "| %,d | %,d / %,d / %,d / %,d | %s | %s | %s | %s | %s | " +
                "%.2f us | %s / %s | %s | %,d ms |%n", point.backlog(), level[1], level[2], level[3], level[4],
                RecoveryBench.seconds(point.startUpUs()), RecoveryBench.seconds(point.scanUs()),
                RecoveryBench.seconds(point.scannedUs()),
                RecoveryBench.seconds(point.firstLevelOneUs()), RecoveryBench.seconds(point.backlogQueuedUs()),
                point.recoveryUsPerMessage(), RecoveryBench.megabytes(point.acceptedScanned()),
                RecoveryBench.megabytes(point.acceptedBytes()), RecoveryBench.megabytes(point.outcomesScanned()),
                point.spawnToJvmStartMs()));
        }
        sections.append("\n![recovery](recovery.png)\n");
    }

    private static RecoveryBench.Point atBacklog(final List<RecoveryBench.Point> points, final long backlog)
    {
        for (final RecoveryBench.Point point : points)
        {
            if (point.backlog() == backlog)
            {
                return point;
            }
        }
        return null;
    }

    /** Two sweeps rate by rate: completed/s of each, their ratio (second / first) and each one's level-1 p99. */
    private void compare(
        final String first,
        final List<TcpSweep.Point> firstPoints,
        final String second,
        final List<TcpSweep.Point> secondPoints)
    {
        sections.append(String.format(Locale.ROOT, "%n| offered/s | completed/s %s | completed/s %s | ratio | " +
            "level-1 p99 %s | level-1 p99 %s |%n|---|---|---|---|---|---|%n", first, second, first, second));
        for (final TcpSweep.Point a : firstPoints)
        {
            final TcpSweep.Point b = atRate(secondPoints, a.rate());
            if (null == b)
            {
                continue;
            }
            sections.append(String.format(Locale.ROOT, "| %,d | %,.0f%s | %,.0f%s | %.2f | %s | %s |%n", a.rate(),
                a.achievedRate(), a.sustained() ? "" : " (saturated)", b.achievedRate(),
                b.sustained() ? "" : " (saturated)", b.achievedRate() / a.achievedRate(),
                TcpSweep.ms(a.result().run().level(1).latency().p99Us()),
                TcpSweep.ms(b.result().run().level(1).latency().p99Us())));
        }
    }

    /** @return the completed/s of the highest rate sustained, 0 if none was. */
    private static double highestSustained(final List<TcpSweep.Point> points)
    {
        double best = 0;
        for (final TcpSweep.Point point : points)
        {
            if (point.sustained())
            {
                best = Math.max(best, point.achievedRate());
            }
        }
        return best;
    }

    private static String sustained(final List<TcpSweep.Point> points)
    {
        final double best = highestSustained(points);
        return best > 0 ? String.format(Locale.ROOT, "%,.0f msgs/s", best) : "no rate";
    }

    private static String levelOneP99(final TcpSweep.Point point)
    {
        return null == point ? "n/a (not run)" : String.format(Locale.ROOT, "%s (p50 %s, max %s)%s",
            TcpSweep.ms(point.result().run().level(1).latency().p99Us()),
            TcpSweep.ms(point.result().run().level(1).latency().p50Us()),
            TcpSweep.ms(point.result().run().level(1).latency().maxUs()), point.sustained() ? "" : " (saturated)");
    }

    private static String ratioText(final double numerator, final double denominator)
    {
        return denominator > 0 ? String.format(Locale.ROOT, "%.2fx", numerator / denominator) : "n/a";
    }

    private static TcpSweep.Point atRate(final List<TcpSweep.Point> points, final long rate)
    {
        for (final TcpSweep.Point point : points)
        {
            if (point.rate() == rate)
            {
                return point;
            }
        }
        return null;
    }

    String markdown(final String loadAtEnd)
    {
        final StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "# otaprio bench, %s (%s mode)%n%n", LocalDate.now(),
            settings.quick() ? "quick" : "full"));
        md.append("Generated by `").append(settings.commandLine()).append("` (exact JVM arguments in `command.txt`, " +
            "machine in `machine.txt`). Load average at start ").append(loadAtStart).append(", at end ")
            .append(loadAtEnd).append(".\n\n");
        md.append("## Performance targets\n\n| target | measured | beside it | verdict |\n|---|---|---|---|\n");
        for (final String[] target : targets)
        {
            md.append("| ").append(String.join(" | ", target)).append(" |\n");
        }
        md.append(sections);
        return md.toString();
    }

    private static LatencySweep.Point find(final List<LatencySweep.Point> points, final String target, final long rate)
    {
        for (final LatencySweep.Point point : points)
        {
            if (point.target().equals(target) && point.rate() == rate)
            {
                return point;
            }
        }
        return null;
    }

    private static String[] row(final String target, final String measured, final String beside, final String verdict)
    {
        return new String[]{ target, measured, beside, verdict };
    }

    private static String verdict(final boolean met, final double fractionOfTarget)
    {
        return met ? "**met**" : String.format(Locale.ROOT, "**missed** (%.0f%% of target)", 100 * fractionOfTarget);
    }

    private static String millions(final double value)
    {
        return String.format(Locale.ROOT, "%.2f M", value / 1e6);
    }

    private static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        if (Math.abs(value) >= 1e5)
        {
            return String.format(Locale.ROOT, "%.2f M", value / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    private static double ratio(final Histogram baseline, final Histogram engine, final double percentile)
    {
        return baseline.getValueAtPercentile(percentile) / (double)Math.max(1, engine.getValueAtPercentile(percentile));
    }

    private static String list(final List<Double> values, final String format)
    {
        final List<String> texts = new ArrayList<>();
        for (final double value : values)
        {
            texts.add(String.format(Locale.ROOT, format, value));
        }
        return String.join(" / ", texts);
    }

    private static double median(final List<Double> values)
    {
        final double[] array = new double[values.size()];
        for (int i = 0; i < array.length; i++)
        {
            array[i] = values.get(i);
        }
        return JmhResults.median(array);
    }
}
