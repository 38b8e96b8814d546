package io.otaprio.journal;

import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Where admission keeps the future-dated requests it holds until they fall due: the {@link HeldJournal} (its own
 * queue, {@code DIR/held}), or {@link #memory()} for an engine without a journal, whose holds then do not survive a
 * restart. Only ids, due times and the index returned here stay in admission's memory; the request's bytes are read
 * back by index when it is due.
 * <p>
 * Threading: the admission thread.
 */
public interface HeldLog
{
    /**
     * Keep a request until it is due.
     *
     * @param heldId  the id it was answered with.
     * @param dueNs   when it falls due, epoch nanos.
     * @param level   the level it is to be queued at.
     * @param message holding the request in the {@link AcceptedMessageDescriptor} layout, stamped.
     * @param offset  where it starts.
     * @param length  its encoded length.
     * @return where it is kept (&gt;= 0), for {@link #read}; or -1 when it could not be kept.
     */
    long held(long heldId, long dueNs, int level, DirectBuffer message, int offset, int length);

    /**
     * @param index as {@link #held} or {@link #copyForward} returned it.
     * @return the request, valid until the next call; null when it cannot be read.
     */
    AcceptedMessageFlyweight read(long index);

    /**
     * Record that a held request was queued as a new message.
     *
     * @param heldId    the held id.
     * @param messageId the id it was queued as.
     * @return false when the record could not be written (the request is then released again after a restart).
     */
    boolean released(long heldId, long messageId);

    /**
     * Record that a cancellation removed a held request.
     *
     * @param heldId the held id.
     * @return false when the record could not be written.
     */
    boolean cancelled(long heldId);

    /**
     * Keep a live request in the newest part of the store, so that retention may drop older parts.
     *
     * @param index where it is kept now.
     * @return where it is kept from now on, or -1 when it could not be copied (it stays where it is).
     */
    long copyForward(long index);

    /**
     * @param index where a request is kept.
     * @return the part (roll cycle) of the store it is in; the newest part has the highest number.
     */
    int partOf(long index);

    /** @return the part new records go to. */
    int currentPart();

    /**
     * Drop every part older than the given one (never the current).
     *
     * @param part the oldest part to keep.
     * @return parts dropped.
     */
    int dropPartsBefore(int part);

    /**
     * @return a store in memory, for an engine without a journal: copies of the held requests (allocating, a cold
     * path); nothing survives a restart.
     */
    static HeldLog memory()
    {
        return new HeldLog()
        {
            private final Long2ObjectHashMap<UnsafeBuffer> kept = new Long2ObjectHashMap<>();
            private final Long2LongHashMap indexById = new Long2LongHashMap(-1);
            private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
            private long nextIndex;

            public long held(
                final long heldId, final long dueNs, final int level, final DirectBuffer bytes, final int offset,
                final int length)
            {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                copy.putBytes(0, bytes, offset, length);
                final long index = nextIndex++;
                kept.put(index, copy);
                indexById.put(heldId, index);
                return index;
            }

            public AcceptedMessageFlyweight read(final long index)
            {
                final UnsafeBuffer copy = kept.get(index);
                return null == copy ? null : message.wrap(copy, 0);
            }

            public boolean released(final long heldId, final long messageId)
            {
                return forget(heldId);
            }

            public boolean cancelled(final long heldId)
            {
                return forget(heldId);
            }

            public long copyForward(final long index)
            {
                return index;
            }

            public int partOf(final long index)
            {
                return 0;
            }

            public int currentPart()
            {
                return 0;
            }

            public int dropPartsBefore(final int part)
            {
                return 0;
            }

            private boolean forget(final long heldId)
            {
                final long index = indexById.remove(heldId);
                if (index >= 0)
                {
                    kept.remove(index);
                }
                return true;
            }
        };
    }
}
