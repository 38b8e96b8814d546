package io.otaprio.journal;

/**
 * Byte layout of the outcomes queue (version 1). One Chronicle document per {@link OutcomeJournal#flush()}: an
 * 8-byte document header followed by {@code record count} fixed-size 32-byte records. Little-endian.
 * <pre>
 * Document header
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |     layout version (u16)      |   record length (u16) = 32    |  0
 *  +-------------------------------+-------------------------------+
 *  |                       record count (i32)                      |  4
 *  +---------------------------------------------------------------+
 *  |                       records ...                             |  8
 *  +---------------------------------------------------------------+
 *
 * Record (at 8 + 32 * i)
 *  +---------------+---------------+-------------------------------+
 *  |   type (u8)   | outcome (u8)  |        reserved, zero         |  0
 *  +---------------+---------------+-------------------------------+
 *  |                        reserved, zero                         |  4
 *  +---------------------------------------------------------------+
 *  |                       message id (i64)                        |  8
 *  +---------------------------------------------------------------+
 *  |               dispatched at, epoch nanos (i64)                | 16
 *  +---------------------------------------------------------------+
 *  |               completed at, epoch nanos (i64)                 | 24
 *  +---------------------------------------------------------------+
 *
 * type DISPATCHED (1): message id, dispatched at; outcome and completed at are zero.
 * type COMPLETED  (2): message id, dispatched at, completed at, outcome (the dispatcher's code).
 * type CHECKPOINT (3): message id = watermark (every id below it is complete),
 *                      dispatched-at field = accepted-queue index to start recovery from (-1 = from the start),
 *                      completed-at field = zero.
 * </pre>
 * The record length is in the header so that a later version may append fields to a record and still be skipped
 * correctly; this version refuses any document whose version is not {@link #LAYOUT_VERSION}.
 */
public final class OutcomeRecordDescriptor
{
    /** Version written by this build; a reader refuses any other. */
    public static final short LAYOUT_VERSION = 1;

    /** Offset of the layout version (u16) in the document header. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the record length (u16) in the document header. */
    public static final int RECORD_LENGTH_FIELD_OFFSET = 2;
    /** Offset of the record count (i32) in the document header. */
    public static final int RECORD_COUNT_OFFSET = 4;
    /** Bytes of the document header. */
    public static final int HEADER_LENGTH = 8;

    /** Offset of the type (u8) in a record. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the outcome (u8) in a record. */
    public static final int OUTCOME_OFFSET = 1;
    /** Offset of the message id (i64) in a record. */
    public static final int MESSAGE_ID_OFFSET = 8;
    /** Offset of the dispatched-at time (i64) in a record. */
    public static final int DISPATCHED_NS_OFFSET = 16;
    /** Offset of the completed-at time (i64) in a record. */
    public static final int COMPLETED_NS_OFFSET = 24;
    /** Bytes of one record. */
    public static final int RECORD_LENGTH = 32;

    /** Most records in one document; a larger flush is written as several documents. */
    public static final int MAX_RECORDS_PER_DOCUMENT = 4096;

    /** The message was handed to the dispatcher. */
    public static final int TYPE_DISPATCHED = 1;
    /** The message completed. */
    public static final int TYPE_COMPLETED = 2;
    /** Every id below the watermark is complete. */
    public static final int TYPE_CHECKPOINT = 3;
    /**
     * The id was given to a request held until it is due ({@link HeldJournal}): it never reaches the accepted journal
     * under that id (it is queued under a new one), so the watermark steps over it as if it had completed.
     */
    public static final int TYPE_SKIPPED = 4;

    private OutcomeRecordDescriptor()
    {
    }

    /**
     * @param recordCount records in a document.
     * @return the document's length.
     */
    public static int documentLength(final int recordCount)
    {
        return HEADER_LENGTH + recordCount * RECORD_LENGTH;
    }

    /**
     * @param offset where the document starts.
     * @param index  of the record, 0-based.
     * @return offset of record {@code index} in a document that starts at {@code offset}.
     */
    public static int recordOffset(final int offset, final int index)
    {
        return offset + HEADER_LENGTH + index * RECORD_LENGTH;
    }
}
