package io.otaprio.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A sync mode is a promise that an Ack means on the disk. When Chronicle's msync is a no-op in the JVM (its native
 * binding did not load), a journal with a sync mode is refused at open rather than silently not synced. Each case in
 * a child JVM of its own: the no-op, once chosen, is for the life of the JVM.
 */
class NoOpMsyncTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRefuseASyncModeWhenMsyncIsANoOp() throws Exception
    {
        for (final JournalSync sync : new JournalSync[] { JournalSync.SYNC, JournalSync.ASYNC })
        {
            final String out = run(dir.resolve(sync.name()), sync);
            assertTrue(out.startsWith("refused: journal.sync " + sync.name().toLowerCase() + " for "), out);
            assertTrue(out.contains("msync is not available in this JVM"), out);
            assertTrue(out.contains("set journal.sync: none"), out);
        }
    }

    @Test
    void shouldOpenWithoutSyncWhenMsyncIsANoOp() throws Exception
    {
        assertEquals("opened, 0 failures", run(dir.resolve("none"), JournalSync.NONE));
    }

    private static String run(final Path journal, final JournalSync sync) throws IOException, InterruptedException
    {
        final Process child = ChildJvm.start(NoOpMsyncChild.class, journal.toString(), sync.name());
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        child.getInputStream().transferTo(out);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ended");
        assertEquals(0, child.exitValue());
        final String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
