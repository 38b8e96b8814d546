package io.otaprio.loadgen;

import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;

import java.util.Locale;

/**
 * The same traffic (same seed) run twice in one process, with one setting on and off: per level p50, p99, max and
 * the share within TRT side by side, and what each run completed per second (the setting's throughput cost). Both
 * runs share the process and the machine, so a busy machine weighs on both.
 *
 * @param setting what differs, e.g. {@code dsp.reserved}.
 * @param onLabel the setting as it was on, e.g. {@code dsp.reserved 4 slots for levels 1-2}.
 * @param on      the run with it.
 * @param off     the run without it.
 */
public record OnOffComparison(String setting, String onLabel, SimulationResult on, SimulationResult off)
{
    private static final String GROUP = "%9s %9s %9s %8s";

    /**
     * The throughput a setting costs shows while the downstream is saturated: what was completed while the load was
     * offered, not counting the drain, whose length the last slow message decides.
     *
     * @param result a run.
     * @return messages it completed per second during the load.
     */
    public static double completedPerSecond(final SimulationResult result)
    {
        final double seconds = result.run().durationSeconds();
        return seconds > 0 ? result.completedDuringLoad() / seconds : 0;
    }

    /** @return completed per second with the setting on, over that with it off. */
    public double throughputRatio()
    {
        final double offRate = completedPerSecond(off);
        return offRate > 0 ? completedPerSecond(on) / offRate : 0;
    }

    /**
     * The one table, e.g.
     * <pre>
     *        dsp.reserved 2 slots for levels 1-2     none (dsp.reserved off)
     * level        p50       p99       max   in TRT        p50       p99       max   in TRT
     *     1      2.8ms    20.1ms    26.2ms  100.00%      5.9ms   228.7ms   262.4ms  100.00%
     *   ...
     * completed/s during load                       290.0                                   285.5   on/off 1.016
     * load + drain                                  39.3s                                   41.0s
     * </pre>
     *
     * @return per level, the two runs side by side, and their throughput.
     */
    public String table()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s  %-38s  %s%n", "", onLabel, "none (" + setting + " off)"));
        sb.append(String.format(Locale.ROOT, "%5s  " + GROUP + "  " + GROUP + "%n", "level",
            "p50", "p99", "max", "in TRT", "p50", "p99", "max", "in TRT"));
        for (int level = 1; level <= on.run().levels().size(); level++)
        {
            sb.append(String.format(Locale.ROOT, "%5d  %s  %s%n", level, columns(on.run().level(level)),
                columns(off.run().level(level))));
        }
        sb.append(String.format(Locale.ROOT, "%-23s  %26.1f  %38.1f   on/off %.3f%n", "completed/s during load",
            completedPerSecond(on), completedPerSecond(off), throughputRatio()));
        sb.append(String.format(Locale.ROOT, "%-23s  %25.1fs  %37.1fs%n", "load + drain", seconds(on), seconds(off)));
        return sb.toString();
    }

    /**
     * @param scenario the scenario both runs offered.
     * @return both runs as JSON: {@code {"scenario", "setting", "on": {"label", "completedPerSecond", "run"}, "off":
     * {...}, "throughputRatio"}}, each {@code run} the object a single run writes.
     */
    public String json(final String scenario)
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("scenario", scenario)
            .field("setting", setting);
        json.name("on").rawValue(run(onLabel, on));
        json.name("off").rawValue(run("none", off));
        return json.field("throughputRatio", throughputRatio()).endObject().toString();
    }

    private static String run(final String label, final SimulationResult result)
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .field("label", label)
            .field("completedPerSecond", completedPerSecond(result));
        return json.name("run").rawValue(result.json()).endObject().toString();
    }

    private static double seconds(final SimulationResult result)
    {
        return result.run().durationSeconds() + result.run().drainSeconds();
    }

    private static String columns(final LevelReport row)
    {
        final LatencySummary latency = row.latency();
        return String.format(Locale.ROOT, GROUP, LevelTable.micros(latency.p50Us()), LevelTable.micros(latency.p99Us()),
            LevelTable.micros(latency.maxUs()), String.format(Locale.ROOT, "%.2f%%", row.withinTrtPct()));
    }
}
