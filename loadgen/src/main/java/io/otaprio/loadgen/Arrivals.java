package io.otaprio.loadgen;

import io.otaprio.protocol.MessageKind;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The open-loop arrival schedule: for a {@link LoadProfile}, a {@link TrafficMix} and a seed, the same sequence of
 * messages, each with the time it is intended to be sent. Arrivals within a phase are Poisson; during an alert
 * storm, storm alerts (one alert code from a small set of devices, as a faulty batch of meters would raise) are
 * mixed in at their own rate. Generators send each message at its intended time or as soon after as they can,
 * and measure latency from the intended time, so a generator that falls behind cannot hide queueing.
 * <p>
 * Not thread-safe: one generator thread. No allocation per arrival.
 */
public final class Arrivals
{
    /** What a storm alert is: an alert code on no list in the default policy, so level 4. */
    private static final TrafficMix.Type STORM_ALERT =
        new TrafficMix.Type(MessageKind.ALERT, 0x8F7F, 48, "storm alert");
    /** The devices raising storm alerts: a faulty batch of meters. */
    private static final int STORM_DEVICES = 200;
    private static final int DEVICES = 1_000_000;
    /** Device EUI-64s are this plus a device number. */
    private static final long DEVICE_EUI64_BASE = 0x0012_4B00_0000_0000L;
    private static final int ORIGINATORS = 24;

    private final List<LoadProfile.Phase> phases;
    private final TrafficMix mix;
    private final SplittableRandom random;
    private final long[] originators = new long[ORIGINATORS];
    private int phase;
    private long phaseStartNs;
    private long phaseEndNs;
    private double t;
    private long intendedOffsetNs;
    private final ScheduledMessage message = new ScheduledMessage();

    /**
     * @param profile offered load over time.
     * @param mix     message types and weights.
     * @param seed    the same seed gives the same arrivals.
     */
    public Arrivals(final LoadProfile profile, final TrafficMix mix, final long seed)
    {
        this.phases = profile.phases();
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        for (int i = 0; i < ORIGINATORS; i++)
        {
            originators[i] = 0x90B3_D500_0000_0000L | random.nextInt(0x10000);
        }
        phaseEndNs = phases.isEmpty() ? 0 : phases.get(0).durationNs();
    }

    /**
     * Advance to the next arrival.
     *
     * @return false when the profile has ended.
     */
    public boolean next()
    {
        while (phase < phases.size())
        {
            final LoadProfile.Phase current = phases.get(phase);
            final double total = current.totalRatePerSecond();
            if (total > 0)
            {
                t += -(1e9 / total) * Math.log(1.0 - random.nextDouble());
                if (t < phaseEndNs)
                {
                    intendedOffsetNs = (long)t;
                    if (current.stormRatePerSecond() > 0 && random.nextDouble() * total < current.stormRatePerSecond())
                    {
                        message.content(STORM_ALERT, originators[0], DEVICE_EUI64_BASE | random.nextInt(STORM_DEVICES));
                    }
                    else
                    {
                        final TrafficMix.Type type = mix.type(mix.sample(random));
                        // Drawn in this order, originator before target, so that a seed gives the same messages.
                        final long originator = originators[random.nextInt(ORIGINATORS)];
                        message.content(type, originator, DEVICE_EUI64_BASE | random.nextInt(DEVICES));
                    }
                    return true;
                }
            }
            // Poisson arrivals are memoryless, so starting the next phase's clock at the boundary is exact.
            phase++;
            phaseStartNs = phaseEndNs;
            t = phaseStartNs;
            if (phase < phases.size())
            {
                phaseEndNs = phaseStartNs + phases.get(phase).durationNs();
            }
        }
        return false;
    }

    /** @return intended send time of the current arrival, nanoseconds after the start. */
    public long intendedOffsetNs()
    {
        return intendedOffsetNs;
    }

    /**
     * @return the current arrival's message: its kind, code, payload size and RequestID. Its number and intended
     * time are the {@link OpenLoop}'s to stamp when it falls due.
     */
    public ScheduledMessage message()
    {
        return message;
    }

    /** @return index of the phase of the current arrival. */
    public int phase()
    {
        return phase;
    }
}
