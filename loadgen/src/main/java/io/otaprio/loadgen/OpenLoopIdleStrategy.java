package io.otaprio.loadgen;

import org.agrona.concurrent.BackoffIdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How an open-loop driver's duty cycle waits after a cycle that did no work, in the manner of an Agrona
 * {@link org.agrona.concurrent.IdleStrategy} that also knows when the next message falls due:
 * <ul>
 *     <li>a message due later: park until a little before it is due, but at most {@link #MAX_PARK_NS} at a time,
 *     so that answers are still read promptly; when it is due in less than {@link #YIELD_THRESHOLD_NS}, yield
 *     rather than park (a park overshoots by tens of microseconds), and rather than spin, because on a small
 *     machine the engine under test needs this core too;</li>
 *     <li>a message due now that the sender refused (no connection, a full buffer): back off, a few spins and
 *     yields and then parks growing to a millisecond, so that a driver with nothing it can do never keeps a core
 *     busy;</li>
 *     <li>no message due any more (the drain): park {@link #MAX_PARK_NS} at a time.</li>
 * </ul>
 * Threading: one instance per duty cycle.
 */
public final class OpenLoopIdleStrategy
{
    /** Longest park while the next message is due later or the load drains: how late an answer may be read. */
    public static final long MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(200);

    /** Below this until the next message, yield instead of parking. */
    public static final long YIELD_THRESHOLD_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private static final long WAKE_EARLY_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_BACKOFF_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private final BackoffIdleStrategy refused = new BackoffIdleStrategy(10, 20, 1_000, MAX_BACKOFF_PARK_NS);

    /**
     * One strategy for one duty cycle.
     */
    public OpenLoopIdleStrategy()
    {
    }

    /**
     * @param workCount     work done in this duty cycle: no wait if above 0.
     * @param nanosUntilDue {@link OpenLoop#nanosUntilNextDue(long)}.
     */
    public void idle(final int workCount, final long nanosUntilDue)
    {
        if (workCount > 0)
        {
            refused.reset();
            return;
        }
        if (0 == nanosUntilDue)
        {
            refused.idle();
            return;
        }
        refused.reset();
        if (nanosUntilDue > YIELD_THRESHOLD_NS)
        {
            LockSupport.parkNanos(Math.min(nanosUntilDue - WAKE_EARLY_NS, MAX_PARK_NS));
        }
        else
        {
            Thread.yield();
        }
    }
}
