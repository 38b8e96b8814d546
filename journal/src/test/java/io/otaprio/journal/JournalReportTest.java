package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link JournalReport} counts, case by case: completions below the checkpoint whose record is gone, levels it
 * does not report, the generations in force over an hour, hours without messages, progress lines.
 */
class JournalReportTest
{
    private static final long HOUR = JournalReport.HOUR_NS;
    private static final long T0 = TimeUnit.SECONDS.toNanos(Instant.parse("2026-03-29T16:00:00Z").getEpochSecond());
    private static final String SHA = "aafd75330da5f47e41d19a5aab382eefc225416ace6bc653eb844c7e2690320d";

    private final TestMessages messages = new TestMessages();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

    @TempDir
    Path dir;

    @Test
    void shouldCountAMessageBelowTheCheckpointWithoutItsRecordAsCompletedWithoutATime()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            append(accepted, 0, 1, T0, 1000);
            append(accepted, 1, 1, T0 + 1, 1000);
            append(accepted, 2, 1, T0 + 2, 1000);
            outcomes.completed(1, T0 + 1, T0 + 1001, 1);   // outcome 1: the downstream answered with an error
            assertTrue(outcomes.checkpoint(2, -1) >= 0);   // 0 and 1 complete; 0's record is not in the queue
        }

        final JournalReport report = JournalReport.read(config, Long.MIN_VALUE, Long.MAX_VALUE, (line) ->
        {
        });

        final JournalReport.Counts level1 = report.hours().get(0).levels().get(0);
        assertEquals(3, level1.accepted());
        assertEquals(2, level1.completed());
        assertEquals(1, level1.untimed());
        assertEquals(1, level1.failed(), "outcome 1 is not OK");
        assertEquals(1, level1.pending());
        assertEquals(0, level1.withinTrt(), "a failed message is never within its TRT");
        assertEquals(0, level1.withinTrtBasisPoints(), "of the one completed with a time");
        assertEquals(1, level1.latencyUs(50));
    }

    @Test
    void shouldCoverEveryHourFromTheFirstToTheLastWithTheGenerationsInForceDuringEach()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            PolicyJournal policy = PolicyJournal.open(config))
        {
            append(accepted, 0, 2, T0, 0);
            append(accepted, 1, 7, T0 + 5, 0);   // no such level: not reported
            append(accepted, 2, 4, T0 + 3 * HOUR + 5, 0);
            policy.append(new PolicyRecord(4, T0 + HOUR, 0, SHA, "a.yaml"));
            policy.append(new PolicyRecord(5, T0 + HOUR + 1, 2, SHA, "b.yaml"));
            policy.append(new PolicyRecord(6, T0 + 3 * HOUR, 2, SHA, "c.yaml"));
        }

        final JournalReport report = JournalReport.read(config, Long.MIN_VALUE, Long.MAX_VALUE, (line) ->
        {
        });

        assertEquals(3, report.messagesRead());
        assertEquals(2, report.messages());
        assertEquals(1, report.otherLevels());
        assertEquals(T0, report.firstAcceptNs());
        assertEquals(T0 + 3 * HOUR + 5, report.lastAcceptNs());
        final List<String> hours = new ArrayList<>();
        for (final JournalReport.Hour hour : report.hours())
        {
            hours.add(hour.text() + " " + hour.generations() + " " + hour.levels().get(1).accepted() + " " +
                hour.levels().get(3).accepted() + " " + hour.codes().size());
        }
        assertEquals(List.of(
            "2026-03-29T16:00Z - 1 0 1",
            "2026-03-29T17:00Z 4;5 0 0 0",
            "2026-03-29T18:00Z 5 0 0 0",
            "2026-03-29T19:00Z 6 0 1 1"), hours, "generation 5 ends where 6 begins, at 19:00");
        assertEquals(2, report.total().accepted());
        assertEquals(2, report.total().pending());
        assertEquals(-1, report.total().withinTrtBasisPoints());
        assertEquals(-1, report.total().latencyUs(99));
    }

    @Test
    void shouldReportOnlyTheWindowYetReadEverything()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config))
        {
            append(accepted, 0, 1, T0 - 1, 0);
            append(accepted, 1, 1, T0, 0);
            append(accepted, 2, 1, T0 + HOUR - 1, 0);
            append(accepted, 3, 1, T0 + HOUR, 0);
        }

        final JournalReport report = JournalReport.read(config, T0, T0 + HOUR, (line) ->
        {
        });

        assertEquals(4, report.messagesRead());
        assertEquals(2, report.messages(), "from inclusive, to exclusive");
        assertEquals(1, report.hours().size());
        assertEquals(2, report.hours().get(0).levels().get(0).accepted());
    }

    @Test
    void shouldTellProgressEveryIntervalOfEachQueue()
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j"));
        try (AcceptedJournal accepted = AcceptedJournal.open(config);
            OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            for (int id = 0; id < 5; id++)
            {
                append(accepted, id, 3, T0 + id * 60_000_000_000L, 0);
                outcomes.dispatched(id, T0);
            }
            outcomes.flush();
        }
        final List<String> lines = new ArrayList<>();

        JournalReport.read(config, Long.MIN_VALUE, Long.MAX_VALUE, 2, lines::add);

        assertEquals(List.of(
            "2 outcome records read",
            "4 outcome records read",
            "2 accepted messages read, up to accept time 2026-03-29T16:01:00Z",
            "4 accepted messages read, up to accept time 2026-03-29T16:03:00Z"), lines);
    }

    private void append(
        final AcceptedJournal accepted, final long id, final int level, final long acceptNs, final long trtNs)
    {
        messages.append(accepted, id, 1, level, 0x02_02_00_00, new RequestId(1, 2, id), acceptNs, trtNs, payload, 0);
    }
}
