package io.otaprio.cluster;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Many {@link ClusterMessages} frames in one cluster message: what a node's front end sends in one duty cycle (its
 * submissions, the leader's completions and dispatch marks), and what the leader answers to one session for one log
 * entry. Aeron Cluster's cost is per log entry (consensus, archive, service), not per byte: a batch pays it once.
 * <pre>
 *   BATCH type i32 | count i32 | { length i32 | pad i32 | frame, padded to 8 } x count
 * </pre>
 * Threading: one thread per batch.
 */
final class FrameBatch
{
    /** Offset of a batch's frame count. */
    static final int COUNT_OFFSET = 4;
    /** Bytes before the first frame. */
    static final int HEADER_LENGTH = 8;
    /** Bytes before each frame. */
    static final int FRAME_HEADER_LENGTH = 8;

    private final UnsafeBuffer buffer;
    private final int batchLimit;
    private int length = HEADER_LENGTH;
    private int count;

    /**
     * @param capacity the largest batch, in bytes: below the cluster's largest message (an eighth of its term).
     */
    FrameBatch(final int capacity)
    {
        this(capacity, capacity);
    }

    /**
     * @param capacity   the largest batch, in bytes: below the cluster's largest message (an eighth of its term); a
     *                   frame longer than the batch limit goes alone in a batch of up to this.
     * @param batchLimit frames are batched together up to this many bytes.
     */
    FrameBatch(final int capacity, final int batchLimit)
    {
        this.batchLimit = Math.min(capacity, batchLimit);
        buffer = new UnsafeBuffer(new byte[capacity]);
        buffer.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.BATCH, ClusterMessages.ORDER);
    }

    /**
     * @param frameLength a frame's length.
     * @return true when it fits after what the batch holds: within the batch limit, or alone within the capacity.
     */
    boolean fits(final int frameLength)
    {
        return length + FRAME_HEADER_LENGTH + BitUtil.align(frameLength, 8) <=
            (0 == count ? buffer.capacity() : batchLimit);
    }

    /**
     * Add a frame; the caller checked it {@link #fits}.
     *
     * @param source holding the frame.
     * @param offset where it starts.
     * @param frameLength its length.
     */
    void add(final DirectBuffer source, final int offset, final int frameLength)
    {
        buffer.putInt(length, frameLength, ClusterMessages.ORDER);
        buffer.putInt(length + 4, 0, ClusterMessages.ORDER);
        buffer.putBytes(length + FRAME_HEADER_LENGTH, source, offset, frameLength);
        length += FRAME_HEADER_LENGTH + BitUtil.align(frameLength, 8);
        count++;
    }

    /** @return frames held. */
    int count()
    {
        return count;
    }

    /** @return the batch as one message, in {@link #buffer()} from offset 0, once {@link #seal()}ed. */
    int length()
    {
        return length;
    }

    /** @return the batch's bytes. */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Write the count: the batch is ready to send. */
    void seal()
    {
        buffer.putInt(COUNT_OFFSET, count, ClusterMessages.ORDER);
    }

    /** Empty it for the next batch. */
    void reset()
    {
        length = HEADER_LENGTH;
        count = 0;
    }

    /**
     * Hand each frame of a batch to a handler, in order.
     *
     * @param batch   holding the batch.
     * @param offset  where it starts.
     * @param handler given each frame.
     * @return frames handled.
     */
    static int forEach(final DirectBuffer batch, final int offset, final FrameHandler handler)
    {
        final int count = batch.getInt(offset + COUNT_OFFSET, ClusterMessages.ORDER);
        int position = offset + HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int frameLength = batch.getInt(position, ClusterMessages.ORDER);
            handler.onFrame(batch, position + FRAME_HEADER_LENGTH, frameLength);
            position += FRAME_HEADER_LENGTH + BitUtil.align(frameLength, 8);
        }
        return count;
    }

    /** Takes one frame of a batch. */
    @FunctionalInterface
    interface FrameHandler
    {
        /**
         * @param buffer holding the frame.
         * @param offset where it starts.
         * @param length its length.
         */
        void onFrame(DirectBuffer buffer, int offset, int length);
    }
}
