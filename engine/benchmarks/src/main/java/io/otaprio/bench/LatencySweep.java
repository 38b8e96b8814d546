package io.otaprio.bench;

import io.otaprio.metrics.JsonWriter;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop latency harness (not JMH): at each rate of a sweep, one producer thread offers messages at a
 * constant rate, each stamped with its <em>intended</em> send time, and the consumer records, per level, the time
 * from that intended send time to the moment the message is taken for dispatch. A producer that falls behind its
 * schedule (a full ring, a stalled consumer, a GC pause) keeps sending late messages whose latency still counts
 * from when they should have been sent: coordinated omission is corrected by construction, not by HdrHistogram's
 * after-the-fact {@code recordValueWithExpectedInterval}.
 * <p>
 * Each {@link LatencyTarget} (the engine and the {@code PriorityBlockingQueue} baseline) runs every rate in the
 * same process, one after the other, warm-up first. A target is saturated at a rate when its consumer took fewer
 * than {@value #SUSTAINED_FRACTION} of the offered messages during the measured window; the sweep of that target
 * stops there. The knee is the highest sustained rate whose p99 is within {@value #KNEE_FACTOR}x the p99 at the
 * lowest rate.
 * <p>
 * Threading: the calling thread is the producer; each target runs its own consumer thread, stopped by
 * {@link LatencyTarget#close()}.
 */
public final class LatencySweep
{
    /** Rates of the full sweep, messages per second. */
    public static final long[] RATES = { 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000 };

    /** The rate the latency target is set at. */
    public static final long TARGET_RATE = 100_000;

    static final double SUSTAINED_FRACTION = 0.97;
    static final int KNEE_FACTOR = 10;

    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private static final long WARM_UP_RATE = 250_000;

    private final long initialWarmUpNs;
    private final long warmUpNs;
    private final long measureNs;
    private final PrintStream progress;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();

    /**
     * @param initialWarmUpNs how long each target runs at {@value #WARM_UP_RATE}/s before the first rate (JIT).
     * @param warmUpNs        how long each rate runs before its measured window (its latencies are discarded).
     * @param measureNs       the measured window at each rate.
     * @param progress        where to print a line per rate, or null.
     */
    public LatencySweep(final long initialWarmUpNs, final long warmUpNs, final long measureNs,
        final PrintStream progress)
    {
        this.initialWarmUpNs = initialWarmUpNs;
        this.warmUpNs = warmUpNs;
        this.measureNs = measureNs;
        this.progress = progress;
    }

    /**
     * Sweep the engine and the {@code PriorityBlockingQueue} baseline and print the points; for a quick look.
     * {@code ./otaprio bench} is the full run with files and plots.
     *
     * @param args warm-up seconds, measured seconds, then rates (default: 1, 3 and {@link #RATES}).
     */
    public static void main(final String[] args)
    {
        final long warmUpNs = (long)(1e9 * (args.length > 0 ? Double.parseDouble(args[0]) : 1));
        final long measureNs = (long)(1e9 * (args.length > 1 ? Double.parseDouble(args[1]) : 3));
        long[] rates = RATES;
        if (args.length > 2)
        {
            rates = new long[args.length - 2];
            for (int i = 2; i < args.length; i++)
            {
                rates[i - 2] = Long.parseLong(args[i]);
            }
        }
        final LatencySweep sweep = new LatencySweep(TimeUnit.SECONDS.toNanos(5), warmUpNs, measureNs, System.out);
        for (final LatencyTarget target : new LatencyTarget[]{ new EngineLatencyTarget(),
            new PriorityBlockingQueueLatencyTarget() })
        {
            final List<Point> points = sweep.sweep(target, rates);
            final Point knee = knee(points);
            System.out.printf(Locale.ROOT, "  %s knee: %s%n", target.name(),
                null == knee ? "none" : String.format(Locale.ROOT, "%,d/s", knee.rate));
        }
    }

    /**
     * Run one target through the rates, in order, until it saturates.
     *
     * @param target the system under test; closed on return.
     * @param rates  messages per second, ascending.
     * @return one point per rate run.
     */
    public List<Point> sweep(final LatencyTarget target, final long[] rates)
    {
        final List<Point> points = new ArrayList<>();
        try (target)
        {
            target.start(clock);
            // JIT warm-up of both threads' paths at a moderate rate before anything is measured.
            run(target, WARM_UP_RATE, initialWarmUpNs, 0);
            for (final long rate : rates)
            {
                final Point point = run(target, rate, warmUpNs, measureNs);
                points.add(point);
                if (null != progress)
                {
                    progress.printf(Locale.ROOT, "  %-22s %,10d/s: took %,10.0f/s  p50 %s  p99 %s  p99.9 %s  " +
                        "p99.99 %s  max %s  producer lag max %s  (publish->dispatch p99 %s p99.9 %s)%s%n",
                        target.name(), rate, point.achievedRate,
                        micros(point.all, 50), micros(point.all, 99), micros(point.all, 99.9),
                        micros(point.all, 99.99), micros(point.all, 100), micros(point.producerMaxLagNs),
                        micros(point.published, 99), micros(point.published, 99.9),
                        point.sustained ? "" : "  SATURATED");
                }
                if (!point.sustained)
                {
                    break;
                }
            }
        }
        return points;
    }

    private Point run(final LatencyTarget target, final long rate, final long warmUpNs, final long measureNs)
    {
        final long intervalNs = Math.max(1, 1_000_000_000L / rate);
        final int[] levelMix = BenchmarkMessages.levelMix(4096, rate);
        final Histogram[] byLevel = target.histograms();
        for (final Histogram histogram : byLevel)
        {
            if (null != histogram)
            {
                histogram.reset();
            }
        }
        target.published().reset();
        // The target counts over its life; this run waits for its own messages.
        final long consumedBefore = target.consumed();

        final long startNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        final long windowStartNs = startNs + warmUpNs;
        final long endNs = windowStartNs + measureNs;
        target.window(windowStartNs, endNs);

        // The consumer's count is sampled at the wall-clock start and end of the window, not at intended times:
        // a producer running late must not stretch the window it is judged over.
        long counter = 0;
        long consumedAtWindowStart = -1;
        long consumedAtWindowEnd = -1;
        long maxLagNs = 0;
        long intendedNs = startNs;
        while (intendedNs < endNs)
        {
            long nowNs;
            while ((nowNs = clock.nanoTime()) < intendedNs)
            {
                Thread.onSpinWait();
            }
            if (consumedAtWindowStart < 0 && nowNs >= windowStartNs)
            {
                consumedAtWindowStart = target.consumed();
            }
            if (consumedAtWindowEnd < 0 && nowNs >= endNs)
            {
                consumedAtWindowEnd = target.consumed();
            }
            maxLagNs = Math.max(maxLagNs, nowNs - intendedNs);
            final int level = levelMix[(int)counter & (levelMix.length - 1)];
            while (!target.offer(level, intendedNs, counter))
            {
                Thread.onSpinWait();
            }
            counter++;
            intendedNs = startNs + counter * intervalNs;
        }
        if (consumedAtWindowEnd < 0)
        {
            while (clock.nanoTime() < endNs)
            {
                Thread.onSpinWait();
            }
            consumedAtWindowEnd = target.consumed();
        }

        final long drainDeadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (target.consumed() - consumedBefore < counter)
        {
            if (System.nanoTime() > drainDeadlineNs)
            {
                throw new IllegalStateException(target.name() + " at " + rate + "/s: consumer took " +
                    (target.consumed() - consumedBefore) + " of " + counter + " messages within the drain timeout");
            }
            Thread.onSpinWait();
        }

        final Histogram all = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        final Histogram[] levels = new Histogram[byLevel.length];
        for (int level = 1; level < byLevel.length; level++)
        {
            levels[level] = byLevel[level].copy();
            all.add(byLevel[level]);
        }
        final double achievedRate = 0 == measureNs ? 0 :
            (consumedAtWindowEnd - consumedAtWindowStart) * 1e9 / measureNs;
        final boolean sustained = achievedRate >= SUSTAINED_FRACTION * rate;
        return new Point(target.name(), rate, achievedRate, sustained, maxLagNs, all, levels,
            target.published().copy());
    }

    /**
     * The knee of a sweep: the highest sustained rate whose p99 is within {@link #KNEE_FACTOR}x the first point's.
     *
     * @param points one target's sweep.
     * @return the knee, or null if the first rate was not sustained.
     */
    public static Point knee(final List<Point> points)
    {
        Point knee = null;
        if (points.isEmpty())
        {
            return null;
        }
        final long baseP99 = Math.max(1, points.get(0).all.getValueAtPercentile(99));
        for (final Point point : points)
        {
            if (!point.sustained || point.all.getValueAtPercentile(99) > KNEE_FACTOR * baseP99)
            {
                break;
            }
            knee = point;
        }
        return knee;
    }

    /**
     * Write each point's histograms as HdrHistogram percentile distributions, in microseconds:
     * {@code latency-<target>-<rate>.hgrm} (all levels) and, at {@link #TARGET_RATE}, one per level.
     *
     * @param directory where.
     * @param points    any targets' points.
     * @throws IOException if a file cannot be written.
     */
    public static void writeHgrm(final Path directory, final List<Point> points) throws IOException
    {
        Files.createDirectories(directory);
        for (final Point point : points)
        {
            final String stem = "latency-" + point.target + "-" + point.rate;
            writeHgrm(directory.resolve(stem + ".hgrm"), point.all);
            if (point.rate == TARGET_RATE)
            {
                for (int level = 1; level < point.levels.length; level++)
                {
                    writeHgrm(directory.resolve(stem + "-level" + level + ".hgrm"), point.levels[level]);
                }
            }
        }
    }

    private static void writeHgrm(final Path file, final Histogram histogram) throws IOException
    {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, "UTF-8"))
        {
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
    }

    /**
     * @param points any targets' points.
     * @return the sweep as JSON: per point the rate, achieved rate, sustained, percentiles in ns, all and per level.
     */
    public static String json(final List<Point> points)
    {
        final JsonWriter json = new JsonWriter();
        json.beginArray();
        for (final Point point : points)
        {
            json.beginObject()
                .field("target", point.target)
                .field("rate", point.rate)
                .field("achievedRate", Math.round(point.achievedRate))
                .name("sustained").rawValue(Boolean.toString(point.sustained))
                .field("producerMaxLagNs", point.producerMaxLagNs);
            percentiles(json.name("all"), point.all);
            percentiles(json.name("publishToDispatch"), point.published);
            json.name("levels").beginArray();
            for (int level = 1; level < point.levels.length; level++)
            {
                percentiles(json, point.levels[level]);
            }
            json.endArray().endObject();
        }
        return json.endArray().toString();
    }

    private static void percentiles(final JsonWriter json, final Histogram histogram)
    {
        json.beginObject()
            .field("count", histogram.getTotalCount())
            .field("p50Ns", histogram.getValueAtPercentile(50))
            .field("p99Ns", histogram.getValueAtPercentile(99))
            .field("p999Ns", histogram.getValueAtPercentile(99.9))
            .field("p9999Ns", histogram.getValueAtPercentile(99.99))
            .field("maxNs", histogram.getMaxValue())
            .endObject();
    }

    /**
     * @param histogram  nanoseconds.
     * @param percentile 0..100; 100 is the maximum.
     * @return the value at that percentile, in microseconds (milliseconds from 10 ms) for a table.
     */
    public static String micros(final Histogram histogram, final double percentile)
    {
        return micros(percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile));
    }

    /**
     * @param ns nanoseconds.
     * @return the value in microseconds (milliseconds from 10 ms) for a table.
     */
    public static String micros(final long ns)
    {
        if (ns >= 10_000_000)
        {
            return String.format(Locale.ROOT, "%.0fms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fus", ns / 1e3);
    }

    /**
     * One target at one rate.
     *
     * @param target           the target's name.
     * @param rate             offered messages per second.
     * @param achievedRate     messages the consumer took per second during the measured window.
     * @param sustained        whether it kept up (took at least {@value #SUSTAINED_FRACTION} of the offered rate).
     * @param producerMaxLagNs the furthest the producer fell behind its schedule.
     * @param all              intended-send-to-dispatch latency in ns, all levels, measured window only.
     * @param levels           the same per level, index 1..4.
     * @param published        publish (the producer's actual hand-over) to dispatch in ns, all levels: the queue's
     *                         own latency, without the producer's lateness.
     */
    public record Point(
        String target,
        long rate,
        double achievedRate,
        boolean sustained,
        long producerMaxLagNs,
        Histogram all,
        Histogram[] levels,
        Histogram published)
    {
    }
}
