package io.otaprio.engine;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Names for Agrona idle strategies in configuration and on the command line. Busy-spin gives the lowest latency
 * and owns a core; on a shared or small machine {@code backoff} or {@code sleeping} give the core back.
 * <pre>
 *   busy-spin | noop | yielding | backoff | sleeping[:PERIOD]   PERIOD like 100us, 1ms (default 1ms)
 * </pre>
 */
public final class IdleStrategySpec
{
    /** Accepted names, for help text and error messages. */
    public static final String NAMES = "busy-spin, noop, yielding, backoff, sleeping[:PERIOD e.g. sleeping:100us]";

    private IdleStrategySpec()
    {
    }

    /**
     * @param spec a name from {@link #NAMES}.
     * @return a new idle strategy (strategies hold state: one per thread).
     * @throws IllegalArgumentException naming the accepted values.
     */
    public static IdleStrategy parse(final String spec)
    {
        final String s = spec == null ? "" : spec.trim();
        switch (s)
        {
            case "busy-spin":
                return new BusySpinIdleStrategy();
            case "noop":
                return new NoOpIdleStrategy();
            case "yielding":
                return new YieldingIdleStrategy();
            case "backoff":
                return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MICROSECONDS.toNanos(100));
            case "sleeping":
                return new SleepingIdleStrategy(TimeUnit.MILLISECONDS.toNanos(1));
            default:
                if (s.startsWith("sleeping:"))
                {
                    return new SleepingIdleStrategy(parsePeriodNs(s.substring("sleeping:".length()), spec));
                }
                throw new IllegalArgumentException("unknown idle strategy \"" + spec + "\": expected one of " + NAMES);
        }
    }

    private static long parsePeriodNs(final String period, final String spec)
    {
        final String[][] units = { { "ns", "1" }, { "us", "1000" }, { "ms", "1000000" }, { "s", "1000000000" } };
        for (final String[] unit : units)
        {
            if (period.endsWith(unit[0]))
            {
                try
                {
                    final long value = Long.parseLong(period.substring(0, period.length() - unit[0].length()));
                    if (value > 0)
                    {
                        return value * Long.parseLong(unit[1]);
                    }
                }
                catch (final NumberFormatException ignore)
                {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("idle strategy \"" + spec +
            "\": period must be a positive number with a unit ns, us, ms or s, e.g. sleeping:100us");
    }
}
