package io.otaprio.server;

import io.otaprio.journal.JournalReport;
import io.otaprio.policy.SrvCatalogue;
import io.otaprio.protocol.MessageKind;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CSV files of {@code otaprio journal report}: {@value #LEVELS_FILE}, one row per hour and level (every level of
 * every hour from the first to the last reported), and {@value #SRVS_FILE}, one row per hour, kind, code and level
 * that has messages (alerts by alert code, responses by their request's SRV). The counts are {@link JournalReport}'s;
 * here they are written: withinTrtPct in percent with two decimals, rounded down (100.00 only when every one was),
 * p50Ms and p99Ms in milliseconds with three decimals; each empty when no completed message has a time.
 * <p>
 * Threading: stateless.
 */
final class ReportCsv
{
    /** File name of the per-level CSV. */
    static final String LEVELS_FILE = "levels.csv";

    /** File name of the per-SRV and per-alert-code CSV. */
    static final String SRVS_FILE = "srvs.csv";

    /** Header of {@value #LEVELS_FILE}. */
    static final String LEVELS_HEADER =
        "hour,level,accepted,completed,failed,untimed,pending,withinTrt,withinTrtPct,p50Ms,p99Ms,generations";

    /** Header of {@value #SRVS_FILE}. */
    static final String SRVS_HEADER = "hour,kind,code,name,level,accepted,completed,failed,untimed,pending," +
        "withinTrt,withinTrtPct,p50Ms,p99Ms,generations";

    private ReportCsv()
    {
    }

    /**
     * @param report what to write.
     * @param file   where ({@value #LEVELS_FILE}); replaced when it exists.
     * @return rows written, the header not counted.
     * @throws IOException when the file cannot be written.
     */
    static long writeLevels(final JournalReport report, final Path file) throws IOException
    {
        long rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write(LEVELS_HEADER);
            out.write('\n');
            for (final JournalReport.Hour hour : report.hours())
            {
                for (int level = 1; level <= hour.levels().size(); level++)
                {
                    out.write(hour.text() + ',' + level + ',' + counts(hour.levels().get(level - 1)) + ',' +
                        hour.generations() + '\n');
                    rows++;
                }
            }
        }
        return rows;
    }

    /**
     * @param report    what to write.
     * @param catalogue where the names of SRVs come from; a code it does not list has an empty name, as alerts do.
     * @param file      where ({@value #SRVS_FILE}); replaced when it exists.
     * @return rows written, the header not counted.
     * @throws IOException when the file cannot be written.
     */
    static long writeSrvs(final JournalReport report, final SrvCatalogue catalogue, final Path file)
        throws IOException
    {
        long rows = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8))
        {
            out.write(SRVS_HEADER);
            out.write('\n');
            for (final JournalReport.Hour hour : report.hours())
            {
                for (final JournalReport.CodeRow row : hour.codes())
                {
                    out.write(hour.text() + ',' + row.kindText() + ',' + row.codeText() + ',' +
                        PolicyCommand.csvField(name(catalogue, row)) + ',' + row.level() + ',' + counts(row.counts()) +
                        ',' + hour.generations() + '\n');
                    rows++;
                }
            }
        }
        return rows;
    }

    /**
     * @param basisPoints hundredths of a percent, or negative for none.
     * @return them as a percent with two decimals, or empty.
     */
    static String percent(final long basisPoints)
    {
        return basisPoints < 0 ? "" : basisPoints / 100 + "." + twoDigits(basisPoints % 100);
    }

    /**
     * @param micros microseconds, or negative for none.
     * @return them as milliseconds with three decimals, or empty.
     */
    static String millis(final long micros)
    {
        if (micros < 0)
        {
            return "";
        }
        final long fraction = micros % 1000;
        return micros / 1000 + "." + (fraction < 100 ? "0" : "") + twoDigits(fraction);
    }

    private static String counts(final JournalReport.Counts counts)
    {
        return counts.accepted() + "," + counts.completed() + "," + counts.failed() + "," + counts.untimed() + "," +
            counts.pending() + "," + counts.withinTrt() + "," + percent(counts.withinTrtBasisPoints()) + "," +
            millis(counts.latencyUs(50)) + "," + millis(counts.latencyUs(99));
    }

    private static String name(final SrvCatalogue catalogue, final JournalReport.CodeRow row)
    {
        final MessageKind kind = MessageKind.fromValue(row.kind());
        final SrvCatalogue.Srv srv = null != kind && kind.carriesSrv() ? catalogue.find(row.code()) : null;
        return null == srv ? "" : srv.name();
    }

    private static String twoDigits(final long value)
    {
        return value < 10 ? "0" + value : Long.toString(value);
    }
}
