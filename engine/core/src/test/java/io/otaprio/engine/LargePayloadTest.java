package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalDump;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payloads up to 64 KiB: small ones inline in the ring slots, large ones in each lane's payload store, through
 * admission, the accepted journal, the scheduler, the dispatcher and a recovery's replay, with every byte checked at
 * dispatch and the order strict priority, then FIFO within a level.
 */
class LargePayloadTest
{
    private static final long TIMEOUT_MS = 20_000;
    private static final int MAX_PAYLOAD = 64 * 1024;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[MAX_PAYLOAD + 1]);

    @Test
    @SuppressWarnings("try")   // the first engine only journals what is submitted to it
    void shouldCarryMixedPayloadsIntactInPriorityAndFifoOrderLiveAndThroughRecovery() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final SplittableRandom random = new SplittableRandom(7);
        final List<long[]> sent = new ArrayList<>();   // id, level, length
        final ManualDispatcher paused = new ManualDispatcher(1);
        final TestSubmitter before = new TestSubmitter();
        try (Engine engine = Engine.launch(context(journal, paused, before)))
        {
            for (int i = 0; i < 160; i++)
            {
                final int level = 1 + random.nextInt(4);
                final int length = random.nextBoolean() ? 64 : 1 + random.nextInt(MAX_PAYLOAD);
                final long id = submit(before, level, i, length);
                assertTrue(id >= 0, "admitted: message " + i + " of " + length + " bytes at level " + level);
                sent.add(new long[]{ id, level, length });
            }
            assertTrue(paused.awaitDispatched(1, TIMEOUT_MS));
        }
        // Stopped with 160 pending, the first of them dispatched (its completion never came).
        assertEquals(160, JournalRecovery.recover(journal).pendingCount());

        final CheckingDispatcher checking = new CheckingDispatcher();
        try (Engine engine = Engine.launch(context(journal, checking, new TestSubmitter())))
        {
            checking.await(160);
            assertEquals(160, engine.context().replayFeeder().replayed());
        }
        assertEquals(0, checking.corrupt, "every payload intact after the journal and the replay");
        final List<long[]> expected = new ArrayList<>(sent);
        expected.sort(Comparator.<long[]>comparingLong(m -> m[1]).thenComparingLong(m -> m[0]));
        assertEquals(expected.size(), checking.dispatched.size());
        for (int i = 0; i < expected.size(); i++)
        {
            assertEquals(expected.get(i)[0], checking.dispatched.get(i)[0], "strict priority, then FIFO, at " + i);
            assertEquals(expected.get(i)[2], checking.dispatched.get(i)[2], "length of message " + i);
        }
        assertEquals(0, JournalRecovery.recover(journal).pendingCount());
        final StringBuilder dump = new StringBuilder();
        assertEquals(160, JournalDump.writeCsv(journal, dump), "journal dump reads every message, 64 KiB ones too");
    }

    @Test
    void shouldAnswerTooLargeAboveMaxPayloadBytesAndAdmitExactlyIt() throws Exception
    {
        final TestSubmitter submitter = new TestSubmitter();
        final CheckingDispatcher checking = new CheckingDispatcher();
        try (Engine engine = Engine.launch(context(null, checking, submitter)))
        {
            assertEquals(-RejectReason.TOO_LARGE.code(), submit(submitter, 2, 1, MAX_PAYLOAD + 1));
            assertTrue(submit(submitter, 2, 2, MAX_PAYLOAD) >= 0);
            checking.await(1);
            assertEquals(MAX_PAYLOAD, checking.dispatched.get(0)[2]);
            assertEquals(0, checking.corrupt);
            assertEquals(1, engine.snapshot().rejected(RejectReason.TOO_LARGE));
        }
    }

    @Test
    void shouldAnswerFullWhenTheLaneStoreIsFullWhileItsRingHasSlots() throws Exception
    {
        final int length = 16 * 1024;
        final int region = 16 * 1024 + 64;
        final ManualDispatcher paused = new ManualDispatcher(1);
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = Engine.launch(context(null, paused, submitter)
            .payloadStoreBytes(4 * region, 4 * region, 4 * region, 4 * region)
            .maxPayloadBytes(length)))
        {
            assertTrue(submit(submitter, 4, 0, length) >= 0);
            assertTrue(paused.awaitDispatched(1, TIMEOUT_MS));
            awaitDepth(engine, 0);
            // The dispatched message's region went back with its slot; four more fill the level-4 store.
            for (int i = 1; i <= 4; i++)
            {
                assertTrue(submit(submitter, 4, i, length) >= 0, "message " + i);
            }
            assertEquals(-RejectReason.FULL.code(), submit(submitter, 4, 5, length), "store full, 60 slots free");
            assertEquals(1, engine.snapshot().level(4).full());
            assertTrue(submit(submitter, 4, 6, 64) >= 0, "a small message still fits its slot");
            assertTrue(submit(submitter, 3, 7, length) >= 0, "another level's store is its own");

            paused.completeOldest();   // the level-3 message is dispatched...
            assertTrue(paused.awaitDispatched(2, TIMEOUT_MS));
            paused.completeOldest();   // ...then the oldest level-4 one, and its region is freed with its slot
            assertTrue(paused.awaitDispatched(3, TIMEOUT_MS));
            awaitDepth(engine, 4);
            assertTrue(submit(submitter, 4, 8, length) >= 0, "room again once a large message was taken");
        }
    }

    @Test
    void shouldReleaseTheStoreRegionOfAVoidSlot() throws Exception
    {
        final int length = 30_000;
        final int region = 30_064;   // 64 + 30,000, a multiple of 8
        final CheckingDispatcher checking = new CheckingDispatcher();
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = Engine.launch(context(new JournalConfig(dir.resolve("journal")), checking, submitter)
            .maxPayloadBytes(length)
            .payloadStoreBytes(2 * region, 2 * region, 2 * region, 2 * region)))
        {
            assertTrue(submit(submitter, 2, 0, length) >= 0);
            checking.await(1);
            engine.context().acceptedJournal().close();   // what a failed disk looks like to the appender
            for (int i = 1; i <= 5; i++)
            {
                // Each claims a region, fails the journal and is published void: if the scheduler did not release
                // the regions of void slots, the third would find the store full and be answered FULL.
                assertEquals(-RejectReason.UNAVAILABLE.code(), submit(submitter, 2, i, length), "message " + i);
                awaitDepth(engine, 0);
            }
            assertEquals(0, engine.context().rings().store(1).usedBytes());
            assertEquals(1, checking.count, "void slots are skipped, never dispatched");
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

    private static EngineContext context(
        final JournalConfig journal,
        final Dispatcher dispatcher,
        final TestSubmitter submitter)
    {
        return TestEngines.context()
            .dispatcher(dispatcher)
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(MAX_PAYLOAD)
            .payloadStoreBytes(4 << 20, 4 << 20, 4 << 20, 4 << 20)
            .journal(journal)
            .addTransport(new InProcessTransport(submitter));
    }

    private long submit(final TestSubmitter submitter, final int level, final long counter, final int length)
    {
        for (int i = 0; i < length; i++)
        {
            payload.putByte(i, patternByte(counter, i));
        }
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(11, 12, counter), payload, 0, length).id();
    }

    private static byte patternByte(final long counter, final int i)
    {
        return (byte)(counter * 131 + i * 7 + (i >> 8));
    }

    /** Checks each message's payload against its RequestID's pattern and completes it at once, in dispatch. */
    private static final class CheckingDispatcher implements Dispatcher
    {
        private final List<long[]> dispatched = new ArrayList<>();
        private volatile int count;
        private int corrupt;
        private CompletionPort port;

        public int slots()
        {
            return 4;
        }

        public void onStart(final CompletionPort completions)
        {
            port = completions;
        }

        public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
        {
            final long counter = message.counter();
            final int length = message.payloadLength();
            for (int i = 0; i < length; i++)
            {
                if (message.buffer().getByte(message.payloadOffset() + i) != patternByte(counter, i))
                {
                    corrupt++;
                    break;
                }
            }
            dispatched.add(new long[]{ message.messageId(), message.level(), length });
            count = dispatched.size();
            port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK);
        }

        void await(final int messages) throws InterruptedException
        {
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (count < messages && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(messages, count);
        }
    }
}
