package io.otaprio.peer;

import io.otaprio.loadgen.LoadRun;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerResultTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void shouldPrintTheLoadGeneratorsLevelTableUnderASummaryLine()
    {
        final String table = result().table();
        final String[] lines = table.split("\n");

        assertEquals("peer rabbitmq, policy default, scenario burst: offered 1000, published 1000, completed 990, " +
            "pending 10, 99 msgs/s", lines[0]);
        assertEquals("level  completed       p50       p99     p99.9       max      TRT  within TRT", lines[1]);
        assertEquals("    1         50   568.3ms      2.0s      2.0s      2.0s     1.0s      67.50%", lines[2]);
        assertTrue(lines[5].startsWith("    4        700"), lines[5]);
        assertTrue(lines[6].contains("publish lag behind the schedule p50 11us, p99 16.4ms, max 34.1ms"), lines[6]);
        assertTrue(lines[6].contains("at most 32 in service (prefetch 32)"), lines[6]);
    }

    @Test
    void shouldWriteTheLoadGeneratorsFieldsAndLevelsPlusTheBrokers()
    {
        final String json = result().json();

        assertTrue(json.startsWith("{\"peer\":\"rabbitmq\",\"broker\":\"RabbitMQ 3.10.8\"," +
            "\"queue\":\"classic queue q\",\"durable\":true,\"prefetch\":32,\"scenario\":\"burst\"," +
            "\"policy\":\"default\",\"offered\":1000," +
            "\"published\":1000,\"completed\":990,\"pending\":10,"), json);
        assertTrue(json.contains("\"durationSeconds\":8.000,\"drainSeconds\":2.000,\"throughputPerSecond\":99.000"),
            json);
        assertTrue(json.contains("\"publishLag\":{\"p50Us\":11,\"p99Us\":16375,\"p999Us\":28271,\"maxUs\":34143}"),
            json);
        assertTrue(json.contains("\"publishedByLevel\":[50,100,150,700]"), json);
        assertTrue(json.contains("\"levels\":[{\"level\":1,\"completed\":50,\"p50Us\":568319,\"p99Us\":1985535," +
            "\"p999Us\":2014207,\"maxUs\":2018303,\"trtMs\":1000.000,\"withinTrtPct\":67.500},"), json);
        assertTrue(json.endsWith("\"withinTrtPct\":100.000}]}"), json);
    }

    @Test
    void shouldCountThroughputOverTheLoadAndTheDrain()
    {
        final PeerResult result = result();
        assertEquals(990, result.completed());
        assertEquals(10, result.pending());
        assertEquals(99.0, result.throughputPerSecond(), 1e-9);
    }

    private static PeerResult result()
    {
        final List<LevelReport> levels = List.of(
            new LevelReport(1, 50, new LatencySummary(50, 568_319, 1_985_535, 2_014_207, 2_018_303), SECOND_NS, 67.5),
            new LevelReport(2, 100, new LatencySummary(100, 5_000, 9_000, 9_500, 9_900), 5 * SECOND_NS, 100),
            new LevelReport(3, 140, new LatencySummary(140, 5_000, 9_000, 9_500, 9_900), 10 * SECOND_NS, 100),
            new LevelReport(4, 700, new LatencySummary(700, 8_503_295, 10_477_567, 10_518_527, 10_551_295),
                30 * SECOND_NS, 100));
        return new PeerResult("RabbitMQ 3.10.8", "classic queue q", true, 32,
            new LoadRun("burst", "default", 7545.0, 8.0, 2.0, levels, "steady 3773/s 1.3s", 1), 1000, 1000,
            new long[]{ 0, 50, 100, 150, 700 }, 32, new LatencySummary(1000, 11, 16_375, 28_271, 34_143));
    }
}
