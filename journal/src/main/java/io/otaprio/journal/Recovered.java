package io.otaprio.journal;

import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

/**
 * What {@link JournalRecovery} found: the pending backlog per level, in accept order, and the counts behind it.
 * <p>
 * Counts cover the accepted messages scanned: from the latest checkpoint's accepted index when it has one, else
 * every retained accepted message. A scanned message is complete when its id is below the checkpoint watermark
 * or the outcomes queue holds a COMPLETED record for it; otherwise it is pending.
 * <p>
 * Threading: built by one thread, then read-only; the lists and sets it returns are live views, not copies: do not
 * modify them.
 */
public final class Recovered
{
    /** Priority levels, 1..LEVELS. */
    public static final int LEVELS = 4;

    private final LongArrayList[] pendingIndices = new LongArrayList[LEVELS + 1];
    private final LongHashSet completedIds = new LongHashSet();
    private final OutcomeCycles outcomeCycles = new OutcomeCycles();

    // Filled in by JournalRecovery as it scans, in the one thread that builds this finding.
    long nextMessageId;
    long acceptedCount;
    long completedCount;
    long redispatched;
    long checkpointWatermark = -1;
    long checkpointAcceptedIndex = -1;
    long lowestPendingId;
    long acceptedBytesScanned;
    long outcomeBytesScanned;

    /**
     * An empty finding: nothing accepted, nothing pending, no checkpoint; {@link JournalRecovery} fills it in.
     */
    Recovered()
    {
        for (int level = 1; level <= LEVELS; level++)
        {
            pendingIndices[level] = new LongArrayList();
        }
    }

    /**
     * What recovery finds where there is no journal: nothing accepted, nothing pending.
     *
     * @return an empty finding.
     */
    public static Recovered none()
    {
        return new Recovered();
    }

    /** @return the id the engine should give its next message: above every id in the journal (0 when empty). */
    public long nextMessageId()
    {
        return nextMessageId;
    }

    /** @return accepted messages scanned. */
    public long acceptedCount()
    {
        return acceptedCount;
    }

    /** @return scanned messages that are complete. */
    public long completedCount()
    {
        return completedCount;
    }

    /** @return scanned messages still pending: {@code acceptedCount() - completedCount()}. */
    public long pendingCount()
    {
        return acceptedCount - completedCount;
    }

    /**
     * @return pending messages with a DISPATCHED record and no COMPLETED one: they were (or may have been) handed
     * to the dispatcher before the stop and will be dispatched again (at-least-once).
     */
    public long redispatched()
    {
        return redispatched;
    }

    /** @return the latest checkpoint's watermark (every id below it is complete), or -1 when there is none. */
    public long checkpointWatermark()
    {
        return checkpointWatermark;
    }

    /** @return the highest id each cycle of the outcomes queue references, as the scan found them. */
    OutcomeCycles outcomeCycles()
    {
        return outcomeCycles;
    }

    /** @return the latest checkpoint's accepted index, or -1 when unknown or there is no checkpoint. */
    public long checkpointAcceptedIndex()
    {
        return checkpointAcceptedIndex;
    }

    /**
     * @return bytes of the accepted queue recovery read: from the checkpoint's accepted index when it has one, else
     * every retained byte (each document and its 4-byte header).
     */
    public long acceptedBytesScanned()
    {
        return acceptedBytesScanned;
    }

    /** @return bytes of the outcomes queue recovery read: all of it (each document and its 4-byte header). */
    public long outcomeBytesScanned()
    {
        return outcomeBytesScanned;
    }

    /** @return the lowest pending message id, or {@link #nextMessageId()} when nothing is pending. */
    public long lowestPendingId()
    {
        return lowestPendingId;
    }

    /**
     * @param level 1..4.
     * @return accepted-queue indices of the level's pending messages, in accept order.
     */
    public LongArrayList pendingIndices(final int level)
    {
        checkLevel(level);
        return pendingIndices[level];
    }

    /**
     * @param level 1..4.
     * @return pending messages at that level.
     */
    public long pendingCount(final int level)
    {
        checkLevel(level);
        return pendingIndices[level].size();
    }

    /**
     * @param messageId a message id.
     * @return true when the outcomes queue holds a COMPLETED record for it or it is below the checkpoint watermark.
     */
    public boolean isCompleted(final long messageId)
    {
        return messageId < checkpointWatermark || completedIds.contains(messageId);
    }

    /**
     * For the scheduler's watermark: the ids at or above {@code watermark} that are already complete.
     *
     * @param watermark every id below it is complete.
     * @return a new set of the completed ids at or above it.
     */
    public LongHashSet completedIdsAtOrAbove(final long watermark)
    {
        final LongHashSet result = new LongHashSet();
        final LongHashSet.LongIterator iterator = completedIds.iterator();
        while (iterator.hasNext())
        {
            final long id = iterator.nextValue();
            if (id >= watermark)
            {
                result.add(id);
            }
        }
        return result;
    }

    public String toString()
    {
        return "Recovered{nextMessageId=" + nextMessageId + ", accepted=" + acceptedCount + ", completed=" +
            completedCount + ", pending=" + pendingCount() + " (" + pendingCount(1) + "/" + pendingCount(2) + "/" +
            pendingCount(3) + "/" + pendingCount(4) + "), redispatched=" + redispatched + ", checkpoint=" +
            checkpointWatermark + '}';
    }

    /**
     * Note a pending message, in accept order.
     *
     * @param level its level, 1..4.
     * @param index its accepted-queue index.
     */
    void addPending(final int level, final long index)
    {
        pendingIndices[level].addLong(index);
    }

    /**
     * Note a message that the outcomes queue holds a COMPLETED record for.
     *
     * @param messageId the message.
     */
    void addCompleted(final long messageId)
    {
        completedIds.add(messageId);
    }

    private static void checkLevel(final int level)
    {
        if (level < 1 || level > LEVELS)
        {
            throw new IllegalArgumentException("level must be 1.." + LEVELS + ", got " + level);
        }
    }
}
