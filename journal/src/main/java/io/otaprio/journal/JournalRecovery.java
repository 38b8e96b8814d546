package io.otaprio.journal;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;

/**
 * Reads a journal at start-up and works out the backlog: pending = accepted - completed.
 * <ol>
 *     <li>Scan the whole outcomes queue (small: 32 bytes per record): the ids with a COMPLETED record, the ids
 *     with a DISPATCHED record, and the latest CHECKPOINT.</li>
 *     <li>Scan the accepted queue from the checkpoint's accepted index (or from the start of the retained data when
 *     there is no checkpoint, its index is -1, or that index is gone): a message below the watermark or with a
 *     COMPLETED record is complete; any other is pending, listed under its level in accept order, and counted as
 *     re-dispatched when it has a DISPATCHED record.</li>
 * </ol>
 * Memory: two {@link LongHashSet}s of the ids in the retained outcomes (about 16 to 24 bytes per id each) and 8
 * bytes per pending message. Message ids continue above the highest id seen in either queue and the watermark.
 * <p>
 * Never writes: the queues are opened read-only and nothing is created, changed or deleted.
 * <p>
 * Threading: stateless; each call opens and closes its own read-only queues.
 */
public final class JournalRecovery
{
    private JournalRecovery()
    {
    }

    /**
     * @param config of the journal.
     * @return what was found; an empty result when the journal does not exist yet.
     * @throws JournalException when the directory is unreadable or holds an incompatible layout version, or a
     *                          message has a level outside 1..4.
     */
    public static Recovered recover(final JournalConfig config)
    {
        return recover(config, Long.MAX_VALUE, null);
    }

    /**
     * The RequestIDs a resend check must know after a restart, met during recovery's scans.
     */
    @FunctionalInterface
    public interface RequestVisitor
    {
        /**
         * @param originator  RequestID originator.
         * @param target      RequestID target.
         * @param counter     RequestID counter.
         * @param messageId   the message it was admitted as.
         * @param completedNs epoch time of its completion, or -1 when it is pending.
         */
        void onRequest(long originator, long target, long counter, long messageId, long completedNs);
    }

    /**
     * Recover, and also tell a visitor of every pending message and every message completed at or after a time, in
     * accept order, with its RequestID: what resend detection needs to rebuild its index.
     *
     * @param config                 of the journal.
     * @param completedSinceNs       completions at or after this epoch time are reported; Long.MAX_VALUE for none.
     * @param visitor                told of each, or null.
     * @return what was found.
     * @throws JournalException as {@link #recover(JournalConfig)}.
     */
    public static Recovered recover(
        final JournalConfig config, final long completedSinceNs, final RequestVisitor visitor)
    {
        final LongArrayList[] pending = new LongArrayList[Recovered.LEVELS + 1];
        for (int level = 1; level <= Recovered.LEVELS; level++)
        {
            pending[level] = new LongArrayList();
        }
        final LongHashSet completed = new LongHashSet();
        if (!JournalDirectory.checkForReading(config))
        {
            return new Recovered(0, 0, 0, 0, -1, -1, 0, pending, completed);
        }

        final LongHashSet dispatched = new LongHashSet();
        final Long2LongHashMap recentCompletions = new Long2LongHashMap(-1);
        final long[] checkpoint = { -1, -1, -1 };   // watermark, accepted index, highest id referenced
        OutcomeScan.scan(config, (index, type, outcome, messageId, dispatchedNs, completedNs) ->
        {
            switch (type)
            {
                case OutcomeRecordDescriptor.TYPE_DISPATCHED:
                    if (messageId >= checkpoint[0])
                    {
                        dispatched.add(messageId);
                    }
                    checkpoint[2] = Math.max(checkpoint[2], messageId);
                    break;
                case OutcomeRecordDescriptor.TYPE_COMPLETED:
                    if (messageId >= checkpoint[0])
                    {
                        completed.add(messageId);
                    }
                    if (null != visitor && completedNs >= completedSinceNs)
                    {
                        recentCompletions.put(messageId, completedNs);
                    }
                    checkpoint[2] = Math.max(checkpoint[2], messageId);
                    break;
                case OutcomeRecordDescriptor.TYPE_CHECKPOINT:
                    // The latest checkpoint wins; watermarks only rise, so ids skipped above are below it too.
                    checkpoint[0] = messageId;
                    checkpoint[1] = dispatchedNs;
                    break;
                default:
                    break;   // an unknown record type of this layout version carries nothing recovery needs
            }
        });

        final long watermark = checkpoint[0];
        final long[] counts = { 0, 0, 0, -1, Long.MAX_VALUE };   // accepted, completed, redispatched, max id, lowest
        AcceptedScan.scan(config, checkpoint[1], (index, message) ->
        {
            final long id = message.messageId();
            counts[0]++;
            counts[3] = Math.max(counts[3], id);
            if (id < watermark || completed.contains(id))
            {
                counts[1]++;
                if (null != visitor)
                {
                    final long completedNs = recentCompletions.get(id);
                    if (completedNs >= 0)
                    {
                        visitor.onRequest(message.originator(), message.target(), message.counter(), id,
                            completedNs);
                    }
                }
                return;
            }
            final int level = message.level();
            if (level < 1 || level > Recovered.LEVELS)
            {
                throw new JournalException("journal queue " + config.acceptedDirectory() + ": message " + id +
                    " at index " + Long.toHexString(index) + " has level " + level + ", expected 1.." +
                    Recovered.LEVELS);
            }
            pending[level].addLong(index);
            if (null != visitor)
            {
                visitor.onRequest(message.originator(), message.target(), message.counter(), id, -1);
            }
            counts[4] = Math.min(counts[4], id);
            if (dispatched.contains(id))
            {
                counts[2]++;
            }
        });

        final long nextMessageId = Math.max(Math.max(counts[3], checkpoint[2]) + 1, Math.max(watermark, 0));
        final long lowestPending = counts[4] == Long.MAX_VALUE ? nextMessageId : counts[4];
        return new Recovered(nextMessageId, counts[0], counts[1], counts[2], watermark, checkpoint[1],
            lowestPending, pending, completed);
    }
}
