package io.otaprio.recovery;

import io.otaprio.admission.Admission;
import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.Engine;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalStats;
import io.otaprio.journal.Recovered;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real full disk: the journal on a 4 MiB tmpfs mounted for the test (needs root, as in CI; skipped otherwise),
 * filled up by a file, then freed. The journals stop writing 1 MiB before the file system is full (a write to an
 * unbacked page of a mapped file is a SIGBUS, surfacing as an InternalError anywhere in the writing thread: it
 * killed the scheduler thread before this guard). While full, admission answers UNAVAILABLE and says so, the
 * accepted backlog keeps draining; once space returns admission resumes by itself; and after a restart every
 * acknowledged message is either complete or pending: nothing lost.
 */
class DiskFullTest
{
    private static final long TIMEOUT_MS = 20_000;

    @TempDir
    Path dir;

    private Path mount;

    @AfterEach
    void unmount() throws Exception   // lazily: Chronicle releases its mappings in the background after close
    {
        if (null != mount)
        {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldAnswerUnavailableWhileTheDiskIsFullAndResumeByItselfWhenSpaceReturns() throws Exception
    {
        final Path target = Files.createDirectories(dir.resolve("small-disk"));
        final Process process = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", target.toString())
            .redirectErrorStream(true).start();
        Assumptions.assumeTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0,
            "mounting a small tmpfs needs root");
        mount = target;
        final Path filler = target.resolve("filler");
        try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw"))
        {
            final byte[] block = new byte[64 * 1024];
            for (int i = 0; i < 24; i++)
            {
                file.write(block);   // 1.5 MiB really written, so the journals get the rest
            }
        }

        final JournalConfig journal = new JournalConfig(target.resolve("journal")).minFreeBytes(1 << 20);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[512]);
        long acknowledged = 0;
        long unavailable = 0;
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = launch(journal, submitter))
        {
            final Admission admission = engine.admission();
            long counter = 0;
            while (unavailable < 50 && counter < 1_000_000)
            {
                final long id = submit(submitter, payload, counter++);
                if (id >= 0)
                {
                    acknowledged++;
                }
                else if (id == -RejectReason.UNAVAILABLE.code())
                {
                    unavailable++;
                    assertTrue(admission.journalFailing(), "the condition is exposed");
                }
                else
                {
                    Thread.onSpinWait();   // FULL: the backlog is draining, try again
                }
            }
            assertEquals(50, unavailable, "the disk filled up");
            assertTrue(acknowledged > 1_000);
            // The backlog drains while the journal cannot be written.
            TestEngines.awaitCompleted(engine, acknowledged, TIMEOUT_MS);
            assertEquals(50, engine.snapshot().rejected(RejectReason.UNAVAILABLE));

            Files.delete(filler);
            assertTrue(submit(submitter, payload, counter++) >= 0, "space is back: admitted again, by itself");
            acknowledged++;
            assertFalse(admission.journalFailing());
            for (int i = 0; i < 100; i++)
            {
                assertTrue(submit(submitter, payload, counter++) >= 0);
                acknowledged++;
            }
            TestEngines.awaitCompleted(engine, acknowledged, TIMEOUT_MS);
        }

        try (Engine engine = launch(journal, new TestSubmitter()))
        {
            final Recovered recovered = engine.context().recovered();
            // Every retained message, not only those from the checkpoint on, which are all recovery scans.
            final JournalStats stats = JournalStats.read(journal);
            long journaled = stats.otherLevels();
            long pending = 0;
            for (int level = 1; level <= 4; level++)
            {
                journaled += stats.accepted(level);
                pending += stats.pending(level);
            }
            assertEquals(acknowledged, journaled, "every acknowledged message is journaled");
            assertEquals(pending, recovered.pendingCount(), "recovery from the checkpoint finds every pending one");
        }
    }

    private static Engine launch(final JournalConfig journal, final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(new ImmediateDispatcher(8))
            .ringSizes(1024, 1024, 1024, 1024)
            .maxPayloadBytes(512)
            .journal(journal)
            .addTransport(new InProcessTransport(submitter)));
    }

    private static long submit(final TestSubmitter submitter, final UnsafeBuffer payload, final long counter)
    {
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[4],
            new RequestId(1, 2, counter), payload, 0, 512).id();
    }

}
