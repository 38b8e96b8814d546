package io.otaprio.metrics;

/**
 * What one level experienced over a run: the row of the per-level table and of the JSON {@code levels} array.
 *
 * @param level        1..4.
 * @param completed    messages completed.
 * @param latency      latency percentiles in microseconds.
 * @param trtNs        the level's TRT budget.
 * @param withinTrtPct percentage of completed messages within the budget.
 */
public record LevelReport(int level, long completed, LatencySummary latency, long trtNs, double withinTrtPct)
{
    /**
     * @param level a snapshot level.
     * @return its report row, latency measured accept to complete.
     */
    public static LevelReport of(final MetricsSnapshot.Level level)
    {
        return new LevelReport(level.level(), level.completed(), level.latency(), level.trtNs(),
            level.withinTrtPct());
    }
}
