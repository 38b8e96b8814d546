package io.otaprio.admission;

import io.otaprio.protocol.RequestId;

import java.util.Arrays;

/**
 * The RequestIDs admission remembers, so that a resent request is answered DUPLICATE instead of being queued again:
 * every pending message until its completion, then for a window after it.
 * <p>
 * Open addressing with linear probing and backward-shift deletion (no tombstones), the key's three longs, the
 * message id and the expiry time in parallel arrays sized at construction: no allocation afterwards. Completed
 * entries also join a FIFO in completion order, so expiry pops from its head instead of scanning; when the index is
 * full the oldest completed entry is forgotten early. When every entry is pending and the index is full, a new
 * message is admitted untracked ({@link #add} returns false): a resend of it would be queued again, which is counted,
 * rather than anything being refused.
 * <p>
 * Threading: the admission thread only.
 */
public final class RequestIdIndex implements ResendDetection
{
    /** Expiry of an entry whose message is still pending. */
    static final long PENDING = Long.MAX_VALUE;

    private static final long EMPTY = -1;

    private final long windowNs;
    private final int maxEntries;
    private final int mask;
    private final long[] originators;
    private final long[] targets;
    private final long[] counters;
    private final long[] messageIds;
    private final long[] expiresNs;
    private final long[] fifoOriginators;
    private final long[] fifoTargets;
    private final long[] fifoCounters;
    private final long[] fifoExpiresNs;
    private int fifoHead;
    private int fifoSize;
    private int size;
    private long evictedEarly;
    private int lastSlot = -1;

    /**
     * @param windowNs   how long a completed request is remembered after its completion; 0 forgets it at once.
     * @param maxEntries most requests remembered at once (pending plus recently completed).
     */
    public RequestIdIndex(final long windowNs, final int maxEntries)
    {
        if (windowNs < 0)
        {
            throw new IllegalArgumentException("dedup window must be >= 0, got " + windowNs + " ns");
        }
        this.windowNs = windowNs;
        this.maxEntries = maxEntries;
        final int slots = OpenAddressing.slots("dedup maxEntries", maxEntries, 1 << 28);
        mask = slots - 1;
        originators = new long[slots];
        targets = new long[slots];
        counters = new long[slots];
        messageIds = new long[slots];
        expiresNs = new long[slots];
        Arrays.fill(messageIds, EMPTY);
        fifoOriginators = new long[maxEntries];
        fifoTargets = new long[maxEntries];
        fifoCounters = new long[maxEntries];
        fifoExpiresNs = new long[maxEntries];
    }

    /**
     * {@inheritDoc} Forgets the completed requests whose window has passed first.
     */
    public long find(final RequestId requestId, final long nowNs)
    {
        final long originator = requestId.originator();
        final long target = requestId.target();
        final long counter = requestId.counter();
        expire(nowNs);
        final int slot = slotOf(originator, target, counter);
        lastSlot = slot;
        return slot < 0 ? -1 : messageIds[slot];
    }

    public boolean lastFoundPending()
    {
        return lastSlot >= 0 && expiresNs[lastSlot] == PENDING;
    }

    /**
     * {@inheritDoc} When the index is full, the oldest completed request is forgotten early to make room.
     */
    public boolean add(final RequestId requestId, final long messageId)
    {
        final long originator = requestId.originator();
        final long target = requestId.target();
        final long counter = requestId.counter();
        if (size >= maxEntries)
        {
            if (fifoSize == 0)
            {
                return false;
            }
            evictedEarly++;
            forgetOldestCompleted();
        }
        int slot = hash(originator, target, counter) & mask;
        while (messageIds[slot] != EMPTY)
        {
            if (originators[slot] == originator && targets[slot] == target && counters[slot] == counter)
            {
                // Admitted again after it was forgotten elsewhere (a window of 0): the newer admission wins.
                messageIds[slot] = messageId;
                expiresNs[slot] = PENDING;
                return true;
            }
            slot = (slot + 1) & mask;
        }
        originators[slot] = originator;
        targets[slot] = target;
        counters[slot] = counter;
        messageIds[slot] = messageId;
        expiresNs[slot] = PENDING;
        size++;
        return true;
    }

    /**
     * {@inheritDoc} With a window of 0 it is forgotten at once. A completion for a message the index does not hold
     * (untracked, or already forgotten) is ignored.
     */
    public void completed(final RequestId requestId, final long messageId, final long completedNs)
    {
        final long originator = requestId.originator();
        final long target = requestId.target();
        final long counter = requestId.counter();
        final int slot = slotOf(originator, target, counter);
        if (slot < 0 || messageIds[slot] != messageId || expiresNs[slot] != PENDING)
        {
            return;
        }
        if (0 == windowNs)
        {
            removeAt(slot);
            return;
        }
        final long expires = completedNs + windowNs;
        expiresNs[slot] = expires;
        final int tail = (fifoHead + fifoSize) % maxEntries;
        fifoOriginators[tail] = originator;
        fifoTargets[tail] = target;
        fifoCounters[tail] = counter;
        fifoExpiresNs[tail] = expires;
        fifoSize++;
    }

    public int size()
    {
        return size;
    }

    /** @return completed requests forgotten before their window ended because the index was full. */
    public long evictedEarly()
    {
        return evictedEarly;
    }

    public long windowNs()
    {
        return windowNs;
    }

    private void expire(final long nowNs)
    {
        while (fifoSize > 0 && fifoExpiresNs[fifoHead] <= nowNs)
        {
            forgetOldestCompleted();
        }
    }

    private void forgetOldestCompleted()
    {
        final int slot = slotOf(fifoOriginators[fifoHead], fifoTargets[fifoHead], fifoCounters[fifoHead]);
        // The entry may have been admitted again since (pending once more): then it stays.
        if (slot >= 0 && expiresNs[slot] == fifoExpiresNs[fifoHead])
        {
            removeAt(slot);
        }
        fifoHead = (fifoHead + 1) % maxEntries;
        fifoSize--;
    }

    private int slotOf(final long originator, final long target, final long counter)
    {
        int slot = hash(originator, target, counter) & mask;
        while (messageIds[slot] != EMPTY)
        {
            if (originators[slot] == originator && targets[slot] == target && counters[slot] == counter)
            {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private void removeAt(final int removed)
    {
        // Backward shift: move later entries of the probe run into the hole unless that would put one before its
        // home slot, so lookups never need tombstones.
        int hole = removed;
        int next = (hole + 1) & mask;
        while (messageIds[next] != EMPTY)
        {
            final int home = hash(originators[next], targets[next], counters[next]) & mask;
            final boolean movable = ((next - home) & mask) >= ((next - hole) & mask);
            if (movable)
            {
                originators[hole] = originators[next];
                targets[hole] = targets[next];
                counters[hole] = counters[next];
                messageIds[hole] = messageIds[next];
                expiresNs[hole] = expiresNs[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        messageIds[hole] = EMPTY;
        size--;
        lastSlot = -1;
    }

    private static int hash(final long originator, final long target, final long counter)
    {
        long h = originator * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ target) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ counter) * 0x1656_67B1_9E37_79F9L;
        return (int)(h ^ (h >>> 32));
    }
}
