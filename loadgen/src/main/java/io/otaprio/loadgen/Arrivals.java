package io.otaprio.loadgen;


import java.util.List;
import java.util.SplittableRandom;

/**
 * The open-loop arrival schedule: for a {@link LoadProfile}, a {@link TrafficMix} and a seed, the same sequence of
 * messages, each with the time it is intended to be sent. Arrivals within a phase are Poisson; during an alert
 * storm, storm alerts are mixed in at their own rate: the profile's {@link LoadProfile.Storm}, one alert code from a
 * small set of devices (a faulty batch of meters) or a supply-restored alert from each meter of a region.
 * Generators send each message at its intended time or as soon after as they can, and measure latency from the
 * intended time, so a generator that falls behind cannot hide queueing.
 * <p>
 * Besides the Poisson arrivals, the schedule carries the follow-ups the mix asks for (see {@link TrafficMix}): the
 * second step of each Critical command, due its entry's {@code secondStepAfter} after the first and merged into the
 * sequence in time order (a follow-up due after the profile's end is dropped), and for a response the RequestID of
 * the oldest request of its SRV not yet answered. Arrival {@code k} of the sequence is the message the
 * {@link OpenLoop} numbers {@code k}, which is how a follow-up names the message whose RequestID it carries. Mixes
 * without these entries draw exactly the random numbers, and give exactly the messages, they always did.
 * <p>
 * Not thread-safe: one generator thread. No allocation per arrival (a follow-up queue doubles when it fills).
 */
public final class Arrivals
{
    /**
     * What a storm alert of a faulty batch is ({@link LoadProfile.Storm#FAULTY_BATCH}): Firmware Verification Failed
     * (0x8F1C in the GBCS alert codes), raised over and over by a faulty batch of meters; on no list of the default
     * policy, so level 4.
     */
    public static final int STORM_ALERT_CODE = 0x8F1C;
    /** The devices raising storm alerts of a faulty batch. */
    private static final int STORM_DEVICES = 200;
    private static final int DEVICES = 1_000_000;
    /** Device EUI-64s are this plus a device number. */
    private static final long DEVICE_EUI64_BASE = 0x0012_4B00_0000_0000L;
    private static final int ORIGINATORS = 24;
    /** Requests remembered per SRV for responses to answer; the oldest are forgotten beyond this. */
    private static final int UNANSWERED_LIMIT = 4096;
    private static final int NO_TYPE = -1;

    private final List<LoadProfile.Phase> phases;
    private final LoadProfile.Storm storm;
    private final TrafficMix mix;
    private final SplittableRandom random;
    private final long[] originators;
    private final long endNs;
    private final Queue[] secondSteps;
    private final Queue[] unanswered;
    private int phase;
    private long phaseStartNs;
    private long phaseEndNs;
    private double t;
    private long intendedOffsetNs;
    private long index;
    private boolean drawn;
    private boolean drawnAll;
    private long drawnOffsetNs;
    private TrafficMix.Type drawnType;
    private int drawnTypeIndex;
    private long drawnOriginator;
    private long drawnTarget;
    private long restoredDevices;
    private final ScheduledMessage message = new ScheduledMessage();

    /**
     * @param profile offered load over time.
     * @param mix     message types and weights.
     * @param seed    the same seed gives the same arrivals.
     */
    public Arrivals(final LoadProfile profile, final TrafficMix mix, final long seed)
    {
        this(profile, mix, seed, new long[0]);
    }

    /**
     * @param profile     offered load over time.
     * @param mix         message types and weights.
     * @param seed        the same seed gives the same arrivals.
     * @param originators the originator EUI-64s to draw from (a TLS client may submit under its own only); empty
     *                    for the {@link #originators(long) 24 the seed draws}. Given exactly those, the arrivals are
     *                    the same as without.
     */
    public Arrivals(final LoadProfile profile, final TrafficMix mix, final long seed, final long[] originators)
    {
        this.phases = profile.phases();
        this.storm = profile.storm();
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        // Drawn whether or not they are used, so that the rest of the schedule is the same either way.
        final long[] drawn = drawOriginators(random);
        this.originators = 0 == originators.length ? drawn : originators.clone();
        phaseEndNs = phases.isEmpty() ? 0 : phases.get(0).durationNs();
        endNs = profile.durationNs();
        secondSteps = new Queue[mix.size()];
        unanswered = new Queue[mix.size()];
        for (int i = 0; i < mix.size(); i++)
        {
            if (mix.type(i).isTwoStep())
            {
                secondSteps[i] = new Queue(1024);
            }
            final int request = mix.answers(i);
            if (request >= 0 && null == unanswered[request])
            {
                unanswered[request] = new Queue(UNANSWERED_LIMIT);
            }
        }
    }

    /**
     * The originators arrivals of a seed are submitted under when none are given: what a TLS client's
     * {@code clients:} entry must name for that seed's load to be admitted.
     *
     * @param seed the arrivals' seed.
     * @return 24 EUI-64s under the OUI 90-B3-D5, in the order drawn (storm alerts use the first).
     */
    public static long[] originators(final long seed)
    {
        return drawOriginators(new SplittableRandom(seed));
    }

    private static long[] drawOriginators(final SplittableRandom random)
    {
        final long[] drawn = new long[ORIGINATORS];
        for (int i = 0; i < ORIGINATORS; i++)
        {
            drawn[i] = 0x90B3_D500_0000_0000L | random.nextInt(0x10000);
        }
        return drawn;
    }

