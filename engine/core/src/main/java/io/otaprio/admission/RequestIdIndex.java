package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.CommandVariant;

import java.util.Arrays;

/**
 * The messages admission remembers, so that a resend is answered DUPLICATE instead of being queued again: every
 * pending message until its completion, then for a window after it. The key is the kind and the full RequestID.
 * <p>
 * Open addressing with linear probing and backward-shift deletion (no tombstones): the key (kind, originator, target,
 * counter), the message id, the expiry time, the accept time and the level in parallel arrays sized at construction:
 * no allocation afterwards. Completed entries also join a FIFO in completion order, so expiry pops from its head
 * instead of scanning; when the index is full the oldest completed entry is forgotten early. When every entry is
 * pending and the index is full, a new message is admitted untracked ({@link #add} returns false): a resend of it
 * would be queued again, which is counted, rather than anything being refused.
 * <p>
 * Threading: the admission thread only.
 */
public final class RequestIdIndex implements ResendDetection
{
    /** Expiry of an entry whose message is still pending. */
    static final long PENDING = Long.MAX_VALUE;

    private static final long EMPTY = -1;
    private static final int KIND_MASK = 0xFF;
    private static final int LEVEL_SHIFT = 8;
    private static final int FIRST_STEP = 1 << 16;

    private final long windowNs;
    private final int maxEntries;
    private final int fifoCapacity;
    private final int mask;
    private final int[] kinds;
    private final long[] originators;
    private final long[] targets;
    private final long[] counters;
    private final long[] messageIds;
    private final long[] expiresNs;
    private final long[] acceptTimesNs;
    private final int[] attributes;
    private final int[] fifoKinds;
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
     * @param windowNs   how long a completed message is remembered after its completion; 0 forgets it at once.
     * @param maxEntries most messages remembered at once (pending plus recently completed).
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
        kinds = new int[slots];
        originators = new long[slots];
        targets = new long[slots];
        counters = new long[slots];
        messageIds = new long[slots];
        expiresNs = new long[slots];
        acceptTimesNs = new long[slots];
        attributes = new int[slots];
        Arrays.fill(messageIds, EMPTY);
        // A key completes at most twice while remembered (a first step, then the second step that replaced it), so
        // the FIFO of completions, stale ones included, never holds more than two per entry.
        fifoCapacity = 2 * maxEntries;
        fifoKinds = new int[fifoCapacity];
        fifoOriginators = new long[fifoCapacity];
        fifoTargets = new long[fifoCapacity];
        fifoCounters = new long[fifoCapacity];
        fifoExpiresNs = new long[fifoCapacity];
    }

    /**
     * {@inheritDoc} Forgets the completed messages whose window has passed first.
     */
    public long find(final AcceptedMessageFlyweight submission, final long nowNs)
    {
        expire(nowNs);
        final int slot = slotOf(submission.kind(), submission.originator(), submission.target(), submission.counter());
        lastSlot = slot;
        return slot < 0 ? -1 : messageIds[slot];
    }

    public boolean lastFoundPending()
    {
        return lastSlot >= 0 && expiresNs[lastSlot] == PENDING;
    }

    public boolean lastFoundFirstStep()
    {
        return lastSlot >= 0 && 0 != (attributes[lastSlot] & FIRST_STEP);
    }

    public int lastFoundLevel()
    {
        return lastSlot >= 0 ? (attributes[lastSlot] >>> LEVEL_SHIFT) & 0xFF : 0;
    }

    public long lastFoundAcceptTimeNs()
    {
        return lastSlot >= 0 ? acceptTimesNs[lastSlot] : 0;
    }

    /**
     * {@inheritDoc} When the index is full, the oldest completed message is forgotten early to make room.
     */
    public boolean add(final AcceptedMessageFlyweight message)
    {
        final int kind = message.kind() & KIND_MASK;
        final long originator = message.originator();
        final long target = message.target();
        final long counter = message.counter();
        int slot = slotOf(kind, originator, target, counter);
        if (slot < 0)
        {
            // A FIFO entry may be stale (its key admitted again since), so forgetting one may free nothing.
            while (size >= maxEntries)
            {
                if (fifoSize == 0)
                {
                    return false;
                }
                evictedEarly++;
                forgetOldestCompleted();
            }
            slot = hash(kind, originator, target, counter) & mask;
            while (messageIds[slot] != EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            kinds[slot] = kind;
            originators[slot] = originator;
            targets[slot] = target;
            counters[slot] = counter;
            size++;
        }
        // An existing entry is a first step its second replaces, or one forgotten elsewhere (a window of 0): the
        // newer admission wins, pending again.
        messageIds[slot] = message.messageId();
        expiresNs[slot] = PENDING;
        acceptTimesNs[slot] = message.acceptTimeNs();
        attributes[slot] = kind | (message.level() << LEVEL_SHIFT) |
            (CommandVariant.isFirstStep(message.commandVariant()) ? FIRST_STEP : 0);
        return true;
    }

    /**
     * {@inheritDoc} With a window of 0 it is forgotten at once. A completion for a message the index does not hold
     * (untracked, already forgotten, or a first step its second has replaced) is ignored.
     */
    public void completed(final AcceptedMessageFlyweight message, final long completedNs)
    {
        final int kind = message.kind() & KIND_MASK;
        final long originator = message.originator();
        final long target = message.target();
        final long counter = message.counter();
        final int slot = slotOf(kind, originator, target, counter);
        if (slot < 0 || messageIds[slot] != message.messageId() || expiresNs[slot] != PENDING)
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
        final int tail = (fifoHead + fifoSize) % fifoCapacity;
        fifoKinds[tail] = kind;
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

    /** @return completed messages forgotten before their window ended because the index was full. */
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
        final int slot = slotOf(
            fifoKinds[fifoHead], fifoOriginators[fifoHead], fifoTargets[fifoHead], fifoCounters[fifoHead]);
        // The entry may have been admitted again since (pending once more): then it stays.
        if (slot >= 0 && expiresNs[slot] == fifoExpiresNs[fifoHead])
        {
            removeAt(slot);
        }
        fifoHead = (fifoHead + 1) % fifoCapacity;
        fifoSize--;
    }

    private int slotOf(final int kind, final long originator, final long target, final long counter)
    {
        int slot = hash(kind, originator, target, counter) & mask;
        while (messageIds[slot] != EMPTY)
        {
            if (counters[slot] == counter && originators[slot] == originator && targets[slot] == target &&
                kinds[slot] == kind)
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
            final int home = hash(kinds[next], originators[next], targets[next], counters[next]) & mask;
            final boolean movable = ((next - home) & mask) >= ((next - hole) & mask);
            if (movable)
            {
                kinds[hole] = kinds[next];
                originators[hole] = originators[next];
                targets[hole] = targets[next];
                counters[hole] = counters[next];
                messageIds[hole] = messageIds[next];
                expiresNs[hole] = expiresNs[next];
                acceptTimesNs[hole] = acceptTimesNs[next];
                attributes[hole] = attributes[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        messageIds[hole] = EMPTY;
        size--;
        lastSlot = -1;
    }

    private static int hash(final int kind, final long originator, final long target, final long counter)
    {
        long h = (originator + kind) * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ target) * 0xC2B2_AE3D_27D4_EB4FL;
        h = (h ^ counter) * 0x1656_67B1_9E37_79F9L;
        return (int)(h ^ (h >>> 32));
    }
}
