package io.otaprio.ring;

import com.lmax.disruptor.Sequence;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One lane's store for messages too large for the inline capacity of a ring slot: a contiguous byte arena written by
 * the lane's single producer and released, in the order it was written, by the lane's single consumer. A lane is FIFO
 * and its consumer takes messages in order, so the arena needs no free list: the producer appends at the tail, the
 * consumer moves the head past what it has finished with, and a message that would run past the end of the arena
 * starts again at offset 0, the bytes left at the end being padding (as Aeron's log buffers pad a term). Nothing is
 * allocated after construction and nothing is locked.
 * <pre>
 *   positions only grow; offset = position % capacity
 *
 *   0                      head % capacity                tail % capacity        capacity
 *   |      free            |#### unreleased messages #####|       free           |
 *
 *   wrapped:
 *   |## unreleased ##|  free   |#### unreleased messages ####|  padding (skipped)  |
 *                    tail      head
 * </pre>
 * A message occupies {@code align(length, 8)} bytes at {@link #offset(long)} of its start position, contiguous, so a
 * ring slot can wrap it with one flyweight. Its end position is what the consumer releases: {@link #release(long)}
 * with the end of the last message it has finished, which frees that message, every one before it and the padding
 * between them.
 * <p>
 * Threading: {@link #claim(int)} and {@link #unclaim()} belong to the producer (the thread that publishes to the
 * lane's ring); {@link #release(long)} to the consumer (the scheduler). The head is the only field both touch: the
 * consumer's release is a release store, the producer's read of it (only when its cached head says the arena is
 * full) an acquire load, so bytes the producer writes after it sees a release never race the consumer's reads of
 * them. The buffer's bytes of a message are written by the producer before the slot that points at them is
 * published and read by the consumer after, ordered by the ring's cursor.
 */
public final class PayloadStore
{
    /** Every message starts at a multiple of this, so the 8-byte fields of its header stay aligned. */
    public static final int ALIGNMENT = 8;

    /** {@link #claim(int)}'s answer when the arena has no room for the message now. */
    public static final long FULL = -1;

    private final UnsafeBuffer buffer;
    private final int capacity;
    private final Sequence head = new Sequence(0);
    private long headCache;
    private long tail;
    private long tailBeforeClaim;

    /**
     * @param capacityBytes the arena's size, a positive multiple of {@value #ALIGNMENT}; held on the heap, so that the
     *                      accepted journal writes a message straight from the array.
     * @throws IllegalArgumentException if the size is not a positive multiple of {@value #ALIGNMENT}.
     */
    public PayloadStore(final int capacityBytes)
    {
        if (capacityBytes <= 0 || (capacityBytes & (ALIGNMENT - 1)) != 0)
        {
            throw new IllegalArgumentException(
                "payload store capacity must be a positive multiple of " + ALIGNMENT + ": " + capacityBytes);
        }
        this.capacity = capacityBytes;
        this.buffer = new UnsafeBuffer(new byte[capacityBytes]);
    }

    /**
     * @param length a message's length in bytes.
     * @return the bytes it occupies in a store.
     */
    public static int alignedLength(final int length)
    {
        return BitUtil.align(length, ALIGNMENT);
    }

    /**
     * Producer: reserve room for a message at the tail, wrapping to offset 0 (the end of the arena becomes padding)
     * when it would not fit before the end. Never blocks.
     *
     * @param length the message's length in bytes.
     * @return its start position (write it at {@link #offset(long)}; its end is start + {@link #alignedLength(int)}),
     * or {@link #FULL} when the consumer has not yet released enough.
     */
    public long claim(final int length)
    {
        final int aligned = alignedLength(length);
        if (aligned > capacity || aligned <= 0)
        {
            return FULL;
        }
        final long tail = this.tail;
        final int tailOffset = (int)(tail % capacity);
        final long start = tailOffset + aligned > capacity ? tail + (capacity - tailOffset) : tail;
        final long end = start + aligned;
        if (end - headCache > capacity)
        {
            headCache = head.get();
            // An empty arena (everything released) takes any message that fits in it, padding and all: the padding
            // holds nothing, and the next claim counts it until the consumer releases past it.
            if (end - headCache > capacity && headCache != tail)
            {
                return FULL;
            }
        }
        tailBeforeClaim = tail;
        this.tail = end;
        return start;
    }

    /**
     * Producer: give back the room the last {@link #claim(int)} took, when the message did not go anywhere after all
     * (its ring was full). Only the producer ever reads the tail, so this is a plain store.
     */
    public void unclaim()
    {
        tail = tailBeforeClaim;
    }

    /**
     * Consumer: every message whose end position is at most {@code end} is finished with; its bytes may be reused.
     *
     * @param end the end position of the last message finished (start + aligned length).
     */
    public void release(final long end)
    {
        head.set(end);
    }

    /**
     * @param position a start position from {@link #claim(int)}.
     * @return its offset in {@link #buffer()}.
     */
    public int offset(final long position)
    {
        return (int)(position % capacity);
    }

    /** @return the arena. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return the arena's size in bytes. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Bytes claimed and not yet released, padding included. Producer thread; a racy but never negative reading
     * from any other thread.
     *
     * @return bytes in use.
     */
    public long usedBytes()
    {
        return Math.max(0, tail - head.get());
    }
}
