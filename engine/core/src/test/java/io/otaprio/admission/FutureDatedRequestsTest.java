package io.otaprio.admission;

import io.otaprio.engine.Engine;
import io.otaprio.journal.HeldJournal;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Future-dated requests through the whole engine with a real journal and a clock the test moves on: held until due,
 * released at their level under a new id with their TRT from the due time, resends DUPLICATE, holds and cancellations
 * across restarts, and retention that does not wait for a request held for years.
 */
@SuppressWarnings("try")   // some engines only run what they recover
class FutureDatedRequestsTest
{
    private static final long TIMEOUT_MS = 10_000;
    private static final long HOUR_NS = TimeUnit.HOURS.toNanos(1);
    private static final int SR = MessageKind.SERVICE_REQUEST.value();

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();

    @Test
    void shouldHoldUntilDueThenDispatchAtItsLevelUnderANewIdWithItsLatencyFromTheDueTime() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(4);
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = launch(journal(), dispatcher, submitter))
        {
            final RequestId held = new RequestId(1, 2, 3);
            final TestSubmitter.Answer answer = submitDated(submitter, 1, held, clock.nanoTime() + HOUR_NS);
            assertTrue(answer.accepted(), answer.toString());
            assertEquals(0, answer.messageId());
            assertEquals(1, answer.level());
            assertEquals(1, engine.context().metrics().heldNow());

            final TestSubmitter.Answer resend = submitDated(submitter, 1, held, clock.nanoTime() + HOUR_NS);
            assertEquals(RejectReason.DUPLICATE, resend.reason());
            assertEquals(0, resend.originalMessageId());
            assertTrue(resend.originalPending());

            final long now = submitDated(submitter, 4, new RequestId(1, 2, 4), Admission.NOT_FUTURE_DATED).id();
            assertEquals(1, now);
            final long soon = submitDated(submitter, 4, new RequestId(1, 2, 5), clock.nanoTime() + 500_000_000L).id();
            assertEquals(2, soon, "due within the grace: queued at once");
            assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
            assertFalse(dispatcher.awaitDispatched(3, 300), "not dispatched before it is due");

            clock.advance(HOUR_NS);
            assertTrue(dispatcher.awaitDispatched(3, TIMEOUT_MS));
            assertEquals(3L, dispatcher.dispatchedIds().get(2), "released under a new id");
            // The release is counted after its slot is published: the scheduler may dispatch it first.
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (engine.context().metrics().heldReleased() < 1 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(0, engine.context().metrics().heldNow());
            assertEquals(1, engine.context().metrics().heldReleased());
            assertEquals(1, engine.snapshot().level(1).accepted(), "accepted at its level when released");

            assertEquals(RejectReason.DUPLICATE, submitDated(submitter, 1, held, Admission.NOT_FUTURE_DATED).reason());
            assertEquals(3, submitDated(submitter, 1, held, Admission.NOT_FUTURE_DATED).originalMessageId(),
                "resend detection's entry moved to the new id");
            while (dispatcher.completeOldest() >= 0)
            {
                Thread.onSpinWait();
            }
            final TestSubmitter.Completion completion = awaitCompletion(submitter, 3);
            assertEquals(1, completion.level());
            assertTrue(completion.latencyNs() < TimeUnit.SECONDS.toNanos(5),
                "TRT runs from the due time, not from the hold an hour before: " + completion.latencyNs());
        }
    }

    @Test
    void shouldKeepAHoldAcrossARestartAnswerItsResendDuplicateAndReleaseItOnceWhenDue() throws Exception
    {
        final JournalConfig journal = journal();
        final RequestId held = new RequestId(7, 8, 9);
        try (Engine engine = launch(journal, new ManualDispatcher(4), new TestSubmitter()))
        {
            // The engine's own submitter is used inside; a second one keeps the test readable.
            assertEquals(0, engine.context().heldRequests().size());
        }
        final TestSubmitter first = new TestSubmitter();
        try (Engine engine = launch(journal, new ManualDispatcher(4), first))
        {
            assertEquals(0, submitDated(first, 2, held, clock.nanoTime() + 2 * HOUR_NS).messageId());
            assertEquals(1, submitDated(first, 3, new RequestId(7, 8, 10), Admission.NOT_FUTURE_DATED).messageId());
        }

        final ManualDispatcher dispatcher = new ManualDispatcher(4);
        final TestSubmitter second = new TestSubmitter();
        try (Engine engine = launch(journal, dispatcher, second))
        {
            assertEquals(1, engine.context().heldRequests().size(), "re-armed from the held queue");
            assertEquals(2, engine.context().nextMessageId());
            final TestSubmitter.Answer resend = submitDated(second, 2, held, clock.nanoTime() + 2 * HOUR_NS);
            assertEquals(RejectReason.DUPLICATE, resend.reason(), "a resend after the restart");
            assertEquals(0, resend.originalMessageId());
            assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS), "the replayed level-3 message");
            assertFalse(dispatcher.awaitDispatched(2, 300));

            clock.advance(2 * HOUR_NS);
            assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
            assertEquals(2L, dispatcher.dispatchedIds().get(1));
            dispatcher.completeOldest();
            dispatcher.completeOldest();
            TestEngines.awaitCompleted(engine, 2, TIMEOUT_MS);
        }

        final ManualDispatcher third = new ManualDispatcher(4);
        try (Engine engine = launch(journal, third, new TestSubmitter()))
        {
            assertEquals(0, engine.context().heldRequests().size(), "released exactly once");
            assertEquals(0, engine.context().recovered().pendingCount());
            assertFalse(third.awaitDispatched(1, 300));
        }
    }

    @Test
    void shouldReleaseRequestsThatFellDueWhileTheEngineWasDownAtOnceInDueOrder() throws Exception
    {
        final JournalConfig journal = journal();
        final TestSubmitter first = new TestSubmitter();
        try (Engine engine = launch(journal, new ManualDispatcher(4), first))
        {
            assertEquals(0, submitDated(first, 4, new RequestId(1, 1, 1), clock.nanoTime() + 2 * HOUR_NS).id());
            assertEquals(1, submitDated(first, 4, new RequestId(1, 1, 2), clock.nanoTime() + HOUR_NS).id());
        }
        clock.advance(3 * HOUR_NS);
        final ManualDispatcher dispatcher = new ManualDispatcher(4);
        try (Engine engine = launch(journal, dispatcher, new TestSubmitter()))
        {
            assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS), "overdue: released at once");
            assertEquals(2L, dispatcher.dispatchedIds().get(0), "the one due first, first");
            assertEquals(3L, dispatcher.dispatchedIds().get(1));
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (engine.context().metrics().heldReleased() < 2 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);   // counted just after the ring publish the scheduler may already have taken
            }
            assertEquals(2, engine.context().metrics().heldReleased());
        }
    }

    @Test
    void shouldCancelHeldRequestsOfTheSameOriginatorDeviceAndSrvAndKeepThemCancelledAcrossARestart() throws Exception
    {
        final JournalConfig journal = journal();
        final ManualDispatcher dispatcher = new ManualDispatcher(4);
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = launch(journal, dispatcher, submitter))
        {
            final long due = clock.nanoTime() + HOUR_NS;
            assertTrue(submitDated(submitter, 2, new RequestId(5, 6, 1), due).accepted());
            assertTrue(submitDated(submitter, 2, new RequestId(5, 6, 2), due + 1).accepted());
            assertTrue(submitDated(submitter, 3, new RequestId(5, 6, 3), due).accepted(), "another SRV");
            assertTrue(submitDated(submitter, 2, new RequestId(5, 7, 4), due).accepted(), "another device");
            assertEquals(4, engine.context().heldRequests().size());

            final TestSubmitter.Answer cancellation =
                submitDated(submitter, 2, new RequestId(5, 6, 5), Admission.CANCELS_HELD);
            assertTrue(cancellation.accepted(), cancellation.toString());
            assertEquals(2, cancellation.cancelled());
            assertEquals(4, cancellation.messageId());
            assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS), "the cancellation itself goes downstream at once");
            assertEquals(4L, dispatcher.dispatchedIds().get(0));
            assertEquals(2, engine.context().heldRequests().size());
            assertEquals(2, engine.context().metrics().heldCancelled());
            assertEquals(RejectReason.DUPLICATE, submitDated(submitter, 2, new RequestId(5, 6, 1), due).reason(),
                "a cancelled request is remembered for the window, like a completed one");
        }
        clock.advance(2 * HOUR_NS);
        final ManualDispatcher after = new ManualDispatcher(8);
        try (Engine engine = launch(journal, after, new TestSubmitter()))
        {
            assertTrue(after.awaitDispatched(3, TIMEOUT_MS), "the cancellation (replayed) and the two still held");
            assertFalse(after.awaitDispatched(4, 300), "the cancelled ones stay cancelled");
        }
    }

    @Test
    void shouldDeleteOldAcceptedAndOutcomeCyclesWhileARequestIsHeldForYears() throws Exception
    {
        final JournalConfig journal = journal().rollCycle("TEST_SECONDLY").retainCompletedCycles(0)
            .checkpointIntervalNs(200_000_000L);
        final ManualDispatcher dispatcher = new ManualDispatcher(4);
        final TestSubmitter submitter = new TestSubmitter();
        final long in2030 = Instant.parse("2030-06-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
        try (Engine engine = launch(journal, dispatcher, submitter))
        {
            assertEquals(0, submitDated(submitter, 4, new RequestId(9, 9, 9), in2030).messageId());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            while (engine.context().outcomeJournal().deletedFiles() < 4 && System.nanoTime() < deadline)
            {
                assertTrue(submitDated(submitter, 1 + sent % 4, new RequestId(3, 3, 100 + sent),
                    Admission.NOT_FUTURE_DATED).accepted());
                sent++;
                assertTrue(dispatcher.awaitDispatched(sent, TIMEOUT_MS));
                dispatcher.completeOldest();
                Thread.sleep(50);
            }
            assertTrue(engine.context().outcomeJournal().deletedFiles() >= 4,
                "retention deleted accepted and outcome cycles with a request held until 2030");
            assertTrue(engine.context().outcomeJournal().watermark() > 0, "the watermark stepped over the held id");
            assertTrue(cycleFiles(HeldJournal.directory(journal)) <= 3,
                "the held queue keeps its live request's recent cycles only: " + cycleFiles(
                    HeldJournal.directory(journal)));
        }
        try (Engine engine = launch(journal, new ManualDispatcher(4), new TestSubmitter()))
        {
            assertEquals(1, engine.context().heldRequests().size(), "still held after retention and a restart");
            assertEquals(0, JournalRecovery.recover(journal).pendingCount());
        }
    }

    private JournalConfig journal() throws IOException
    {
        return new JournalConfig(Files.createDirectories(dir.resolve("journal")));
    }

    private Engine launch(final JournalConfig journal, final ManualDispatcher dispatcher, final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .clock(clock)
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(64)
            .dedup(TimeUnit.HOURS.toNanos(24), 1024)
            .journal(journal)
            .addTransport(new InProcessTransport(submitter)));
    }

    private static TestSubmitter.Answer submitDated(
        final TestSubmitter submitter, final int level, final RequestId requestId, final long dueAtNs)
    {
        return submitter.submitDated(SR, TestPolicies.SRV_OF_LEVEL[level], requestId, 1, dueAtNs);
    }

    private static TestSubmitter.Completion awaitCompletion(final TestSubmitter submitter, final long messageId)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline)
        {
            for (final TestSubmitter.Completion completion : submitter.completions())
            {
                if (completion.messageId() == messageId)
                {
                    return completion;
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("message " + messageId + " did not complete");
    }


    private static long cycleFiles(final Path queue) throws IOException
    {
        try (Stream<Path> files = Files.list(queue))
        {
            return files.filter((p) -> p.toString().endsWith(".cq4")).count();
        }
    }

    /** The engine's clock, which the test moves on; any thread. */
    private static final class MovableClock implements EpochNanoClock
    {
        private final OffsetEpochNanoClock real = new OffsetEpochNanoClock();
        private volatile long offsetNs;

        public long nanoTime()
        {
            return real.nanoTime() + offsetNs;
        }

        void advance(final long ns)
        {
            offsetNs += ns;
        }
    }
}
