package io.otaprio.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary states each target from the run's own numbers: fork medians from JMH's raw data, ratios against the
 * baseline of the same file, and met or missed by the target's threshold.
 */
class BenchSummaryTest
{
    @TempDir
    Path dir;

    @Test
    void shouldQuoteForkMediansRatiosAndVerdictsFromTheJmhFile() throws Exception
    {
        final Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" +
            result("io.otaprio.bench.FourRingSchedulerThroughputBenchmark.publishBatch", "", "[[4.0e6, 4.2e6], " +
                "[3.0e6, 3.2e6], [5.0e6, 5.0e6]]", 0.03) + "," +
            result("io.otaprio.bench.JournaledEngineThroughputBenchmark.publishBatch", "", "[[2.5e6], [2.1e6], " +
                "[1.9e6]]", 0.05) + "," +
            result("io.otaprio.bench.PriorityBlockingQueueThroughputBenchmark.publishBatch", "", "[[1.0e6], [2.0e6], " +
                "[1.6e6]]", 220.0) + "," +
            result("io.otaprio.bench.AdmissionBenchmark.submit", "{\"journaled\": \"true\"}", "[[9.0e6]]", 0.0) +
            "]");
        final JmhResults results = JmhResults.read(json);
        final JmhResults.Entry engine = results.find("FourRingSchedulerThroughputBenchmark.publishBatch", "");
        assertEquals(4.1e6, engine.forkMedian(), 1);
        assertEquals(3, engine.forkMeans().length);
        assertEquals(0.03, engine.allocBytesPerOp(), 1e-9);
        assertEquals(9.0e6, results.find("AdmissionBenchmark.submit", "journaled=true").forkMedian(), 1);

        final BenchSummary summary = new BenchSummary(new BenchRun.Settings(dir, true, Set.of("jmh"), "busy-spin",
            List.of("dedicated"), dir, "./otaprio bench --quick", new PrintStream(PrintStream.nullOutputStream())));
        summary.jmh(results);
        final String md = summary.markdown("0.1 0.1 0.1");
        assertTrue(md.contains("| Scheduler path, no journal: >= 15 M msgs/s | 4.10 M msgs/s |  | **missed** (27% of " +
            "target) |"), md);
        assertTrue(md.contains("| ... and >= 10x `PriorityBlockingQueue` in the same run | 2.56x | " +
            "PBQ 1.60 M msgs/s | **missed** (26% of target) |"), md);
        assertTrue(md.contains("| Both journals on, in-process: >= 2 M msgs/s sustained | 2.10 M msgs/s | 0.51x the " +
            "unjournaled engine | **met** |"), md);
        assertTrue(md.contains("| Allocation on the engine path: ~0 B per message | 0.030 B/msg (journal off), 0.050 " +
            "B/msg (journals on) | PBQ 220 B/msg | **met** |"), md);
        assertTrue(md.contains("| AdmissionBenchmark.submit (journaled=true) |"), md);
    }

    private static String result(final String benchmark, final String params, final String raw, final double alloc)
    {
        return "{\"benchmark\": \"" + benchmark + "\", \"mode\": \"thrpt\"" +
            (params.isEmpty() ? "" : ", \"params\": " + params) +
            ", \"primaryMetric\": {\"score\": 1.0, \"scoreError\": 0.5, \"scoreUnit\": \"ops/s\", \"rawData\": " + raw +
            "}, \"secondaryMetrics\": {\"\u00b7gc.alloc.rate.norm\": {\"score\": " + alloc + "}}}";
    }
}
