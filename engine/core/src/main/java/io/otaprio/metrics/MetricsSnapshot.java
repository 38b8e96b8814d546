package io.otaprio.metrics;

import io.otaprio.protocol.RejectReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cumulative engine figures at one instant, per level. Immutable.
 *
 * @param levels             per level, index 0 = level 1.
 * @param rejectedByCode     rejections indexed by {@link RejectReason#code()}.
 * @param depthByLane        ring depth per lane, index 0 = lane of level 1.
 * @param unknownCompletions completions of ids that were not in flight.
 * @param schedulerErrors    errors caught at the scheduler loop boundary.
 */
public record MetricsSnapshot(
    Level[] levels,
    long[] rejectedByCode,
    long[] depthByLane,
    long unknownCompletions,
    long schedulerErrors)
{
    /**
     * One level's figures.
     *
     * @param level      1..4.
     * @param accepted   messages admitted.
     * @param dispatched messages handed downstream.
     * @param completed  messages completed.
     * @param failed     completed with a failure outcome.
     * @param trtMet     completed within the TRT budget.
     * @param trtMissed  completed after it.
     * @param full       rejected FULL because this level's ring was full.
     * @param duplicates rejected DUPLICATE: resends of a request still pending or recently completed.
     * @param demoted    classified into this level but admitted at a lower one (quota, level-1 alert guard).
     * @param trtNs      the level's TRT budget.
     * @param latency    accept-to-complete latency.
     */
    public record Level(
        int level,
        long accepted,
        long dispatched,
        long completed,
        long failed,
        long trtMet,
        long trtMissed,
        long full,
        long duplicates,
        long demoted,
        long trtNs,
        LatencySummary latency)
    {
        /** @return percentage of completed messages that met the TRT, 100 when none completed. */
        public double withinTrtPct()
        {
            final long total = trtMet + trtMissed;
            return total == 0 ? 100.0 : 100.0 * trtMet / total;
        }
    }

    /**
     * @param reason a reason.
     * @return rejections for it.
     */
    public long rejected(final RejectReason reason)
    {
        return rejectedByCode[reason.code()];
    }

    /** @return all rejections. */
    public long rejectedTotal()
    {
        long total = 0;
        for (final long r : rejectedByCode)
        {
            total += r;
        }
        return total;
    }

    /**
     * @param level 1..4.
     * @return that level's figures.
     */
    public Level level(final int level)
    {
        return levels[level - 1];
    }

    /** @return one report row per level, latency accept to complete. */
    public List<LevelReport> reports()
    {
        final List<LevelReport> rows = new ArrayList<>(levels.length);
        for (final Level level : levels)
        {
            rows.add(LevelReport.of(level));
        }
        return rows;
    }

    /**
     * @return a human-readable table: the per-level latency table, then counts, depths and rejections.
     */
    public String table()
    {
        final StringBuilder sb = new StringBuilder(LevelTable.format(reports()));
        sb.append(String.format(Locale.ROOT, "%5s %10s %10s %10s %10s %10s %10s%n",
            "level", "accepted", "dispatched", "completed", "failed", "full", "duplicate"));
        for (final Level level : levels)
        {
            sb.append(String.format(Locale.ROOT, "%5d %10d %10d %10d %10d %10d %10d%n",
                level.level(), level.accepted(), level.dispatched(), level.completed(), level.failed(),
                level.full(), level.duplicates()));
        }
        sb.append("depth by lane:");
        for (final long depth : depthByLane)
        {
            sb.append(' ').append(depth);
        }
        sb.append(System.lineSeparator()).append("rejected:");
        for (final RejectReason reason : RejectReason.values())
        {
            sb.append(' ').append(reason.name()).append('=').append(rejected(reason));
        }
        sb.append(System.lineSeparator());
        return sb.toString();
    }

    /**
     * @return the snapshot as one JSON object: {@code levels}, {@code rejected} by reason, {@code depthByLane}.
     */
    public String json()
    {
        final JsonWriter json = new JsonWriter().beginObject();
        json.name("levels").beginArray();
        for (final Level level : levels)
        {
            json.beginObject()
                .field("level", level.level())
                .field("accepted", level.accepted())
                .field("dispatched", level.dispatched())
                .field("completed", level.completed())
                .field("failed", level.failed())
                .field("trtMet", level.trtMet())
                .field("trtMissed", level.trtMissed())
                .field("full", level.full())
                .field("duplicates", level.duplicates())
                .field("demoted", level.demoted())
                .latencyFields(level.latency(), level.trtNs(), level.withinTrtPct())
                .endObject();
        }
        json.endArray();
        json.rejected(rejectedByCode);
        json.name("depthByLane").beginArray();
        for (final long depth : depthByLane)
        {
            json.value(depth);
        }
        json.endArray();
        json.field("unknownCompletions", unknownCompletions).field("schedulerErrors", schedulerErrors);
        return json.endObject().toString();
    }
}
