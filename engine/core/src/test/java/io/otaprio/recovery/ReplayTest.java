package io.otaprio.recovery;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.engine.Engine;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalException;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recovery inside one JVM, with clean stops between runs: what is replayed, in which order, with which ids.
 */
class ReplayTest
{
    private static final long TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);

    @Test
    void shouldReplayLevelOneFirstAndLetNewLevelOneTrafficOvertakeTheOldLevelFourBacklog() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final long[] levelOneIds = new long[5];
        final ManualDispatcher first = new ManualDispatcher(2);
        final TestSubmitter before = new TestSubmitter();
        try (Engine engine = launch(journal, first, 1024, before))
        {
            for (int i = 0; i < 300; i++)
            {
                assertTrue(submit(before, 4) >= 0);
            }
            assertTrue(first.awaitDispatched(2, TIMEOUT_MS), "two level-4 messages reach the downstream");
            for (int i = 0; i < 5; i++)
            {
                levelOneIds[i] = submit(before, 1);
            }
            for (int i = 0; i < 50; i++)
            {
                submit(before, 3);
            }
            awaitDepth(engine, 353);
        }
        // Stopped with 355 pending, 2 of them dispatched (their completion never came).

        final ManualDispatcher second = new ManualDispatcher(1);
        final TestSubmitter after = new TestSubmitter();
        try (Engine engine = launch(journal, second, 1024, after))
        {
            assertEquals(355, engine.context().recovered().pendingCount());
            assertEquals(2, engine.context().recovered().redispatched());
            assertEquals(355, engine.context().nextMessageId(), "ids continue above the highest seen");
            awaitDepth(engine, 354);   // the admission agent replays the backlog; one message is in the one slot
            assertTrue(second.awaitDispatched(1, TIMEOUT_MS));
            completeAndAwait(second, 5);
            final List<Long> order = second.dispatchedIds();
            for (int i = 0; i < 5; i++)
            {
                assertEquals(levelOneIds[i], order.get(i), "replayed level 1 first, in accept order");
            }

            // Level 3 next, then the old level-4 backlog; a new top-up overtakes all of what is left.
            completeAndAwait(second, 6);
            final long newTopUp = submit(after, 1);
            assertEquals(355, newTopUp);
            completeAndAwait(second, 7);
            assertEquals(newTopUp, second.dispatchedIds().get(6), "new level-1 traffic overtakes the backlog");
        }
    }

    @Test
    @SuppressWarnings("try")   // the first engine only journals what is submitted to it
    void shouldReplayABacklogLargerThanTheRingsCompletely() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final TestSubmitter before = new TestSubmitter();
        try (Engine engine = launch(journal, new ManualDispatcher(1), 8192, before))
        {
            for (int i = 0; i < 5_000; i++)
            {
                assertTrue(submit(before, 1 + i % 4) >= 0);
            }
        }

        final Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(new SimulatedDsp(16, ServiceTimes.builder(10_000L, ServiceTimes.Distribution.FIXED)
                .build(), 1))
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(64)
            .journal(journal));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.context().metrics().completedTotal() < 5_000 && System.nanoTime() < deadline)
            {
                Thread.sleep(2);
            }
            assertEquals(5_000, engine.context().metrics().completedTotal());
        }
        finally
        {
            engine.close();
        }
        assertEquals(5_000, engine.context().replayFeeder().replayed(), "read once the admission thread has stopped");
        assertTrue(engine.context().replayFeeder().isDone());
        assertEquals(0, JournalRecovery.recover(journal).pendingCount());
    }

    @Test
    void shouldAnswerUnavailableAndAcknowledgeNothingWhenTheJournalCannotBeWritten() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = launch(journal, dispatcher, 64, submitter))
        {
            assertTrue(submit(submitter, 2) >= 0);
            engine.context().acceptedJournal().close();   // what a failed disk looks like to the appender

            assertEquals(-RejectReason.UNAVAILABLE.code(), submit(submitter, 1));
            assertEquals(-RejectReason.UNAVAILABLE.code(), submit(submitter, 4));
            assertEquals(2, engine.snapshot().rejected(RejectReason.UNAVAILABLE));
            assertEquals(1, engine.snapshot().level(2).accepted());
            assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
            dispatcher.completeOldest();
            awaitDepth(engine, 0);
            assertEquals(1, dispatcher.dispatchedCount(), "the void slots were skipped, not dispatched");
        }
        assertEquals(1, JournalRecovery.recover(journal).acceptedCount(), "only the acknowledged message");
    }

    @Test
    void shouldRefuseToStartOnAJournalPathThatIsAFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        final JournalException ex = assertThrows(JournalException.class,
            () -> launch(new JournalConfig(file), new ManualDispatcher(1), 64, new TestSubmitter()));
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertEquals("x", Files.readString(file), "left untouched");
    }

    private static Engine launch(
        final JournalConfig journal,
        final ManualDispatcher dispatcher,
        final int ringSize,
        final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .ringSizes(ringSize, ringSize, ringSize, ringSize)
            .maxPayloadBytes(64)
            .journal(journal)
            .addTransport(new InProcessTransport(submitter)));
    }

    private long submit(final TestSubmitter submitter, final int level)
    {
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(11, 12, level), payload, 0, 24).id();
    }

    private static void completeAndAwait(final ManualDispatcher dispatcher, final int dispatched) throws Exception
    {
        while (dispatcher.dispatchedCount() < dispatched)
        {
            dispatcher.completeOldest();
            assertTrue(dispatcher.awaitDispatched(dispatcher.dispatchedCount() + 1, TIMEOUT_MS));
        }
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
}
