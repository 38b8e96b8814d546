package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JournalRecoveryTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final TestMessages messages = new TestMessages();

    @Test
    void shouldRecoverPendingPerLevelInAcceptOrderWithExactRedispatchedCount()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final long[] index = new long[100];
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < 100; id++)
            {
                index[id] = append(accepted, id, 1 + id % 4);
                assertTrue(index[id] >= 0, accepted.lastFailure());
            }
            for (int id = 0; id < 100; id++)
            {
                if (id % 3 == 0)
                {
                    outcomes.dispatched(id, 1_000 + id);
                    outcomes.completed(id, 1_000 + id, 2_000 + id, 0);
                }
                else if (id % 5 == 0)
                {
                    outcomes.dispatched(id, 1_000 + id);   // in flight at the "crash"
                }
            }
            assertTrue(outcomes.flush() > 0);
        }

        final Recovered recovered = JournalRecovery.recover(config);
        int expectedRedispatched = 0;
        final List<List<Long>> expected = new ArrayList<>();
        for (int level = 0; level <= 4; level++)
        {
            expected.add(new ArrayList<>());
        }
        for (int id = 0; id < 100; id++)
        {
            if (id % 3 != 0)
            {
                expected.get(1 + id % 4).add(index[id]);
                if (id % 5 == 0)
                {
                    expectedRedispatched++;
                }
            }
        }
        assertEquals(100, recovered.acceptedCount());
        assertEquals(34, recovered.completedCount());
        assertEquals(66, recovered.pendingCount());
        assertEquals(expectedRedispatched, recovered.redispatched());
        assertEquals(100, recovered.nextMessageId());
        assertEquals(1, recovered.lowestPendingId());
        assertEquals(-1, recovered.checkpointWatermark());
        for (int level = 1; level <= 4; level++)
        {
            assertEquals(expected.get(level), toList(recovered.pendingIndices(level)), "level " + level);
            assertEquals(expected.get(level).size(), recovered.pendingCount(level));
        }
    }

    @Test
    void shouldRoundTripEveryFieldAndPayloadThroughTheReader()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final long index;
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            for (int i = 0; i < 40; i++)
            {
                payload.putByte(i, (byte)(i * 7));
            }
            index = messages.append(accepted, 42, 2, 3, 0x8_1_1_00, new RequestId(0x00124B0001020304L, -2L, -1L),
                123_456_789L, 5_000L, payload, 40);
            assertTrue(index >= 0);
        }
        try (AcceptedJournalReader reader = AcceptedJournalReader.open(config))
        {
            final AcceptedMessageFlyweight m = reader.read(index);
            assertNotNull(m);
            assertEquals(42, m.messageId());
            assertEquals(2, m.kind());
            assertEquals(3, m.level());
            assertEquals(0x8_1_1_00, m.code());
            assertEquals(0x00124B0001020304L, m.originator());
            assertEquals(-2L, m.target());
            assertEquals(-1L, m.counter());
            assertEquals(123_456_789L, m.acceptTimeNs());
            assertEquals(5_000L, m.trtNs());
            assertEquals(40, m.payloadLength());
            for (int i = 0; i < 40; i++)
            {
                assertEquals((byte)(i * 7), m.buffer().getByte(m.payloadOffset() + i));
            }
            assertNull(reader.read(index + 1), "never written");
            assertNull(reader.read(-1));
        }
    }

    @Test
    void shouldGiveTheSamePendingSetFromACheckpointAsFromAFullScan()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final long[] index = new long[200];
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < 100; id++)
            {
                index[id] = append(accepted, id, 1 + id % 4);
                outcomes.dispatched(id, id);
                outcomes.completed(id, id, id + 1, 0);
            }
            outcomes.flush();
            assertTrue(outcomes.checkpoint(100, -1) >= 0);
            for (int id = 100; id < 200; id++)
            {
                index[id] = append(accepted, id, 1 + id % 4);
                if (id % 2 == 0)
                {
                    outcomes.completed(id, id, id + 1, 0);
                }
            }
            outcomes.flush();
        }
        final Recovered full = JournalRecovery.recover(config);

        // Same journal plus a checkpoint that knows where message 100 sits: the scan starts there.
        try (OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            assertTrue(outcomes.checkpoint(100, index[100]) >= 0);
        }
        final Recovered fromCheckpoint = JournalRecovery.recover(config);

        assertEquals(200, full.acceptedCount());
        assertEquals(100, fromCheckpoint.acceptedCount(), "scanned from the checkpoint's index");
        assertEquals(100, fromCheckpoint.checkpointWatermark());
        assertEquals(50, full.pendingCount());
        assertEquals(full.pendingCount(), fromCheckpoint.pendingCount());
        for (int level = 1; level <= 4; level++)
        {
            assertEquals(toList(full.pendingIndices(level)), toList(fromCheckpoint.pendingIndices(level)));
        }
        assertEquals(200, fromCheckpoint.nextMessageId());
        assertEquals(101, fromCheckpoint.lowestPendingId());
        assertTrue(fromCheckpoint.completedIdsAtOrAbove(101).contains(102));
        assertFalse(fromCheckpoint.completedIdsAtOrAbove(101).contains(100));
    }

    @Test
    void shouldRecoverAnEmptyResultWithoutCreatingAnything()
    {
        final Path root = dir.resolve("absent");
        final Recovered recovered = JournalRecovery.recover(new JournalConfig(root));
        assertEquals(0, recovered.nextMessageId());
        assertEquals(0, recovered.pendingCount());
        assertFalse(root.toFile().exists());
    }

    @Test
    void shouldContinueIdsAboveTheHighestAfterReopen()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            append(accepted, 7, 1);
        }
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            append(accepted, 9, 4);
        }
        final Recovered recovered = JournalRecovery.recover(config);
        assertEquals(10, recovered.nextMessageId());
        assertEquals(2, recovered.pendingCount());
    }

    private long append(final AcceptedJournal journal, final long id, final int level)
    {
        payload.putLong(0, id);
        return messages.append(journal, id, level, payload, 16);
    }

    static List<Long> toList(final LongArrayList list)
    {
        final List<Long> result = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            result.add(list.getLong(i));
        }
        return result;
    }
}
