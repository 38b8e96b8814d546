package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The journal lock against real processes: a child JVM holds it, is refused, or is killed with {@code kill -9}
 * ({@link Process#destroyForcibly()}) while holding it.
 */
class JournalLockTest
{
    private final TestMessages messages = new TestMessages();

    @TempDir
    Path dir;

    @Test
    void shouldRefuseAJournalHeldByALiveEngineNamingItsPid() throws Exception
    {
        final Path journal = dir.resolve("journal-data");
        final Process child = start(journal, "hold");
        try
        {
            assertEquals("LOCKED " + child.pid(), firstLine(child));
            final String text = Files.readString(journal.resolve(JournalLock.FILE_NAME), StandardCharsets.ISO_8859_1);
            assertTrue(text.contains("\npid=" + child.pid() + "\n"), text);
            assertTrue(text.contains("\nstartedEpochMs=" +
                child.info().startInstant().orElseThrow().toEpochMilli() + "\n"), text);

            final JournalException ex = assertThrows(JournalException.class, () -> JournalLock.acquire(journal));
            assertTrue(ex.getMessage().startsWith(journal + " is in use by a running engine (pid " + child.pid() +
                ", started "), ex.getMessage());
            assertTrue(ex.getMessage().matches(".*, started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\): stop it, " +
                "or give this engine another --journal"), ex.getMessage());
            assertTrue(child.isAlive(), "refusing does not disturb the holder");
        }
        finally
        {
            kill(child);
        }
    }

    @Test
    void shouldTakeOverTheLockOfAnEngineKilledWithKillNineAndNameItsPid() throws Exception
    {
        final Path journal = dir.resolve("journal-data");
        final Process child = start(journal, "hold");
        try
        {
            assertEquals("LOCKED " + child.pid(), firstLine(child));
        }
        finally
        {
            kill(child);
        }
        assertTrue(Files.readString(journal.resolve(JournalLock.FILE_NAME)).contains("pid=" + child.pid()),
            "the killed engine's file is left behind");

        try (JournalLock lock = JournalLock.acquire(journal))
        {
            assertTrue(lock.tookOverStale());
            assertEquals(child.pid(), lock.previousPid());
            assertEquals(ProcessHandle.current().pid(), lock.pid());
        }
    }

    @Test
    void shouldReacquireAfterCloseInTheSameJvmAndReportNoTakeover()
    {
        final Path journal = dir.resolve("journal-data");
        final JournalLock first = JournalLock.acquire(journal);
        assertFalse(first.tookOverStale(), "a new directory");
        assertEquals(JournalLock.NO_PID, first.previousPid());
        first.close();
        first.close();

        try (JournalLock second = JournalLock.acquire(journal))
        {
            assertFalse(second.tookOverStale(), "the first was released in order");
            assertEquals(JournalLock.NO_PID, second.previousPid());
        }
    }

    @Test
    void shouldRefuseASecondAcquireInTheSameJvmAndKeepTheFirstHeld() throws Exception
    {
        final Path journal = dir.resolve("journal-data");
        try (JournalLock held = JournalLock.acquire(journal))
        {
            final JournalException ex = assertThrows(JournalException.class, () -> JournalLock.acquire(journal));
            assertTrue(ex.getMessage().startsWith(journal + " is in use by a running engine (pid " + held.pid() +
                ", started "), ex.getMessage());
            final JournalException throughAnotherPath = assertThrows(JournalException.class,
                () -> JournalLock.acquire(journal.resolve("..").resolve(journal.getFileName())));
            assertTrue(throughAnotherPath.getMessage().contains("(pid " + held.pid()), throughAnotherPath.getMessage());

            // Closing any descriptor of a POSIX-locked file releases the process's lock on it: the refusals must
            // not have opened one. Another process is still refused.
            final Process child = start(journal, "try");
            try
            {
                assertEquals("REFUSED " + journal + " is in use by a running engine (pid " + held.pid(),
                    firstLine(child).split(", started")[0]);
            }
            finally
            {
                kill(child);
            }
        }
    }

    @Test
    void shouldCreateTheDirectoryAndEmptyTheFileOnClose() throws Exception
    {
        final Path journal = dir.resolve("a").resolve("b");
        final Path file;
        try (JournalLock lock = JournalLock.acquire(journal))
        {
            // Not read here: opening and closing the file in the holding process would release its lock.
            file = lock.file();
            assertEquals(journal.resolve(JournalLock.FILE_NAME), file);
            assertEquals(journal, lock.directory());
            assertEquals(ProcessHandle.current().pid(), lock.pid());
            assertEquals(ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(),
                lock.startedEpochMs());
        }
        assertTrue(Files.exists(file), "the file stays");
        assertEquals(0, Files.size(file), "emptied: released in order");
    }

    @Test
    void shouldLetReadersReadAJournalThatALiveEngineHolds() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("journal-data"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            ThrottleJournal throttled = ThrottleJournal.open(config))
        {
            messages.append(accepted, 7, 1, 2, 0x08_01_01_00, new RequestId(1, 2, 3), 1000, 0,
                new UnsafeBuffer(new byte[8]), 8);
            throttled.append(1, 0x8F3C, 5, 0, 10);
        }
        final Process child = start(config.directory(), "hold");
        try
        {
            assertEquals("LOCKED " + child.pid(), firstLine(child));
            assertEquals(1, JournalRecovery.recover(config).pendingCount());
            assertEquals(1, JournalStats.read(config).accepted(2));
            assertEquals(1, JournalDump.writeCsv(config, new StringBuilder()));
            assertEquals(1, ThrottleJournal.read(config).size());
        }
        finally
        {
            kill(child);
        }
    }

    private static Process start(final Path journal, final String mode) throws IOException
    {
        return ChildJvm.start(JournalLockChild.class, journal.toString(), mode);
    }

    private static String firstLine(final Process child) throws IOException
    {
        // Not closed: closing the reader would close the child's standard output before it is killed.
        final BufferedReader reader = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
        final String line = reader.readLine();
        assertNotNull(line, "the child printed nothing before exiting");
        return line;
    }

    private static void kill(final Process child) throws InterruptedException
    {
        child.destroyForcibly();   // SIGKILL: no close, no shutdown hook
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child exited");
    }
}
