package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reporter thread's interval logs hold every completion exactly once, per level, in files HdrHistogram's own
 * reader reads, and the thread is gone after close.
 */
class ReporterTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLogEveryLatencyOnceInHdrHistogramIntervalLogsPerLevel() throws Exception
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final int[] perLevel = { 0, 30, 20, 10, 40 };
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(new ImmediateDispatcher(4))
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(8)
            .hlogDirectory(dir)
            .reporterIntervalNs(TimeUnit.MILLISECONDS.toNanos(20))
            .addTransport(new InProcessTransport(submitter))))
        {
            long counter = 0;
            for (int round = 0; round < 10; round++)
            {
                for (int level = 1; level <= 4; level++)
                {
                    for (int i = 0; i < perLevel[level] / 10; i++)
                    {
                        assertTrue(submitter.submit(MessageKind.SERVICE_REQUEST.value(),
                            TestPolicies.SRV_OF_LEVEL[level], new RequestId(1, 2, counter++), payload, 0, 8)
                            .accepted());
                    }
                }
                Thread.sleep(15);
            }
            final long deadline = System.currentTimeMillis() + 10_000;
            while (engine.context().metrics().completedTotal() < counter && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            engine.snapshot();   // another reader's snapshot: its interval must reach the log too
        }
        assertFalse(TestEngines.threadAlive("otaprio-reporter"), "reporter thread stopped");

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
