package io.otaprio.metrics;

import org.HdrHistogram.Histogram;

/**
 * The percentiles otaprio reports for one level, in microseconds.
 *
 * @param count  values recorded.
 * @param p50Us  median.
 * @param p99Us  99th percentile.
 * @param p999Us 99.9th percentile.
 * @param maxUs  largest value.
 */
public record LatencySummary(long count, long p50Us, long p99Us, long p999Us, long maxUs)
{
    /** Nothing recorded. */
    public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0);

    /**
     * @param histogram values in microseconds.
     * @return its summary.
     */
    public static LatencySummary of(final Histogram histogram)
    {
        if (histogram.getTotalCount() == 0)
        {
            return EMPTY;
        }
        return new LatencySummary(
            histogram.getTotalCount(),
            histogram.getValueAtPercentile(50.0),
            histogram.getValueAtPercentile(99.0),
            histogram.getValueAtPercentile(99.9),
            histogram.getMaxValue());
    }
}
