package io.otaprio.server;

import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code otaprio journal report} over a journal whose answers are known: two hours, two policy generations (the
 * second moves 7.2 Disable Supply from level 1 to level 2 half way through the second hour), messages within and
 * beyond their TRT, pending ones, a failed one, a timed-out one, a message completed twice (dispatched again after a
 * crash: its first completion counts) and a linked Critical second step whose accept time is its first step's, in the
 * hour before the one it was journaled in.
 */
class JournalReportCommandTest
{
    private static final long T0 = epochNs("2026-11-30T14:00:00Z");
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final String SHA_1 = "aafd75330da5f47e41d19a5aab382eefc225416ace6bc653eb844c7e2690320d";
    private static final String SHA_2 = "2134c7b0407f8146deffe1906d05fe2428e1e5adcf0174160beb2c3e7e2fcfe8";
    private static final String CATALOGUE = "../../conf/duis-srvs.yaml";

    @TempDir
    Path dir;

    private JournalConfig config;
    private Path out;

    @BeforeEach
    void writeJournal()
    {
        config = new JournalConfig(dir.resolve("journal"));
        out = dir.resolve("report");
        final int sr = MessageKind.SERVICE_REQUEST.value();
        final int alert = MessageKind.ALERT.value();
        final int response = MessageKind.RESPONSE.value();
        final long trt1 = SECOND;
        final long trt2 = 5 * SECOND;
        final Messages messages = new Messages();
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config);
            PolicyJournal policy = PolicyJournal.open(config))
        {
            policy.append(new PolicyRecord(1, T0 - HOUR, 0, SHA_1, "conf/priority-policy.yaml"));
            // Hour 14:00: level 1 within (0, 2), beyond (1); level 4 failed (3); level 3 pending (4).
            messages.append(accepted, 0, sr, 1, "2.2", T0 + 10 * SECOND, trt1);
            messages.append(accepted, 1, sr, 1, "2.2", T0 + 20 * SECOND, trt1);
            messages.append(accepted, 2, alert, 1, 0x8F3C, T0 + 30 * SECOND, trt1);
            messages.append(accepted, 3, sr, 4, "11.1", T0 + 40 * SECOND, 30 * SECOND);
            messages.append(accepted, 4, sr, 3, "4.1.1", T0 + 50 * SECOND, 10 * SECOND);
            outcomes.completed(0, T0 + 10 * SECOND, T0 + 10_500 * SECOND / 1000, 0);
            outcomes.completed(1, T0 + 20 * SECOND, T0 + 22 * SECOND, 0);
            outcomes.completed(2, T0 + 30 * SECOND, T0 + 30_250 * SECOND / 1000, 0);
            outcomes.completed(3, T0 + 40 * SECOND, T0 + 41 * SECOND, 1);
            outcomes.dispatched(4, T0 + 51 * SECOND);
            outcomes.completed(0, T0 + 11 * SECOND, T0 + 12 * SECOND, 0);   // again after a crash: not counted
            // Hour 15:00: 7.2 at level 1 under generation 1 (5); the linked second step of a 2.2 whose first step
            // was accepted at 14:59 (6); generation 2 from message 7 at 15:30: 7.2 at level 2 (7), a response that
            // timed out (8), a top-up within (9) and one pending (10).
            messages.append(accepted, 5, sr, 1, "7.2", T0 + HOUR + 5 * MINUTE, trt1);
            messages.append(accepted, 6, sr, 1, "2.2", T0 + 59 * MINUTE, trt1);
            policy.append(new PolicyRecord(2, T0 + HOUR + 30 * MINUTE, 7, SHA_2, "conf/priority-policy.yaml"));
            messages.append(accepted, 7, sr, 2, "7.2", T0 + HOUR + 31 * MINUTE, trt2);
            messages.append(accepted, 8, response, 2, "8.1.1", T0 + HOUR + 45 * MINUTE, trt2);
            messages.append(accepted, 9, sr, 1, "2.2", T0 + HOUR + 50 * MINUTE, trt1);
            messages.append(accepted, 10, sr, 1, "2.2", T0 + HOUR + 55 * MINUTE, trt1);
            outcomes.completed(5, T0 + HOUR + 5 * MINUTE, T0 + HOUR + 5 * MINUTE + 200 * SECOND / 1000, 0);
            outcomes.completed(6, T0 + HOUR + 6 * MINUTE, T0 + HOUR + 6 * MINUTE, 0);
            outcomes.completed(7, T0 + HOUR + 31 * MINUTE, T0 + HOUR + 31 * MINUTE + 3 * SECOND, 0);
            outcomes.completed(8, T0 + HOUR + 45 * MINUTE, T0 + HOUR + 45 * MINUTE + 30 * SECOND, 2);
            outcomes.completed(9, T0 + HOUR + 50 * MINUTE, T0 + HOUR + 50 * MINUTE + 100 * SECOND / 1000, 0);
            outcomes.flush();
        }
    }

    @Test
    void shouldReportEveryLevelOfEveryHourWithTheGenerationsInForce() throws IOException
    {
        final CommandRun run = report();

        assertEquals(0, run.exit(), run.err());
        // Latencies are HdrHistogram values of 2 significant digits: the top of the bucket holding the exact value
        // (never below it, within 1%): 500 ms shows as 501.759 (a bucket of 2048 us), 3 s as 3014.655 (16384 us),
        // 420 s (the linked step: 14:59 to 15:06) as 421527.551.
        assertEquals(List.of(
            ReportCsv.LEVELS_HEADER,
            "2026-11-30T14:00Z,1,4,4,0,0,0,2,50.00,501.759,421527.551,1",
            "2026-11-30T14:00Z,2,0,0,0,0,0,0,,,,1",
            "2026-11-30T14:00Z,3,1,0,0,0,1,0,,,,1",
            "2026-11-30T14:00Z,4,1,1,1,0,0,0,0.00,1003.519,1003.519,1",
            "2026-11-30T15:00Z,1,3,2,0,0,1,2,100.00,100.351,200.703,1;2",
            "2026-11-30T15:00Z,2,2,2,1,0,0,1,50.00,3014.655,30015.487,1;2",
            "2026-11-30T15:00Z,3,0,0,0,0,0,0,,,,1;2",
            "2026-11-30T15:00Z,4,0,0,0,0,0,0,,,,1;2"),
            Files.readAllLines(out.resolve(ReportCsv.LEVELS_FILE)));
    }

    @Test
    void shouldReportEachSrvAndAlertCodeAtEachLevelWithItsName() throws IOException
    {
        final CommandRun run = report();

        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of(
            ReportCsv.SRVS_HEADER,
            "2026-11-30T14:00Z,SERVICE_REQUEST,2.2,Top Up Device,1,3,3,0,0,0,1,33.33,2007.039,421527.551,1",
            "2026-11-30T14:00Z,SERVICE_REQUEST,4.1.1,Read Instantaneous Import Registers,3,1,0,0,0,1,0,,,,1",
            "2026-11-30T14:00Z,SERVICE_REQUEST,11.1,Update Firmware,4,1,1,1,0,0,0,0.00,1003.519,1003.519,1",
            "2026-11-30T14:00Z,ALERT,0x8F3C,,1,1,1,0,0,0,1,100.00,250.879,250.879,1",
            "2026-11-30T15:00Z,SERVICE_REQUEST,2.2,Top Up Device,1,2,1,0,0,1,1,100.00,100.351,100.351,1;2",
            "2026-11-30T15:00Z,SERVICE_REQUEST,7.2,Disable Supply,1,1,1,0,0,0,1,100.00,200.703,200.703,1;2",
            "2026-11-30T15:00Z,SERVICE_REQUEST,7.2,Disable Supply,2,1,1,0,0,0,1,100.00,3014.655,3014.655,1;2",
            "2026-11-30T15:00Z,RESPONSE,8.1.1,Commission Device,2,1,1,1,0,0,0,0.00,30015.487,30015.487,1;2"),
            Files.readAllLines(out.resolve(ReportCsv.SRVS_FILE)));
    }

    @Test
    void shouldDrawTheChartAndSummariseWhatWasRead() throws IOException
    {
        final CommandRun run = report();

        assertEquals(0, run.exit(), run.err());
        final BufferedImage png = ImageIO.read(out.resolve(ReportChart.FILE).toFile());
        assertNotNull(png, "a PNG ImageIO can decode");
        assertEquals(ReportChart.WIDTH, png.getWidth());
        assertEquals(2 * ReportChart.PANEL_HEIGHT, png.getHeight());
        assertEquals(String.join(System.lineSeparator(),
            "read " + config.directory() + ": 11 accepted messages (accepted from 2026-11-30T14:00:10Z to " +
                "2026-11-30T15:55:00Z), 11 outcome records, 2 policy generations",
            "reported 11 messages accepted at any time, in 2 hours from 2026-11-30T14:00Z to 2026-11-30T16:00Z: " +
                "9 completed (2 failed, 0 untimed), 2 pending, 5 within TRT (55.55%); policy generations in " +
                "force: 1;2",
            "wrote " + out.resolve("levels.csv") + " (8 rows), " + out.resolve("srvs.csv") + " (8 rows), " +
                out.resolve("levels.png") + " (1000x720)",
            ""), run.out());
    }

    @Test
    void shouldReportOnlyMessagesAcceptedInTheWindow() throws IOException
    {
        final CommandRun run = CommandRun.of("journal", "report", "--journal", config.directory().toString(),
            "--out", out.toString(), "--catalogue", CATALOGUE, "--from", "2026-11-30T16:00+01:00",
            "--to", "2026-11-30T15:50:00Z");

        assertEquals(0, run.exit(), run.err());
        // 15:00 to 15:50: not the linked step (accepted at 14:59) nor the top-ups of 15:50 and 15:55.
        assertEquals(List.of(
            ReportCsv.LEVELS_HEADER,
            "2026-11-30T15:00Z,1,1,1,0,0,0,1,100.00,200.703,200.703,1;2",
            "2026-11-30T15:00Z,2,2,2,1,0,0,1,50.00,3014.655,30015.487,1;2",
            "2026-11-30T15:00Z,3,0,0,0,0,0,0,,,,1;2",
            "2026-11-30T15:00Z,4,0,0,0,0,0,0,,,,1;2"),
            Files.readAllLines(out.resolve(ReportCsv.LEVELS_FILE)));
        assertTrue(run.out().contains("reported 3 messages accepted in [2026-11-30T15:00:00Z, " +
            "2026-11-30T15:50:00Z), in 1 hours"), run.out());
    }

    @Test
    void shouldTakeADateAsMidnightUtc()
    {
        final CommandRun run = CommandRun.of("journal", "report", "--journal", config.directory().toString(),
            "--out", out.toString(), "--catalogue", CATALOGUE, "--from", "2026-12-01");

        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertEquals("otaprio journal report: error: no message of the 11 in the journal was accepted at or after " +
            "2026-12-01T00:00:00Z: they were accepted from 2026-11-30T14:00:10Z to 2026-11-30T15:55:00Z" +
            System.lineSeparator(), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void shouldSayWhatIsWrongWithABadInstant()
    {
        assertError("otaprio journal report: error: --from \"2026-11-30T14:00\" is not an ISO-8601 instant: give a " +
            "time with Z or an offset, such as 2026-11-30T14:00Z or 2026-11-30T15:00+01:00, or a date, such as " +
            "2026-11-30 (midnight UTC)", "--from", "2026-11-30T14:00");
        assertError("otaprio journal report: error: --to \"yesterday\" is not an ISO-8601 instant: give a time with " +
            "Z or an offset, such as 2026-11-30T14:00Z or 2026-11-30T15:00+01:00, or a date, such as 2026-11-30 " +
            "(midnight UTC)", "--to", "yesterday");
        assertError("otaprio journal report: error: --from 2026-11-30T15:00Z is not before --to 2026-11-30T15:00Z: " +
            "no time between them to report", "--from", "2026-11-30T15:00Z", "--to", "2026-11-30T15:00Z");
        assertError("otaprio journal report: error: --to 9999-01-01 is out of range: the journal's times are epoch " +
            "nanoseconds, from 1677-09-21 to 2262-04-11", "--to", "9999-01-01");
    }

    @Test
    void shouldSayWhenThereIsNoJournalOrNothingInIt() throws IOException
    {
        final Path absent = dir.resolve("absent");
        CommandRun run = CommandRun.of("journal", "report", "--journal", absent.toString(), "--out", out.toString(),
            "--catalogue", CATALOGUE);
        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertEquals("otaprio journal report: error: no journal directory at " + absent + System.lineSeparator(),
            run.err());

        final Path empty = Files.createDirectories(dir.resolve("empty"));
        run = CommandRun.of("journal", "report", "--journal", empty.toString(), "--out", out.toString(),
            "--catalogue", CATALOGUE);
        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertEquals("otaprio journal report: error: no accepted message in the journal at " + empty +
            ": nothing to report" + System.lineSeparator(), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void shouldRequireTheOutputDirectory()
    {
        final CommandRun run = CommandRun.of("journal", "report", "--journal", config.directory().toString());

        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit());
        assertTrue(run.err().contains("Missing required option: '--out=DIR'"), run.err());
    }

    private CommandRun report()
    {
        return CommandRun.of("journal", "report", "--journal", config.directory().toString(), "--out",
            out.toString(), "--catalogue", CATALOGUE);
    }

    private void assertError(final String expected, final String... window)
    {
        final String[] args = new String[6 + window.length];
        System.arraycopy(new String[] { "journal", "report", "--journal", config.directory().toString(), "--out",
            out.toString() }, 0, args, 0, 6);
        System.arraycopy(window, 0, args, 6, window.length);
        final CommandRun run = CommandRun.of(args);
        assertEquals(CommandErrors.EXIT_CONFIGURATION, run.exit(), run.err());
        assertEquals(expected + System.lineSeparator(), run.err());
    }

    private static long epochNs(final String instant)
    {
        return TimeUnit.SECONDS.toNanos(Instant.parse(instant).getEpochSecond());
    }

    /** Accepted messages built through the flyweight, as admission builds them. */
    private static final class Messages
    {
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(0)]);
        private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight().wrap(buffer, 0);

        void append(
            final AcceptedJournal journal, final long id, final int kind, final int level, final String srv,
            final long acceptNs, final long trtNs)
        {
            append(journal, id, kind, level, SrvCode.parse(srv), acceptNs, trtNs);
        }

        void append(
            final AcceptedJournal journal, final long id, final int kind, final int level, final int code,
            final long acceptNs, final long trtNs)
        {
            message.clear().kind(kind).level(level).code(code).messageId(id).requestId(new RequestId(1, 2, id))
                .acceptTimeNs(acceptNs).trtNs(trtNs).payloadLength(0);
            assertTrue(journal.append(buffer, 0, message.encodedLength()) >= 0);
        }
    }
}
