package io.otaprio.peer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one consumer of the peer's queue, emulating the engine's simulated DSP: with {@code basic.qos(prefetch = K)}
 * the broker has at most K unacknowledged messages out, the analogue of the engine's credit K = {@code dsp.slots}.
 * Each delivered message (the engine's message in the {@link AcceptedMessageDescriptor} layout, as
 * {@link RabbitMqPeer} publishes it) is in service from its delivery for a time drawn for its kind and code from
 * the same {@link ServiceTimes} with the same seed as the engine's DSP, then acknowledged, which frees its slot; the
 * broker then sends the most urgent message it holds. The end of each measured message's service (its
 * acknowledgement) is a completion, which the publishing thread collects with {@link #poll} and measures against the
 * message's intended send time in its {@link io.otaprio.loadgen.OpenLoop}.
 * <p>
 * The delivery thread never waits out a service time: it schedules the end of service on one "otaprio-peer-dsp"
 * thread, which acknowledges and hands the completion over through a one-to-one ring buffer (Agrona), one record
 * per completion, native byte order:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            message number in the schedule (i64)               |  0
 *  +---------------------------------------------------------------+
 *  |            acknowledgement time, System.nanoTime (i64)        |  8
 *  +---------------------------------------------------------------+
 *  |            level (i32), 1..4                                  | 16
 *  +---------------------------------------------------------------+
 * </pre>
 * The ring holds {@value #RING_BYTES} bytes, 262,144 completions (32 bytes each with its header); should the
 * publisher, blocked by the broker, leave that many uncollected, the dsp thread waits for room rather than lose one.
 * <p>
 * Threading:
 * <ul>
 *     <li>the AMQP client's delivery thread (one at a time for this channel): {@link #handleDelivery}, the body's
 *     flyweight, the random source, {@code delivered}, {@code maxInService};</li>
 *     <li>the dsp thread: every {@code basic.ack} on the channel (so one thread writes acks to it), the ring's
 *     producer side, {@code released}, {@code completed};</li>
 *     <li>one polling thread: {@link #poll};</li>
 *     <li>any thread: the volatile counters and {@link #failure()}.</li>
 * </ul>
 */
public final class SimulatedDspConsumer extends DefaultConsumer
{
    /** Bytes of completion records the ring holds. */
    public static final int RING_BYTES = 1 << 23;

    private static final int NUMBER_OFFSET = 0;
    private static final int COMPLETED_NS_OFFSET = 8;
    private static final int LEVEL_OFFSET = 16;
    private static final int RECORD_LENGTH = 20;
    private static final int COMPLETION = 1;
    private static final long FULL_RING_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * Receives completions, on the thread that calls {@link #poll}.
     */
    @FunctionalInterface
    public interface CompletionHandler
    {
        /**
         * @param number      the message's number in the schedule, its message id in the body.
         * @param level       its level, from its body, 1..4.
         * @param completedNs when it was acknowledged, {@code System.nanoTime()}.
         */
        void onCompleted(long number, int level, long completedNs);
    }

    private final int slots;
    private final ServiceTimes serviceTimes;
    private final SplittableRandom random;
    private final ScheduledThreadPoolExecutor dsp;
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[0]);
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private final RingBuffer completions = new OneToOneRingBuffer(
        new UnsafeBuffer(ByteBuffer.allocateDirect(RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH)));
    private final MessageHandler reader = this::onRecord;
    private CompletionHandler handler;
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
     */
    public SimulatedDspConsumer(
        final Channel channel, final int slots, final ServiceTimes serviceTimes, final long seed)
    {
        super(channel);
        this.slots = slots;
        this.serviceTimes = serviceTimes;
        this.random = new SplittableRandom(seed);
        this.dsp = new ScheduledThreadPoolExecutor(1, runnable ->
        {
            final Thread thread = new Thread(runnable, "otaprio-peer-dsp");
            thread.setDaemon(true);
            return thread;
        });
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
        if (!wrap(bytes))
        {
            malformed = malformed + 1;
            serve(new ServiceEnd(deliveryTag, 0, -1), 0);
            return;
        }
        final int level = message.level();
        final long serviceNs = serviceTimes.sampleNs(message.kind(), message.code(), random);
        final ServiceEnd end = new ServiceEnd(deliveryTag, level >= 1 && level <= PriorityPolicy.LEVELS ? level : 0,
            message.messageId());
        if (0 == end.level)
        {
            malformed = malformed + 1;
        }
        serve(end, Math.max(0, deliveredNs + serviceNs - System.nanoTime()));
    }

    /** @return whether the body is a whole message in the accepted layout, now wrapped by {@code message}. */
    private boolean wrap(final byte[] bytes)
    {
        if (null == bytes || bytes.length < AcceptedMessageDescriptor.HEADER_LENGTH)
        {
            return false;
        }
        body.wrap(bytes);
        message.wrap(body, 0);
        return AcceptedMessageDescriptor.LAYOUT_VERSION == message.version() && message.payloadLength() >= 0 &&
            message.encodedLength() <= bytes.length;
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
     * Hand the completions collected since the last call to a handler, oldest first.
     *
     * @param handler receives each, on this thread.
     * @param limit   most completions to hand over.
     * @return completions handed over.
     */
    public int poll(final CompletionHandler handler, final int limit)
    {
        this.handler = handler;
        return completions.read(reader, limit);
    }

    private void onRecord(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        handler.onCompleted(buffer.getLong(index + NUMBER_OFFSET), buffer.getInt(index + LEVEL_OFFSET),
            buffer.getLong(index + COMPLETED_NS_OFFSET));
    }

    /**
     * Stop serving: messages still in service are not acknowledged. Joins the dsp thread, after which every
     * completion is in the ring for {@link #poll}. Call once.
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

    private void publish(final long number, final int level, final long completedNs)
    {
        int index;
        while ((index = completions.tryClaim(COMPLETION, RECORD_LENGTH)) < 0)
        {
            if (closing)
            {
                return;
            }
            LockSupport.parkNanos(FULL_RING_PARK_NS);
        }
        final AtomicBuffer buffer = completions.buffer();
        buffer.putLong(index + NUMBER_OFFSET, number);
        buffer.putLong(index + COMPLETED_NS_OFFSET, completedNs);
        buffer.putInt(index + LEVEL_OFFSET, level);
        completions.commit(index);
    }

    /**
     * The end of one message's service, run on the dsp thread: acknowledge, then report the completion.
     */
    private final class ServiceEnd implements Runnable
    {
        private final long deliveryTag;
        private final int level;
        private final long number;

        ServiceEnd(final long deliveryTag, final int level, final long number)
        {
            this.deliveryTag = deliveryTag;
            this.level = level;
            this.number = number;
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
                publish(number, level, completedNs);
            }
            completed = completed + 1;
        }
    }
}
