package io.otaprio.peer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one consumer of the peer's queue, emulating the engine's simulated DSP: with {@code basic.qos(prefetch = K)}
 * the broker has at most K unacknowledged messages out, the analogue of the engine's credit K = {@code dsp.slots}.
 * Each delivered message is in service from its delivery for a time drawn from the same {@link ServiceTimes} with
 * the same seed as the engine's DSP, then acknowledged, which frees its slot; the broker then sends the most
 * urgent message it holds. Latency is the acknowledgement time minus the message's intended send time.
 * <p>
 * The delivery thread never waits out a service time: it schedules the end of service on one "otaprio-peer-dsp"
 * thread, which acknowledges and records. Threading:
 * <ul>
 *     <li>the AMQP client's delivery thread (one at a time for this channel): {@link #handleDelivery}, the random
 *     source, {@code delivered}, {@code maxInService};</li>
 *     <li>the dsp thread: every {@code basic.ack} on the channel (so one thread writes acks to it), the histograms,
 *     {@code withinTrt}, {@code completedByLevel}, {@code released}, {@code completed};</li>
 *     <li>any thread: the volatile counters and {@link #failure()}; the histograms and per-level counts only after
 *     {@link #stopService()} has joined the dsp thread.</li>
 * </ul>
 */
public final class SimulatedDspConsumer extends DefaultConsumer
{
    private final int slots;
    private final ServiceTimes serviceTimes;
    private final SplittableRandom random;
    private final PriorityPolicy policy;
    private final ScheduledThreadPoolExecutor dsp;
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[0]);
    private final Histogram[] latencyUs = new Histogram[PriorityPolicy.LEVELS + 1];
    private final long[] withinTrt = new long[PriorityPolicy.LEVELS + 1];
    private final long[] completedByLevel = new long[PriorityPolicy.LEVELS + 1];
    private volatile long delivered;
    private volatile long released;
    private volatile long completed;
    private volatile int maxInService;
    private volatile long malformed;
    private volatile String failure;
    private volatile boolean closing;

    /**
     * @param channel      the consuming channel, with {@code basic.qos(slots)} set by the caller.
     * @param slots        K, for the in-service check.
     * @param serviceTimes the engine's simulated DSP's service times.
     * @param seed         the engine's {@code dsp.seed}.
     * @param policy       for each level's TRT budget, as the load generator judges it.
     */
    public SimulatedDspConsumer(
        final Channel channel, final int slots, final ServiceTimes serviceTimes, final long seed,
        final PriorityPolicy policy)
    {
        super(channel);
        this.slots = slots;
        this.serviceTimes = serviceTimes;
        this.random = new SplittableRandom(seed);
        this.policy = policy;
        this.dsp = new ScheduledThreadPoolExecutor(1, runnable ->
        {
            final Thread thread = new Thread(runnable, "otaprio-peer-dsp");
            thread.setDaemon(true);
            return thread;
        });
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            latencyUs[level] = new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US, EngineMetrics.SIGNIFICANT_DIGITS);
        }
    }

    public void handleDelivery(
        final String consumerTag, final Envelope envelope, final AMQP.BasicProperties properties, final byte[] bytes)
    {
        if (closing)
        {
            // Stopped: what the broker still sends stays unacknowledged and goes with the queue.
            return;
        }
        final long deliveredNs = System.nanoTime();
        final long deliveryTag = envelope.getDeliveryTag();
        final long count = delivered + 1;
        delivered = count;
        final int inService = (int)(count - released);
        if (inService > maxInService)
        {
            maxInService = inService;
        }
        if (!PeerMessageDescriptor.isValid(bytes))
        {
            malformed = malformed + 1;
            serve(new ServiceEnd(deliveryTag, 0, deliveredNs), 0);
            return;
        }
        body.wrap(bytes);
        final int level = PeerMessageDescriptor.level(body);
        final long serviceNs = serviceTimes.sampleNs(
            PeerMessageDescriptor.kind(body), PeerMessageDescriptor.code(body), random);
        final ServiceEnd end = new ServiceEnd(deliveryTag, level >= 1 && level <= PriorityPolicy.LEVELS ? level : 0,
            PeerMessageDescriptor.intendedNs(body));
        if (0 == end.level)
        {
            malformed = malformed + 1;
        }
        serve(end, Math.max(0, deliveredNs + serviceNs - System.nanoTime()));
    }

    private void serve(final ServiceEnd end, final long delayNs)
    {
        try
        {
            dsp.schedule(end, delayNs, TimeUnit.NANOSECONDS);
        }
        catch (final RejectedExecutionException ex)
        {
            // Only once stopService has begun: the delivery raced the stop and is left unacknowledged.
            if (!closing)
            {
                throw ex;
            }
        }
    }

    public void handleCancel(final String consumerTag)
    {
        if (!closing)
        {
            failure = "the broker cancelled the consumer (was the queue deleted?)";
        }
    }

    public void handleShutdownSignal(final String consumerTag, final ShutdownSignalException sig)
    {
        if (!closing && !sig.isInitiatedByApplication())
        {
            failure = "lost the consuming channel: " + sig.getMessage();
        }
    }

    /** @return messages delivered so far; any thread. */
    public long delivered()
    {
        return delivered;
    }

    /** @return messages acknowledged after their service time so far; any thread. */
    public long completed()
    {
        return completed;
    }

    /** @return the most messages ever in service at once: K at most if the prefetch holds; any thread. */
    public int maxInService()
    {
        return maxInService;
    }

    /** @return K. */
    public int slots()
    {
        return slots;
    }

    /** @return bodies that were too short or named no level (acknowledged, not measured); any thread. */
    public long malformed()
    {
        return malformed;
    }

    /** @return why consuming stopped, or null while it works; any thread. */
    public String failure()
    {
        return failure;
    }

    /**
     * Stop serving: messages still in service are not acknowledged. Joins the dsp thread, after which the
     * per-level figures may be read. Call once, from the thread that reads the results.
     *
     * @throws InterruptedException if interrupted while joining.
     */
    public void stopService() throws InterruptedException
    {
        closing = true;
        dsp.shutdownNow();
        if (!dsp.awaitTermination(10, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("the otaprio-peer-dsp thread did not stop within 10 s");
        }
    }

    /** @return per level, 1..4: completed, latency, TRT and share within it. After {@link #stopService()}. */
    public List<LevelReport> levels()
    {
        final List<LevelReport> levels = new ArrayList<>();
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final long count = completedByLevel[level];
            levels.add(new LevelReport(level, count, LatencySummary.of(latencyUs[level]), policy.levelTrtNs(level),
                0 == count ? 100.0 : 100.0 * withinTrt[level] / count));
        }
        return levels;
    }

    /**
     * The end of one message's service, run on the dsp thread: acknowledge, then measure.
     */
    private final class ServiceEnd implements Runnable
    {
        private final long deliveryTag;
        private final int level;
        private final long intendedNs;

        ServiceEnd(final long deliveryTag, final int level, final long intendedNs)
        {
            this.deliveryTag = deliveryTag;
            this.level = level;
            this.intendedNs = intendedNs;
        }

        public void run()
        {
            final long completedNs = System.nanoTime();
            // Counted before the ack goes out: the broker may deliver the next message before this thread is back.
            released = released + 1;
            try
            {
                getChannel().basicAck(deliveryTag, false);
            }
            catch (final IOException | ShutdownSignalException ex)
            {
                // The channel is gone: nothing more can complete. The publisher sees the failure and ends the run.
                if (!closing)
                {
                    failure = "could not acknowledge: " + ex.getMessage();
                }
                return;
            }
            if (0 != level)
            {
                final long latencyNs = completedNs - intendedNs;
                latencyUs[level].recordValue(
                    Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000L)));
                if (latencyNs <= policy.levelTrtNs(level))
                {
                    withinTrt[level]++;
                }
                completedByLevel[level]++;
            }
            completed = completed + 1;
        }
    }
}
