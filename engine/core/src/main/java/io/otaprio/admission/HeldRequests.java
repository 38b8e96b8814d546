package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.HeldLog;
import io.otaprio.journal.HeldRequest;
import io.otaprio.policy.PriorityPolicy;

import java.util.Arrays;

/**
 * The timer lane of future-dated requests: what admission holds until it falls due, one binary min-heap per level
 * ordered by (due time, held id), so that each duty cycle looks at level 1's earliest first and a full lane holds back
 * only its own level. Only ids, due times, keys and the store's index are in memory, in parallel primitive arrays; the
 * request's bytes stay in the {@link HeldLog} and are read back by index when due.
 * <pre>
 *   entry e: heldId[e] dueNs[e] index[e] level[e] originator[e] target[e] code[e] position[e] (in its level's heap)
 *   heap[level]: entries, heap[level][0] the earliest due; free entries chained through position[]
 * </pre>
 * Allocation-free once sized: the arrays start at a capacity and double when full (a hold beyond it allocates once).
 * Cancellation scans every entry (rare: a DCC cancellation SRV), and retention scans every entry once per roll cycle.
 * <p>
 * Threading: the admission thread; {@link #size()} may be read from any thread (possibly stale).
 */
public final class HeldRequests
{
    private static final int INITIAL_CAPACITY = 1024;

    private final HeldLog log;
    private final int copyForwardAfterParts;
    private long[] heldIds;
    private long[] dueNs;
    private long[] indices;
    private long[] originators;
    private long[] targets;
    private int[] codes;
    private int[] levels;
    private int[] positions;
    private final int[][] heaps = new int[PriorityPolicy.LEVELS + 1][];
    private final int[] heapSizes = new int[PriorityPolicy.LEVELS + 1];
    private int capacity;
    private int freeHead = -1;
    private int used;
    private volatile int size;
    private int retainedPart = Integer.MIN_VALUE;

    /**
     * @param log                   where the requests' bytes are kept.
     * @param copyForwardAfterParts a live request kept in a part of the store more than this many parts older than
     *                              the current one is copied forward, so retention can drop old parts.
     */
    public HeldRequests(final HeldLog log, final int copyForwardAfterParts)
    {
        this.log = log;
        this.copyForwardAfterParts = copyForwardAfterParts;
        grow(INITIAL_CAPACITY);
    }

    /**
     * Hold a decided, stamped request: keep its bytes in the store, arm its timer.
     *
     * @param heldId  the id it is answered with.
     * @param due     when it falls due, epoch nanos.
     * @param message the request, stamped with the held id and its level.
     * @return true when held; false when the store could not keep it.
     */
    public boolean hold(final long heldId, final long due, final AcceptedMessageFlyweight message)
    {
        final long index = log.held(heldId, due, message.level(), message.buffer(), message.offset(),
            message.encodedLength());
        if (index < 0)
        {
            return false;
        }
        arm(heldId, due, message.level(), index, message.originator(), message.target(), message.code());
        return true;
    }

    /**
     * Arm a request recovery found live in the store: nothing is written.
     *
     * @param request as recovery found it.
     */
    public void restore(final HeldRequest request)
    {
        final AcceptedMessageFlyweight header = new AcceptedMessageFlyweight().wrap(request.header(), 0);
        arm(request.heldId(), request.dueNs(), request.level(), request.index(), header.originator(), header.target(),
            header.code());
    }

    /**
     * @param level 1..4.
     * @param nowNs now, epoch nanos.
     * @return the entry of the level's earliest request when it is due by {@code nowNs}, else -1.
     */
    public int due(final int level, final long nowNs)
    {
        if (0 == heapSizes[level])
        {
            return -1;
        }
        final int entry = heaps[level][0];
        return dueNs[entry] <= nowNs ? entry : -1;
    }

    /**
     * @param entry an entry {@link #due} returned.
     * @return the request read back from the store (valid until the next read), or null when it cannot be read.
     */
    public AcceptedMessageFlyweight read(final int entry)
    {
        return log.read(indices[entry]);
    }

    /**
     * @param entry an entry.
     * @return its held id.
     */
    public long heldId(final int entry)
    {
        return heldIds[entry];
    }

    /**
     * @param entry an entry.
     * @return when it falls due, epoch nanos.
     */
    public long dueNs(final int entry)
    {
        return dueNs[entry];
    }

    /**
     * The request was queued as a new message: record it in the store and disarm it.
     *
     * @param entry     the entry.
     * @param messageId the id it was queued as.
     * @return false when the store could not record it (the request is released again after a restart).
     */
    public boolean released(final int entry, final long messageId)
    {
        final boolean recorded = log.released(heldIds[entry], messageId);
        remove(entry);
        return recorded;
    }

    /**
     * Disarm an entry whose request cannot be read back, without recording anything.
     *
     * @param entry the entry.
     */
    public void drop(final int entry)
    {
        remove(entry);
    }

    /**
     * Find every held request of one originator to one device with one SRV, for a cancellation.
     *
     * @param originator the RequestID originator.
     * @param target     the RequestID target device.
     * @param code       the packed SRV.
     * @param from       the entry to start from (0 for the first call).
     * @return the next matching entry at or after {@code from}, or -1.
     */
    public int nextMatching(final long originator, final long target, final int code, final int from)
    {
        for (int e = Math.max(0, from); e < used; e++)
        {
            if (positions[e] >= 0 && levels[e] > 0 && originators[e] == originator && targets[e] == target &&
                codes[e] == code)
            {
                return e;
            }
        }
        return -1;
    }

