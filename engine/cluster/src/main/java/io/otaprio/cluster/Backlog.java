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
 * Message bytes live in slots of two slabs that grow in chunks as the backlog does (never sized for the worst case up
 * front), found by message id through an Agrona primitive map; freed slots are reused. A message whose payload fits
 * {@link #SMALL_PAYLOAD_BYTES} takes a small slot (chunks of 1024), a larger one a slot of the largest message (chunks
 * of 16), so 64 KiB payloads do not make every slot 64 KiB. Nothing iterates a map, so every node walks the backlog in
 * the same order.
 * <p>
 * Threading: the service thread only.
 */
public final class Backlog
{
    /** Payloads up to this many bytes take a small slot; larger ones a large slot. */
    static final int SMALL_PAYLOAD_BYTES = 512;

    private static final int SMALL_CHUNK_SLOTS = 1024;
    private static final int LARGE_CHUNK_SLOTS = 16;
    private static final long LARGE = 1L << 32;
    private static final int CLIENT_ID_OFFSET = 0;
    private static final int LANE_OFFSET = 4;
    private static final int DISPATCHED_OFFSET = 8;
    private static final int MESSAGE_OFFSET = 16;
    private static final long MISSING = -1;

    private final long[][] lanes;
    private final long[] head;
    private final long[] tail;
    private final long[] cursor;
    private final Slab small;
    private final Slab large;
    private final Long2LongHashMap slotById = new Long2LongHashMap(MISSING);
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
        final int smallPayloadBytes = Math.min(SMALL_PAYLOAD_BYTES, maxPayloadBytes);
        small = new Slab(
            MESSAGE_OFFSET + AcceptedMessageDescriptor.encodedLength(smallPayloadBytes), SMALL_CHUNK_SLOTS);
        large = maxPayloadBytes > smallPayloadBytes ? new Slab(
            MESSAGE_OFFSET + AcceptedMessageDescriptor.encodedLength(maxPayloadBytes), LARGE_CHUNK_SLOTS) : null;
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
        final long slot = source.payloadLength() > SMALL_PAYLOAD_BYTES ? large.allocate() | LARGE : small.allocate();
        final UnsafeBuffer chunk = chunk(slot);
        final int offset = offset(slot);
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
        final UnsafeBuffer chunk = chunk(slot);
        final int offset = offset(slot);
        final int clientId = chunk.getInt(offset + CLIENT_ID_OFFSET);
        final int lane = chunk.getInt(offset + LANE_OFFSET);
        slab(slot).release((int)slot);
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
        return message.wrap(chunk(slot), offset(slot) + MESSAGE_OFFSET);
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
            chunk(slot).putInt(offset(slot) + CLIENT_ID_OFFSET, clientId);
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
        final UnsafeBuffer chunk = chunk(slot);
        final int offset = offset(slot) + DISPATCHED_OFFSET;
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
                if (MISSING != slot && 0 != chunk(slot).getInt(offset(slot) + DISPATCHED_OFFSET))
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

    private Slab slab(final long slot)
    {
        return 0 != (slot & LARGE) ? large : small;
    }

    private UnsafeBuffer chunk(final long slot)
    {
        return slab(slot).chunk((int)slot);
    }

    private int offset(final long slot)
    {
        return slab(slot).offset((int)slot);
    }

    /** Slots of one length in chunks allocated as the backlog grows; freed slots are reused. */
    private static final class Slab
    {
        private final int slotLength;
        private final int chunkSlots;
        private final List<UnsafeBuffer> chunks = new ArrayList<>();
        private int[] freeSlots;
        private int freeCount;
        private int slotCount;

        Slab(final int slotLength, final int chunkSlots)
        {
            this.slotLength = slotLength;
            this.chunkSlots = chunkSlots;
            this.freeSlots = new int[chunkSlots];
        }

        UnsafeBuffer chunk(final int slot)
        {
            return chunks.get(slot / chunkSlots);
        }

        int offset(final int slot)
        {
            return (slot % chunkSlots) * slotLength;
        }

        int allocate()
        {
            if (freeCount > 0)
            {
                return freeSlots[--freeCount];
            }
            if (slotCount == chunks.size() * chunkSlots)
            {
                // Grows with the backlog, a chunk at a time: the only allocation, amortised over a chunk's messages.
                chunks.add(new UnsafeBuffer(new byte[chunkSlots * slotLength]));
            }
            return slotCount++;
        }

        void release(final int slot)
        {
            if (freeCount == freeSlots.length)
            {
                freeSlots = java.util.Arrays.copyOf(freeSlots, freeSlots.length * 2);
            }
            freeSlots[freeCount++] = slot;
        }
    }
}
