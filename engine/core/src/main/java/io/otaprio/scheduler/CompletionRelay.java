package io.otaprio.scheduler;

import org.agrona.BitUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * Carries completions from the scheduler thread to the thread that answers clients (the gateway), as fixed binary
 * records in an Agrona {@link OneToOneRingBuffer}: no allocation, no lock, and the scheduler never waits on a slow
 * client.
 * <pre>
 *   0          8          16         24         32         40         48         56   60   64
 *   +----------+----------+----------+----------+----------+----------+----------+----+----+
 *   |messageId |originator| target   | counter  |acceptNs  |completeNs| trtNs    |lvl |outc|
 *   +----------+----------+----------+----------+----------+----------+----------+----+----+
 * </pre>
 * The relay pushes back: {@link #completionsAcceptable()} is its free room, and the scheduler dispatches nothing whose
 * completion would not fit, so a gateway that falls behind slows dispatch rather than losing Completed frames.
 * {@link #dropped()} counts pushes that found it full anyway (only a listener chained before it that dispatched
 * behind the scheduler's back could cause one): they are still journaled and accounted, only the push is lost.
 * <p>
 * Threading: {@link #onCompleted} on the scheduler thread (single producer), {@link #drain} on one consumer thread.
 */
public final class CompletionRelay implements CompletionListener
{
    /** Length of one record in bytes. */
    public static final int RECORD_LENGTH = 64;

    private static final int MSG_TYPE = 1;
    private static final int MESSAGE_ID = 0;
    private static final int ORIGINATOR = 8;
    private static final int TARGET = 16;
    private static final int COUNTER = 24;
    private static final int ACCEPT_NS = 32;
    private static final int COMPLETED_NS = 40;
    private static final int TRT_NS = 48;
    private static final int LEVEL = 56;
    private static final int OUTCOME = 60;

    /**
     * Receives relayed completions on the consumer thread.
     */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * @param messageId     engine message id.
         * @param originator    RequestID originator.
         * @param target        RequestID target.
         * @param counter       RequestID counter.
         * @param level         class level 1..4.
         * @param acceptTimeNs  when the engine accepted it.
         * @param completedNs   when the dispatcher completed it.
         * @param trtNs         its TRT budget.
         * @param outcome       the dispatcher's outcome.
         */
        void onCompleted(
            long messageId,
            long originator,
            long target,
            long counter,
            int level,
            long acceptTimeNs,
            long completedNs,
            long trtNs,
            int outcome);
    }

    private final OneToOneRingBuffer ring;
    private final int alignedRecordLength;
    private final MessageHandler reader;
    private final CompletionListener next;
    private Handler handler;
    private long dropped;

    /**
     * @param capacityRecords completions the relay holds before it drops pushes (rounded up to a power of two).
     * @param next            another listener to call first on the scheduler thread, or {@link CompletionListener#NONE}.
     */
    public CompletionRelay(final int capacityRecords, final CompletionListener next)
    {
        final int bytes = BitUtil.findNextPositivePowerOfTwo(Math.max(1024, capacityRecords) * (RECORD_LENGTH + 8));
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(bytes + RingBufferDescriptor.TRAILER_LENGTH)));
        this.next = next;
        this.alignedRecordLength = BitUtil.align(RECORD_LENGTH + RecordDescriptor.HEADER_LENGTH,
            RecordDescriptor.ALIGNMENT);
        this.reader = (msgTypeId, buffer, index, length) -> handler.onCompleted(
            buffer.getLong(index + MESSAGE_ID),
            buffer.getLong(index + ORIGINATOR),
            buffer.getLong(index + TARGET),
            buffer.getLong(index + COUNTER),
            buffer.getInt(index + LEVEL),
            buffer.getLong(index + ACCEPT_NS),
            buffer.getLong(index + COMPLETED_NS),
            buffer.getLong(index + TRT_NS),
            buffer.getInt(index + OUTCOME));
    }

    public void onCompleted(final InFlightMessage message)
    {
        next.onCompleted(message);
        final int index = ring.tryClaim(MSG_TYPE, RECORD_LENGTH);
        if (index < 0)
        {
            dropped++;
            return;
        }
        final var buffer = ring.buffer();
        buffer.putLong(index + MESSAGE_ID, message.messageId());
        buffer.putLong(index + ORIGINATOR, message.originator());
        buffer.putLong(index + TARGET, message.target());
        buffer.putLong(index + COUNTER, message.counter());
        buffer.putLong(index + ACCEPT_NS, message.acceptTimeNs());
        buffer.putLong(index + COMPLETED_NS, message.completedTimeNs());
        buffer.putLong(index + TRT_NS, message.trtNs());
        buffer.putInt(index + LEVEL, message.level());
        buffer.putInt(index + OUTCOME, message.outcome());
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
