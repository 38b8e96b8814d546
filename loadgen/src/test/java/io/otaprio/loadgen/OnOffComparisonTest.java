package io.otaprio.loadgen;

import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one table of a setting on and off: both runs' levels side by side, and the throughput each kept up with during
 * the load (not counting the drain, which the last slow message decides).
 */
class OnOffComparisonTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void shouldSetBothRunsSideBySideWithWhatEachCompletedPerSecondDuringTheLoad()
    {
        final SimulationResult on = result(18_300, 2_700, 9_000, 12.0);
        final SimulationResult off = result(152_000, 3_000, 8_000, 3.0);
        final OnOffComparison comparison = new OnOffComparison("dsp.reserved",
            "dsp.reserved 4 slots for levels 1-2", on, off);

        assertEquals(90.0, OnOffComparison.completedPerSecond(on), 1e-9, "2700 in the 30 s of load");
        assertEquals(100.0, OnOffComparison.completedPerSecond(off), 1e-9);
        assertEquals(0.9, comparison.throughputRatio(), 1e-9);

        final String table = comparison.table();
        final List<String> lines = table.lines().toList();
        assertEquals(8, lines.size(), table);
        assertTrue(lines.get(0).contains("dsp.reserved 4 slots for levels 1-2") &&
            lines.get(0).contains("none (dsp.reserved off)"), table);
        assertEquals("    1      1.0ms    18.3ms    20.0ms  100.00%      1.0ms   152.0ms   160.0ms   99.50%",
            lines.get(2));
        assertTrue(lines.get(6).startsWith("completed/s during load") && lines.get(6).contains("90.0") &&
            lines.get(6).contains("100.0") && lines.get(6).endsWith("on/off 0.900"), table);
        assertTrue(lines.get(7).contains("42.0s") && lines.get(7).contains("33.0s"), table);

        final String json = comparison.json("slow-downstream");
        assertTrue(json.startsWith("{\"scenario\":\"slow-downstream\",\"setting\":\"dsp.reserved\",\"on\":" +
            "{\"label\":\"dsp.reserved 4 slots for levels 1-2\",\"completedPerSecond\":90.000,\"run\":" +
            "{\"scenario\":\"slow-downstream\""), json);
        assertTrue(json.contains(",\"off\":{\"label\":\"none\",\"completedPerSecond\":100.000,\"run\":{"), json);
        assertTrue(json.endsWith(",\"throughputRatio\":0.900}"), json);
    }

    private static SimulationResult result(
        final long levelOneP99Us, final long completedDuringLoad, final long completed, final double drainSeconds)
    {
        final List<LevelReport> levels = new ArrayList<>();
        for (int level = 1; level <= 4; level++)
        {
            final long p99Us = 1 == level ? levelOneP99Us : 5_000;
            levels.add(new LevelReport(level, 100, new LatencySummary(100, 1_000, p99Us, p99Us, p99Us + 1_700 +
                (p99Us > 100_000 ? 6_300 : 0)), level * SECOND_NS, 1 == level && p99Us > 100_000 ? 99.5 : 100));
        }
        return new SimulationResult(new LoadRun(SlowDownstream.SCENARIO, "default", 300, 30, drainSeconds, levels,
            "steady 285/s 30.0s", 1), completed, completed, completed, new long[RejectReason.values().length + 1], 0,
            completedDuringLoad);
    }
}
