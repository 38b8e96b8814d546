package io.otaprio.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Offered load over time as a sequence of phases, each a constant mean rate for a duration. Arrivals within a
 * phase are a Poisson process (exponential gaps), as independent DCC Users' requests are.
 */
public final class LoadProfile
{
    /**
     * One phase.
     *
     * @param name               for progress lines and reports.
     * @param ratePerSecond      mean arrivals per second of the traffic mix.
     * @param durationNs         how long it lasts.
     * @param stormRatePerSecond mean arrivals per second of storm alerts on top of the mix (0 for none).
     */
    public record Phase(String name, double ratePerSecond, long durationNs, double stormRatePerSecond)
    {
        /**
         * A phase without an alert storm.
         *
         * @param name          for progress lines and reports.
         * @param ratePerSecond mean arrivals per second.
         * @param durationNs    how long it lasts.
         */
        public Phase(final String name, final double ratePerSecond, final long durationNs)
        {
            this(name, ratePerSecond, durationNs, 0);
        }

        /** @return all arrivals per second, mix and storm. */
        public double totalRatePerSecond()
        {
            return ratePerSecond + stormRatePerSecond;
        }
    }

    private final String scenario;
    private final List<Phase> phases;

    private LoadProfile(final String scenario, final List<Phase> phases)
    {
        this.scenario = scenario;
        this.phases = List.copyOf(phases);
    }

    /**
     * @param ratePerSecond steady rate.
     * @param durationNs    run length.
     * @return one phase at a constant rate.
     */
    public static LoadProfile steady(final double ratePerSecond, final long durationNs)
    {
        return new LoadProfile("steady", List.of(new Phase("steady", ratePerSecond, durationNs)));
    }

    /**
     * Steady load, a burst, then steady load again while the backlog drains: one sixth, one sixth, four sixths.
     *
     * @param steadyRate steady rate, below capacity.
     * @param burstRate  burst rate, usually K times capacity.
     * @param durationNs run length.
     * @return the burst profile.
     */
    public static LoadProfile burst(final double steadyRate, final double burstRate, final long durationNs)
    {
        final long sixth = durationNs / 6;
        final List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("steady", steadyRate, sixth));
        phases.add(new Phase("burst", burstRate, sixth));
        phases.add(new Phase("recovery", steadyRate, durationNs - 2 * sixth));
        return new LoadProfile("burst", phases);
    }

    /**
     * Steady load, then a flood of level-4 alerts on top of it, then steady load again while the backlog drains:
     * one sixth, two sixths, three sixths.
     *
     * @param steadyRate steady rate of the mix, below capacity.
     * @param stormRate  rate of storm alerts during the storm.
     * @param durationNs run length.
     * @return the alert-storm profile.
     */
    public static LoadProfile alertStorm(final double steadyRate, final double stormRate, final long durationNs)
    {
        final long sixth = durationNs / 6;
        final List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("steady", steadyRate, sixth));
        phases.add(new Phase("storm", steadyRate, 2 * sixth, stormRate));
        phases.add(new Phase("recovery", steadyRate, durationNs - 3 * sixth));
        return new LoadProfile("alert-storm", phases);
    }

    /**
     * One rate throughout, about the simulated DSP's capacity once firmware is slow there ({@link SlowDownstream}).
     *
     * @param ratePerSecond offered rate of the mix.
     * @param durationNs    run length.
     * @return the slow-downstream profile.
     */
    public static LoadProfile slowDownstream(final double ratePerSecond, final long durationNs)
    {
        return new LoadProfile(SlowDownstream.SCENARIO, List.of(new Phase("steady", ratePerSecond, durationNs)));
    }

    /** @return the scenario name. */
    public String scenario()
    {
        return scenario;
    }

    /** @return the phases in order. */
    public List<Phase> phases()
    {
        return phases;
    }

    /** @return total duration. */
    public long durationNs()
    {
        long total = 0;
        for (final Phase p : phases)
        {
            total += p.durationNs();
        }
        return total;
    }

    /** @return expected number of arrivals. */
    public double expectedMessages()
    {
        double total = 0;
        for (final Phase p : phases)
        {
            total += p.totalRatePerSecond() * p.durationNs() / 1e9;
        }
        return total;
    }

    /**
     * @param offsetNs time since the start.
     * @return index of the phase in force then, or -1 past the end.
     */
    public int phaseAt(final long offsetNs)
    {
        long end = 0;
        for (int i = 0; i < phases.size(); i++)
        {
            end += phases.get(i).durationNs();
            if (offsetNs < end)
            {
                return i;
            }
        }
        return -1;
    }

    /** @return e.g. {@code steady 4000/s 5.0s, burst 24000/s 5.0s, recovery 4000/s 20.0s}. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder();
        for (final Phase p : phases)
        {
            if (sb.length() > 0)
            {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%s %.0f/s %.1fs", p.name(), p.ratePerSecond(), p.durationNs() / 1e9));
            if (p.stormRatePerSecond() > 0)
            {
                sb.append(String.format(Locale.ROOT, " + storm alerts %.0f/s", p.stormRatePerSecond()));
            }
        }
        return sb.toString();
    }
}
