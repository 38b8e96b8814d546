package io.otaprio.cli;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code otaprio report}: turn the engine's interval logs into plots over time.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
        "Plot the latency interval logs of `./otaprio engine --hlog DIR` over time: p50, p99 and max per level",
        "(latency-over-time.png), and print a per-level summary. The .hlog files are HdrHistogram interval logs",
        "(values in microseconds), also readable by HdrHistogram's HistogramLogProcessor." },
    sortOptions = false)
final class ReportCommand implements Callable<Integer>
{
    @Option(names = "--hlog", required = true, paramLabel = "DIR", description = "Directory holding level-N.hlog.")
    private Path hlog;

    @Option(names = "--out", defaultValue = "report-out", paramLabel = "DIR",
        description = "Where the PNG goes (default: ${DEFAULT-VALUE}).")
    private Path out;

    public Integer call() throws Exception
    {
        final List<Path> logs = new ArrayList<>();
        for (int level = 1; level <= 4; level++)
        {
            final Path log = hlog.resolve("level-" + level + ".hlog");
            if (Files.exists(log))
            {
                logs.add(log);
            }
        }
        if (logs.isEmpty())
        {
            throw new IllegalArgumentException("--hlog: no level-N.hlog in " + hlog);
        }
        Files.createDirectories(out);
        final XYChart chart = new XYChartBuilder().width(1000).height(560)
            .title("Accept-to-completion latency over time, per level (1 s intervals)")
            .xAxisTitle("seconds since the engine started").yAxisTitle("latency (ms)").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.OutsideE).setMarkerSize(3);
        System.out.printf("%-6s %9s %9s %10s %10s %10s %10s%n", "level", "intervals", "count", "p50", "p99",
            "p99.9", "max");
        for (final Path log : logs)
        {
            final String name = log.getFileName().toString().replace(".hlog", "");
            final List<Double> t = new ArrayList<>();
            final List<Double> p50 = new ArrayList<>();
            final List<Double> p99 = new ArrayList<>();
            final List<Double> max = new ArrayList<>();
            final Histogram total = new Histogram(3);
            int intervals = 0;
            final HistogramLogReader reader = open(log);
            try
            {
                EncodableHistogram next;
                while (null != (next = reader.nextIntervalHistogram()))
                {
                    final Histogram interval = (Histogram)next;
                    intervals++;
                    total.add(interval);
                    t.add((interval.getStartTimeStamp() - reader.getStartTimeSec() * 1000.0) / 1000.0);
                    p50.add(Math.max(0.001, interval.getValueAtPercentile(50) / 1000.0));
                    p99.add(Math.max(0.001, interval.getValueAtPercentile(99) / 1000.0));
                    max.add(Math.max(0.001, interval.getMaxValue() / 1000.0));
                }
            }
            finally
            {
                reader.close();
            }
            if (!t.isEmpty())
            {
                chart.addSeries(name + " p50", t, p50);
                chart.addSeries(name + " p99", t, p99);
                chart.addSeries(name + " max", t, max);
            }
            System.out.printf(Locale.ROOT, "%-6s %9d %9d %8.3fms %8.3fms %8.3fms %8.3fms%n", name, intervals,
                total.getTotalCount(), total.getValueAtPercentile(50) / 1000.0,
                total.getValueAtPercentile(99) / 1000.0, total.getValueAtPercentile(99.9) / 1000.0,
                total.getMaxValue() / 1000.0);
        }
        final Path png = out.resolve("latency-over-time.png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + png);
        return 0;
    }

    private static HistogramLogReader open(final Path log)
    {
        try
        {
            return new HistogramLogReader(log.toString());
        }
        catch (final FileNotFoundException ex)
        {
            throw new IllegalArgumentException("--hlog: cannot read " + log);
        }
    }
}
