package io.otaprio.admission;

import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resent requests: answered DUPLICATE with the original id while pending and for the window after completion,
 * counted per level, admitted again once forgotten, and still recognised after a restart from the journal.
 */
class ResendDetectionTest
{
    private static final long WINDOW_NS = 1_000_000_000L;
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);

    @Test
    void shouldAnswerDuplicateWhilePendingAndForTheWindowAfterCompletion()
    {
        final long[] now = { 5_000_000_000L };
        final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        final Admission admission = new Admission(new PriorityRings(new int[]{ 8, 8, 8, 8 }, 16),
            TestPolicies.fourLevels(), metrics, () -> now[0], 16, 0, null, new RequestIdIndex(WINDOW_NS, 64));

        final long first = submit(admission, 1, 100);
        assertTrue(first >= 0);
        assertEquals(-RejectReason.DUPLICATE.code(), submit(admission, 1, 100), "the same RequestID, pending");
        assertEquals(first, admission.lastDuplicateOf());
        assertTrue(admission.lastDuplicatePending());
        assertTrue(submit(admission, 1, 101) >= 0, "another counter is another request");
        assertTrue(admission.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1], 7, 99, 100,
            payload, 0, 16) >= 0, "another target is another request");

        admission.onCompleted(7, 8, 100, first, now[0]);
        now[0] += WINDOW_NS - 1;
        assertEquals(-RejectReason.DUPLICATE.code(), submit(admission, 1, 100), "completed within the window");
        assertEquals(first, admission.lastDuplicateOf());
        assertFalse(admission.lastDuplicatePending());
        now[0] += 1;
        final long again = submit(admission, 1, 100);
        assertTrue(again > first, "forgotten once the window has passed: admitted as a new message");

        assertTrue(submit(admission, 4, 200) >= 0);
        assertEquals(-RejectReason.DUPLICATE.code(), submit(admission, 4, 200));
        final MetricsSnapshot snapshot = metrics.snapshot(new long[4], new long[5]);
        assertEquals(2, snapshot.level(1).duplicates());
        assertEquals(1, snapshot.level(4).duplicates());
        assertEquals(3, snapshot.rejected(RejectReason.DUPLICATE));
        assertEquals(0, metrics.dedupUntracked());
    }

    @Test
    void shouldRecogniseResendsAfterARestartFromTheJournal() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final long pendingId;
        final long completedId;
        final ManualDispatcher first = new ManualDispatcher(1);
        try (Engine engine = launch(journal, first))
        {
            completedId = submit(engine.admission(), 2, 1);
            assertTrue(first.awaitDispatched(1, TIMEOUT_MS));
            assertEquals(completedId, first.completeOldest());
            pendingId = submit(engine.admission(), 3, 2);
            assertTrue(first.awaitDispatched(2, TIMEOUT_MS));
            awaitCompleted(engine, 1);
        }

        try (Engine engine = launch(journal, new ManualDispatcher(1)))
        {
            final Admission admission = engine.admission();
            assertEquals(2, admission.requests().size(), "one pending, one completed within the window");
            assertEquals(-RejectReason.DUPLICATE.code(), submit(admission, 3, 2));
            assertEquals(pendingId, admission.lastDuplicateOf());
            assertTrue(admission.lastDuplicatePending());
            assertEquals(-RejectReason.DUPLICATE.code(), submit(admission, 2, 1));
            assertEquals(completedId, admission.lastDuplicateOf());
            assertFalse(admission.lastDuplicatePending());
            assertTrue(submit(admission, 2, 3) >= 0);
        }
    }

    private Engine launch(final JournalConfig journal, final ManualDispatcher dispatcher)
    {
        return Engine.launch(new EngineContext()
            .policy(TestPolicies.fourLevels())
            .dispatcher(dispatcher)
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(16)
            .journal(journal)
            .dedup(60_000_000_000L, 1024)
            .schedulerIdleStrategy(new YieldingIdleStrategy()));
    }

    private long submit(final Admission admission, final int level, final long counter)
    {
        return admission.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level], 7, 8, counter,
            payload, 0, 16);
    }

    private static void awaitCompleted(final Engine engine, final long completed) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.metrics().completedTotal() < completed && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(completed, engine.metrics().completedTotal());
    }
}
