package io.otaprio.perf;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws the throughput benchmarks of one or more JMH JSON result files as a PNG bar chart: one bar per
 * {@code *ThroughputBenchmark} per file (run), height the mean in millions of messages per second, error bar JMH's
 * 99.9% interval. Reads the JSON with SnakeYAML (JSON is YAML), so it needs nothing the jar does not already carry.
 * <pre>
 * java -cp loadgen/target/otaprio.jar io.otaprio.perf.BarChart OUT.png "title" run1.json [run2.json ...]
 * </pre>
 */
public final class BarChart
{
    /** Topologies in the order drawn, engine first. */
    static final String[] TOPOLOGIES = { "FourRingScheduler", "JournaledEngine", "PriorityBlockingQueue",
        "FourArrayBlockingQueues", "OneRing" };

    private static final String SUFFIX = "ThroughputBenchmark.publishBatch";

    private BarChart()
    {
    }

    /**
     * @param args output PNG, title, then one JMH JSON file per run.
     * @throws IOException if a file cannot be read or the PNG written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length < 3)
        {
            System.err.println("usage: BarChart OUT.png TITLE RUN.json [RUN.json ...]");
            System.exit(2);
        }
        final List<Path> runs = new ArrayList<>();
        for (int run = 2; run < args.length; run++)
        {
            runs.add(Path.of(args[run]));
        }
        write(Path.of(args[0]), args[1], runs);
    }

    /**
     * Draw the chart.
     *
     * @param png   the output file.
     * @param title the chart's title.
     * @param runs  one JMH JSON result file per run; each is a series named after its file.
     * @throws IOException if a file cannot be read or the PNG written.
     */
    public static void write(final Path png, final String title, final List<Path> runs) throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(900).height(520).title(title)
            .xAxisTitle("topology (one producer thread, one consumer thread)").yAxisTitle("M msgs/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
        chart.getStyler().setLabelsVisible(false);

        final List<String> names = List.of(TOPOLOGIES);
        for (final Path run : runs)
        {
            final double[] scores = new double[TOPOLOGIES.length];
            final double[] errors = new double[TOPOLOGIES.length];
            for (final Map<String, Object> result : read(run))
            {
                final String benchmark = (String)result.get("benchmark");
                if (!benchmark.endsWith(SUFFIX))
                {
                    continue;
                }
                final String simpleName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.length() -
                    SUFFIX.length() - 1) + 1, benchmark.length() - SUFFIX.length());
                final int index = names.indexOf(simpleName);
                if (index >= 0)
                {
                    @SuppressWarnings("unchecked")
                    final Map<String, Object> primary = (Map<String, Object>)result.get("primaryMetric");
                    scores[index] = number(primary.get("score")) / 1e6;
                    errors[index] = number(primary.get("scoreError")) / 1e6;
                }
            }
            chart.addSeries(seriesName(run), new ArrayList<>(names), toList(scores),
                toList(errors));
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> read(final Path file) throws IOException
    {
        try (Reader reader = Files.newBufferedReader(file))
        {
            return (List<Map<String, Object>>)new Yaml().load(reader);
        }
    }

    /** @return "run1" for jmh-run1.json: the file name without the jmh- prefix and the extension. */
    private static String seriesName(final Path file)
    {
        final String name = file.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String base = dot > 0 ? name.substring(0, dot) : name;
        return base.startsWith("jmh-") ? base.substring("jmh-".length()) : base;
    }

    private static double number(final Object value)
    {
        return value instanceof Number ? ((Number)value).doubleValue() : Double.NaN;
    }

    private static List<Double> toList(final double[] values)
    {
        final List<Double> list = new ArrayList<>(values.length);
        for (final double value : values)
        {
            list.add(Double.isNaN(value) ? 0.0 : value);
        }
        return list;
    }
}
