package io.otaprio.journal;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.*;

class JournalToucherTest
{
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final TestMessages messages = new TestMessages();

    @Test
    void shouldTouchNothingBeforeTheFirstAppend()
    {
        try (AcceptedJournal accepted = AcceptedJournal.open(new JournalConfig(dir.resolve("j"))))
        {
            assertEquals(0, accepted.toucher().touchAhead());
            assertEquals(0, accepted.toucher().pagesTouched());
        }
    }

    @Test
    void shouldTouchEveryPageAheadOfTheWriterInBoundedStepsThenStop() throws IOException
    {
        try (AcceptedJournal accepted = AcceptedJournal.open(new JournalConfig(dir.resolve("j"))))
        {
            final JournalToucher toucher = accepted.toucher();
            for (int id = 0; id < 100; id++)
            {
                assertTrue(append(accepted, id) >= 0, accepted.lastFailure());
            }
            final File file = accepted.appender().currentFile();
            final long position = toucher.writerPosition();
            final long firstPage = (position + PAGE - 1) & -PAGE;
            final long expectedPages = (position + toucher.aheadBytes() - firstPage + PAGE - 1) / PAGE;

            long calls = 0;
            int touched;
            while ((touched = toucher.touchAhead()) > 0)
            {
                assertTrue(touched <= toucher.pagesPerCall(), "bounded per call: " + touched);
                calls++;
            }
            assertEquals(expectedPages, toucher.pagesTouched());
            assertTrue(calls >= expectedPages / toucher.pagesPerCall());
            // (Before touching they may already be: the kernel reads ahead around the writer's own page faults.)
            assertTrue(resident(file, firstPage, toucher.aheadBytes() - PAGE), "touched pages are resident");
            assertEquals(0, toucher.touchAhead(), "nothing more to do until the writer moves on");

            for (int id = 100; id < 200; id++)
            {
                assertTrue(append(accepted, id) >= 0, accepted.lastFailure());
            }
            assertTrue(toucher.touchAhead() > 0, "the writer moved: the window moves with it");
        }
    }

    @Test
    void shouldLeaveRecoveryExactlyTheMessagesAppendedAfterTouching()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final int count = 2_000;   // about 64 pages: the touched region is written over, and beyond
        final long[] index = new long[count];
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < count; id++)
            {
                index[id] = append(accepted, id);
                assertTrue(index[id] >= 0, accepted.lastFailure());
                if (id % 2 == 0)
                {
                    outcomes.dispatched(id, id);
                    outcomes.completed(id, id, id + 1, 0);
                    assertTrue(outcomes.flush() > 0, outcomes.lastFailure());
                }
                while (accepted.toucher().touchAhead() > 0 || outcomes.toucher().touchAhead() > 0)
                {
                    Thread.onSpinWait();
                }
            }
            assertTrue(accepted.toucher().pagesTouched() > 0);
            assertTrue(outcomes.toucher().pagesTouched() > 0);
        }

        final Recovered recovered = JournalRecovery.recover(config);
        assertEquals(count, recovered.acceptedCount());
        assertEquals(count / 2, recovered.completedCount());
        assertEquals(count / 2, recovered.pendingCount());
        assertEquals(count, recovered.nextMessageId());
        assertEquals(1, recovered.lowestPendingId());
        try (AcceptedJournalReader reader = AcceptedJournalReader.open(config))
        {
            for (int id = 0; id < count; id++)
            {
                final AcceptedMessageFlyweight message = reader.read(index[id]);
                assertNotNull(message, "message " + id);
                assertEquals(id, message.messageId());
                assertEquals(id, message.buffer().getLong(message.payloadOffset()));
            }
        }
    }

    @Test
    void shouldTouchNothingOnceTheJournalIsClosed()
    {
        final AcceptedJournal accepted = AcceptedJournal.open(new JournalConfig(dir.resolve("j")));
        final JournalToucher toucher = accepted.toucher();
        assertTrue(append(accepted, 0) >= 0, accepted.lastFailure());
        assertTrue(toucher.touchAhead() > 0);
        final long touched = toucher.pagesTouched();
        accepted.close();

        assertEquals(0, toucher.touchAhead());
        assertEquals(touched, toucher.pagesTouched());
        toucher.close();   // idempotent
    }

    @Test
    void shouldRefuseAWindowSmallerThanAPage()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final DiskSpaceGuard space = new DiskSpaceGuard(dir, 0);
        assertThrows(IllegalArgumentException.class, () -> new JournalToucher(config, space, PAGE - 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new JournalToucher(config, space, PAGE, 0));
    }

    private long append(final AcceptedJournal journal, final long id)
    {
        payload.putLong(0, id);
        return messages.append(journal, id, 1 + (int)(id % 4), payload, 16);
    }


    /** @return whether every page of the range is in memory (mincore, through a mapping of our own). */
    private static boolean resident(final File file, final long offset, final long length) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length);
            try
            {
                return mapped.isLoaded();
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
    }
}
