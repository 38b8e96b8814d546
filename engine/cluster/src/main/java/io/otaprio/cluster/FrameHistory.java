package io.otaprio.cluster;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The latest frames a node sent into the log, in fixed slots of a ring: each new frame takes the oldest slot. A
 * node's front end keeps its completions and dispatch marks here, to send them again at a leader change (an offer
 * the cluster client accepted may have gone to a leader that had just died); the service applies each once.
 * <p>
 * Threading: one thread (the admission thread).
 */
final class FrameHistory
{
    private static final int LENGTH_OFFSET = 0;
    private static final int FRAME_OFFSET = 8;

    private final UnsafeBuffer slots;
    private final int slotLength;
    private final int capacity;
    private long next;

    /**
     * @param capacity       frames kept.
     * @param maxFrameLength the longest frame.
     */
    FrameHistory(final int capacity, final int maxFrameLength)
    {
        this.capacity = capacity;
        this.slotLength = FRAME_OFFSET + maxFrameLength;
        this.slots = new UnsafeBuffer(new byte[capacity * slotLength]);
    }

    /**
     * @param frame  holding the frame.
     * @param offset where it starts.
     * @param length its length, at most the longest the history was made for.
     */
    void add(final DirectBuffer frame, final int offset, final int length)
    {
        if (length > slotLength - FRAME_OFFSET)
        {
            throw new IllegalArgumentException("frame of " + length + " bytes, slots hold " +
                (slotLength - FRAME_OFFSET));
        }
        final int slot = (int)(next++ % capacity) * slotLength;
        slots.putInt(slot + LENGTH_OFFSET, length);
        slots.putBytes(slot + FRAME_OFFSET, frame, offset, length);
    }

    /**
     * @param handler given each frame kept, oldest first.
     * @return frames handed over.
     */
    int forEach(final FrameBatch.FrameHandler handler)
    {
        final long first = Math.max(0, next - capacity);
        for (long i = first; i < next; i++)
        {
            final int slot = (int)(i % capacity) * slotLength;
            handler.onFrame(slots, slot + FRAME_OFFSET, slots.getInt(slot + LENGTH_OFFSET));
        }
        return (int)(next - first);
    }
}
