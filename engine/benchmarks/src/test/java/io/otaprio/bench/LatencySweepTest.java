package io.otaprio.bench;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The latency harness measures what it says: every message offered in the window is recorded once, per level in
 * the benchmark mix, intended-send latency never below publish latency; the knee and the saturation verdicts follow
 * their definitions; and every consumer thread it starts is stopped.
 */
class LatencySweepTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRecordEveryMessageOfTheWindowOnceForTheEngineAndTheBaseline() throws Exception
    {
        final long rate = 20_000;
        final long measureNs = TimeUnit.MILLISECONDS.toNanos(300);
        final LatencySweep sweep = new LatencySweep(TimeUnit.MILLISECONDS.toNanos(100),
            TimeUnit.MILLISECONDS.toNanos(100), measureNs, null);
        for (final LatencyTarget target : new LatencyTarget[]{ new EngineLatencyTarget(),
            new PriorityBlockingQueueLatencyTarget() })
        {
            final List<LatencySweep.Point> points = sweep.sweep(target, new long[]{ rate });
            assertEquals(1, points.size());
            final LatencySweep.Point point = points.get(0);
            final long expected = measureNs / (1_000_000_000L / rate);
            assertEquals(expected, point.all().getTotalCount(), target.name());
            assertEquals(expected, point.published().getTotalCount(), target.name());
            long perLevel = 0;
            for (int level = 1; level <= 4; level++)
            {
                assertTrue(point.levels()[level].getTotalCount() > 0, target.name() + " level " + level);
                perLevel += point.levels()[level].getTotalCount();
            }
            assertEquals(expected, perLevel);
            assertTrue(point.all().getMaxValue() >= point.published().getMaxValue(),
                "intended-send latency includes the producer's lateness");
            assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("otaprio-latency")).count(), "consumer thread stopped");
        }

        LatencySweep.writeHgrm(dir, List.of(new LatencySweep.Point("engine", LatencySweep.TARGET_RATE, 1, true, 0,
            histogram(1_000), new Histogram[]{ null, histogram(1), histogram(2), histogram(3), histogram(4) },
            histogram(500))));
        assertTrue(Files.readString(dir.resolve("latency-engine-100000.hgrm")).contains("Value     Percentile"));
        assertTrue(Files.exists(dir.resolve("latency-engine-100000-level4.hgrm")));
    }

    @Test
    void shouldPlaceTheKneeAtTheLastSustainedRateWithinTenTimesTheFirstP99()
    {
        final List<LatencySweep.Point> points = List.of(
            point(50_000, true, 2_000),
            point(100_000, true, 3_000),
            point(250_000, true, 19_000),
            point(500_000, true, 21_000),
            point(1_000_000, true, 5_000),
            point(2_000_000, false, 1_000));
        assertEquals(250_000, LatencySweep.knee(points).rate(), "the first p99 above 10x the first point ends it");
        assertEquals(100_000, LatencySweep.knee(List.of(points.get(0), points.get(1),
            point(250_000, false, 2_000))).rate(), "a saturated rate ends it");
        assertNull(LatencySweep.knee(List.of(point(50_000, false, 1_000))));
    }

    private static LatencySweep.Point point(final long rate, final boolean sustained, final long p99Ns)
    {
        final Histogram histogram = histogram(p99Ns);
        return new LatencySweep.Point("engine", rate, rate, sustained, 0, histogram,
            new Histogram[]{ null, histogram, histogram, histogram, histogram }, histogram);
    }

    private static Histogram histogram(final long value)
    {
        final Histogram histogram = new Histogram(LatencyTarget.HIGHEST_TRACKABLE_NS, 3);
        histogram.recordValueWithCount(value, 100);
        return histogram;
    }
}
