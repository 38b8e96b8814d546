package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PolicyJournalTest
{
    private static final String DIGEST_A = "00".repeat(31) + "ff";
    private static final String DIGEST_B = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryGenerationAndRememberTheLastAcrossAReopen()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        assertEquals(List.of(), PolicyJournal.read(config), "no queue yet");
        final PolicyRecord first = new PolicyRecord(1, 1_795_944_845_196_623_314L, 0, DIGEST_A, "conf/p.yaml");
        final PolicyRecord second = new PolicyRecord(2, 1_795_944_905_000_000_000L, 1_234_567, DIGEST_B,
            "/opt/otaprio/conf/priority-policy-ünïcode.yaml");
        try (PolicyJournal journal = PolicyJournal.open(config))
        {
            assertNull(journal.last());
            assertTrue(journal.append(first), journal.lastFailure());
            assertEquals(first, journal.last());
        }
        try (PolicyJournal journal = PolicyJournal.open(config))
        {
            assertEquals(first, journal.last(), "the last generation is read back at open");
            assertTrue(journal.append(second), journal.lastFailure());
        }
        assertEquals(List.of(first, second), PolicyJournal.read(config));
    }

    @Test
    void shouldCutAnOverlongSourceAtACharacterBoundary()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final String longPath = "/x".repeat(1000) + "é".repeat(2000);
        try (PolicyJournal journal = PolicyJournal.open(config))
        {
            assertTrue(journal.append(new PolicyRecord(7, 1, 2, DIGEST_A, longPath)));
        }
        final String source = PolicyJournal.read(config).get(0).source();
        assertTrue(longPath.startsWith(source), source);
        assertTrue(source.length() > 2000 && source.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <=
            PolicyRecordDescriptor.MAX_SOURCE_LENGTH, "cut to at most the maximum, not further");
    }

    @Test
    void shouldRefuseADocumentOfAnotherLayout()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(
            config, config.directory().resolve(PolicyJournal.QUEUE), false);
            ExcerptAppender appender = queue.createAppender())
        {
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().writeShort((short)2).writeShort((short)0).writeInt(0).write(new byte[56]);
            }
        }
        final JournalException ex = assertThrows(JournalException.class, () -> PolicyJournal.read(config));
        assertTrue(ex.getMessage().contains("not a policy record of layout version 1"), ex.getMessage());
        assertThrows(JournalException.class, () -> PolicyJournal.open(config), "nor appended to");
    }
}
