package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.Recovered;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine measures its own recovery: a real journal with a checkpoint and a backlog behind it, a real engine on it.
 */
class RecoveryMilestonesTest
{
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldReportScanFirstReplayedLevelOneDispatchAndBacklogQueuedAfterARestart() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        // 200 messages completed, checkpointed as the engine stops: the next start's scan begins at the last of them.
        final TestSubmitter first = new TestSubmitter();
        try (Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(new SimulatedDsp(64, ServiceTimes.builder(1_000L, ServiceTimes.Distribution.FIXED).build(), 1))
            .maxPayloadBytes(64)
            .journal(journal)
            .addTransport(new InProcessTransport(first))))
        {
            for (int i = 0; i < 200; i++)
            {
                assertTrue(submit(first, 4, i) >= 0);
            }
            TestEngines.awaitCompleted(engine, 200, TIMEOUT_MS);
            assertEquals(-1, engine.context().recoveryMilestones().firstLevelOneDispatchUs(), "nothing replayed");
            assertEquals(engine.context().recoveryMilestones().scannedUs(),
                engine.context().recoveryMilestones().backlogQueuedUs(), "an empty backlog is queued once scanned");
        }
        // Then a backlog of 30 level-4 and 5 level-1 messages, left pending by a downstream that never answers.
        final TestSubmitter second = new TestSubmitter();
        try (Engine engine = launch(journal, new ManualDispatcher(1), second))
        {
            for (int i = 0; i < 30; i++)
            {
                assertTrue(submit(second, 4, 1000 + i) >= 0);
            }
            for (int i = 0; i < 5; i++)
            {
                assertTrue(submit(second, 1, 2000 + i) >= 0);
            }
            awaitDepth(engine, 34);
        }

        final ManualDispatcher downstream = new ManualDispatcher(1);
        try (Engine engine = launch(journal, downstream, new TestSubmitter()))
        {
            final Recovered recovered = engine.context().recovered();
            final RecoveryMilestones milestones = engine.context().recoveryMilestones();
            assertEquals(35, recovered.pendingCount());
            assertEquals(36, recovered.acceptedCount(), "scanned from the checkpoint (message 199) on, not all 235");
            assertEquals(35, milestones.pending(0));
            assertEquals(5, milestones.pending(1));
            assertEquals(30, milestones.pending(4));
            assertEquals(recovered.acceptedBytesScanned(), milestones.acceptedBytesScanned());
            assertEquals(recovered.outcomeBytesScanned(), milestones.outcomeBytesScanned());
            assertTrue(milestones.acceptedBytesScanned() >= 36 * 64, "each message's bytes at least");
            assertTrue(milestones.scannedUs() > 0, "the scan ends after the JVM started");

            assertTrue(downstream.awaitDispatched(1, TIMEOUT_MS));
            awaitDepth(engine, 34);
            awaitAtLeast(milestones::firstLevelOneDispatchUs, milestones.scannedUs());
            awaitAtLeast(milestones::backlogQueuedUs, milestones.scannedUs());
            // Ids 0..199 completed, 200..229 level 4, 230..234 level 1.
            assertEquals(230, downstream.dispatchedIds().get(0), "the oldest replayed level-1 message went first");

            final String metrics = PrometheusEndpoint.collect(engine);
            assertTrue(metrics.contains("otaprio_recovery_seconds{milestone=\"first_level1_dispatch\"} " +
                milestones.firstLevelOneDispatchUs() / 1e6), metrics);
            assertTrue(metrics.contains("otaprio_recovery_pending{level=\"1\"} 5"), metrics);
            assertTrue(metrics.contains("otaprio_recovery_scanned_bytes{queue=\"accepted\"} " +
                milestones.acceptedBytesScanned()), metrics);
        }
    }

    @Test
    void shouldReachNoMilestoneWithoutAJournal() throws Exception
    {
        try (Engine engine = Engine.launch(TestEngines.context().dispatcher(new ManualDispatcher(1))))
        {
            final RecoveryMilestones milestones = engine.context().recoveryMilestones();
            assertEquals(RecoveryMilestones.NOT_YET, milestones.scannedUs());
            assertEquals(RecoveryMilestones.NOT_YET, milestones.firstLevelOneDispatchUs());
            assertEquals(RecoveryMilestones.NOT_YET, milestones.backlogQueuedUs());
            assertFalse(PrometheusEndpoint.collect(engine).contains("otaprio_recovery_"));
        }
    }

    private static Engine launch(
        final JournalConfig journal, final ManualDispatcher dispatcher, final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .maxPayloadBytes(64)
            .journal(journal)
            .addTransport(new InProcessTransport(submitter)));
    }

    /** Message ids are the engine's; the test's own number for each message rides in its payload. */
    private long submit(final TestSubmitter submitter, final int level, final long number)
    {
        payload.putLong(0, number);
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(11, 12, number), payload, 0, 24).id();
    }


    private static void awaitDepth(final Engine engine, final long depth) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.depth() != depth && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(depth, engine.depth());
    }

    private static void awaitAtLeast(final LongSupplier value, final long least)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (value.getAsLong() < least && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertTrue(value.getAsLong() >= least, value.getAsLong() + " < " + least);
    }
}
