package io.otaprio.loadgen;

import io.otaprio.protocol.MessageKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Offered load over time as a sequence of phases, each a constant mean rate for a duration. Arrivals within a
 * phase are a Poisson process (exponential gaps), as independent DCC Users' requests are. A phase may add storm
 * alerts on top of the mix; the profile's {@link Storm} says which alerts and from which devices.
 */
public final class LoadProfile
{
    /** Storm alerts in the outage-restoration scenario: one per meter of the region. */
    public static final int RESTORATION_ALERTS = 100_000;

    /** How long the restoration's alerts take to arrive. */
    public static final long RESTORATION_NS = 60_000_000_000L;

    /** Steady load before the restoration, and at least as much after it. */
    private static final long RESTORATION_MARGIN_NS = 5_000_000_000L;

    /**
     * What a profile's storm alerts are.
     */
    public enum Storm
    {
        /**
         * Firmware Verification Failed (0x8F1C in the GBCS alert codes, on no list of the default policy, so level
         * 4), raised over and over by a faulty batch of meters: each alert from one of 200 devices.
         */
        FAULTY_BATCH(new TrafficMix.Type(MessageKind.ALERT, 0x8F1C, 48, "storm alert")),

        /**
         * Supply Outage Restored (0x8F35), or its "Outage >= 3 minutes" variant (0x8F36), drawn evenly: level 1 in the
         * default policy. Raised once by each meter of a region whose supply comes back, so each alert is from a
         * device of its own.
         */
        SUPPLY_RESTORED(new TrafficMix.Type(MessageKind.ALERT, 0x8F35, 48, "Supply Outage Restored"),
            new TrafficMix.Type(MessageKind.ALERT, 0x8F36, 48, "Supply Outage Restored - Outage >= 3 minutes"));

        private final List<TrafficMix.Type> alerts;

        Storm(final TrafficMix.Type... alerts)
        {
            this.alerts = List.of(alerts);
        }

        /**
         * @return the alert types the storm raises, drawn evenly: a storm alert's
         * {@link ScheduledMessage#typeIndex()} is the mix's size plus its index here.
         */
        public List<TrafficMix.Type> alerts()
        {
            return alerts;
        }
    }

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
    private final Storm storm;

    private LoadProfile(final String scenario, final List<Phase> phases, final Storm storm)
    {
        this.scenario = scenario;
        this.phases = List.copyOf(phases);
        this.storm = storm;
    }

    private LoadProfile(final String scenario, final List<Phase> phases)
    {
        this(scenario, phases, Storm.FAULTY_BATCH);
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
     * A region's supply comes back: {@value #RESTORATION_ALERTS} Supply Outage Restored alerts, one from each meter,
     * within {@link #RESTORATION_NS} on top of the steady mix, most of them early, as the meters' hubs reconnect:
     * half in the first 5 s, 30% in the next 15 s, 20% in the last 40 s. Steady load for 5 s before and for the
     * rest of the duration after.
     *
     * @param steadyRate steady rate of the mix.
     * @param durationNs run length, at least 70 s.
     * @return the outage-restoration profile.
     */
    public static LoadProfile outageRestoration(final double steadyRate, final long durationNs)
    {
        if (durationNs < RESTORATION_NS + 2 * RESTORATION_MARGIN_NS)
        {
            throw new IllegalArgumentException("outage-restoration needs a duration of at least " +
                (RESTORATION_NS + 2 * RESTORATION_MARGIN_NS) / 1_000_000_000L + " s (5 s steady, the 60 s " +
                "restoration, 5 s steady), got " + durationNs / 1e9 + " s");
        }
        final long[] stepNs = { 5_000_000_000L, 15_000_000_000L, 40_000_000_000L };
        final double[] share = { 0.5, 0.3, 0.2 };
        final List<Phase> phases = new ArrayList<>();
        phases.add(new Phase("steady", steadyRate, RESTORATION_MARGIN_NS));
        for (int i = 0; i < stepNs.length; i++)
        {
            phases.add(new Phase("restoration", steadyRate, stepNs[i],
                RESTORATION_ALERTS * share[i] / (stepNs[i] / 1e9)));
        }
        phases.add(new Phase("recovery", steadyRate, durationNs - RESTORATION_MARGIN_NS - RESTORATION_NS));
        return new LoadProfile("outage-restoration", phases, Storm.SUPPLY_RESTORED);
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

    /** @return what the storm phases' alerts are. */
    public Storm storm()
    {
        return storm;
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
