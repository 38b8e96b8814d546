package io.otaprio.journal;

import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A journal's directories are created 0700 and the files the engine writes itself 0600, whatever the umask; a
 * directory that already exists keeps its mode.
 */
class OwnerOnlyTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCreateEveryJournalDirectoryOwnerOnlyAndItsLockFileOwnerOnly() throws IOException
    {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path root = dir.resolve("data").resolve("journal");
        final JournalConfig config = new JournalConfig(root);
        final List<AutoCloseable> open = new ArrayList<>();
        try
        {
            open.add(JournalLock.acquire(root));
            open.add(AcceptedJournal.open(config));
            open.add(PolicyJournal.open(config));
            open.add(ThrottleJournal.open(config));
            open.add(HeldJournal.open(config));
            for (final Path directory : new Path[]{ dir.resolve("data"), root, config.acceptedDirectory(),
                config.outcomesDirectory(), root.resolve(PolicyJournal.QUEUE), root.resolve(ThrottleJournal.QUEUE),
                root.resolve(HeldJournal.QUEUE) })
            {
                assertEquals("rwx------", mode(directory), directory.toString());
            }
            assertEquals("rw-------", mode(root.resolve(JournalLock.FILE_NAME)));
            assertEquals("rwxr-xr-x", mode(dir), "a directory that existed is left alone");
        }
        finally
        {
            CloseHelper.closeAll(open);
        }
    }

    private static String mode(final Path path) throws IOException
    {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
