package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class JournalFailureTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[16]);
    private final TestMessages messages = new TestMessages();

    @Test
    void shouldRefuseAMarkerOfAnotherVersionNamingPathAndBothVersionsAndTouchNothing() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            messages.append(accepted, 1, 1, payload, 0);
        }
        final Path marker = config.directory().resolve(JournalDirectory.MARKER_FILE);
        Files.writeString(marker, "layoutVersion=99\n");
        final Map<String, String> before = snapshot(config.directory());

        for (final Runnable open : new Runnable[] {
            () -> AcceptedJournal.open(config), () -> OutcomeJournal.open(config),
            () -> JournalRecovery.recover(config), () -> AcceptedJournalReader.open(config),
            () -> JournalStats.read(config), () -> JournalDump.writeCsv(config, new StringBuilder()) })
        {
            final JournalException ex = assertThrows(JournalException.class, open::run);
            assertTrue(ex.getMessage().contains(marker.toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("99"), ex.getMessage());
            assertTrue(ex.getMessage().contains("version 1"), ex.getMessage());
        }
        assertEquals(before, snapshot(config.directory()));
    }

    @Test
    void shouldRefuseAnAcceptedDocumentOfAnotherVersionAndTouchNothing() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            messages.append(accepted, 1, 1, payload, 0);
        }
        // A future writer's message: version 99 in the first two bytes.
        final UnsafeBuffer future = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]);
        future.putShort(0, (short)99, java.nio.ByteOrder.LITTLE_ENDIAN);
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, config.acceptedDirectory(), false);
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().write(future.byteArray(), 0, future.capacity());
            }
        }
        final Map<String, String> before = snapshot(config.directory());

        for (final Runnable open : new Runnable[] {
            () -> AcceptedJournal.open(config), () -> JournalRecovery.recover(config) })
        {
            final JournalException ex = assertThrows(JournalException.class, open::run);
            assertTrue(ex.getMessage().contains(config.acceptedDirectory().toString()), ex.getMessage());
            assertTrue(ex.getMessage().contains("layout version 99"), ex.getMessage());
            assertTrue(ex.getMessage().contains("supports layout version 1"), ex.getMessage());
        }
        assertEquals(before, snapshot(config.directory()));
    }

    @Test
    void shouldRefuseChronicleFilesWithoutAMarker() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            messages.append(accepted, 1, 1, payload, 0);
        }
        Files.delete(config.directory().resolve(JournalDirectory.MARKER_FILE));
        final JournalException ex = assertThrows(JournalException.class, () -> AcceptedJournal.open(config));
        assertTrue(ex.getMessage().contains(config.directory().toString()), ex.getMessage());
        assertThrows(JournalException.class, () -> JournalRecovery.recover(config));
    }

    @Test
    void shouldRefuseAFileWhereTheDirectoryShouldBeAndLeaveItUntouched() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        final JournalConfig config = new JournalConfig(file);
        for (final Runnable open : new Runnable[] {
            () -> AcceptedJournal.open(config), () -> OutcomeJournal.open(config),
            () -> JournalRecovery.recover(config), () -> JournalStats.read(config) })
        {
            final JournalException ex = assertThrows(JournalException.class, open::run);
            assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        }
        assertEquals("x", Files.readString(file));
    }

    @Test
    void shouldRefuseADirectoryThatCannotBeCreatedEvenAsRoot()
    {
        // /proc refuses mkdir to everyone, root included, unlike chmod 000.
        final Path path = Path.of("/proc/otaprio-journal-test");
        final JournalException ex = assertThrows(JournalException.class,
            () -> AcceptedJournal.open(new JournalConfig(path)));
        assertTrue(ex.getMessage().contains(path.toString()), ex.getMessage());
    }

    @Test
    void shouldReturnMinusOneAndCountAfterCloseWithoutThrowing()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final AcceptedJournal accepted = AcceptedJournal.open(config);
        assertTrue(messages.append(accepted, 1, 1, payload, 4) >= 0);
        assertEquals(0, accepted.failures());
        assertNull(accepted.lastFailure());
        accepted.close();

        assertEquals(-1, messages.append(accepted, 2, 1, payload, 4));
        assertEquals(-1, messages.append(accepted, 3, 1, payload, 4));
        assertEquals(2, accepted.failures());
        assertTrue(accepted.lastFailure().contains("closed"), accepted.lastFailure());

        final OutcomeJournal outcomes = OutcomeJournal.open(config);
        outcomes.close();
        outcomes.completed(1, 1, 2, 0);
        assertEquals(-1, outcomes.flush());
        assertEquals(1, outcomes.bufferedRecords(), "kept for a retry");
        assertEquals(-1, outcomes.checkpoint(2, -1));
        assertTrue(outcomes.failures() >= 2);
        assertTrue(outcomes.lastFailure().contains("closed"), outcomes.lastFailure());

        assertEquals(1, JournalRecovery.recover(config).acceptedCount(), "only the message that was appended");
    }

    @Test
    void shouldCloseEveryWriterOnceAndCountEachWriteAfterwardsAsAFailure()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final ThrottleJournal throttle = ThrottleJournal.open(config);
        assertTrue(throttle.append(1, 0x8F3C, 5, 0, 10), throttle.lastFailure());
        for (final JournalWriter writer : new JournalWriter[] {
            AcceptedJournal.open(config), OutcomeJournal.open(config), throttle })
        {
            assertFalse(writer.isClosed());
            writer.close();
            writer.close();
            assertTrue(writer.isClosed());
            assertEquals(0, writer.failures(), "closing is not a failure");
        }

        assertFalse(throttle.append(2, 0x8F3C, 5, 10, 20));
        assertEquals(1, throttle.failures());
        assertEquals("throttle journal is closed", throttle.lastFailure());
        assertEquals(1, ThrottleJournal.read(config).size(), "only the summary written before the close");
    }

    @Test
    void shouldReturnMinusOneForABadMessageLength()
    {
        try (AcceptedJournal accepted = AcceptedJournal.open(new JournalConfig(dir.resolve("j"))))
        {
            assertEquals(-1, accepted.append(payload, 0, AcceptedMessageDescriptor.HEADER_LENGTH - 1),
                "shorter than the layout's header");
            assertEquals(-1, accepted.append(payload, 0, -1));
            assertEquals(2, accepted.failures());
            assertTrue(accepted.lastFailure().contains("invalid message length"), accepted.lastFailure());
            assertTrue(messages.append(accepted, 1, 1, payload, 0) >= 0);
        }
    }

    @Test
    void shouldValidateConfiguration()
    {
        final JournalConfig config = new JournalConfig(dir);
        assertEquals("FAST_HOURLY", config.rollCycleName());
        for (final String name : new String[] { "FAST_HOURLY", "FAST_DAILY", "TEN_MINUTELY", "MINUTELY",
            "TEST_SECONDLY" })
        {
            assertEquals(name, config.rollCycle(name).rollCycleName());
        }
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> config.rollCycle("FORTNIGHTLY"));
        assertTrue(ex.getMessage().contains("FORTNIGHTLY") && ex.getMessage().contains("FAST_DAILY"));
        assertThrows(IllegalArgumentException.class, () -> config.retainCompletedCycles(-1));
        assertEquals(JournalSync.SYNC, JournalSync.parse("Sync"));
        assertEquals(JournalSync.NONE, JournalSync.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> JournalSync.parse("fsync"));
        assertEquals(JournalSync.NONE, config.sync(), "default");
        assertEquals(JournalSync.ASYNC, config.sync(JournalSync.ASYNC).sync());
        assertEquals(JournalSync.NONE, config.sync(), "immutable");
    }

    @Test
    void shouldAppendAndSyncWithEverySyncMode()
    {
        for (final JournalSync sync : JournalSync.values())
        {
            final JournalConfig config = new JournalConfig(dir.resolve(sync.name())).sync(sync);
            try (AcceptedJournal accepted = AcceptedJournal.open(config);
                OutcomeJournal outcomes = OutcomeJournal.open(config))
            {
                assertTrue(messages.append(accepted, 1, 1, payload, 8) >= 0, accepted.lastFailure());
                outcomes.completed(1, 1, 2, 0);
                assertEquals(1, outcomes.flush(), outcomes.lastFailure());
            }
            assertEquals(0, JournalRecovery.recover(config).pendingCount());
        }
    }

    static Map<String, String> snapshot(final Path root) throws IOException
    {
        final Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root))
        {
            for (final Path p : (Iterable<Path>)walk::iterator)
            {
                if (Files.isRegularFile(p))
                {
                    files.put(root.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() + ":" +
                        java.util.Arrays.hashCode(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }
}
