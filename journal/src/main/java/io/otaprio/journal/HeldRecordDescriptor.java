package io.otaprio.journal;

/**
 * Byte layout of one document of the held queue ({@code DIR/held}): the future-dated requests admission holds until
 * they fall due, kept apart from the accepted journal so that a request due years ahead pins neither the completion
 * watermark, nor checkpoints, nor retention. One Chronicle document per record, little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |     layout version (u16)      |   type (u8)   |  level (u8)   |  0
 *  +-------------------------------+---------------+---------------+
 *  |                        reserved, zero                         |  4
 *  +---------------------------------------------------------------+
 *  |                  held id (i64): the id answered               |  8
 *  +---------------------------------------------------------------+
 *  |   HELD: due at, epoch nanos (i64); RELEASED: the message id   | 16
 *  |   it was queued as; CANCELLED: zero                           |
 *  +---------------------------------------------------------------+
 *  |   HELD only: the request in the AcceptedMessageDescriptor     | 24
 *  |   layout, stamped with the held id, level, TRT budget and     |
 *  |   the time it was held                                        |
 *  +---------------------------------------------------------------+
 * </pre>
 * type HELD (1): a request held until it is due (level as decided at admission). RELEASED (2): it fell due and was
 * appended to the accepted journal, and placed in its lane, as a new message id. CANCELLED (3): a cancellation removed
 * it. A held request is live from its latest HELD record (retention copies live ones forward, so one id may have
 * several) until a RELEASED or CANCELLED record of its id.
 */
public final class HeldRecordDescriptor
{
    /** Version of this layout. */
    public static final short LAYOUT_VERSION = 1;

    /** Offset of the layout version (u16). */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the type (u8). */
    public static final int TYPE_OFFSET = 2;
    /** Offset of the level (u8), HELD only. */
    public static final int LEVEL_OFFSET = 3;
    /** Offset of the held id (i64). */
    public static final int HELD_ID_OFFSET = 8;
    /** Offset of the due time (HELD) or of the message id (RELEASED), i64. */
    public static final int VALUE_OFFSET = 16;
    /** Bytes before the message of a HELD record; the whole of a RELEASED or CANCELLED one. */
    public static final int HEADER_LENGTH = 24;
    /** Offset of the message in a HELD record. */
    public static final int MESSAGE_OFFSET = HEADER_LENGTH;

    /** Held until due. */
    public static final int TYPE_HELD = 1;
    /** Fell due and was queued as a new message id. */
    public static final int TYPE_RELEASED = 2;
    /** Removed by a cancellation. */
    public static final int TYPE_CANCELLED = 3;

    private HeldRecordDescriptor()
    {
    }
}
