package io.otaprio.admission;

import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
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
        final EngineContext ctx = TestEngines.context().clock(() -> now[0]).ringSizes(8, 8, 8, 8).maxPayloadBytes(16)
            .dedup(WINDOW_NS, 64).conclude();
        final EngineMetrics metrics = ctx.metrics();
        final Admission admission = new Admission(ctx);
        final AdmissionResult result = new AdmissionResult();

        assertTrue(submit(admission, result, 1, 100));
        final long first = result.messageId();
        assertFalse(submit(admission, result, 1, 100), "the same RequestID, pending");
        assertEquals(RejectReason.DUPLICATE, result.reason());
        assertEquals(first, result.originalMessageId());
        assertTrue(result.originalPending());
        assertTrue(submit(admission, result, 1, 101), "another counter is another request");
        assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
            new RequestId(7, 99, 100), payload, 0, 16), result), "another target is another request");

        admission.onCompleted(Submissions.completed(new RequestId(7, 8, 100), first, 1, now[0]));
        now[0] += WINDOW_NS - 1;
        assertFalse(submit(admission, result, 1, 100), "completed within the window");
        assertEquals(RejectReason.DUPLICATE, result.reason());
        assertEquals(first, result.originalMessageId());
        assertFalse(result.originalPending());
        now[0] += 1;
        assertTrue(submit(admission, result, 1, 100));
        assertTrue(result.messageId() > first, "forgotten once the window has passed: admitted as a new message");

        assertTrue(submit(admission, result, 4, 200));
        assertFalse(submit(admission, result, 4, 200));
        assertEquals(RejectReason.DUPLICATE, result.reason());
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
        final TestSubmitter before = new TestSubmitter();
        try (Engine engine = launch(journal, first, before))
        {
            completedId = submit(before, 2, 1).messageId();
            assertTrue(first.awaitDispatched(1, TIMEOUT_MS));
            assertEquals(completedId, first.completeOldest());
            pendingId = submit(before, 3, 2).messageId();
            assertTrue(first.awaitDispatched(2, TIMEOUT_MS));
            TestEngines.awaitCompleted(engine, 1, TIMEOUT_MS);
        }

        final TestSubmitter after = new TestSubmitter();
        try (Engine engine = launch(journal, new ManualDispatcher(1), after))
        {
            assertEquals(2, engine.context().resendDetection().size(), "one pending, one completed within the window");
            TestSubmitter.Answer answer = submit(after, 3, 2);
            assertEquals(RejectReason.DUPLICATE, answer.reason());
            assertEquals(pendingId, answer.originalMessageId());
            assertTrue(answer.originalPending());
            answer = submit(after, 2, 1);
            assertEquals(RejectReason.DUPLICATE, answer.reason());
            assertEquals(completedId, answer.originalMessageId());
            assertFalse(answer.originalPending());
            assertTrue(submit(after, 2, 3).accepted());
        }
    }

    private Engine launch(final JournalConfig journal, final ManualDispatcher dispatcher, final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(16)
            .journal(journal)
            .dedup(60_000_000_000L, 1024)
            .addTransport(new InProcessTransport(submitter)));
    }

    private boolean submit(final Admission admission, final AdmissionResult result, final int level, final long counter)
    {
        return admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(7, 8, counter), payload, 0, 16), result);
    }

    private TestSubmitter.Answer submit(final TestSubmitter submitter, final int level, final long counter)
    {
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(7, 8, counter), payload, 0, 16);
    }

}
