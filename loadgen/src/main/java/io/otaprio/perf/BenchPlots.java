package io.otaprio.perf;

import io.otaprio.bench.LatencySweep;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PNG plots of a bench run: latency against offered rate (the sweep), latency percentile curves per level at
 * one rate, the TCP sweep's per-level p99, and the recovery milestones against the backlog.
 */
final class BenchPlots
{

    private BenchPlots()
    {
    }

    /**
     * p99 and p99.9 against offered rate, one pair of lines per target, sustained points only.
     *
     * @param png    output.
     * @param points the latency sweep of every target.
     * @throws IOException if it cannot be written.
     */
    static void latencySweep(final Path png, final List<LatencySweep.Point> points) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title("Open-loop latency, intended send to dispatch, all levels (sustained rates)")
            .xAxisTitle("offered rate (msgs/s)").yAxisTitle("latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
            .setLegendPosition(Styler.LegendPosition.InsideNW);
        for (final String target : targets(points))
        {
            for (final double percentile : new double[]{ 50, 99, 99.9 })
            {
                final List<Double> x = new ArrayList<>();
                final List<Double> y = new ArrayList<>();
                for (final LatencySweep.Point point : points)
                {
                    if (point.target().equals(target) && point.sustained())
                    {
                        x.add((double)point.rate());
                        y.add(Math.max(0.01, point.all().getValueAtPercentile(percentile) / 1e3));
                    }
                }
                if (!x.isEmpty())
                {
                    final XYSeries series = chart.addSeries(target + " p" + trim(percentile), x, y);
                    series.setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Percentile curves (HdrHistogram's plotter axis: 1 / (1 - percentile)) per level and target at one rate.
     *
     * @param png    output.
     * @param points the latency sweep of every target.
     * @param rate   the rate to draw.
     * @throws IOException if it cannot be written.
     */
    static void percentileCurves(final Path png, final List<LatencySweep.Point> points, final long rate)
        throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title(String.format("Latency by percentile at %,d msgs/s, intended send to dispatch, per level", rate))
            .xAxisTitle("percentile (90 = 10, 99 = 100, 99.9 = 1000, ...: 1 / (1 - p))")
            .yAxisTitle("latency (us)").build();
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
            .setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(0);
        for (final LatencySweep.Point point : points)
        {
            if (point.rate() != rate)
            {
                continue;
            }
            for (int level = 1; level < point.levels().length; level++)
            {
                final Histogram histogram = point.levels()[level];
                if (histogram.getTotalCount() == 0)
                {
                    continue;
                }
                final List<Double> x = new ArrayList<>();
                final List<Double> y = new ArrayList<>();
                for (final HistogramIterationValue value : histogram.percentiles(5))
                {
                    final double percentile = value.getPercentileLevelIteratedTo();
                    if (percentile >= 100.0)
                    {
                        break;
                    }
                    x.add(1.0 / (1.0 - percentile / 100.0));
                    y.add(Math.max(0.01, value.getValueIteratedTo() / 1e3));
                }
                if (!x.isEmpty())
                {
                    chart.addSeries(point.target() + " level " + level, x, y);
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Per-level p99 against offered rate over TCP.
     *
     * @param png    output.
     * @param points the TCP sweep.
     * @throws IOException if it cannot be written.
     */
    static void tcpSweep(final Path png, final Map<String, List<TcpSweep.Point>> sweeps) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title("Over TCP: load generator -> engine process, intended send to Completed, p99 per level")
            .xAxisTitle("offered rate (msgs/s)").yAxisTitle("p99 latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW);
        // One mode: every level. Several: the top and bottom levels of each, so the modes stay readable side by side.
        final int[] levels = sweeps.size() == 1 ? new int[]{ 1, 2, 3, 4 } : new int[]{ 1, 4 };
        for (final Map.Entry<String, List<TcpSweep.Point>> sweep : sweeps.entrySet())
        {
            for (final int level : levels)
            {
                final List<Double> x = new ArrayList<>();
                final List<Double> y = new ArrayList<>();
                for (final TcpSweep.Point point : sweep.getValue())
                {
                    x.add((double)point.rate());
                    y.add(Math.max(0.001, point.result().run().level(level).latency().p99Us() / 1e3));
                }
                if (!x.isEmpty())
                {
                    chart.addSeries("level " + level + ", " + sweep.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
                }
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Recovery milestones after the JVM started, and the accepted journal's bytes scanned, against the backlog.
     *
     * @param png    output.
     * @param points one per backlog size.
     * @throws IOException if it cannot be written.
     */
    static void recovery(final Path png, final List<RecoveryBench.Point> points) throws IOException
    {
        final XYChart chart = new XYChartBuilder().width(900).height(560)
            .title("DR recovery: engine restarted on a journal with a backlog, times after its JVM started")
            .xAxisTitle("backlog (pending messages)").yAxisTitle("seconds after the JVM started").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW)
            .setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "MB of the accepted journal scanned");
        final List<Double> x = new ArrayList<>();
        final List<Double> scanned = new ArrayList<>();
        final List<Double> firstLevelOne = new ArrayList<>();
        final List<Double> queued = new ArrayList<>();
        final List<Double> megabytes = new ArrayList<>();
        for (final RecoveryBench.Point point : points)
        {
            x.add((double)point.backlog());
            scanned.add(point.scannedUs() / 1e6);
            firstLevelOne.add(point.firstLevelOneUs() / 1e6);
            queued.add(point.backlogQueuedUs() / 1e6);
            megabytes.add(point.acceptedScanned() / 1e6);
        }
        chart.addSeries("journal scanned", x, scanned).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("first replayed level-1 dispatch", x, firstLevelOne).setMarker(SeriesMarkers.DIAMOND);
        chart.addSeries("whole backlog queued", x, queued).setMarker(SeriesMarkers.SQUARE);
        final XYSeries bytes = chart.addSeries("accepted journal scanned (MB, right axis)", x, megabytes);
        bytes.setYAxisGroup(1);
        bytes.setMarker(SeriesMarkers.TRIANGLE_UP);
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static List<String> targets(final List<LatencySweep.Point> points)
    {
        final List<String> targets = new ArrayList<>();
        for (final LatencySweep.Point point : points)
        {
            if (!targets.contains(point.target()))
            {
                targets.add(point.target());
            }
        }
        return targets;
    }

    private static String trim(final double percentile)
    {
        return percentile == Math.rint(percentile) ? Long.toString((long)percentile) : Double.toString(percentile);
    }
}
