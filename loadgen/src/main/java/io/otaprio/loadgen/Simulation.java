package io.otaprio.loadgen;

import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineConfig;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.scheduler.InFlightMessage;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the engine in-process against the simulated DSP under an open-loop load: every message has an intended
 * send time drawn in advance from the {@link LoadProfile}, and its latency is measured from that time to its
 * completion, whatever the generator or the engine did in between.
 * <p>
 * Threads: the generator ({@code otaprio-loadgen}, the engine's single producer), the engine's scheduler, and the
 * caller, which prints a progress line each second. All are stopped before {@link #run} returns.
 */
public final class Simulation
{
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long PARK_THRESHOLD_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int REPLAY_BATCH = 64;

    /**
     * What to run.
     *
     * @param config        engine configuration (rings, DSP).
     * @param policy        classification, possibly fifo.
     * @param mix           traffic mix.
     * @param profile       offered load over time.
     * @param seed          random seed of arrivals, mix and DSP.
     * @param idle          scheduler idle strategy override, or null for the config's.
     * @param drainTimeoutNs how long to wait for the backlog after the load ends.
     * @param progress      where progress lines go, or null for none.
     * @param journal       where the engine journals, or null to run without a journal.
     */
    public record Settings(
        EngineConfig config,
        PriorityPolicy policy,
        TrafficMix mix,
        LoadProfile profile,
        long seed,
        String idle,
        long drainTimeoutNs,
        PrintStream progress,
        JournalConfig journal)
    {
    }

    private final Settings settings;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final long[] intendedNs;
    private final Histogram[] latencyUs = new Histogram[PriorityPolicy.LEVELS + 1];
    private final long[] withinTrt = new long[PriorityPolicy.LEVELS + 1];
    private final AtomicLong offered = new AtomicLong();
    private final long[] rejectedByCode = new long[RejectReason.values().length + 1];
    private volatile boolean stop;
    private long accepted;
    private long firstLiveId;
    private long replayExpected;
    private Throwable generatorFailure;

    private Simulation(final Settings settings)
    {
        this.settings = settings;
        final double expected = settings.profile().expectedMessages();
        // Poisson arrivals: the count stays well within 20% plus a margin of the mean for any run worth doing.
        intendedNs = new long[(int)Math.min(Integer.MAX_VALUE - 8, expected * 1.2 + 10_000)];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            latencyUs[level] = new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US, EngineMetrics.SIGNIFICANT_DIGITS);
        }
    }

    /**
     * @param config engine configuration.
     * @param mix    traffic mix.
     * @return messages per second the configured simulated DSP sustains for this mix.
     */
    public static double capacityPerSecond(final EngineConfig config, final TrafficMix mix)
    {
        final SimulatedDsp dsp = config.newSimulatedDsp();
        return dsp.capacityPerSecond(mix.meanServiceNs(config.serviceTimes()));
    }

    /**
     * Run to completion: offer the load, wait for the backlog to drain (or the drain timeout), stop everything.
     *
     * @param settings what to run.
     * @return what was measured.
     */
    public static SimulationResult run(final Settings settings)
    {
        return new Simulation(settings).run();
    }

    private SimulationResult run()
    {
        final EngineConfig config = settings.config();
        final PrintStream out = settings.progress();
        final double capacity = capacityPerSecond(config, settings.mix());
        final EngineContext ctx = config.newContext(settings.policy(), settings.idle())
            .dispatcher(new SimulatedDsp(config.dspSlots(), config.serviceTimes(), settings.seed()))
            .clock(clock)
            .completionListener(this::onCompleted)
            .journal(settings.journal());

        final long loadNs = settings.profile().durationNs();
        long drainNs = 0;
        final Engine engine = Engine.launch(ctx);
        firstLiveId = engine.admission().nextMessageId();
        replayExpected = null == engine.recovered() ? 0 : engine.recovered().pendingCount();
        if (replayExpected > 0 && null != out)
        {
            out.printf(Locale.ROOT, "recovered %d pending messages from the journal (%d were dispatched before " +
                "the stop and will be dispatched again); replaying level 1 first%n", replayExpected,
                engine.recovered().redispatched());
        }
        final Thread generator = new Thread(() -> generate(engine), "otaprio-loadgen");
        final Thread shutdownHook = new Thread(() -> stop = true);
        try
        {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ignore)
        {
            // Already shutting down: run anyway, the stop flag is never needed.
        }
        try
        {
            final long startNs = System.nanoTime();
            generator.start();
            ProgressLine progressLine = new ProgressLine(engine, startNs);
            while (generator.isAlive())
            {
                generator.join(1000);
                progressLine = progressLine.print(out, "load");
            }
            final long drainStartNs = System.nanoTime();
            final long drainDeadlineNs = drainStartNs + settings.drainTimeoutNs();
            long lastPrintNs = drainStartNs;
            while (!stop && engine.metrics().completedTotal() < accepted + replayExpected &&
                System.nanoTime() < drainDeadlineNs)
            {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                if (System.nanoTime() - lastPrintNs >= TimeUnit.SECONDS.toNanos(1))
                {
                    lastPrintNs = System.nanoTime();
                    progressLine = progressLine.print(out, "drain");
                }
            }
            drainNs = System.nanoTime() - drainStartNs;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            stop = true;
            joinQuietly(generator);
            engine.close();
            try
            {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
            catch (final IllegalStateException ignore)
            {
                // The JVM is exiting; nothing to remove.
            }
        }
        if (null != generatorFailure)
        {
            throw new IllegalStateException("load generator failed", generatorFailure);
        }

        // The scheduler thread has stopped (close joins it), so its histograms are safe to read here.
        final List<LevelReport> levels = new ArrayList<>(PriorityPolicy.LEVELS);
        long completed = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final long count = latencyUs[level].getTotalCount();
            completed += count;
            levels.add(new LevelReport(level, count, LatencySummary.of(latencyUs[level]),
                settings.policy().levelTrtNs(level), count == 0 ? 100.0 : 100.0 * withinTrt[level] / count));
        }
        final long replayed = null == engine.replayFeeder() ? 0 : engine.replayFeeder().replayed();
        return new SimulationResult(settings.profile().scenario(), settings.policy().name(), offered.get(), accepted,
            completed, rejectedByCode.clone(), capacity, loadNs / 1e9, drainNs / 1e9, levels,
            settings.profile().describe(), settings.seed(), replayed);
    }

    private void generate(final Engine engine)
    {
        try
        {
            final var admission = engine.admission();
            final ReplayFeeder feeder = engine.replayFeeder();
            final TrafficMix mix = settings.mix();
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.max(64, mix.maxPayloadBytes())]);
            for (int i = 0; i < payload.capacity(); i++)
            {
                payload.putByte(i, (byte)i);
            }

            final Arrivals arrivals = new Arrivals(settings.profile(), mix, settings.seed());
            final long startNs = clock.nanoTime() + START_DELAY_NS;
            int counter = 0;
            long acceptedCount = 0;
            while (!stop && counter < intendedNs.length && arrivals.next())
            {
                final long intended = startNs + arrivals.intendedOffsetNs();
                long delta;
                while ((delta = intended - clock.nanoTime()) > 0)
                {
                    if (null != feeder && !feeder.isDone() && feeder.feed(REPLAY_BATCH) > 0)
                    {
                        continue;
                    }
                    if (delta > PARK_THRESHOLD_NS)
                    {
                        LockSupport.parkNanos(delta - PARK_THRESHOLD_NS / 2);
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }

                intendedNs[counter] = intended;
                final long result = admission.submit(arrivals.kind(), arrivals.code(), arrivals.originator(),
                    arrivals.target(), counter, payload, 0, arrivals.payloadBytes());
                counter++;
                if (result >= 0)
                {
                    acceptedCount++;
                }
                else
                {
                    rejectedByCode[(int)-result]++;
                }
                offered.lazySet(counter);
            }
            accepted = acceptedCount;
            while (null != feeder && !feeder.isDone() && !stop)
            {
                if (feeder.feed(REPLAY_BATCH) == 0)
                {
                    LockSupport.parkNanos(PARK_THRESHOLD_NS);
                }
            }
        }
        catch (final Throwable t)
        {
            generatorFailure = t;
        }
    }

    private void onCompleted(final InFlightMessage message)
    {
        // A message replayed from the journal was sent by an earlier run: its latency runs from its original
        // accept time, so the downtime counts.
        final long latencyNs = message.completedTimeNs() - (message.messageId() < firstLiveId ?
            message.acceptTimeNs() : intendedNs[(int)message.counter()]);
        final int level = message.level();
        latencyUs[level].recordValue(
            Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000L)));
        if (latencyNs <= message.trtNs())
        {
            withinTrt[level]++;
        }
    }

    private static void joinQuietly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One progress line: rates over the last interval and depth per lane.
     */
    private final class ProgressLine
    {
        private final Engine engine;
        private final long startNs;
        private final long atNs;
        private final long offeredAt;
        private final long completedAt;

        ProgressLine(final Engine engine, final long startNs)
        {
            this(engine, startNs, System.nanoTime(), offered.get(), engine.metrics().completedTotal());
        }

        private ProgressLine(
            final Engine engine, final long startNs, final long atNs, final long offeredAt, final long completedAt)
        {
            this.engine = engine;
            this.startNs = startNs;
            this.atNs = atNs;
            this.offeredAt = offeredAt;
            this.completedAt = completedAt;
        }

        ProgressLine print(final PrintStream out, final String stage)
        {
            final long nowNs = System.nanoTime();
            final long offeredNow = offered.get();
            // Dispatched before completed, so the in-flight figure never overstates what the credit allows.
            final long dispatchedNow = engine.metrics().dispatchedTotal();
            final long completedNow = engine.metrics().completedTotal();
            final double seconds = Math.max(1e-9, (nowNs - atNs) / 1e9);
            if (null != out)
            {
                final StringBuilder depth = new StringBuilder();
                for (int lane = 0; lane < engine.rings().lanes(); lane++)
                {
                    depth.append(lane == 0 ? "" : " ").append(engine.rings().depth(lane));
                }
                out.printf(Locale.ROOT, "[%5.1fs %-5s] offered %7.0f/s  completed %7.0f/s  depth by lane [%s]  " +
                    "in flight %d%n",
                    (nowNs - startNs) / 1e9, stage, (offeredNow - offeredAt) / seconds,
                    (completedNow - completedAt) / seconds, depth, dispatchedNow - completedNow);
                out.flush();
            }
            return new ProgressLine(engine, startNs, nowNs, offeredNow, completedNow);
        }
    }
}
