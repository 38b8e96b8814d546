package io.otaprio.journal;

import org.agrona.collections.LongHashSet;

/**
 * The id below which every message is complete, advanced as completions arrive in any order: completions above it
 * wait in a set until the gap below them closes. Checkpointed by the {@link OutcomeJournal}, so that recovery and
 * retention start from it. The set holds at most the messages completed ahead of an older one still in flight (the
 * dispatcher's credit, plus whatever a slow level-4 message holds back).
 * <p>
 * Threading: the writer of the outcome journal (the scheduler thread).
 */
final class CompletionWatermark
{
    private final LongHashSet completedAbove = new LongHashSet();
    private long watermark;

    /**
     * @param watermark      every id below this is complete.
     * @param completedAbove ids at or above it already complete.
     */
    CompletionWatermark(final long watermark, final LongHashSet completedAbove)
    {
        this.watermark = watermark;
        this.completedAbove.addAll(completedAbove);
    }

    /**
     * What recovery found: the lowest pending id (or the next id when nothing is pending), and the completions above.
     *
     * @param recovered      recovery's finding.
     * @param firstMessageId the id the engine gives its next message, when nothing is pending.
     * @return the watermark.
     */
    static CompletionWatermark of(final Recovered recovered, final long firstMessageId)
    {
        final long watermark = recovered.pendingCount() > 0 ? recovered.lowestPendingId() : firstMessageId;
        return new CompletionWatermark(watermark, recovered.completedIdsAtOrAbove(watermark));
    }

    /**
     * @param messageId a message that completed.
     */
    void completed(final long messageId)
    {
        if (messageId != watermark)
        {
            if (messageId > watermark)
            {
                completedAbove.add(messageId);
            }
            return;
        }
        long next = watermark + 1;
        while (completedAbove.remove(next))
        {
            next++;
        }
        watermark = next;
    }

    /** @return every id below this is complete. */
    long value()
    {
        return watermark;
    }
}
