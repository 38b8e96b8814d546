package io.otaprio.dispatch;

import org.agrona.BitUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The bounded many-to-one queue carrying completions from dispatcher threads into the scheduler thread, as
 * fixed-size binary records in an Agrona {@link ManyToOneRingBuffer}: no allocation on either side.
 * <pre>
 *   0               8               16      20      24
 *   +---------------+---------------+-------+-------+
 *   | messageId     | completedNs   |outcome| slot  |   little-endian, one record per completion
 *   +---------------+---------------+-------+-------+
 * </pre>
 * Sized for at least the scheduler's full credit, so a dispatcher that completes each message once never finds it
 * full.
 */
public final class CompletionQueue implements CompletionPort
{
    private static final int MSG_TYPE_COMPLETION = 1;
    private static final int MESSAGE_ID_OFFSET = 0;
    private static final int COMPLETED_NS_OFFSET = 8;
    private static final int OUTCOME_OFFSET = 16;
    private static final int SLOT_OFFSET = 20;
    private static final int RECORD_LENGTH = 24;
    private static final int SLOT_BYTES = 32;

    /**
     * Receives completions on the draining thread.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param slot        the in-flight slot it was dispatched with.
         * @param messageId   the completed message.
         * @param completedNs epoch time the completion was reported.
         * @param outcome     {@link CompletionPort#OUTCOME_OK} or another outcome.
         */
        void onCompletion(int slot, long messageId, long completedNs, int outcome);
    }

    private final ManyToOneRingBuffer ring;
    private final EpochNanoClock clock;
    private final MessageHandler reader;
    private Handler handler;

    /**
     * @param maxInFlight the scheduler's credit K.
     * @param clock       stamps each completion.
     */
    public CompletionQueue(final int maxInFlight, final EpochNanoClock clock)
    {
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(4096, maxInFlight * SLOT_BYTES * 2));
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
        this.clock = clock;
        this.reader = (msgTypeId, buffer, index, length) -> handler.onCompletion(
            buffer.getInt(index + SLOT_OFFSET),
            buffer.getLong(index + MESSAGE_ID_OFFSET),
            buffer.getLong(index + COMPLETED_NS_OFFSET),
            buffer.getInt(index + OUTCOME_OFFSET));
    }

    /**
     * {@inheritDoc}
     */
    public boolean complete(final int slot, final long messageId, final int outcome)
    {
        final int index = ring.tryClaim(MSG_TYPE_COMPLETION, RECORD_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final var buffer = ring.buffer();
        buffer.putLong(index + MESSAGE_ID_OFFSET, messageId);
        buffer.putLong(index + COMPLETED_NS_OFFSET, clock.nanoTime());
        buffer.putInt(index + OUTCOME_OFFSET, outcome);
        buffer.putInt(index + SLOT_OFFSET, slot);
        ring.commit(index);
        return true;
    }

    /**
     * Consumer thread only.
     *
     * @param handler receives each completion.
     * @param limit   most completions to take.
     * @return completions taken.
     */
    public int drain(final Handler handler, final int limit)
    {
        this.handler = handler;
        return ring.read(reader, limit);
    }
}
