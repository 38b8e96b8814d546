package io.otaprio.cluster;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The replicated backlog: every accepted message not yet completed, per lane in the order it was accepted, with the
 * client that submitted it. Every node holds the same backlog (it changes only as the committed log is applied); the
 * leader feeds its rings from it, so a new leader rebuilds its lanes from exactly what was pending.
 * <p>
 * Each lane is a FIFO of message ids with room for its ring's capacity: a message is admitted to a lane only while the
 * lane's FIFO has room, which is deterministic (the same on every node) and means a lane never holds more than its
 * ring can take. A completion removes its message wherever it is; the hole is reclaimed once it reaches the head.
 * Each lane has a feed cursor: the next message the leader has not yet put in its ring.
 * <p>
 * Message bytes live in slots of a slab that grows in chunks as the backlog does (never sized for the worst case up
 * front), found by message id through an Agrona primitive map; freed slots are reused. Nothing iterates a map, so
 * every node walks the backlog in the same order.
 * <p>
 * Threading: the service thread only.
 */
public final class Backlog
{
    private static final int CHUNK_SLOTS = 1024;
    private static final int CLIENT_ID_OFFSET = 0;
    private static final int LANE_OFFSET = 4;
    private static final int DISPATCHED_OFFSET = 8;
    private static final int MESSAGE_OFFSET = 16;
    private static final long MISSING = -1;

    private final long[][] lanes;
    private final long[] head;
    private final long[] tail;
    private final long[] cursor;
    private final int slotLength;
    private final Long2LongHashMap slotById = new Long2LongHashMap(MISSING);
    private final List<UnsafeBuffer> chunks = new ArrayList<>();
    private int[] freeSlots = new int[CHUNK_SLOTS];
    private int freeCount;
    private int slotCount;
    private long size;
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();

    /**
     * @param capacities      messages each lane may hold (its ring's size, a power of two).
     * @param maxPayloadBytes the largest payload a message may carry.
     */
    Backlog(final int[] capacities, final int maxPayloadBytes)
    {
        lanes = new long[capacities.length][];
        for (int lane = 0; lane < capacities.length; lane++)
        {
            if (Integer.bitCount(capacities[lane]) != 1)
            {
                throw new IllegalArgumentException("lane " + lane + " capacity must be a power of two: " +
                    capacities[lane]);
            }
            lanes[lane] = new long[capacities[lane]];
        }
        head = new long[capacities.length];
        tail = new long[capacities.length];
        cursor = new long[capacities.length];
        slotLength = MESSAGE_OFFSET + AcceptedMessageDescriptor.encodedLength(maxPayloadBytes);
    }

    /**
     * @param lane a lane.
     * @return true when the lane can take another message.
     */
    boolean hasRoom(final int lane)
    {
        return tail[lane] - head[lane] < lanes[lane].length;
    }

    /**
     * Add a message at the tail of its lane; the caller checked {@link #hasRoom}.
     *
     * @param lane     its lane.
     * @param source   the message, stamped (id, level, accept time, TRT).
     * @param clientId who submitted it.
     */
    void add(final int lane, final AcceptedMessageFlyweight source, final int clientId)
    {
        final int slot = allocate();
        final UnsafeBuffer chunk = chunks.get(slot / CHUNK_SLOTS);
        final int offset = (slot % CHUNK_SLOTS) * slotLength;
        chunk.putInt(offset + CLIENT_ID_OFFSET, clientId);
        chunk.putInt(offset + LANE_OFFSET, lane);
        chunk.putInt(offset + DISPATCHED_OFFSET, 0);
        chunk.putBytes(offset + MESSAGE_OFFSET, source.buffer(), source.offset(), source.encodedLength());
        final long messageId = source.messageId();
        slotById.put(messageId, slot);
        final long[] fifo = lanes[lane];
        fifo[(int)(tail[lane]++ & (fifo.length - 1))] = messageId;
        size++;
    }

    /**
     * Remove a completed message.
     *
     * @param messageId its id.
     * @return its client id, or -1 when it was not pending.
     */
    int remove(final long messageId)
    {
        final long slot = slotById.remove(messageId);
        if (MISSING == slot)
        {
            return -1;
        }
        final UnsafeBuffer chunk = chunks.get((int)slot / CHUNK_SLOTS);
        final int offset = ((int)slot % CHUNK_SLOTS) * slotLength;
        final int clientId = chunk.getInt(offset + CLIENT_ID_OFFSET);
        final int lane = chunk.getInt(offset + LANE_OFFSET);
        release((int)slot);
        size--;
        reclaimHead(lane);
        return clientId;
    }

