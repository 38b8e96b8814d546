package io.otaprio.server;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalDump;
import io.otaprio.journal.JournalReport;
import io.otaprio.journal.JournalStats;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.journal.ThrottleJournal;
import io.otaprio.journal.ThrottleSummary;
import io.otaprio.policy.SrvCatalogue;
import io.otaprio.protocol.AlertCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code otaprio journal dump|stats|throttled|policy|report}: read a journal without changing it.
 */
@Command(
    name = "journal",
    mixinStandardHelpOptions = true,
    description = "Inspect a journal: each accepted message with its outcome, counts per level, or a report per hour.",
    subcommands = { JournalCommand.Dump.class, JournalCommand.Stats.class, JournalCommand.Throttled.class,
        JournalCommand.Policies.class, JournalCommand.Report.class })
public final class JournalCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /** {@code --journal DIR}, the journal every subcommand reads. */
    static final class JournalOption
    {
        @Option(names = "--journal", required = true, paramLabel = "DIR", description = "Journal directory.")
        private Path directory;

        /** @return the journal to read; refused when there is no directory to read it from. */
        JournalConfig open()
        {
            if (!Files.isDirectory(directory))
            {
                throw new IllegalArgumentException("no journal directory at " + directory);
            }
            return new JournalConfig(directory);
        }
    }

    @Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "One row per accepted message, in accept order: messageId,originator,target,counter,kind,code,level,",
            "acceptedNs,dispatchedNs,completedNs,completions (dispatchedNs/completedNs of the first completion,",
            "empty while pending; completions = number of completion records). Streams to standard output." })
    static final class Dump implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|json",
            description = "csv, or json (one object per line) (default: ${DEFAULT-VALUE}).")
        private String format;

        public Integer call() throws Exception
        {
            final JournalConfig config = journal.open();
            final BufferedWriter out = new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
            switch (format)
            {
                case "csv" -> JournalDump.writeCsv(config, out);
                case "json" -> JournalDump.writeJson(config, out);
                default -> throw new IllegalArgumentException("--format must be csv or json, got " + format);
            }
            out.flush();
            return 0;
        }
    }

    @Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Per level accepted, completed and pending; cycles and size on disk; the checkpoint.")
    static final class Stats implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        @Option(names = "--json", description = "JSON instead of a table.")
        private boolean json;

        public Integer call()
        {
            final JournalStats stats = JournalStats.read(journal.open());
            System.out.println(json ? stats.json() : stats.table());
            return 0;
        }
    }

    @Command(
        name = "throttled",
        mixinStandardHelpOptions = true,
        description = "The alert-storm summaries: per device, alert code and window, how many alerts were " +
            "throttled (CSV).")
    static final class Throttled implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        public Integer call()
        {
            System.out.println("device,alertCode,throttled,windowStart,windowEnd");
            long total = 0;
            for (final ThrottleSummary summary : ThrottleJournal.read(journal.open()))
            {
                System.out.printf("%016X,%s,%d,%s,%s%n", summary.device(), AlertCode.toString(summary.code()),
                    summary.throttled(), Instant.ofEpochSecond(0, summary.windowStartNs()),
                    Instant.ofEpochSecond(0, summary.windowEndNs()));
                total += summary.throttled();
            }
            System.err.println(total + " alerts throttled in all");
            return 0;
        }
    }

    @Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = { "The policy generations the engine put in force, oldest first (CSV): generation, when it " +
            "came in force, the first message id it classified, the SHA-256 of its file (as sha256sum prints it) " +
            "and the file." })
    static final class Policies implements Callable<Integer>
    {
        /** The CSV header. */
        static final String HEADER = "generation,inForce,fromMessageId,sha256,source";

        @Mixin
        private JournalOption journal;

        public Integer call()
        {
            System.out.println(HEADER);
            for (final PolicyRecord record : PolicyJournal.read(journal.open()))
            {
                System.out.printf("%d,%s,%d,%s,%s%n", record.generation(), Instant.ofEpochSecond(0, record.inForceNs()),
                    record.fromMessageId(), record.sha256(), PolicyCommand.csvField(record.source()));
            }
            return 0;
        }
    }

    @Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Report against prioritisation from the journal of record: per hour of acceptance (UTC), per level and " +
                "per SRV (alerts per alert code), the messages accepted, completed (failed, untimed) and pending, " +
                "the p50 and p99 accept-to-complete latency, the share completed within TRT, and the policy " +
                "generations in force. Writes " + ReportCsv.LEVELS_FILE + ", " + ReportCsv.SRVS_FILE + " and " +
                ReportChart.FILE + " into --out; prints a summary.",
            "  " + ReportCsv.LEVELS_FILE + ": " + ReportCsv.LEVELS_HEADER,
            "  " + ReportCsv.SRVS_FILE + ": " + ReportCsv.SRVS_HEADER })
    static final class Report implements Callable<Integer>
    {
        @Mixin
        private JournalOption journal;

        @Option(names = "--from", paramLabel = "T", description = "Report messages accepted at or after T: an " +
            "ISO-8601 instant, 2026-11-30T14:00Z or 2026-11-30T15:00+01:00, or a date, 2026-11-30 (midnight UTC) " +
            "(default: from the journal's first message).")
        private String from;

        @Option(names = "--to", paramLabel = "T", description = "Report messages accepted before T, as --from " +
            "(default: to the journal's last message).")
        private String to;

        @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for the CSV files and the chart (created; files of the same names replaced).")
        private Path out;

        @Option(names = "--catalogue", paramLabel = "FILE",
            description = "DUIS SRV catalogue naming the SRVs in " + ReportCsv.SRVS_FILE + " (default: " +
                PolicyCommand.SHIPPED_CATALOGUE + ").")
        private Path catalogue;

        public Integer call() throws IOException
        {
            final long fromNs = null == from ? Long.MIN_VALUE : epochNs("--from", from);
            final long toNs = null == to ? Long.MAX_VALUE : epochNs("--to", to);
            if (fromNs >= toNs)
            {
                throw new IllegalArgumentException("--from " + from + " is not before --to " + to + ": no time " +
                    "between them to report");
            }
            final JournalConfig config = journal.open();
            final SrvCatalogue names = names();
            final JournalReport report = JournalReport.read(config, fromNs, toNs,
                (line) -> System.err.println("journal report: " + line));
            if (0 == report.messagesRead())
            {
                throw new IllegalArgumentException("no accepted message in the journal at " + config.directory() +
                    ": nothing to report");
            }
            if (0 == report.messages())
            {
                throw new IllegalArgumentException("no message of the " + report.messagesRead() + " in the journal " +
                    "was accepted " + window(fromNs, toNs) + ": they were accepted from " +
                    Instant.ofEpochSecond(0, report.firstAcceptNs()) + " to " +
                    Instant.ofEpochSecond(0, report.lastAcceptNs()));
            }

            Files.createDirectories(out);
            final long levelRows = ReportCsv.writeLevels(report, out.resolve(ReportCsv.LEVELS_FILE));
            final long srvRows = ReportCsv.writeSrvs(report, names, out.resolve(ReportCsv.SRVS_FILE));
            final BufferedImage chart = ReportChart.write(report, out.resolve(ReportChart.FILE));
            summarise(config, report, window(fromNs, toNs));
            System.out.printf("wrote %s (%d rows), %s (%d rows), %s (%dx%d)%n", out.resolve(ReportCsv.LEVELS_FILE),
                levelRows, out.resolve(ReportCsv.SRVS_FILE), srvRows, out.resolve(ReportChart.FILE),
                chart.getWidth(), chart.getHeight());
            return 0;
        }

        private SrvCatalogue names()
        {
            if (null != catalogue)
            {
                return SrvCatalogue.load(catalogue);
            }
            final Path shipped = Home.shipped(PolicyCommand.SHIPPED_CATALOGUE);
            if (Files.isRegularFile(shipped))
            {
                return SrvCatalogue.load(shipped);
            }
            System.err.println("journal report: no SRV catalogue at " + shipped + ": the name column of " +
                ReportCsv.SRVS_FILE + " stays empty (give --catalogue FILE)");
            return SrvCatalogue.none();
        }

        private static void summarise(final JournalConfig config, final JournalReport report, final String window)
        {
            final List<JournalReport.Hour> hours = report.hours();
            final JournalReport.Counts all = report.total();
            System.out.printf("read %s: %d accepted messages (accepted from %s to %s), %d outcome records, %d " +
                "policy generations%n", config.directory(), report.messagesRead(),
                Instant.ofEpochSecond(0, report.firstAcceptNs()), Instant.ofEpochSecond(0, report.lastAcceptNs()),
                report.outcomeRecords(), report.generations().size());
            final long startNs = hours.get(0).startNs();
            final long endNs = hours.get(hours.size() - 1).startNs() + JournalReport.HOUR_NS;
            System.out.printf("reported %d messages accepted %s, in %d hours from %s to %s: %d completed " +
                "(%d failed, %d untimed), %d pending, %d within TRT (%s%%); policy generations in force: %s%n",
                report.messages(), window, hours.size(),
                JournalReport.hourText(startNs), JournalReport.hourText(endNs), all.completed(), all.failed(),
                all.untimed(), all.pending(), all.withinTrt(), ReportCsv.percent(all.withinTrtBasisPoints()),
                report.generationsDuring(startNs, endNs));
            if (report.otherLevels() > 0)
            {
                System.out.printf("not reported: %d messages at a level outside 1-4 (a damaged journal?)%n",
                    report.otherLevels());
            }
        }
    }

    /**
     * @param fromNs first instant, epoch nanos, or {@link Long#MIN_VALUE} for none.
     * @param toNs   end instant, exclusive, or {@link Long#MAX_VALUE} for none.
     * @return the window in words: "at any time", "at or after T", "before T" or "in [T1, T2)".
     */
    static String window(final long fromNs, final long toNs)
    {
        final String from = Instant.ofEpochSecond(0, fromNs).toString();
        final String to = Instant.ofEpochSecond(0, toNs).toString();
        if (Long.MIN_VALUE == fromNs)
        {
            return Long.MAX_VALUE == toNs ? "at any time" : "before " + to;
        }
        return Long.MAX_VALUE == toNs ? "at or after " + from : "in [" + from + ", " + to + ")";
    }

    /**
     * @param option the option, for the message.
     * @param text   an ISO-8601 instant with Z or an offset (seconds optional), or a date (midnight UTC).
     * @return it in epoch nanos.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    static long epochNs(final String option, final String text)
    {
        Instant instant;
        try
        {
            instant = OffsetDateTime.parse(text).toInstant();
        }
        catch (final DateTimeParseException notInstant)
        {
            try
            {
                instant = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            catch (final DateTimeParseException notDate)
            {
                throw new IllegalArgumentException(option + " \"" + text + "\" is not an ISO-8601 instant: give a " +
                    "time with Z or an offset, such as 2026-11-30T14:00Z or 2026-11-30T15:00+01:00, or a date, " +
                    "such as 2026-11-30 (midnight UTC)");
            }
        }
        try
        {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException(option + " " + text + " is out of range: the journal's times are " +
                "epoch nanoseconds, from 1677-09-21 to 2262-04-11");
        }
    }
}
