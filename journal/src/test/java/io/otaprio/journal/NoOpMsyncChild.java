package io.otaprio.journal;

import net.openhft.posix.PosixAPI;

import java.nio.file.Path;

/**
 * Child JVM of {@link NoOpMsyncTest}: Chronicle's PosixAPI forced to its no-op (what a classpath without slf4j-api
 * leaves), then a journal opened with the sync mode given. Prints {@code opened} or {@code refused: message}.
 */
public final class NoOpMsyncChild
{
    private NoOpMsyncChild()
    {
    }

    /**
     * @param args journal directory, sync mode (none, async, sync).
     */
    public static void main(final String[] args)
    {
        PosixAPI.useNoOpPosixApi();
        final JournalConfig config = new JournalConfig(Path.of(args[0])).sync(JournalSync.valueOf(args[1]));
        try (AcceptedJournal journal = AcceptedJournal.open(config))
        {
            System.out.println("opened, " + journal.failures() + " failures");
        }
        catch (final JournalException ex)
        {
            System.out.println("refused: " + ex.getMessage());
        }
    }
}