    /**
     * @param messageId a message id.
     * @return the pending message with that id, or null; valid until the backlog next changes.
     */
    AcceptedMessageFlyweight find(final long messageId)
    {
        final long slot = slotById.get(messageId);
        if (MISSING == slot)
        {
            return null;
        }
        final UnsafeBuffer chunk = chunks.get((int)slot / CHUNK_SLOTS);
        return message.wrap(chunk, ((int)slot % CHUNK_SLOTS) * slotLength + MESSAGE_OFFSET);
    }

    /**
     * A resend of a pending message came from another client: its completion goes there now.
     *
     * @param messageId the pending message.
     * @param clientId  the client that asked last.
     */
    void rebind(final long messageId, final int clientId)
    {
        final long slot = slotById.get(messageId);
        if (MISSING != slot)
        {
            chunks.get((int)slot / CHUNK_SLOTS).putInt(((int)slot % CHUNK_SLOTS) * slotLength + CLIENT_ID_OFFSET,
                clientId);
        }
    }

    /**
     * The leader's scheduler dispatched a pending message.
     *
     * @param messageId the message.
     * @return true when it is pending and was not marked before.
     */
    boolean markDispatched(final long messageId)
    {
        final long slot = slotById.get(messageId);
        if (MISSING == slot)
        {
            return false;
        }
        final UnsafeBuffer chunk = chunks.get((int)slot / CHUNK_SLOTS);
        final int offset = ((int)slot % CHUNK_SLOTS) * slotLength + DISPATCHED_OFFSET;
        if (0 != chunk.getInt(offset))
        {
            return false;
        }
        chunk.putInt(offset, 1);
        return true;
    }

    /** @return pending messages a leader dispatched (a new leader dispatches them again). */
    long dispatched()
    {
        long dispatched = 0;
        for (int lane = 0; lane < lanes.length; lane++)
        {
            final long[] fifo = lanes[lane];
            for (long position = head[lane]; position < tail[lane]; position++)
            {
                final long slot = slotById.get(fifo[(int)(position & (fifo.length - 1))]);
                if (MISSING != slot && 0 != chunks.get((int)slot / CHUNK_SLOTS)
                    .getInt(((int)slot % CHUNK_SLOTS) * slotLength + DISPATCHED_OFFSET))
                {
                    dispatched++;
                }
            }
        }
        return dispatched;
    }

    /**
     * The next message of a lane the leader has not yet fed to its ring, skipping completed ones.
     *
     * @param lane a lane.
     * @return the message, or null when every pending message of the lane has been fed.
     */
    AcceptedMessageFlyweight nextToFeed(final int lane)
    {
        final long[] fifo = lanes[lane];
        while (cursor[lane] < tail[lane])
        {
            final AcceptedMessageFlyweight next = find(fifo[(int)(cursor[lane] & (fifo.length - 1))]);
            if (null != next)
            {
                return next;
            }
            cursor[lane]++;
        }
        return null;
    }

    /**
     * The message {@link #nextToFeed} returned is in the ring now.
     *
     * @param lane its lane.
     */
    void fed(final int lane)
    {
        cursor[lane]++;
    }

    /** Feed every lane again from its head: a new leader's rings start empty. */
    void rewindFeed()
    {
        System.arraycopy(head, 0, cursor, 0, head.length);
    }


    /** @return pending messages, all lanes. */
    long size()
    {
        return size;
    }

    /**
     * @param lane a lane.
     * @return places taken in the lane: pending messages and completed ones not yet reclaimed.
     */
    long depth(final int lane)
    {
        return tail[lane] - head[lane];
    }

    /** @return how many lanes. */
    int lanes()
    {
        return lanes.length;
    }

    private void reclaimHead(final int lane)
    {
        final long[] fifo = lanes[lane];
        while (head[lane] < tail[lane] && !slotById.containsKey(fifo[(int)(head[lane] & (fifo.length - 1))]))
        {
            head[lane]++;
        }
        if (cursor[lane] < head[lane])
        {
            cursor[lane] = head[lane];
        }
    }

    private int allocate()
    {
        if (freeCount > 0)
        {
            return freeSlots[--freeCount];
        }
        if (slotCount == chunks.size() * CHUNK_SLOTS)
        {
            // Grows with the backlog, a chunk at a time: the only allocation, amortised over CHUNK_SLOTS messages.
            chunks.add(new UnsafeBuffer(new byte[CHUNK_SLOTS * slotLength]));
        }
        return slotCount++;
    }

    private void release(final int slot)
    {
        if (freeCount == freeSlots.length)
        {
            freeSlots = java.util.Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = slot;
    }
}
