package io.otaprio.journal;

/**
 * Where the scheduler records dispatches, completions and checkpoints: the {@link OutcomeJournal}, or {@link #NONE}
 * for an engine that runs without a journal. The scheduler holds one of these, never null, so it has no journal on/off
 * branch.
 * <p>
 * Threading: the scheduler thread.
 */
public interface OutcomeLog
{
    /** Keeps nothing. */
    OutcomeLog NONE = new OutcomeLog()
    {
        public void dispatched(final long messageId, final long dispatchedNs)
        {
        }

        public void completed(final long messageId, final long dispatchedNs, final long completedNs, final int outcome)
        {
        }

        public void skipped(final long messageId)
        {
        }

        public int flush()
        {
            return 0;
        }

        public int checkpointIfDue(final long nowNs)
        {
            return 0;
        }

        public int bufferedRecords()
        {
            return 0;
        }
    };

    /**
     * Buffer a DISPATCHED record.
     *
     * @param messageId    the message.
     * @param dispatchedNs when.
     */
    void dispatched(long messageId, long dispatchedNs);

    /**
     * Buffer a COMPLETED record, and advance the completion watermark.
     *
     * @param messageId    the message.
     * @param dispatchedNs when it was dispatched.
     * @param completedNs  when it completed.
     * @param outcome      the dispatcher's outcome.
     */
    void completed(long messageId, long dispatchedNs, long completedNs, int outcome);

    /**
     * Buffer a SKIPPED record, and advance the completion watermark past the id: it was given to a held request, which
     * is never in the accepted journal under it (it is queued under a new id when due).
     *
     * @param messageId the held request's id.
     */
    void skipped(long messageId);

    /**
     * Write what is buffered.
     *
     * @return records written, or -1 when the write failed (they stay buffered for a retry).
     */
    int flush();

    /**
     * Record, when it is time, that every id below the completion watermark is complete (recovery and retention start
     * there). Called every duty cycle; cheap when it is not time.
     *
     * @param nowNs now; {@code Long.MAX_VALUE} for at once (a clean stop).
     * @return 1 when a checkpoint was written, else 0.
     */
    int checkpointIfDue(long nowNs);

    /** @return records buffered, not yet written. */
    int bufferedRecords();
}
