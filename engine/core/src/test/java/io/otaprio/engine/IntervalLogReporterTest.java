package io.otaprio.engine;

import io.otaprio.protocol.MessageKind;
import io.otaprio.testing.ImmediateDispatcher;
import io.otaprio.testing.TestPolicies;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reporter thread's interval logs hold every completion exactly once, per level, in files HdrHistogram's own
 * reader reads, and the thread is gone after close.
 */
class IntervalLogReporterTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLogEveryLatencyOnceInHdrHistogramIntervalLogsPerLevel() throws Exception
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final int[] perLevel = { 0, 30, 20, 10, 40 };
        try (Engine engine = Engine.launch(new EngineContext()
            .policy(TestPolicies.fourLevels())
            .dispatcher(new ImmediateDispatcher(4))
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(8)
            .schedulerIdleStrategy(new YieldingIdleStrategy())))
        {
            final IntervalLogReporter reporter = IntervalLogReporter.start(engine, dir, 20);
            long counter = 0;
            for (int round = 0; round < 10; round++)
            {
                for (int level = 1; level <= 4; level++)
                {
                    for (int i = 0; i < perLevel[level] / 10; i++)
                    {
                        assertTrue(engine.admission().submit(MessageKind.SERVICE_REQUEST.value(),
                            TestPolicies.SRV_OF_LEVEL[level], 1, 2, counter++, payload, 0, 8) >= 0);
                    }
                }
                Thread.sleep(15);
            }
            final long deadline = System.currentTimeMillis() + 10_000;
            while (engine.metrics().completedTotal() < counter && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            engine.snapshot();   // another reader's snapshot: its interval must reach the log too
            reporter.close();
            assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && "otaprio-reporter".equals(t.getName())), "reporter thread stopped");
        }

        for (int level = 1; level <= 4; level++)
        {
            final HistogramLogReader reader = new HistogramLogReader(dir.resolve("level-" + level + ".hlog").toFile());
            long count = 0;
            int intervals = 0;
            EncodableHistogram interval;
            while (null != (interval = reader.nextIntervalHistogram()))
            {
                count += ((org.HdrHistogram.Histogram)interval).getTotalCount();
                intervals++;
            }
            reader.close();
            assertEquals(perLevel[level], count, "level " + level);
            assertTrue(intervals >= 1);
        }
    }
}
