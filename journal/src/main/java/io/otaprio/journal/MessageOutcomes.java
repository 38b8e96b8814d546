package io.otaprio.journal;

import org.agrona.collections.Long2LongHashMap;

import java.util.function.LongConsumer;

/**
 * Each retained accepted message with its first completion: the join {@link JournalDump} and {@link JournalReport}
 * read the journal through. {@link #read} scans the outcomes queue once and keeps, per completed message, the first
 * COMPLETED record's dispatch and completion times, its outcome and the number of COMPLETED records; {@link #scan}
 * then streams the accepted queue one message at a time and hands each message over with its completion.
 * <p>
 * Memory: only the outcomes are held, in three Agrona {@link Long2LongHashMap}s keyed by message id (dispatch time,
 * completion time, and the count packed with the first outcome): roughly 3 x 16 / 0.65, about 75 bytes per
 * completed message in the retained outcomes queue, e.g. 75 MB for a million completions. Accepted messages cost
 * nothing however many there are.
 * <p>
 * Never writes to the journal. Threading: one thread.
 */
final class MessageOutcomes
{
    private static final int OUTCOME_BITS = 8;
    private static final long OUTCOME_MASK = (1L << OUTCOME_BITS) - 1;

    /** Receives each accepted message with its first completion. */
    @FunctionalInterface
    interface Handler
    {
        /**
         * @param message    the message, valid only during the call.
         * @param completion its first completion, or none: reused for every message, valid only during the call.
         */
        void onMessage(AcceptedMessageFlyweight message, Completion completion);
    }

    /** The first completion of the message at hand, as the outcomes queue records it. */
    static final class Completion
    {
        private long records;
        private long dispatchedNs;
        private long completedNs;
        private int outcome;
        private boolean belowCheckpoint;

        /** @return COMPLETED records: 0 while pending, more than 1 for a message dispatched again after a crash. */
        long records()
        {
            return records;
        }

        /** @return dispatch time of the first completion, epoch nanos; meaningful only with a record. */
        long dispatchedNs()
        {
            return dispatchedNs;
        }

        /** @return completion time of the first completion, epoch nanos; meaningful only with a record. */
        long completedNs()
        {
            return completedNs;
        }

        /** @return the dispatcher's outcome code of the first completion (0 = OK); meaningful only with a record. */
        int outcome()
        {
            return outcome;
        }

        /**
         * @return true when the message's id is below the latest checkpoint's watermark: complete even without a
         * record (retention deleted the outcomes cycle that held it).
         */
        boolean belowCheckpoint()
        {
            return belowCheckpoint;
        }
    }

    private final JournalConfig config;
    private final boolean exists;
    private final Long2LongHashMap dispatchedNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final Long2LongHashMap completedNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final Long2LongHashMap recordsAndOutcome = new Long2LongHashMap(0);
    private long checkpointWatermark = -1;
    private long outcomeRecords;

    private MessageOutcomes(final JournalConfig config, final boolean exists)
    {
        this.config = config;
        this.exists = exists;
    }

    /**
     * Check the journal and read its outcomes.
     *
     * @param config         of the journal.
     * @param progressEvery  outcome records between two calls of {@code progress}.
     * @param progress       told the records read so far every {@code progressEvery} records.
     * @return the outcomes, ready to {@link #scan}.
     * @throws JournalException when the journal is unreadable or of another layout version.
     */
    static MessageOutcomes read(final JournalConfig config, final long progressEvery, final LongConsumer progress)
    {
        final MessageOutcomes outcomes = new MessageOutcomes(config, JournalDirectory.checkForReading(config));
        if (outcomes.exists)
        {
            OutcomeScan.scan(config, (index, type, outcome, messageId, dNs, cNs) ->
            {
                outcomes.onRecord(type, outcome, messageId, dNs, cNs);
                if (outcomes.outcomeRecords % progressEvery == 0)
                {
                    progress.accept(outcomes.outcomeRecords);
                }
            });
        }
        return outcomes;
    }

    /**
     * @param config of the journal.
     * @return its outcomes, ready to {@link #scan}, read without progress reports.
     * @throws JournalException when the journal is unreadable or of another layout version.
     */
    static MessageOutcomes read(final JournalConfig config)
    {
        return read(config, Long.MAX_VALUE, (records) ->
        {
        });
    }

    private void onRecord(final int type, final int outcome, final long messageId, final long dNs, final long cNs)
    {
        outcomeRecords++;
        if (type == OutcomeRecordDescriptor.TYPE_COMPLETED)
        {
            final long packed = recordsAndOutcome.get(messageId);
            final long records = packed >>> OUTCOME_BITS;
            if (0 == records)
            {
                dispatchedNs.put(messageId, dNs);
                completedNs.put(messageId, cNs);
            }
            final long firstOutcome = 0 == records ? outcome : packed & OUTCOME_MASK;
            recordsAndOutcome.put(messageId, ((records + 1) << OUTCOME_BITS) | firstOutcome);
        }
        else if (type == OutcomeRecordDescriptor.TYPE_CHECKPOINT)
        {
            checkpointWatermark = messageId;
        }
    }

    /** @return false when there was no journal to read (no root, or neither queue has a file yet). */
    boolean exists()
    {
        return exists;
    }

    /** @return records in the retained outcomes queue. */
    long outcomeRecords()
    {
        return outcomeRecords;
    }

    /**
     * Stream the retained accepted messages, in accept order, each with its first completion.
     *
     * @param handler receives each message.
     * @return messages scanned.
     * @throws JournalException when a document has another layout version or is truncated.
     */
    long scan(final Handler handler)
    {
        if (!exists)
        {
            return 0;
        }
        final Completion completion = new Completion();
        return AcceptedScan.scan(config, -1, (index, message) ->
        {
            final long id = message.messageId();
            final long packed = recordsAndOutcome.get(id);
            completion.records = packed >>> OUTCOME_BITS;
            completion.outcome = (int)(packed & OUTCOME_MASK);
            completion.dispatchedNs = dispatchedNs.get(id);
            completion.completedNs = completedNs.get(id);
            completion.belowCheckpoint = id < checkpointWatermark;
            handler.onMessage(message, completion);
        });
    }
}
