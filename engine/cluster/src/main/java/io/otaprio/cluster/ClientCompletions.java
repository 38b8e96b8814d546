package io.otaprio.cluster;

import io.otaprio.scheduler.CompletedMessage;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The completions owed to one client, numbered 1, 2, 3... in log order, the last {@code capacity} kept. The leader
 * sends each as it is committed; a leader can die between committing a completion and sending it, so a client that
 * sees a new leader says the last number it received (HELLO), and the new leader sends it everything after that
 * again from here. Part of the replicated state: every node numbers and keeps the same.
 * <p>
 * Threading: the service thread.
 */
final class ClientCompletions
{
    private final UnsafeBuffer records;
    private final int capacity;
    private long sequence;

    /**
     * @param capacity completions kept, a power of two.
     */
    ClientCompletions(final int capacity)
    {
        this.capacity = capacity;
        this.records = new UnsafeBuffer(new byte[capacity * CompletedMessage.LENGTH]);
    }

    /**
     * @param buffer holding a completed-message record.
     * @param offset where it starts.
     * @return the number it was given.
     */
    long add(final DirectBuffer buffer, final int offset)
    {
        final long next = ++sequence;
        records.putBytes(slot(next), buffer, offset, CompletedMessage.LENGTH);
        return next;
    }

    /** @return the number of the last completion, 0 before the first. */
    long last()
    {
        return sequence;
    }

    /** @return the number of the oldest completion still kept. */
    long oldest()
    {
        return Math.max(1, sequence - capacity + 1);
    }

    /**
     * @param number a kept completion's number.
     * @param into   where to copy its record.
     * @param offset where in {@code into}.
     */
    void copy(final long number, final MutableDirectBuffer into, final int offset)
    {
        into.putBytes(offset, records, slot(number), CompletedMessage.LENGTH);
    }

    private int slot(final long number)
    {
        return (int)(number & (capacity - 1)) * CompletedMessage.LENGTH;
    }
}
