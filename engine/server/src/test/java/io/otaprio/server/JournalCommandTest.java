package io.otaprio.server;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.journal.ThrottleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListThrottleSummariesAsCsvWithHexDeviceAndCodeAndIsoWindows()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (ThrottleJournal journal = ThrottleJournal.open(config))
        {
            journal.append(0x90B3D5000000C47CL, 0x8F3C, 4, 1795944845196623314L, 1795944905196623314L);
            journal.append(42, 0x12, 3, 0, 1);
        }

        final CommandRun run = CommandRun.of(() -> new CommandLine(new JournalCommand())
            .execute("throttled", "--journal", config.directory().toString()));

        assertEquals(0, run.exit(), run.err());
        assertEquals(String.join(System.lineSeparator(),
            "device,alertCode,throttled,windowStart,windowEnd",
            "90B3D5000000C47C,0x8F3C,4,2026-11-29T09:34:05.196623314Z,2026-11-29T09:35:05.196623314Z",
            "000000000000002A,0x0012,3,1970-01-01T00:00:00Z,1970-01-01T00:00:00.000000001Z",
            ""), run.out());
        assertTrue(run.err().contains("7 alerts throttled in all"), run.err());
    }

    @Test
    void shouldListPolicyGenerationsAsCsvQuotingASourceWithAComma()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        final String sha = "aafd75330da5f47e41d19a5aab382eefc225416ace6bc653eb844c7e2690320d";
        try (PolicyJournal journal = PolicyJournal.open(config))
        {
            journal.append(new PolicyRecord(1, 1795944845196623314L, 0, sha, "conf/priority-policy.yaml"));
            journal.append(new PolicyRecord(2, 1795944905000000000L, 31337, sha, "/etc/otaprio/policy,v2.yaml"));
        }

        final CommandRun run = CommandRun.of(() -> new CommandLine(new JournalCommand())
            .execute("policy", "--journal", config.directory().toString()));

        assertEquals(0, run.exit(), run.err());
        assertEquals(String.join(System.lineSeparator(),
            "generation,inForce,fromMessageId,sha256,source",
            "1,2026-11-29T09:34:05.196623314Z,0," + sha + ",conf/priority-policy.yaml",
            "2,2026-11-29T09:35:05Z,31337," + sha + ",\"/etc/otaprio/policy,v2.yaml\"",
            ""), run.out());
    }
}
