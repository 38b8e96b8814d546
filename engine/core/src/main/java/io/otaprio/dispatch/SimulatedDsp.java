package io.otaprio.dispatch;

import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.DeadlineTimerWheel;
import org.agrona.collections.Long2LongHashMap;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link Dispatcher}: a DSP modelled as K parallel service slots with a per-SRV service time. Each
 * dispatch arms a timer on an Agrona {@link DeadlineTimerWheel} driven from the scheduler's duty cycle, and the
 * timer's expiry completes the message, so the model needs no thread of its own.
 * <p>
 * Capacity is K / mean service time. Driving it at several times that makes the rings fill: the overload this
 * engine is for, reproducibly.
 * <p>
 * Threading: scheduler thread only.
 */
public final class SimulatedDsp implements Dispatcher
{
    /** Timer tick: 2^16 ns, about 66 µs, far below the millisecond service times modelled. */
    public static final long TICK_RESOLUTION_NS = 1L << 16;

    private static final int TICKS_PER_WHEEL = 1024;
    private static final int EXPIRY_LIMIT = 1024;

    private final int slots;
    private final ServiceTimes serviceTimes;
    private final SplittableRandom random;
    private final Long2LongHashMap slotByTimer;
    private final long[] messageIdBySlot;
    private final DeadlineTimerWheel.TimerHandler onExpiry = this::onTimerExpiry;
    private DeadlineTimerWheel wheel;
    private CompletionPort completions;

    /**
     * @param slots        K, the parallel service slots.
     * @param serviceTimes time per message.
     * @param seed         seed of the service-time random source, for reproducible runs.
     */
    public SimulatedDsp(final int slots, final ServiceTimes serviceTimes, final long seed)
    {
        if (slots < 1)
        {
            throw new IllegalArgumentException("simulated DSP slots must be >= 1: " + slots);
        }
        this.slots = slots;
        this.serviceTimes = serviceTimes;
        this.random = new SplittableRandom(seed);
        this.slotByTimer = new Long2LongHashMap(slots * 4, 0.5f, -1);
        this.messageIdBySlot = new long[slots];
    }

    /** @return the service time table. */
    public ServiceTimes serviceTimes()
    {
        return serviceTimes;
    }

    /**
     * @param meanServiceNs the mean service time over the traffic mix.
     * @return messages per second this DSP sustains.
     */
    public double capacityPerSecond(final double meanServiceNs)
    {
        return slots * 1e9 / meanServiceNs;
    }

    public int slots()
    {
        return slots;
    }

    public void onStart(final CompletionPort completions)
    {
        this.completions = completions;
        this.wheel = new DeadlineTimerWheel(TimeUnit.NANOSECONDS, 0, TICK_RESOLUTION_NS, TICKS_PER_WHEEL);
    }

    public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
    {
        if (wheel.timerCount() == 0)
        {
            // An idle wheel would otherwise walk tick by tick from its last poll to now.
            wheel.resetStartTime(nowNs);
        }
        final long deadlineNs = nowNs + serviceTimes.sampleNs(message.kind(), message.code(), random);
        final long timerId = wheel.scheduleTimer(deadlineNs);
        messageIdBySlot[slot] = message.messageId();
        slotByTimer.put(timerId, slot);
    }

    public int doWork(final long nowNs)
    {
        int expired = 0;
        // Agrona's wheel moves on by one tick per poll. A duty cycle longer than a tick (a burst of dispatches, a
        // journal flush) would leave it further behind at every cycle and complete messages late, holding the
        // credit: so catch up with now, stopping only when a completion could not be queued.
        while (wheel.timerCount() > 0 && expired < EXPIRY_LIMIT)
        {
            final long tickTime = wheel.currentTickTime();
            expired += wheel.poll(nowNs, onExpiry, EXPIRY_LIMIT - expired);
            if (tickTime == wheel.currentTickTime() || nowNs < wheel.currentTickTime())
            {
                break;
            }
        }
        return expired;
    }

    private boolean onTimerExpiry(final TimeUnit timeUnit, final long nowNs, final long timerId)
    {
        // A full completion queue leaves the timer on the wheel, so it expires again on the next duty cycle.
        final int slot = (int)slotByTimer.get(timerId);
        if (completions.complete(slot, messageIdBySlot[slot], CompletionPort.OUTCOME_OK))
        {
            slotByTimer.remove(timerId);
            return true;
        }
        return false;
    }
}
