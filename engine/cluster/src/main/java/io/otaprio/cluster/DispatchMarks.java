package io.otaprio.cluster;

import io.otaprio.journal.OutcomeLog;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;

/**
 * The leader's scheduler records what it dispatches here instead of in a journal: each duty cycle's dispatches go,
 * as one record of message ids, through a one-to-one ring buffer to the admission thread, which puts them into the
 * cluster's log as a DISPATCHED message. Once committed, every node knows those messages reached the downstream, so
 * that a new leader counts exactly which of the messages it dispatches again were in flight at the old one.
 * <p>
 * Completions are not recorded here: they reach the log through the completion relay, as every completion does.
 * <p>
 * Threading: {@link #dispatched} and {@link #flush} on the scheduler thread (the ring's only producer);
 * {@link #drain} on the admission thread (its only consumer).
 */
public final class DispatchMarks implements OutcomeLog
{
    /** Ring buffer message type of a batch of ids. */
    static final int MARKS_TYPE = 1;

    private final OneToOneRingBuffer ring;
    private final MessageHandler onRecord = this::onRecord;
    private BatchHandler handler;
    private final long[] batch;
    private final UnsafeBuffer record;
    private int count;
    private volatile long dropped;

    /**
     * @param maxBatch       the most dispatches of one scheduler duty cycle (the dispatcher's slots).
     * @param capacityBytes  the ring's capacity, a power of two.
     */
    public DispatchMarks(final int maxBatch, final int capacityBytes)
    {
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacityBytes + RingBufferDescriptor.TRAILER_LENGTH)));
        batch = new long[maxBatch];
        record = new UnsafeBuffer(new byte[4 + 8 * maxBatch]);
    }

    public void dispatched(final long messageId, final long dispatchedNs)
    {
        if (count < batch.length)
        {
            batch[count++] = messageId;
        }
    }

    public void completed(final long messageId, final long dispatchedNs, final long completedNs, final int outcome)
    {
    }

    /** Nothing: a cluster node never holds a request (DUIS over HTTP, which holds, is refused on a cluster). */
    public void skipped(final long messageId)
    {
    }

    public int flush()
    {
        if (0 == count)
        {
            return 0;
        }
        record.putInt(0, count, ClusterMessages.ORDER);
        for (int i = 0; i < count; i++)
        {
            record.putLong(4 + 8 * i, batch[i], ClusterMessages.ORDER);
        }
        final int written = count;
        count = 0;
        if (!ring.write(MARKS_TYPE, record, 0, 4 + 8 * written))
        {
            // The admission thread has fallen far behind: these dispatches go unmarked, and a failover would count
            // them as first dispatches. Counted, never blocking the scheduler.
            dropped += written;
        }
        return written;
    }

    /** @return the longest batch record: count and ids. */
    int maxRecordLength()
    {
        return record.capacity();
    }

    public int checkpointIfDue(final long nowNs)
    {
        return 0;
    }

    public int bufferedRecords()
    {
        return count;
    }

    /**
     * @param handler given each batch: the buffer holds count (i32) then that many ids (i64), little-endian.
     * @param limit   most batches.
     * @return batches drained.
     */
    int drain(final BatchHandler batchHandler, final int limit)
    {
        this.handler = batchHandler;
        return ring.read(onRecord, limit);
    }

    private void onRecord(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        handler.onBatch(buffer, index, length);
    }

    /** @return dispatches that could not be marked (the ring was full). Any thread. */
    public long dropped()
    {
        return dropped;
    }

    /** Takes one batch of ids. */
    @FunctionalInterface
    interface BatchHandler
    {
        /**
         * @param buffer holding the batch.
         * @param offset where it starts.
         * @param length its length.
         */
        void onBatch(MutableDirectBuffer buffer, int offset, int length);
    }
}
