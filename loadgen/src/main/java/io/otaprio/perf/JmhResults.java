package io.otaprio.perf;


import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a JMH JSON result file that a summary quotes: per benchmark (and parameters) the score, its error,
 * the median over forks of each fork's mean (each fork is its own JVM, so the forks are the "several runs" whose
 * median is quoted), and the GC profiler's allocation per operation.
 */
public final class JmhResults
{
    private static final String GC_ALLOC_NORM = "gc.alloc.rate.norm";

    private final List<Entry> entries = new ArrayList<>();

    /**
     * One benchmark with one set of parameters.
     *
     * @param name           simple class name and method, e.g. {@code OneRingThroughputBenchmark.publishBatch}.
     * @param params         its parameters, "" when none, e.g. {@code journaled=true}.
     * @param unit           the score's unit.
     * @param score          JMH's mean over all measured iterations.
     * @param error          JMH's 99.9% error of the mean (NaN with too few iterations).
     * @param forkMedian     median of the per-fork means.
     * @param forkMeans      each fork's mean.
     * @param allocBytesPerOp {@code gc.alloc.rate.norm}, NaN when the GC profiler was off.
     */
    public record Entry(
        String name,
        String params,
        String unit,
        double score,
        double error,
        double forkMedian,
        double[] forkMeans,
        double allocBytesPerOp)
    {
        /** @return the name with its parameters, as a table label. */
        public String label()
        {
            return params.isEmpty() ? name : name + " (" + params + ")";
        }
    }

    /**
     * @param file a JMH JSON result file.
     * @return its entries.
     * @throws IOException if it cannot be read.
     */
    @SuppressWarnings("unchecked")
    public static JmhResults read(final Path file) throws IOException
    {
        final JmhResults results = new JmhResults();
        for (final Map<String, Object> result : BarChart.read(file))
        {
            final String benchmark = (String)result.get("benchmark");
            final String[] parts = benchmark.split("\\.");
            final String name = parts[parts.length - 2] + "." + parts[parts.length - 1];
            final Map<String, Object> paramMap = (Map<String, Object>)result.get("params");
            final StringBuilder params = new StringBuilder();
            if (null != paramMap)
            {
                for (final Map.Entry<String, Object> e : new TreeMap<>(paramMap).entrySet())
                {
                    params.append(params.length() > 0 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
                }
            }
            final Map<String, Object> primary = (Map<String, Object>)result.get("primaryMetric");
            final List<List<Object>> raw = (List<List<Object>>)primary.get("rawData");
            final double[] forkMeans = new double[null == raw ? 0 : raw.size()];
            for (int fork = 0; fork < forkMeans.length; fork++)
            {
                double sum = 0;
                for (final Object value : raw.get(fork))
                {
                    sum += number(value);
                }
                forkMeans[fork] = sum / raw.get(fork).size();
            }
            double alloc = Double.NaN;
            final Map<String, Object> secondary = (Map<String, Object>)result.get("secondaryMetrics");
            if (null != secondary)
            {
                for (final Map.Entry<String, Object> e : secondary.entrySet())
                {
                    if (e.getKey().endsWith(GC_ALLOC_NORM))
                    {
                        alloc = number(((Map<String, Object>)e.getValue()).get("score"));
                    }
                }
            }
            results.entries.add(new Entry(name, params.toString(), (String)primary.get("scoreUnit"),
                number(primary.get("score")), number(primary.get("scoreError")), median(forkMeans), forkMeans,
                alloc));
        }
        return results;
    }

    /** @return every entry in file order. */
    public List<Entry> entries()
    {
        return entries;
    }

    /**
     * @param name   simple class name and method.
     * @param params parameters as in {@link Entry#params()}, "" for none.
     * @return the entry, or null.
     */
    public Entry find(final String name, final String params)
    {
        for (final Entry entry : entries)
        {
            if (entry.name.equals(name) && entry.params.equals(params))
            {
                return entry;
            }
        }
        return null;
    }

    static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double number(final Object value)
    {
        if (value instanceof Number)
        {
            return ((Number)value).doubleValue();
        }
        if (value instanceof String)
        {
            try
            {
                return Double.parseDouble((String)value);
            }
            catch (final NumberFormatException ex)
            {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
