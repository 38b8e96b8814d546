package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OutcomeJournalTest
{
    private final TestMessages messages = new TestMessages();

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);

    @Test
    void shouldWriteTenCompletionsAsOneDocument()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < 10; id++)
            {
                outcomes.completed(id, id, id + 1, 0);
            }
            assertEquals(10, outcomes.bufferedRecords());
            assertEquals(10, outcomes.flush());
            assertEquals(0, outcomes.bufferedRecords());
            assertEquals(0, outcomes.flush(), "nothing buffered, nothing written");
            assertEquals(1, outcomes.documents());
        }
        assertEquals(1, documents(config));
    }

    @Test
    void shouldGrowTheBatchAndSplitVeryLargeFlushesIntoBoundedDocuments()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j")).outcomeBatchCapacity(4);
        final int records = OutcomeRecordDescriptor.MAX_RECORDS_PER_DOCUMENT + 10;
        try (OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < records; id++)
            {
                outcomes.completed(id, id, id + 1, 0);
            }
            assertEquals(records, outcomes.flush());
        }
        assertEquals(2, documents(config));
        final long[] seen = new long[1];
        assertEquals(records, OutcomeScan.scan(config, (i, type, outcome, id, d, c) ->
        {
            assertEquals(seen[0]++, id);
            assertEquals(OutcomeRecordDescriptor.TYPE_COMPLETED, type);
        }));
    }

    @Test
    void shouldDeleteOldFullyCompletedCyclesAndKeepCyclesWithPendingMessages() throws Exception
    {
        // Each cycle's ten messages must land in one second; a machine too busy for that gets another try.
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            if (deleteOldCompletedCycles(dir.resolve("j" + attempt)))
            {
                return;
            }
        }
        fail("three attempts in a row could not write ten messages within one second");
    }

    private boolean deleteOldCompletedCycles(final Path directory) throws Exception
    {
        final JournalConfig config = new JournalConfig(directory).rollCycle("TEST_SECONDLY")
            .retainCompletedCycles(1);
        long pendingIndex = -1;
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            // Cycles 0..2: ids 0..29, all completed. Cycle 3: ids 30..39, id 35 stays pending. Cycle 4: ids 40..49.
            long id = 0;
            for (int cycle = 0; cycle < 5; cycle++)
            {
                awaitNextSecond();
                final long second = System.currentTimeMillis() / 1000;
                for (int i = 0; i < 10; i++, id++)
                {
                    final long index = messages.append(accepted, id, 1, 1 + (int)(id % 4), 0, new RequestId(0, 0, id),
                        id, 0, payload, 8);
                    assertTrue(index >= 0, accepted.lastFailure());
                    if (id == 35)
                    {
                        pendingIndex = index;
                    }
                    else
                    {
                        outcomes.dispatched(id, id);
                        outcomes.completed(id, id, id, 0);
                    }
                }
                assertTrue(outcomes.flush() > 0);
                if (System.currentTimeMillis() / 1000 != second)
                {
                    return false;
                }
            }
            assertEquals(5, JournalDirectory.cycleFiles(config.acceptedDirectory()).size());
            assertEquals(5, JournalDirectory.cycleFiles(config.outcomesDirectory()).size());

            awaitNextSecond();   // the checkpoint lands in a cycle of its own: older outcome cycles may go
            final int deleted = outcomes.checkpoint(35, -1);

            // Accepted: cycles 0,1,2 complete (last ids 9,19,29 < 35); 3 holds pending 35; 4 is the newest.
            // Keep 1 completed -> delete 0,1. Outcomes: cycles 0..2 reference ids < 35, cycle 3 references 39
            // -> run is 0..2, keep 1 -> delete 0,1.
            assertEquals(4, deleted, outcomes.lastFailure());
            assertEquals(0, outcomes.failures(), outcomes.lastFailure());
            assertEquals(3, JournalDirectory.cycleFiles(config.acceptedDirectory()).size());
            assertEquals(4, JournalDirectory.cycleFiles(config.outcomesDirectory()).size());

            // The journal stays writable and readable across the deletion.
            assertTrue(messages.append(accepted, 50, 1, 4, 0, new RequestId(0, 0, 50), 50, 0, payload, 8) >= 0,
                accepted.lastFailure());
            try (AcceptedJournalReader reader = AcceptedJournalReader.open(config))
            {
                assertEquals(35, reader.read(pendingIndex).messageId());
            }
        }

        final Recovered recovered = JournalRecovery.recover(config);
        assertEquals(35, recovered.checkpointWatermark());
        assertEquals(2, recovered.pendingCount(), recovered.toString());
        final List<Long> level4 = JournalRecoveryTest.toList(recovered.pendingIndices(4));   // 35 and the new 50
        assertEquals(2, level4.size());
        assertEquals(pendingIndex, level4.get(0));
        assertEquals(0, recovered.redispatched());
        assertEquals(51, recovered.nextMessageId());
        assertEquals(31, recovered.acceptedCount(), "ids 20..50: the cycles of 0..19 are gone");
        return true;
    }

    @Test
    void shouldRunRetentionWhenTheCycleBeforeTheCheckpointHasNoFile() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j")).rollCycle("TEST_SECONDLY")
            .retainCompletedCycles(0);
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (long id = 0; id < 2; id++)
            {
                awaitNextSecond();
                assertTrue(messages.append(accepted, id, 1, payload, 8) >= 0, accepted.lastFailure());
                outcomes.completed(id, id, id, 0);
                assertTrue(outcomes.flush() > 0, outcomes.lastFailure());
            }
            awaitNextSecond();
            awaitNextSecond();   // a whole cycle in which neither queue is written: it has no file
            assertTrue(messages.append(accepted, 2, 1, payload, 8) >= 0, accepted.lastFailure());

            final int deleted = outcomes.checkpoint(2, -1);

            assertEquals(0, outcomes.failures(), outcomes.lastFailure());
            assertTrue(deleted >= 4, "deleted " + deleted);
            assertEquals(1, JournalDirectory.cycleFiles(config.acceptedDirectory()).size(), "the newest: id 2");
            assertEquals(1, JournalDirectory.cycleFiles(config.outcomesDirectory()).size(), "the checkpoint's");
        }
    }

    private static void awaitNextSecond() throws InterruptedException
    {
        final long now = System.currentTimeMillis();
        Thread.sleep(1_000 - now % 1_000 + 20);
    }

    private static int documents(final JournalConfig config)
    {
        int documents = 0;
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, config.outcomesDirectory(), true);
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    documents++;
                }
            }
        }
        return documents;
    }
}
