package io.otaprio.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Renders per-level reports as the fixed-width table otaprio prints at the end of a run:
 * <pre>
 * level  completed      p50       p99     p99.9       max      TRT  within TRT
 *     1        812    4.1ms     9.8ms    12.0ms    14.2ms     1.0s     100.00%
 * </pre>
 */
public final class LevelTable
{
    private LevelTable()
    {
    }

    /**
     * @param rows one per level.
     * @return the table, one line per level after a header, each ending in a newline.
     */
    public static String format(final List<LevelReport> rows)
    {
        final StringBuilder sb = new StringBuilder(128 * (rows.size() + 1));
        sb.append(String.format(Locale.ROOT, "%5s %10s %9s %9s %9s %9s %8s %11s%n",
            "level", "completed", "p50", "p99", "p99.9", "max", "TRT", "within TRT"));
        for (final LevelReport row : rows)
        {
            final LatencySummary l = row.latency();
            sb.append(String.format(Locale.ROOT, "%5d %10d %9s %9s %9s %9s %8s %10.2f%%%n",
                row.level(), row.completed(), micros(l.p50Us()), micros(l.p99Us()), micros(l.p999Us()),
                micros(l.maxUs()), micros(row.trtNs() / 1000), row.withinTrtPct()));
        }
        return sb.toString();
    }

    /**
     * @param us a duration in microseconds.
     * @return it in the largest unit that keeps it readable: {@code 850us}, {@code 4.1ms}, {@code 12.3s}.
     */
    public static String micros(final long us)
    {
        if (us < 1_000)
        {
            return us + "us";
        }
        if (us < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1fms", us / 1e3);
        }
        return String.format(Locale.ROOT, "%.1fs", us / 1e6);
    }
}
