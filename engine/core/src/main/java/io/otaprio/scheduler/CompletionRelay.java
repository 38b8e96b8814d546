package io.otaprio.scheduler;

import org.agrona.BitUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Carries completions from the scheduler thread to the admission thread (which answers clients and feeds resend
 * detection), one {@link CompletedMessage} per record in an Agrona {@link OneToOneRingBuffer}: copied in whole, no
 * allocation, no lock, and the scheduler never waits on a slow client.
 * <p>
 * The relay pushes back: {@link #completionsAcceptable()} is its free room, and the scheduler dispatches nothing whose
 * completion would not fit, so an admission thread that falls behind slows dispatch rather than losing Completed
 * frames. {@link #dropped()} counts pushes that found it full anyway (only a listener chained before it that dispatched
 * behind the scheduler's back could cause one): they are still journaled and accounted, only the push is lost.
 * <p>
 * Threading: {@link #onCompleted} on the scheduler thread (single producer), {@link #drain} on one consumer thread.
 */
public final class CompletionRelay implements CompletionListener
{
    private static final int MSG_TYPE = 1;

    /**
     * Receives relayed completions on the consumer thread.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param completed the completed message, valid during the call.
         */
        void onCompleted(CompletedMessage completed);
    }

    private final OneToOneRingBuffer ring;
    private final int alignedRecordLength;
    private final CompletedMessage view = new CompletedMessage();
    private final MessageHandler reader;
    private final CompletionListener next;
    private Handler handler;
    private long dropped;

    /**
     * @param capacityRecords completions the relay holds before it pushes back (rounded up to a power of two of bytes).
     * @param next            another listener to call first on the scheduler thread, or
     *                        {@link CompletionListener#NONE}.
     */
    public CompletionRelay(final int capacityRecords, final CompletionListener next)
    {
        final int bytes = BitUtil.findNextPositivePowerOfTwo(
            Math.max(1024, capacityRecords) * (CompletedMessage.LENGTH + RecordDescriptor.HEADER_LENGTH));
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.next = next;
        this.alignedRecordLength = BitUtil.align(CompletedMessage.LENGTH + RecordDescriptor.HEADER_LENGTH,
            RecordDescriptor.ALIGNMENT);
        this.reader = (msgTypeId, buffer, index, length) -> handler.onCompleted(view.wrap(buffer, index));
    }

    /**
     * Scheduler thread: relay one completion.
     *
     * @param completed the completed message.
     */
    public void onCompleted(final CompletedMessage completed)
    {
        next.onCompleted(completed);
        final int index = ring.tryClaim(MSG_TYPE, CompletedMessage.LENGTH);
        if (index < 0)
        {
            dropped++;
            return;
        }
        ring.buffer().putBytes(index, completed.buffer(), completed.offset(), CompletedMessage.LENGTH);
        ring.commit(index);
    }

    /**
     * Scheduler thread: the free room, in records, bounded by the next listener's.
     *
     * @return completions the relay can take now.
     */
    public int completionsAcceptable()
    {
        // Less one: a record that would cross the end of the buffer is preceded by padding, which wastes less
        // than one record.
        final int room = (ring.capacity() - ring.size()) / alignedRecordLength - 1;
        return Math.max(0, Math.min(room, next.completionsAcceptable()));
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

    /** @return pushes dropped because the consumer fell behind (scheduler thread's count; racy read elsewhere). */
    public long dropped()
    {
        return dropped;
    }
}