    /**
     * The request was cancelled: record it in the store and disarm it.
     *
     * @param entry the entry.
     * @return false when the store could not record it (the request is held again after a restart).
     */
    public boolean cancelled(final int entry)
    {
        final boolean recorded = log.cancelled(heldIds[entry]);
        remove(entry);
        return recorded;
    }

    /**
     * Once the store has moved on to a new part (roll cycle): copy live requests kept in parts older than the limit
     * forward, then drop every part older than the oldest live request's. Cheap when the part has not changed.
     *
     * @return parts dropped.
     */
    public int retain()
    {
        final int current = log.currentPart();
        if (current == retainedPart)
        {
            return 0;
        }
        retainedPart = current;
        int oldest = current;
        for (int e = 0; e < used; e++)
        {
            if (positions[e] < 0 || 0 == levels[e])
            {
                continue;
            }
            int part = log.partOf(indices[e]);
            if (current - part > copyForwardAfterParts)
            {
                final long copied = log.copyForward(indices[e]);
                if (copied >= 0)
                {
                    indices[e] = copied;
                    part = log.partOf(copied);
                }
            }
            oldest = Math.min(oldest, part);
        }
        return log.dropPartsBefore(oldest);
    }

    /** @return requests held now. Any thread. */
    public int size()
    {
        return size;
    }

    /** @return true when nothing is held. */
    public boolean isEmpty()
    {
        return 0 == size;
    }

    private void arm(
        final long heldId, final long due, final int level, final long index, final long originator,
        final long target, final int code)
    {
        if (level < 1 || level > PriorityPolicy.LEVELS)
        {
            throw new IllegalArgumentException("held request " + heldId + ": level must be 1.." +
                PriorityPolicy.LEVELS + ", got " + level);
        }
        final int entry = allocate();
        heldIds[entry] = heldId;
        dueNs[entry] = due;
        indices[entry] = index;
        levels[entry] = level;
        originators[entry] = originator;
        targets[entry] = target;
        codes[entry] = code;
        final int[] heap = heaps[level];
        final int at = heapSizes[level]++;
        heap[at] = entry;
        positions[entry] = at;
        siftUp(heap, at);
        size++;
    }

    private int allocate()
    {
        if (freeHead >= 0)
        {
            final int entry = freeHead;
            freeHead = -2 - positions[entry];
            return entry;
        }
        if (used == capacity)
        {
            grow(capacity * 2);
        }
        return used++;
    }

    private void remove(final int entry)
    {
        final int level = levels[entry];
        final int[] heap = heaps[level];
        final int at = positions[entry];
        final int last = --heapSizes[level];
        if (at != last)
        {
            heap[at] = heap[last];
            positions[heap[at]] = at;
            siftDown(heap, heapSizes[level], at);
            siftUp(heap, at);
        }
        levels[entry] = 0;
        // Free entries chain through their position, encoded below -1 so a free entry is never taken for a live one.
        positions[entry] = -2 - freeHead;
        freeHead = entry;
        size--;
    }

    private boolean before(final int a, final int b)
    {
        return dueNs[a] < dueNs[b] || (dueNs[a] == dueNs[b] && heldIds[a] < heldIds[b]);
    }

    private void siftUp(final int[] heap, final int from)
    {
        int at = from;
        final int entry = heap[at];
        while (at > 0)
        {
            final int parent = (at - 1) >>> 1;
            if (!before(entry, heap[parent]))
            {
                break;
            }
            heap[at] = heap[parent];
            positions[heap[at]] = at;
            at = parent;
        }
        heap[at] = entry;
        positions[entry] = at;
    }

    private void siftDown(final int[] heap, final int heapSize, final int from)
    {
        int at = from;
        final int entry = heap[at];
        while (true)
        {
            final int left = 2 * at + 1;
            if (left >= heapSize)
            {
                break;
            }
            final int right = left + 1;
            final int child = right < heapSize && before(heap[right], heap[left]) ? right : left;
            if (!before(heap[child], entry))
            {
                break;
            }
            heap[at] = heap[child];
            positions[heap[at]] = at;
            at = child;
        }
        heap[at] = entry;
        positions[entry] = at;
    }

    private void grow(final int newCapacity)
    {
        heldIds = null == heldIds ? new long[newCapacity] : Arrays.copyOf(heldIds, newCapacity);
        dueNs = null == dueNs ? new long[newCapacity] : Arrays.copyOf(dueNs, newCapacity);
        indices = null == indices ? new long[newCapacity] : Arrays.copyOf(indices, newCapacity);
        originators = null == originators ? new long[newCapacity] : Arrays.copyOf(originators, newCapacity);
        targets = null == targets ? new long[newCapacity] : Arrays.copyOf(targets, newCapacity);
        codes = null == codes ? new int[newCapacity] : Arrays.copyOf(codes, newCapacity);
        levels = null == levels ? new int[newCapacity] : Arrays.copyOf(levels, newCapacity);
        positions = null == positions ? new int[newCapacity] : Arrays.copyOf(positions, newCapacity);
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            heaps[level] = null == heaps[level] ? new int[newCapacity] : Arrays.copyOf(heaps[level], newCapacity);
        }
        capacity = newCapacity;
    }
}
