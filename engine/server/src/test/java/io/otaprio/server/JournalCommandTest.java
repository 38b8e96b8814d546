package io.otaprio.server;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.ThrottleJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        final int exit;
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new JournalCommand())
                .execute("throttled", "--journal", config.directory().toString());
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        assertEquals(String.join(System.lineSeparator(),
            "device,alertCode,throttled,windowStart,windowEnd",
            "90B3D5000000C47C,0x8F3C,4,2026-11-29T09:34:05.196623314Z,2026-11-29T09:35:05.196623314Z",
            "000000000000002A,0x0012,3,1970-01-01T00:00:00Z,1970-01-01T00:00:00.000000001Z",
            ""), out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("7 alerts throttled in all"),
            err.toString(StandardCharsets.UTF_8));
    }
}
