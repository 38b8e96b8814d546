package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;

import static io.otaprio.journal.OutcomeRecordDescriptor.*;

/**
 * Streams the records of the outcomes queue in order, validating each document's header.
 * <p>
 * Threading: one scan per thread.
 */
final class OutcomeScan
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Receives each outcome record. */
    @FunctionalInterface
    interface Handler
    {
        /**
         * @param documentIndex Chronicle index of the document holding the record.
         * @param type          {@link OutcomeRecordDescriptor#TYPE_DISPATCHED} and so on.
         * @param outcome       outcome code of a COMPLETED record.
         * @param messageId     message id (watermark of a CHECKPOINT).
         * @param dispatchedNs  dispatch time (accepted index of a CHECKPOINT).
         * @param completedNs   completion time.
         */
        void onRecord(long documentIndex, int type, int outcome, long messageId, long dispatchedNs, long completedNs);
    }

    private OutcomeScan()
    {
    }

    /**
     * Scan the whole outcomes queue with a read-only queue of its own.
     *
     * @param config  of the journal.
     * @param handler receives every record.
     * @return records scanned.
     * @throws JournalException when a document has another layout version or is malformed.
     */
    static long scan(final JournalConfig config, final Handler handler)
    {
        return scan(config, new DocumentCopy(documentLength(256)), handler);
    }

    /**
     * As {@link #scan(JournalConfig, Handler)}, through the caller's copy, which then tells the bytes read.
     *
     * @param config   of the journal.
     * @param document each document is copied here; {@link DocumentCopy#bytesRead()} counts them.
     * @param handler  receives every record.
     * @return records scanned.
     * @throws JournalException when a document has another layout version or is malformed.
     */
    static long scan(final JournalConfig config, final DocumentCopy document, final Handler handler)
    {
        return scan(config, document, handler, new OutcomeCycles());
    }

    /**
     * As {@link #scan(JournalConfig, DocumentCopy, Handler)}, also noting the highest id each cycle references, so
     * that the outcomes writer opened next need not read the queue again.
     *
     * @param config   of the journal.
     * @param document each document is copied here; {@link DocumentCopy#bytesRead()} counts them.
     * @param handler  receives every record.
     * @param cycles   filled, then marked scanned.
     * @return records scanned.
     * @throws JournalException when a document has another layout version or is malformed.
     */
    static long scan(
        final JournalConfig config, final DocumentCopy document, final Handler handler, final OutcomeCycles cycles)
    {
        final Path directory = config.outcomesDirectory();
        if (!JournalDirectory.hasQueueFiles(directory))
        {
            cycles.scanned();
            return 0;
        }
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true);
            ExcerptTailer tailer = queue.createTailer())
        {
            return scan(tailer, directory, document, handler, cycles);
        }
    }

    /**
     * The outcomes writer's own scan from a tailer's position to the end: the highest id each cycle references.
     *
     * @param tailer    positioned where to start.
     * @param directory of the queue, for messages.
     * @param document  reusable copy of each document.
     * @param cycles    filled, then marked scanned.
     * @return records scanned.
     */
    static long scan(
        final ExcerptTailer tailer, final Path directory, final DocumentCopy document, final OutcomeCycles cycles)
    {
        return scan(tailer, directory, document, (index, type, outcome, messageId, dispatchedNs, completedNs) ->
        {
        }, cycles);
    }

    private static long scan(
        final ExcerptTailer tailer,
        final Path directory,
        final DocumentCopy document,
        final Handler handler,
        final OutcomeCycles cycles)
    {
        final RollCycle rollCycle = tailer.queue().rollCycle();
        final long records = scan(tailer, directory, document,
            (index, type, outcome, messageId, dispatchedNs, completedNs) ->
            {
                cycles.note(rollCycle.toCycle(index), TYPE_CHECKPOINT == type ? OutcomeCycles.NO_ID : messageId);
                handler.onRecord(index, type, outcome, messageId, dispatchedNs, completedNs);
            });
        cycles.scanned();
        return records;
    }

    /**
     * Scan from a tailer's position to the end.
     *
     * @param tailer    positioned where to start.
     * @param directory of the queue, for messages.
     * @param document  reusable copy of each document.
     * @param handler   receives every record.
     * @return records scanned.
     */
    static long scan(
        final ExcerptTailer tailer, final Path directory, final DocumentCopy document, final Handler handler)
    {
        long records = 0;
        while (document.readNext(tailer))
        {
            final UnsafeBuffer bytes = document.buffer();
            final int count = validate(directory, document.index(), bytes, document.length());
            for (int i = 0; i < count; i++)
            {
                final int offset = recordOffset(0, i);
                handler.onRecord(
                    document.index(),
                    bytes.getByte(offset + TYPE_OFFSET) & 0xFF,
                    bytes.getByte(offset + OUTCOME_OFFSET) & 0xFF,
                    bytes.getLong(offset + MESSAGE_ID_OFFSET, ORDER),
                    bytes.getLong(offset + DISPATCHED_NS_OFFSET, ORDER),
                    bytes.getLong(offset + COMPLETED_NS_OFFSET, ORDER));
            }
            records += count;
        }
        return records;
    }

    private static int validate(final Path directory, final long index, final UnsafeBuffer document, final int length)
    {
        if (length < 2)
        {
            throw new JournalException("journal queue " + directory + ": document at index " +
                Long.toHexString(index) + " is " + length + " bytes, too short for a layout version");
        }
        final int version = document.getShort(VERSION_OFFSET, ORDER) & 0xFFFF;
        if (version != LAYOUT_VERSION)
        {
            throw new JournalException("journal queue " + directory + ": outcome document at index " +
                Long.toHexString(index) + " has layout version " + version + ", this build supports layout version " +
                LAYOUT_VERSION);
        }
        if (length < HEADER_LENGTH)
        {
            throw new JournalException("journal queue " + directory + ": outcome document at index " +
                Long.toHexString(index) + " is truncated (" + length + " bytes)");
        }
        final int recordLength = document.getShort(RECORD_LENGTH_FIELD_OFFSET, ORDER) & 0xFFFF;
        final int count = document.getInt(RECORD_COUNT_OFFSET, ORDER);
        if (recordLength != RECORD_LENGTH || count < 0 || documentLength(count) > length)
        {
            throw new JournalException("journal queue " + directory + ": outcome document at index " +
                Long.toHexString(index) + " is malformed (record length " + recordLength + ", count " + count +
                ", " + length + " bytes)");
        }
        return count;
    }
}
