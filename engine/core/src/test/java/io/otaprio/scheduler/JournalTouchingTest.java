package io.otaprio.scheduler;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.JournalToucher;
import io.otaprio.journal.PageToucher;
import io.otaprio.journal.Recovered;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's journals are touched ahead from the scheduler's idle duty cycles only: a cycle with messages to
 * dispatch touches nothing, an idle one touches the accepted journal first, then the outcome journal, and closing the
 * engine's context stops both touchers.
 */
class JournalTouchingTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private final AdmissionResult result = new AdmissionResult();

    @Test
    void shouldTouchTheJournalsOnlyWhenIdleAndStopWithTheContext()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("journal"));
        final EngineContext ctx = TestEngines.context().dispatcher(new ImmediateDispatcher(4))
            .journal(config).conclude();
        final JournalToucher accepted = ctx.acceptedJournal().toucher();
        final JournalToucher outcomes = ctx.outcomeJournal().toucher();
        final int messages = 40;
        try
        {
            final Admission admission = new Admission(ctx);
            final Scheduler scheduler = new Scheduler(ctx);
            scheduler.onStart();
            for (int i = 0; i < messages; i++)
            {
                assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(),
                    TestPolicies.SRV_OF_LEVEL[1 + i % 4], new RequestId(1, 2, i), payload, 0, 8), result));
            }
            int cycles = 0;
            while (accepted.pagesTouched() == 0)
            {
                assertEquals(0, outcomes.pagesTouched(), "nothing touched while there are messages to dispatch");
                assertTrue(scheduler.doWork() > 0);
                assertTrue(++cycles < 1_000, "the scheduler went idle and touched");
            }
            assertEquals(0, scheduler.inFlightCount());
            assertEquals(0, outcomes.pagesTouched(), "the accepted journal first");
            while (scheduler.doWork() > 0)
            {
                assertTrue(++cycles < 10_000, "touching is bounded by how far ahead it keeps");
            }
            assertTrue(accepted.pagesTouched() >= accepted.aheadBytes() / 4096 - 1, "accepted: the whole window");
            assertTrue(outcomes.pagesTouched() >= outcomes.aheadBytes() / 4096 - 1, "then outcomes: the whole window");
            assertEquals(0, scheduler.doWork(), "both far enough ahead: the idle cycle has nothing to do");
            scheduler.onClose();
        }
        finally
        {
            ctx.close();
        }
        final long acceptedTouched = accepted.pagesTouched();
        final long outcomesTouched = outcomes.pagesTouched();
        assertEquals(0, accepted.touchAhead());
        assertEquals(0, outcomes.touchAhead());
        assertEquals(acceptedTouched, accepted.pagesTouched());
        assertEquals(outcomesTouched, outcomes.pagesTouched());

        final Recovered recovered = JournalRecovery.recover(config);
        assertEquals(messages, recovered.nextMessageId(), "touching added no message");
        assertEquals(0, recovered.pendingCount(), "and lost none: every one completed");
    }

    @Test
    void shouldTouchNothingWithoutAJournal()
    {
        final EngineContext ctx = TestEngines.context().conclude();
        try
        {
            assertSame(PageToucher.NONE, ctx.journalToucher());
        }
        finally
        {
            ctx.close();
        }
    }
}
