package io.otaprio.journal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stops a journal writing before its file system is full. Chronicle Queue writes through memory-mapped files, and a
 * write to a page the file system cannot back is a SIGBUS, which the JVM turns into an asynchronous
 * {@link InternalError} that may surface at any later unsafe access of the writing thread: inside the journal's own
 * error handling or far outside it. So the journals ask first: below {@link JournalConfig#minFreeBytes()} of usable
 * space they refuse to write until space returns.
 * <p>
 * The file system is asked every {@value #CHECK_EVERY} writes while space is plentiful (a statfs call costs about a
 * microsecond) and on every write while it is low, so that writing resumes as soon as space is back.
 * <p>
 * Threading: one writer thread per guard.
 */
final class DiskSpaceGuard
{
    static final int CHECK_EVERY = 256;

    private final FileStore store;
    private final long minFreeBytes;
    private final int checkEvery;
    private int untilCheck;
    private boolean low;
    private long usableBytes = Long.MAX_VALUE;

    /**
     * @param directory    a directory on the journal's file system (it exists).
     * @param minFreeBytes usable space below which writing stops; 0 turns the guard off.
     */
    DiskSpaceGuard(final Path directory, final long minFreeBytes)
    {
        this(directory, minFreeBytes, CHECK_EVERY);
    }

    /**
     * @param directory    a directory on the journal's file system (it exists).
     * @param minFreeBytes usable space below which writing stops; 0 turns the guard off.
     * @param checkEvery   how many calls of {@link #tooLow()} may answer from the last look while space is plentiful.
     */
    DiskSpaceGuard(final Path directory, final long minFreeBytes, final int checkEvery)
    {
        FileStore fileStore = null;
        if (minFreeBytes > 0)
        {
            try
            {
                fileStore = Files.getFileStore(directory);
            }
            catch (final IOException ex)
            {
                throw new JournalException("journal directory " + directory + ": cannot read its file system: " + ex);
            }
        }
        this.store = fileStore;
        this.minFreeBytes = minFreeBytes;
        this.checkEvery = checkEvery;
    }

    /** @return true when the next write must not happen: usable space is below the minimum. */
    boolean tooLow()
    {
        if (null == store)
        {
            return false;
        }
        if (--untilCheck <= 0)
        {
            try
            {
                usableBytes = store.getUsableSpace();
            }
            catch (final IOException ex)
            {
                usableBytes = 0;
            }
            low = usableBytes < minFreeBytes;
            untilCheck = low ? 1 : checkEvery;
        }
        return low;
    }

    /** @return why writing stopped, for the failure reason. */
    String reason()
    {
        return "file system nearly full: " + usableBytes + " bytes usable, below the journal's minFreeBytes " +
            minFreeBytes;
    }
}
