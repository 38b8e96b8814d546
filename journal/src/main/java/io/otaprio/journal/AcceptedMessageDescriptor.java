package io.otaprio.journal;

/**
 * Byte layout of one accepted message as the accepted journal stores it (version 1). Little-endian, 8-byte
 * aligned fields first so that a reader can take them straight from a memory-mapped buffer.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |        layout version         |     kind      |     level     |  0
 *  +-------------------------------+---------------+---------------+
 *  |                  code (packed SRV or alert code)              |  4
 *  +---------------------------------------------------------------+
 *  |                        message id (i64)                       |  8
 *  +---------------------------------------------------------------+
 *  |                 RequestID originator EUI-64 (i64)             | 16
 *  +---------------------------------------------------------------+
 *  |                  RequestID target EUI-64 (i64)                | 24
 *  +---------------------------------------------------------------+
 *  |                  RequestID counter (u64)                      | 32
 *  +---------------------------------------------------------------+
 *  |                  accept time, epoch nanos (i64)               | 40
 *  +---------------------------------------------------------------+
 *  |                  TRT budget, nanos (i64)                      | 48
 *  +---------------------------------------------------------------+
 *  |                  payload length in bytes (i32)                | 56
 *  +---------------------------------------------------------------+
 *  | command variant |     flags     |     reserved, zero (u16)      | 60
 *  +---------------------------------------------------------------+
 *  |                  payload ...                                  | 64
 *  +---------------------------------------------------------------+
 * </pre>
 * The command variant is the DUIS header's CommandVariant (1 to 8; 0 when the submission did not say, as older
 * journals and version-2 TCP clients do); flags carry what admission decided about a message beyond its level
 * ({@link #FLAG_LINKED_STEP}). Both sit in bytes version 1 wrote as reserved zero, so journals written before them
 * read as "not given" and no new layout version is needed.
 * <p>
 * The TRT budget is stored, not recomputed, so a message replayed after a restart is judged against the budget
 * it was accepted under even if the policy file changed in between.
 */
public final class AcceptedMessageDescriptor
{
    /** Version written by this build; a reader refuses any other. */
    public static final short LAYOUT_VERSION = 1;

    /** Offset of the layout version (u16). */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the kind (u8). */
    public static final int KIND_OFFSET = 2;
    /** Offset of the level (u8). */
    public static final int LEVEL_OFFSET = 3;
    /** Offset of the code (i32). */
    public static final int CODE_OFFSET = 4;
    /** Offset of the message id (i64). */
    public static final int MESSAGE_ID_OFFSET = 8;
    /** Offset of the originator (i64). */
    public static final int ORIGINATOR_OFFSET = 16;
    /** Offset of the target (i64). */
    public static final int TARGET_OFFSET = 24;
    /** Offset of the counter (u64). */
    public static final int COUNTER_OFFSET = 32;
    /** Offset of the accept time (i64). */
    public static final int ACCEPT_TIME_OFFSET = 40;
    /** Offset of the TRT budget (i64). */
    public static final int TRT_OFFSET = 48;
    /** Offset of the payload length (i32). */
    public static final int PAYLOAD_LENGTH_OFFSET = 56;
    /** Offset of the DUIS CommandVariant (u8, 0 = not given). */
    public static final int COMMAND_VARIANT_OFFSET = 60;
    /** Offset of the flags (u8). */
    public static final int FLAGS_OFFSET = 61;
    /** Offset of the payload. */
    public static final int PAYLOAD_OFFSET = 64;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = PAYLOAD_OFFSET;

    /**
     * Flag: the second step of a Critical command, linked to its first step: admitted at the first step's level and
     * with the first step's accept time, so its latency and TRT run from the first step's acceptance.
     */
    public static final int FLAG_LINKED_STEP = 0x01;

    private AcceptedMessageDescriptor()
    {
    }

    /**
     * @param payloadLength payload bytes.
     * @return the encoded length of a message with that payload.
     */
    public static int encodedLength(final int payloadLength)
    {
        return HEADER_LENGTH + payloadLength;
    }
}