    /**
     * Advance to the next arrival.
     *
     * @return false when the profile has ended.
     */
    public boolean next()
    {
        if (!drawn && !drawnAll)
        {
            drawn = draw();
            drawnAll = !drawn;
        }
        int earliest = NO_TYPE;
        for (int i = 0; i < secondSteps.length; i++)
        {
            final Queue queue = secondSteps[i];
            if (null != queue && queue.size > 0 &&
                (NO_TYPE == earliest || queue.headDueNs() < secondSteps[earliest].headDueNs()))
            {
                earliest = i;
            }
        }
        if (NO_TYPE != earliest && (!drawn || secondSteps[earliest].headDueNs() <= drawnOffsetNs))
        {
            final Queue queue = secondSteps[earliest];
            final int head = queue.head;
            intendedOffsetNs = queue.dueNs[head];
            message.content(mix.type(earliest), earliest, queue.originator[head], queue.target[head],
                queue.number[head], 5);
            queue.remove();
            index++;
            return true;
        }
        if (!drawn)
        {
            return false;
        }
        drawn = false;
        intendedOffsetNs = drawnOffsetNs;
        final TrafficMix.Type type = drawnType;
        final long number = index++;
        if (drawnTypeIndex >= mix.size())
        {
            message.content(type, drawnTypeIndex, drawnOriginator, drawnTarget, number, 0);
            return true;
        }
        final int request = mix.answers(drawnTypeIndex);
        if (request >= 0 && unanswered[request].size > 0)
        {
            final Queue queue = unanswered[request];
            final int head = queue.head;
            message.content(type, drawnTypeIndex, queue.originator[head], queue.target[head], queue.number[head], 0);
            queue.remove();
            return true;
        }
        if (type.isTwoStep())
        {
            final long dueNs = drawnOffsetNs + type.secondStepAfterNs();
            if (dueNs < endNs)
            {
                secondSteps[drawnTypeIndex].add(dueNs, number, drawnOriginator, drawnTarget, true);
            }
        }
        else if (null != unanswered[drawnTypeIndex])
        {
            unanswered[drawnTypeIndex].add(drawnOffsetNs, number, drawnOriginator, drawnTarget, false);
        }
        message.content(type, drawnTypeIndex, drawnOriginator, drawnTarget, number, type.isTwoStep() ? 4 : 0);
        return true;
    }

    /** Draw the next Poisson arrival: its time, type and RequestID parts, in the order a seed has always drawn them. */
    private boolean draw()
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
                    drawnOffsetNs = (long)t;
                    if (current.stormRatePerSecond() > 0 && random.nextDouble() * total < current.stormRatePerSecond())
                    {
                        drawStormAlert();
                    }
                    else
                    {
                        drawnTypeIndex = mix.sample(random);
                        drawnType = mix.type(drawnTypeIndex);
                        // Drawn in this order, originator before target, so that a seed gives the same messages.
                        drawnOriginator = originators[random.nextInt(originators.length)];
                        drawnTarget = DEVICE_EUI64_BASE | random.nextInt(DEVICES);
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

    /**
     * A storm alert: a faulty batch's one code from one of its devices (the draws a seed has always made), or a
     * supply-restored alert, either variant, from a meter that has not sent one yet.
     */
    private void drawStormAlert()
    {
        drawnOriginator = originators[0];
        if (LoadProfile.Storm.SUPPLY_RESTORED == storm)
        {
            final int alert = random.nextInt(storm.alerts().size());
            drawnType = storm.alerts().get(alert);
            drawnTypeIndex = mix.size() + alert;
            drawnTarget = DEVICE_EUI64_BASE | (restoredDevices++ % DEVICES);
        }
        else
        {
            drawnType = storm.alerts().get(0);
            drawnTypeIndex = mix.size();
            drawnTarget = DEVICE_EUI64_BASE | random.nextInt(STORM_DEVICES);
        }
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

    /** @return index of the phase of the current Poisson arrival. */
    public int phase()
    {
        return phase;
    }

    /** Messages waiting for a follow-up, oldest first, in parallel arrays: a ring that doubles or drops its oldest. */
    private static final class Queue
    {
        private long[] dueNs;
        private long[] number;
        private long[] originator;
        private long[] target;
        private int head;
        private int size;

        Queue(final int capacity)
        {
            dueNs = new long[capacity];
            number = new long[capacity];
            originator = new long[capacity];
            target = new long[capacity];
        }

        long headDueNs()
        {
            return dueNs[head];
        }

        void add(final long due, final long n, final long from, final long to, final boolean grow)
        {
            if (size == dueNs.length)
            {
                if (!grow)
                {
                    remove();
                }
                else
                {
                    final int capacity = dueNs.length;
                    dueNs = unwrap(dueNs, capacity * 2);
                    number = unwrap(number, capacity * 2);
                    originator = unwrap(originator, capacity * 2);
                    target = unwrap(target, capacity * 2);
                    head = 0;
                }
            }
            final int tail = (head + size) % dueNs.length;
            dueNs[tail] = due;
            number[tail] = n;
            originator[tail] = from;
            target[tail] = to;
            size++;
        }

        void remove()
        {
            head = head + 1 == dueNs.length ? 0 : head + 1;
            size--;
        }

        private long[] unwrap(final long[] values, final int capacity)
        {
            final long[] copy = new long[capacity];
            for (int i = 0; i < size; i++)
            {
                copy[i] = values[(head + i) % values.length];
            }
            return copy;
        }
    }
}
