package io.otaprio.testing;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Engine contexts for tests, and the check that no engine thread outlives its test.
 */
public final class TestEngines
{
    private TestEngines()
    {
    }

    /**
     * Wait until a running engine has completed this many messages, then check that it has (no more, no fewer).
     *
     * @param engine    the engine.
     * @param completed messages completed to wait for, since it started.
     * @param timeoutMs how long to wait.
     * @throws InterruptedException if the test is interrupted while waiting.
     */
    public static void awaitCompleted(final Engine engine, final long completed, final long timeoutMs)
        throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (engine.context().metrics().completedTotal() < completed && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(completed, engine.context().metrics().completedTotal());
    }

    /**
     * An in-process engine's context: the four-level test policy, no TCP gateway, no DUIS endpoint, no metrics
     * endpoint, no journal, no resend detection (each test turns on what it tests), threads that yield rather than
     * spin, so that tests share two cores with everything else.
     *
     * @return a new context.
     */
    public static EngineContext context()
    {
        return new EngineContext()
            .policy(TestPolicies.fourLevels())
            .gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .journal(null)
            .dedup(Configuration.DEDUP_WINDOW_NS_DEFAULT, 0)
            .schedulerIdleStrategy(new YieldingIdleStrategy())
            .admissionIdleStrategy(new YieldingIdleStrategy())
            .sharedIdleStrategy(new YieldingIdleStrategy());
    }

    /**
     * @param prefix a thread name prefix, such as {@code otaprio-scheduler} or {@code otaprio-}.
     * @return true if a thread of that name is still alive after a grace period of two seconds (a thread of an
     * earlier test may still be on its way out: give it a moment; one still there after that has outlived its
     * engine).
     * @throws InterruptedException if interrupted while waiting.
     */
    public static boolean threadAlive(final String prefix) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + 2_000;
        while (!threads(prefix).isEmpty() && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        return !threads(prefix).isEmpty();
    }

    /**
     * @param prefix a thread name prefix.
     * @return the live threads of that name with their stacks, for a failure message.
     */
    public static String threads(final String prefix)
    {
        final StringBuilder threads = new StringBuilder();
        for (final Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet())
        {
            if (entry.getKey().getName().startsWith(prefix) && entry.getKey().isAlive())
            {
                threads.append(entry.getKey()).append(Arrays.toString(entry.getValue())).append(' ');
            }
        }
        return threads.toString();
    }
}
