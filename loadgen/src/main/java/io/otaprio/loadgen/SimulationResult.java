package io.otaprio.loadgen;

import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;
import io.otaprio.protocol.RejectReason;

import java.util.Locale;

/**
 * What a load on the engine measured, in-process ({@code simulate}) or over TCP ({@code loadgen}, {@code demo}).
 * Latency is end to end from each message's intended send time, so a generator that fell behind cannot hide queueing
 * (coordinated omission).
 *
 * @param run            the load and what it measured per level.
 * @param offered        messages the generator submitted.
 * @param accepted       messages admitted.
 * @param completed      messages completed before the end of the run.
 * @param rejectedByCode rejections indexed by {@link RejectReason#code()}.
 * @param replayed       messages replayed from an existing journal at start (counted in the levels too).
 * @param completedDuringLoad messages completed by the end of the load, before the drain: over the load's duration,
 *                            the rate the engine and its downstream kept up with.
 */
public record SimulationResult(
    LoadRun run,
    long offered,
    long accepted,
    long completed,
    long[] rejectedByCode,
    long replayed,
    long completedDuringLoad)
{
    /** @return accepted (and replayed) messages still pending when the run ended. */
    public long pending()
    {
        return accepted + replayed - completed;
    }

    /**
     * @param reason a reason.
     * @return rejections for it.
     */
    public long rejected(final RejectReason reason)
    {
        return rejectedByCode[reason.code()];
    }

    /** @return the per-level table and a summary line. */
    public String table()
    {
        return summary() + LevelTable.format(run.levels());
    }

    /** @return the summary line: what was offered, accepted, completed, left pending and rejected. */
    public String summary()
    {
        return String.format(Locale.ROOT,
            "policy %s, scenario %s: offered %d, accepted %d, completed %d, pending %d, rejected %s%n",
            run.policy(), run.scenario(), offered, accepted, completed, pending(), rejectedText());
    }

    /** @return the result as the JSON object documented in the README. */
    public String json()
    {
        return json(null);
    }

    /**
     * @param baseline the same traffic under the fifo policy, run in the same process, or null.
     * @return the result as JSON, with the baseline under {@code "fifo"} when given.
     */
    public String json(final SimulationResult baseline)
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("scenario", run.scenario())
            .field("policy", run.policy())
            .field("offered", offered)
            .field("accepted", accepted)
            .field("completed", completed)
            .field("pending", pending())
            .rejected(rejectedByCode)
            .field("capacityPerSecond", run.capacityPerSecond())
            .field("durationSeconds", run.durationSeconds())
            .field("drainSeconds", run.drainSeconds())
            .field("profile", run.profile())
            .field("seed", run.seed())
            .field("replayed", replayed);
        json.name("levels").beginArray();
        for (final LevelReport row : run.levels())
        {
            json.level(row);
        }
        json.endArray();
        if (null != baseline)
        {
            json.name("fifo").rawValue(baseline.json());
        }
        return json.endObject().toString();
    }

    /**
     * One line per level comparing this run with a baseline: p99 and share within TRT, and how many times lower
     * this run's p99 is.
     *
     * @param baseline the fifo run of the same traffic.
     * @return the comparison table.
     */
    public String comparison(final SimulationResult baseline)
    {
        final String policy = run.policy();
        final String baselinePolicy = baseline.run().policy();
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s %12s %12s %12s %14s %14s%n",
            "level", "p99 " + policy, "p99 " + baselinePolicy, "fifo/prio", "TRT% " + policy,
            "TRT% " + baselinePolicy));
        for (int level = 1; level <= run.levels().size(); level++)
        {
            final LevelReport ours = run.level(level);
            final LevelReport theirs = baseline.run().level(level);
            final double ratio = theirs.latency().p99Us() / (double)Math.max(1, ours.latency().p99Us());
            sb.append(String.format(Locale.ROOT, "%5d %12s %12s %11.1fx %13.2f%% %13.2f%%%n",
                level, LevelTable.micros(ours.latency().p99Us()), LevelTable.micros(theirs.latency().p99Us()),
                ratio, ours.withinTrtPct(), theirs.withinTrtPct()));
        }
        return sb.toString();
    }

    private String rejectedText()
    {
        final StringBuilder sb = new StringBuilder();
        for (final RejectReason reason : RejectReason.values())
        {
            if (rejected(reason) > 0)
            {
                sb.append(sb.length() > 0 ? " " : "").append(reason.name()).append('=').append(rejected(reason));
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
