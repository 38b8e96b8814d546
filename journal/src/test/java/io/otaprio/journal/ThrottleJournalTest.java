package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.otaprio.journal.ThrottleRecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

class ThrottleJournalTest
{
    private static final ThrottleSummary[] SUMMARIES = {
        new ThrottleSummary(0x90B3D5000000C47CL, 0x8F3C, 4, 1795944845196623314L, 1795944905196623314L),
        new ThrottleSummary(-1L, 0xFFFF, Long.MAX_VALUE, 0, 1),
        new ThrottleSummary(42, 0x1234, 0, -5, Long.MIN_VALUE) };

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEverySummaryAsWrittenOldestFirst()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        assertEquals(List.of(), ThrottleJournal.read(config), "no queue yet");
        try (ThrottleJournal journal = ThrottleJournal.open(config))
        {
            for (final ThrottleSummary s : SUMMARIES)
            {
                assertTrue(journal.append(s.device(), s.code(), s.throttled(), s.windowStartNs(), s.windowEndNs()),
                    journal.lastFailure());
            }
        }
        assertEquals(List.of(SUMMARIES), ThrottleJournal.read(config));
    }

    @Test
    void shouldWriteAndReadTheBytesOfTheFirstThrottleJournal()
    {
        // The first throttle journal wrote each summary with Chronicle's writeLong, writeInt, writeLong x 3.
        final JournalConfig first = new JournalConfig(dir.resolve("first"));
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(
            first, first.directory().resolve(ThrottleJournal.QUEUE), false);
            ExcerptAppender appender = queue.createAppender())
        {
            for (final ThrottleSummary s : SUMMARIES)
            {
                try (DocumentContext dc = appender.writingDocument())
                {
                    dc.wire().bytes().writeLong(s.device()).writeInt(s.code()).writeLong(s.throttled())
                        .writeLong(s.windowStartNs()).writeLong(s.windowEndNs());
                }
            }
        }
        final JournalConfig now = new JournalConfig(dir.resolve("now"));
        try (ThrottleJournal journal = ThrottleJournal.open(now))
        {
            for (final ThrottleSummary s : SUMMARIES)
            {
                journal.append(s.device(), s.code(), s.throttled(), s.windowStartNs(), s.windowEndNs());
            }
        }

        final List<byte[]> firstDocuments = documents(first);
        final List<byte[]> nowDocuments = documents(now);
        assertEquals(SUMMARIES.length, nowDocuments.size());
        for (int i = 0; i < SUMMARIES.length; i++)
        {
            assertArrayEquals(firstDocuments.get(i), nowDocuments.get(i), "document " + i);
            final UnsafeBuffer record = new UnsafeBuffer(nowDocuments.get(i));
            assertEquals(RECORD_LENGTH, record.capacity());
            assertEquals(SUMMARIES[i].device(), record.getLong(DEVICE_OFFSET, ByteOrder.LITTLE_ENDIAN));
            assertEquals(SUMMARIES[i].code(), record.getInt(CODE_OFFSET, ByteOrder.LITTLE_ENDIAN));
            assertEquals(SUMMARIES[i].throttled(), record.getLong(THROTTLED_OFFSET, ByteOrder.LITTLE_ENDIAN));
            assertEquals(SUMMARIES[i].windowStartNs(), record.getLong(WINDOW_START_OFFSET, ByteOrder.LITTLE_ENDIAN));
            assertEquals(SUMMARIES[i].windowEndNs(), record.getLong(WINDOW_END_OFFSET, ByteOrder.LITTLE_ENDIAN));
        }
        assertEquals(List.of(SUMMARIES), ThrottleJournal.read(first), "an existing journal still reads");
    }

    @Test
    void shouldRefuseADocumentOfAnotherLengthNamingTheQueueAndTheLengths()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (ThrottleJournal journal = ThrottleJournal.open(config))
        {
            journal.append(1, 0x8F3C, 5, 0, 10);
        }
        final Path queueDirectory = config.directory().resolve(ThrottleJournal.QUEUE);
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, queueDirectory, false);
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(new byte[RECORD_LENGTH + 4]);   // a later layout, one field longer
            }
        }

        final JournalException ex = assertThrows(JournalException.class, () -> ThrottleJournal.read(config));
        assertTrue(ex.getMessage().contains(queueDirectory.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains("is 40 bytes"), ex.getMessage());
        assertTrue(ex.getMessage().contains("layout version 1 (36 bytes exactly)"), ex.getMessage());
    }

    private static List<byte[]> documents(final JournalConfig config)
    {
        final List<byte[]> documents = new ArrayList<>();
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(
            config, config.directory().resolve(ThrottleJournal.QUEUE), true);
            ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return documents;
                    }
                    final byte[] bytes = new byte[(int)dc.wire().bytes().readRemaining()];
                    dc.wire().bytes().read(bytes);
                    documents.add(bytes);
                }
            }
        }
    }
}
