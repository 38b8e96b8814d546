package io.otaprio.scheduler;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * Admission to scheduler: the message ids admission gave to held (future-dated) requests. Such an id never reaches
 * the accepted journal (the request is queued under a new id when due), so the outcome journal's completion watermark
 * must step over it, or it would stop there for as long as the request is held, and checkpoints and retention with it.
 * The scheduler drains the ids each duty cycle into {@code OutcomeLog.skipped}.
 * <p>
 * An Agrona {@link OneToOneRingBuffer} of 8-byte records, written in place: no allocation. Admission asks
 * {@link #hasRoom()} before it holds a request, and answers FULL when there is none (it never is in practice: the
 * scheduler drains it every duty cycle).
 * <p>
 * Threading: admission writes ({@link #hasRoom()}, {@link #offer}); the scheduler reads ({@link #drain}).
 */
public final class HeldIdRelay
{
    private static final int RECORD_TYPE = 1;
    private static final int RECORD_BYTES = 16;   // 8-byte record header, 8-byte id

    private final OneToOneRingBuffer ring;
    private final MessageHandler handler = this::onRecord;
    private LongConsumer consumer;

    /**
     * @param capacityIds ids the relay holds before admission must wait for the scheduler.
     */
    public HeldIdRelay(final int capacityIds)
    {
        final int bytes = BitUtil.findNextPositivePowerOfTwo(Math.max(4096, capacityIds * RECORD_BYTES));
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** @return true when {@link #offer} will succeed: only the scheduler's draining changes that, for the better. */
    public boolean hasRoom()
    {
        return ring.capacity() - ring.size() >= RECORD_BYTES;
    }

    /**
     * @param heldId an id given to a held request.
     * @return false when the relay is full.
     */
    public boolean offer(final long heldId)
    {
        final int index = ring.tryClaim(RECORD_TYPE, BitUtil.SIZE_OF_LONG);
        if (index < 0)
        {
            return false;
        }
        ring.buffer().putLong(index, heldId);
        ring.commit(index);
        return true;
    }

    /**
     * @param onHeldId told of each id, in order.
     * @param limit    most ids to drain.
     * @return ids drained.
     */
    public int drain(final LongConsumer onHeldId, final int limit)
    {
        consumer = onHeldId;
        return ring.read(handler, limit);
    }

    private void onRecord(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        consumer.accept(buffer.getLong(index));
    }
}
