package io.otaprio.journal;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;

import java.nio.file.Path;

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
 * With resend detection's visitor, the completions within its window that lie before the checkpoint's index are
 * then read back from there, newest first, until each is found: about a window's worth of messages.
 * <p>
 * Memory: two {@link LongHashSet}s of the ids in the retained outcomes (about 16 to 24 bytes per id each) and 8
 * bytes per pending message. Message ids continue above the highest id seen in either queue and the watermark.
 * <p>
 * Never writes: the queues are opened read-only and nothing is created, changed or deleted.
 * <p>
 * Threading: each call works alone: it opens and closes its own read-only queues and keeps its own scan state.
 */
public final class JournalRecovery
{
    private final Path acceptedDirectory;
    private final long completedSinceNs;
    private final RequestVisitor visitor;
    private final Recovered found = new Recovered();
    private final LongHashSet dispatched = new LongHashSet();
    private final Long2LongHashMap recentCompletions = new Long2LongHashMap(-1);
    private long highestOutcomeId = -1;
    private long highestAcceptedId = -1;
    private long lowestPendingId = Long.MAX_VALUE;
    private long lowestScannedId = Long.MAX_VALUE;

    private JournalRecovery(final JournalConfig config, final long completedSinceNs, final RequestVisitor visitor)
    {
        this.acceptedDirectory = config.acceptedDirectory();
        this.completedSinceNs = completedSinceNs;
        this.visitor = visitor;
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
         * @param message     the accepted message, valid during the call only.
         * @param completedNs epoch time of its completion, or -1 when it is pending.
         */
        void onRequest(AcceptedMessageFlyweight message, long completedNs);
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
        if (!JournalDirectory.checkForReading(config))
        {
            return Recovered.none();
        }
        final JournalRecovery recovery = new JournalRecovery(config, completedSinceNs, visitor);
        final DocumentCopy outcomes = new DocumentCopy(OutcomeRecordDescriptor.documentLength(256));
        OutcomeScan.scan(config, outcomes, recovery::onOutcome, recovery.found.outcomeCycles());
        final DocumentCopy accepted = new DocumentCopy(4096);
        AcceptedScan.scan(config, recovery.found.checkpointAcceptedIndex, accepted, recovery::onAccepted);
        recovery.visitEarlierCompletions(config, accepted);
        recovery.found.outcomeBytesScanned = outcomes.bytesRead();
        recovery.found.acceptedBytesScanned = accepted.bytesRead();
        return recovery.conclude();
    }

    private void onOutcome(
        final long index, final int type, final int outcome, final long messageId, final long dispatchedNs,
        final long completedNs)
    {
        switch (type)
        {
            case OutcomeRecordDescriptor.TYPE_DISPATCHED:
                if (messageId >= found.checkpointWatermark)
                {
                    dispatched.add(messageId);
                }
                highestOutcomeId = Math.max(highestOutcomeId, messageId);
                break;
            case OutcomeRecordDescriptor.TYPE_COMPLETED:
                if (messageId >= found.checkpointWatermark)
                {
                    found.addCompleted(messageId);
                }
                if (null != visitor && completedNs >= completedSinceNs)
                {
                    recentCompletions.put(messageId, completedNs);
                }
                highestOutcomeId = Math.max(highestOutcomeId, messageId);
                break;
            case OutcomeRecordDescriptor.TYPE_SKIPPED:
                // A held request's id: never in the accepted journal, complete as far as the watermark goes.
                if (messageId >= found.checkpointWatermark)
                {
                    found.addCompleted(messageId);
                }
                highestOutcomeId = Math.max(highestOutcomeId, messageId);
                break;
            case OutcomeRecordDescriptor.TYPE_CHECKPOINT:
                // The latest checkpoint wins; watermarks only rise, so ids skipped above are below it too.
                found.checkpointWatermark = messageId;
                found.checkpointAcceptedIndex = dispatchedNs;
                break;
            default:
                break;   // an unknown record type of this layout version carries nothing recovery needs
        }
    }

    /**
     * A scan from the checkpoint's index has not met the messages before it; they are all complete, but resend
     * detection must still hear of those completed within its window. Read back from the checkpoint until each
     * such completion is found (or the start): about a dedup window's worth of messages, not the whole journal.
     */
    private void visitEarlierCompletions(final JournalConfig config, final DocumentCopy document)
    {
        final long startIndex = found.checkpointAcceptedIndex;
        if (null == visitor || startIndex < 0 || recentCompletions.isEmpty())
        {
            return;
        }
        final long[] missing = { 0 };
        recentCompletions.forEach((id, completedNs) ->
        {
            if (id < lowestScannedId)
            {
                missing[0]++;
            }
        });
        if (0 == missing[0])
        {
            return;
        }
        AcceptedScan.scanBackward(config, startIndex, document, (index, message) ->
        {
            final long completedNs = recentCompletions.get(message.messageId());
            if (completedNs >= 0 && message.messageId() < lowestScannedId)
            {
                visitor.onRequest(message, completedNs);
                missing[0]--;
            }
            return missing[0] > 0;
        });
    }

    private void onAccepted(final long index, final AcceptedMessageFlyweight message)
    {
        final long id = message.messageId();
        lowestScannedId = Math.min(lowestScannedId, id);
        found.acceptedCount++;
        highestAcceptedId = Math.max(highestAcceptedId, id);
        if (found.isCompleted(id))
        {
            found.completedCount++;
            if (null != visitor)
            {
                final long completedNs = recentCompletions.get(id);
                if (completedNs >= 0)
                {
                    visitor.onRequest(message, completedNs);
                }
            }
            return;
        }
        final int level = message.level();
        if (level < 1 || level > Recovered.LEVELS)
        {
            throw new JournalException("journal queue " + acceptedDirectory + ": message " + id + " at index " +
                Long.toHexString(index) + " has level " + level + ", expected 1.." + Recovered.LEVELS);
        }
        found.addPending(level, index);
        if (null != visitor)
        {
            visitor.onRequest(message, -1);
        }
        lowestPendingId = Math.min(lowestPendingId, id);
        if (dispatched.contains(id))
        {
            found.redispatched++;
        }
    }

    private Recovered conclude()
    {
        found.nextMessageId = Math.max(
            Math.max(highestAcceptedId, highestOutcomeId) + 1, Math.max(found.checkpointWatermark, 0));
        found.lowestPendingId = Long.MAX_VALUE == lowestPendingId ? found.nextMessageId : lowestPendingId;
        return found;
    }
}
