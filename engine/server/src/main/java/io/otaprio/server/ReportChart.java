package io.otaprio.server;

import io.otaprio.chart.LineChart;
import io.otaprio.journal.JournalReport;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart of {@code otaprio journal report}, {@value #FILE}: per level and hour, the share of completed messages
 * within their TRT (top) and the p99 accept-to-complete latency on a log scale (bottom), from the same numbers as
 * {@link ReportCsv}'s {@value ReportCsv#LEVELS_FILE}. An hour without a completed message at a level has no point.
 * <p>
 * Threading: stateless.
 */
final class ReportChart
{
    /** File name of the chart. */
    static final String FILE = "levels.png";

    /** Width of the image, pixels. */
    static final int WIDTH = 1000;

    /** Height of each of its two panels, pixels. */
    static final int PANEL_HEIGHT = 360;

    private static final DateTimeFormatter LABEL =
        DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private ReportChart()
    {
    }

    /**
     * @param report what to draw.
     * @param png    where ({@value #FILE}); replaced when it exists.
     * @return the image written.
     * @throws IOException when the file cannot be written.
     */
    static BufferedImage write(final JournalReport report, final Path png) throws IOException
    {
        final List<JournalReport.Hour> hours = report.hours();
        final List<String> labels = new ArrayList<>(hours.size());
        final int levels = hours.isEmpty() ? 0 : hours.get(0).levels().size();
        final double[][] withinTrtPct = new double[levels][hours.size()];
        final double[][] p99Ms = new double[levels][hours.size()];
        for (int h = 0; h < hours.size(); h++)
        {
            labels.add(LABEL.format(Instant.ofEpochSecond(0, hours.get(h).startNs())));
            for (int level = 0; level < levels; level++)
            {
                final JournalReport.Counts counts = hours.get(h).levels().get(level);
                final long basisPoints = counts.withinTrtBasisPoints();
                final long p99Us = counts.latencyUs(99);
                withinTrtPct[level][h] = basisPoints < 0 ? Double.NaN : basisPoints / 100.0;
                p99Ms[level][h] = p99Us < 0 ? Double.NaN : p99Us / 1000.0;
            }
        }
        final List<LineChart.Series> within = new ArrayList<>();
        final List<LineChart.Series> p99 = new ArrayList<>();
        for (int level = 0; level < levels; level++)
        {
            within.add(new LineChart.Series("level " + (level + 1), withinTrtPct[level]));
            p99.add(new LineChart.Series("level " + (level + 1), p99Ms[level]));
        }
        final BufferedImage image = LineChart.draw(WIDTH, PANEL_HEIGHT, "hour of acceptance (UTC)", labels, List.of(
            new LineChart.Panel("Completed within TRT, per level and hour", "% of completed", LineChart.Scale.LINEAR,
                0, 100, within),
            new LineChart.Panel("p99 accept-to-complete, per level and hour (log scale)", "p99 (ms)",
                LineChart.Scale.LOG, Double.NaN, Double.NaN, p99)));
        LineChart.writePng(png, image);
        return image;
    }
}
