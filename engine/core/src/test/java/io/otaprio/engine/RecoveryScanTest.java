package io.otaprio.engine;

import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalException;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.TestEngines;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Recovery reads the journal on a thread of its own while the context builds the rings: what it found, or what it
 * failed with, reaches the context as if it had read the journal itself, and its thread never outlives the context's
 * construction.
 */
class RecoveryScanTest
{
    private static final String SCAN_THREAD = "otaprio-recovery-scan";

    @TempDir
    Path dir;

    @Test
    void shouldHandTheContextTheBacklogAndTheRebuiltResendDetection()
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        write(journal, 1, 2, 3, 4, 1, 4);
        final EngineContext ctx = TestEngines.context().journal(journal).dedup(60_000_000_000L, 1024).conclude();
        try
        {
            assertEquals(6, ctx.recovered().pendingCount());
            assertEquals(2, ctx.recovered().pendingCount(1));
            assertEquals(6, ctx.nextMessageId(), "ids continue above the journal's");
            assertEquals(6, ctx.resendDetection().size(), "every pending RequestID is known to resend detection");
            assertFalse(scanThreadAlive(), "the scan ended before the context was concluded");
        }
        finally
        {
            ctx.close();
        }
    }

    @Test
    void shouldFailTheContextWithTheScansErrorAndLeaveNoThreadBehind()
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        write(journal, 1, 2, 7);

        final JournalException ex = assertThrows(JournalException.class,
            () -> TestEngines.context().journal(journal).conclude());
        assertTrue(ex.getMessage().contains("has level 7, expected 1..4"), ex.getMessage());
        assertFalse(scanThreadAlive());

        // The failed context let go of the journal's lock: a second start meets the same bad message, not the lock.
        final JournalException again = assertThrows(JournalException.class,
            () -> TestEngines.context().journal(journal).conclude());
        assertTrue(again.getMessage().contains("has level 7, expected 1..4"), again.getMessage());
        assertFalse(scanThreadAlive());
    }

    private static void write(final JournalConfig journal, final int... levels)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(8)]);
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight().wrap(buffer, 0);
        try (AcceptedJournal accepted = AcceptedJournal.open(journal))
        {
            for (int id = 0; id < levels.length; id++)
            {
                message.clear().kind(MessageKind.SERVICE_REQUEST.value()).level(levels[id]).code(1).messageId(id)
                    .requestId(new RequestId(1, 2, id)).acceptTimeNs(System.currentTimeMillis() * 1_000_000L)
                    .trtNs(1_000_000_000L).payload(new UnsafeBuffer(new byte[8]), 0, 8);
                assertTrue(accepted.append(buffer, 0, message.encodedLength()) >= 0);
            }
        }
    }

    private static boolean scanThreadAlive()
    {
        return Thread.getAllStackTraces().keySet().stream().anyMatch((t) -> SCAN_THREAD.equals(t.getName()));
    }
}
