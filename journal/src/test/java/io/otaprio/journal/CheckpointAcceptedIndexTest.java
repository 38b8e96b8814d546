package io.otaprio.journal;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The engine's checkpoints carry the accepted-queue index recovery starts its scan at, so a restart reads the
 * journal from the completion watermark on rather than every retained message.
 */
class CheckpointAcceptedIndexTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final TestMessages messages = new TestMessages();

    @Test
    void shouldStartRecoveryScanAtTheCheckpointsAcceptedIndexAndFindTheSameBacklog()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final long[] index = new long[1000];
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            for (int id = 0; id < index.length; id++)
            {
                index[id] = append(accepted, id, 1 + id % 4);
            }
        }
        final Recovered before = JournalRecovery.recover(config);
        try (OutcomeJournal outcomes = OutcomeJournal.open(config, before, before.nextMessageId()))
        {
            for (int id = 0; id < 600; id++)
            {
                outcomes.dispatched(id, id);
                outcomes.completed(id, id, id + 1, 0);
            }
            outcomes.completed(700, 700, 701, 0);   // complete above the watermark: pending stays 399
            assertTrue(outcomes.flush() > 0);
            assertEquals(1, outcomes.checkpointIfDue(Long.MAX_VALUE));
        }

        final Recovered recovered = JournalRecovery.recover(config);

        assertEquals(600, recovered.checkpointWatermark());
        assertEquals(index[600], recovered.checkpointAcceptedIndex(), "the index of the watermark's message");
        assertEquals(400, recovered.acceptedCount(), "scanned from message 600 on");
        assertEquals(399, recovered.pendingCount());
        assertTrue(recovered.acceptedBytesScanned() * 2 < before.acceptedBytesScanned(),
            recovered.acceptedBytesScanned() + " bytes scanned from the checkpoint, " +
            before.acceptedBytesScanned() + " in all");
        assertTrue(recovered.outcomeBytesScanned() > 600 * OutcomeRecordDescriptor.RECORD_LENGTH);
        for (int level = 1; level <= 4; level++)
        {
            final List<Long> expected = new ArrayList<>();
            for (int id = 600; id < index.length; id++)
            {
                if (1 + id % 4 == level && id != 700)
                {
                    expected.add(index[id]);
                }
            }
            assertEquals(expected, JournalRecoveryTest.toList(recovered.pendingIndices(level)), "level " + level);
        }
        assertEquals(1000, recovered.nextMessageId());
    }

    @Test
    void shouldFindTheLastMessageAtOrBelowAnyWatermarkWhenIdsHaveGaps()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final SplittableRandom random = new SplittableRandom(15);
        final List<long[]> written = new ArrayList<>();   // {id, index}
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            long id = 3;
            for (int i = 0; i < 500; i++)
            {
                // Gaps stand for held requests' ids, which are never in the accepted queue under them.
                id += 1 + random.nextInt(3);
                written.add(new long[]{ id, append(accepted, id, 1 + i % 4) });
            }
        }
        try (OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            final long highest = written.get(written.size() - 1)[0];
            for (long watermark = 0; watermark <= highest + 2; watermark++)
            {
                long expected = -1;
                for (final long[] message : written)
                {
                    if (message[0] <= watermark)
                    {
                        expected = message[1];
                    }
                }
                assertEquals(expected, outcomes.acceptedIndexAtOrBelow(watermark), "watermark " + watermark);
            }
        }
    }

    @Test
    void shouldStillTellResendDetectionOfRecentCompletionsBeforeTheCheckpoint()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            for (int id = 0; id < 100; id++)
            {
                append(accepted, id, 4);
            }
        }
        try (OutcomeJournal outcomes = OutcomeJournal.open(config, JournalRecovery.recover(config), 100))
        {
            for (int id = 0; id < 90; id++)
            {
                // Ids 0..79 completed long ago, 80..89 within the window (completion times 10_080 on).
                outcomes.completed(id, id, id < 80 ? id : 10_000 + id, 0);
            }
            outcomes.flush();
            assertEquals(1, outcomes.checkpointIfDue(Long.MAX_VALUE));
        }
        final List<Long> completedSeen = new ArrayList<>();
        final List<Long> pendingSeen = new ArrayList<>();
        final Recovered recovered = JournalRecovery.recover(config, 10_000, (message, completedNs) ->
            (completedNs >= 0 ? completedSeen : pendingSeen).add(message.messageId()));

        assertEquals(10, recovered.acceptedCount(), "scanned from the checkpoint at message 90");
        assertEquals(10, pendingSeen.size());
        completedSeen.sort(Long::compare);
        final List<Long> expected = new ArrayList<>();
        for (long id = 80; id < 90; id++)
        {
            expected.add(id);
        }
        assertEquals(expected, completedSeen, "every completion within the window, though before the checkpoint");
    }

    private long append(final AcceptedJournal journal, final long id, final int level)
    {
        payload.putLong(0, id);
        final long index = messages.append(journal, id, level, payload, 48);
        assertTrue(index >= 0, journal.lastFailure());
        return index;
    }
}
