package io.otaprio.loadgen;

import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;
import io.otaprio.policy.PriorityPolicy;

import java.util.Locale;

/**
 * The outage-restoration scenario's answer: the same traffic (same seed) run twice, with the level-1 alert guard as
 * configured and with it off, side by side in one table: per level and for the top-ups, p50, p99, the share within
 * TRT and the FULL answers; and how many of the restoration's alerts the guard demoted.
 *
 * @param guard      the guard of the first run.
 * @param on         the run with the guard.
 * @param onFigures  what that run did to top-ups and restoration alerts.
 * @param off        the run without it.
 * @param offFigures what that run did to top-ups and restoration alerts.
 */
public record RestorationComparison(
    Guard guard,
    SimulationResult on,
    RestorationFigures onFigures,
    SimulationResult off,
    RestorationFigures offFigures)
{
    private static final String ROW = "%-19s %9s %9s %10s %7s   %9s %9s %10s %7s%n";
    private static final String RUNS = "%-19s %-38s   %-38s%n";

    /**
     * The level-1 alert guard's settings.
     *
     * @param perSecond level-1 alerts per second per code.
     * @param burst     at once after a quiet period.
     * @param demoteTo  the level the excess is admitted at.
     */
    public record Guard(long perSecond, long burst, int demoteTo)
    {
        /** @return e.g. {@code 100/s per code, burst 1000, excess to level 3}. */
        public String describe()
        {
            return perSecond + "/s per code, burst " + burst + ", excess to level " + demoteTo;
        }
    }

    /**
     * @return the table: a header naming both runs, a row per level and one for the top-ups, then the restoration
     * alerts sent and demoted.
     */
    public String table()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "outage-restoration, the same traffic (seed %d) twice: guard on (%s) " +
            "and off%n", on.run().seed(), guard.describe()));
        sb.append(String.format(Locale.ROOT, RUNS, "", "    guard on", "    guard off"));
        sb.append(String.format(Locale.ROOT, ROW, "", "p50", "p99", "within TRT", "FULL", "p50", "p99",
            "within TRT", "FULL"));
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final LevelReport with = on.run().level(level);
            final LevelReport without = off.run().level(level);
            row(sb, "level " + level, with.latency(), with.withinTrtPct(), onFigures.full(level),
                without.latency(), without.withinTrtPct(), offFigures.full(level));
        }
        row(sb, "top-ups (SRV 2.2)", onFigures.topUpLatency(), onFigures.topUpWithinTrtPct(),
            onFigures.topUpsRejected(), offFigures.topUpLatency(), offFigures.topUpWithinTrtPct(),
            offFigures.topUpsRejected());
        sb.append(String.format(Locale.ROOT, "restoration alerts: %d sent; demoted to level %d: %d with the guard, " +
            "%d without%n", onFigures.alertsSent(), guard.demoteTo(), onFigures.alertsDemoted(),
            offFigures.alertsDemoted()));
        sb.append(String.format(Locale.ROOT, "top-ups: %d sent, %d and %d completed%n", onFigures.topUpsSent(),
            onFigures.topUpLatency().count(), offFigures.topUpLatency().count()));
        return sb.toString();
    }

    /** @return both runs as JSON: each run's result with its top-ups and restoration alerts, and the guard. */
    public String json()
    {
        return new JsonWriter().beginObject()
            .field("scenario", on.run().scenario())
            .field("seed", on.run().seed())
            .name("guard").beginObject()
            .field("perSecond", guard.perSecond())
            .field("burst", guard.burst())
            .field("demoteTo", guard.demoteTo())
            .endObject()
            .name("on").rawValue(run(on, onFigures))
            .name("off").rawValue(run(off, offFigures))
            .endObject().toString();
    }

    private static String run(final SimulationResult result, final RestorationFigures figures)
    {
        final JsonWriter json = new JsonWriter().beginObject()
            .name("result").rawValue(result.json())
            .name("topUps").beginObject()
            .field("sent", figures.topUpsSent())
            .field("rejected", figures.topUpsRejected())
            .field("completed", figures.topUpLatency().count())
            .latencyFields(figures.topUpLatency(), figures.topUpTrtNs(), figures.topUpWithinTrtPct())
            .endObject()
            .name("restorationAlerts").beginObject()
            .field("sent", figures.alertsSent())
            .field("demoted", figures.alertsDemoted())
            .endObject();
        json.name("fullByLevel").beginArray();
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            json.value(figures.full(level));
        }
        return json.endArray().endObject().toString();
    }

    private static void row(
        final StringBuilder sb,
        final String label,
        final LatencySummary with,
        final double withPct,
        final long withFull,
        final LatencySummary without,
        final double withoutPct,
        final long withoutFull)
    {
        sb.append(String.format(Locale.ROOT, ROW, label, LevelTable.micros(with.p50Us()),
            LevelTable.micros(with.p99Us()), String.format(Locale.ROOT, "%.2f%%", withPct), withFull,
            LevelTable.micros(without.p50Us()), LevelTable.micros(without.p99Us()),
            String.format(Locale.ROOT, "%.2f%%", withoutPct), withoutFull));
    }
}
