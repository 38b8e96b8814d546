package io.otaprio.bench;

import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A system under the {@link LatencySweep}: a queue between one producer (the sweep's thread) and one consumer
 * thread of its own that records, per level, intended send time to the moment it takes the message. The consumer
 * records only messages whose intended time falls in the current window, so warm-up traffic is not measured.
 * <p>
 * Threading: {@link #offer} on the producer thread; the histograms are written by the consumer thread and read by
 * the producer only after {@link #consumed()} has reached the number it offered (the count is a volatile written
 * after the recording, so everything recorded before it is visible).
 */
public abstract class LatencyTarget implements AutoCloseable
{
    /** Largest latency recorded: beyond it a value is clamped. */
    static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);

    private final Histogram[] histograms = new Histogram[5];
    private final Histogram published = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    private final AtomicLong errors = new AtomicLong();
    private volatile long windowStartNs = Long.MAX_VALUE;
    private volatile long windowEndNs = Long.MIN_VALUE;
    private AgentRunner runner;

    /** Time source for the consumer's "taken" stamp; the producer's intended times come from the same clock. */
    EpochNanoClock clock;

    LatencyTarget()
    {
        for (int level = 1; level <= 4; level++)
        {
            histograms[level] = new Histogram(HIGHEST_TRACKABLE_NS, 3);
        }
    }

    /** @return a short name for files and tables. */
    public abstract String name();

    /**
     * Producer thread: enqueue one message.
     *
     * @param level      1..4.
     * @param intendedNs when it was meant to be sent (epoch ns on the sweep's clock).
     * @param counter    its sequence number.
     * @return false when the queue is full (the sweep retries).
     */
    abstract boolean offer(int level, long intendedNs, long counter);

    /** @return messages the consumer has taken so far. Any thread. */
    abstract long consumed();

    /**
     * Build the queue and the consumer agent.
     *
     * @return the consumer, run on its own thread with a busy-spin idle strategy.
     */
    abstract Agent open();

    /**
     * Start the consumer thread.
     *
     * @param clock the sweep's clock.
     */
    final void start(final EpochNanoClock clock)
    {
        this.clock = clock;
        runner = new AgentRunner(new BusySpinIdleStrategy(), this::onError, null, open());
        AgentRunner.startOnThread(runner);
    }

    /**
     * Producer thread, before offering a rate's messages.
     *
     * @param startNs first intended time measured.
     * @param endNs   first intended time no longer measured.
     */
    final void window(final long startNs, final long endNs)
    {
        windowEndNs = endNs;
        windowStartNs = startNs;
    }

    /** @return the consumer's intended-send-to-take histograms, index 1..4; read only when it is idle. */
    final Histogram[] histograms()
    {
        return histograms;
    }

    /** @return the consumer's publish-to-take histogram, all levels; read only when it is idle. */
    final Histogram published()
    {
        return published;
    }

    /**
     * Consumer thread: record one message taken now.
     *
     * @param level       1..4.
     * @param intendedNs  its intended send time.
     * @param publishedNs when the producer actually handed it to the queue (later than intended if it ran late).
     * @param takenNs     now.
     */
    final void record(final int level, final long intendedNs, final long publishedNs, final long takenNs)
    {
        if (intendedNs >= windowStartNs && intendedNs < windowEndNs)
        {
            histograms[level].recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, takenNs - intendedNs)));
            published.recordValue(Math.min(HIGHEST_TRACKABLE_NS, Math.max(0, takenNs - publishedNs)));
        }
    }

    private void onError(final Throwable t)
    {
        errors.incrementAndGet();
        t.printStackTrace();
    }

    /** Stop and join the consumer thread; throw if it caught an error. */
    public void close()
    {
        CloseHelper.close(runner);
        if (errors.get() > 0)
        {
            throw new IllegalStateException(name() + ": the consumer thread caught " + errors.get() + " errors");
        }
    }
}
