package io.otaprio.journal;

/**
 * Byte layout of one throttle summary as the throttle journal ({@code DIR/throttled}) stores it: one Chronicle
 * document per summary, 36 bytes, little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              device, the RequestID target EUI-64 (i64)        |  0
 *  +---------------------------------------------------------------+
 *  |          alert code (i32, io.otaprio.protocol.AlertCode)      |  8
 *  +---------------------------------------------------------------+
 *  |              alerts throttled in the window (i64)             | 12
 *  +---------------------------------------------------------------+
 *  |              window start, epoch nanos (i64)                  | 20
 *  +---------------------------------------------------------------+
 *  |              window end, epoch nanos (i64)                    | 28
 *  +---------------------------------------------------------------+
 *                                                                    36
 * </pre>
 * This is layout version 1, the bytes the first throttle journal wrote with Chronicle's {@code writeLong},
 * {@code writeInt}, {@code writeLong} x 3: hence no version field and 8-byte fields at unaligned offsets, kept so
 * that existing journals still read. Chronicle wrote in the platform's order, little-endian on x86-64 and AArch64;
 * this build encodes and decodes little-endian explicitly, the same bytes there and on any platform.
 * <p>
 * Without a version field, the version is identified by the exact length: a reader refuses a document of any other
 * length. A later version must therefore have another length, and should begin with a version field as
 * {@link AcceptedMessageDescriptor} does.
 */
public final class ThrottleRecordDescriptor
{
    /** The version this layout is; identified on disk by {@link #RECORD_LENGTH}, not by a field. */
    public static final short LAYOUT_VERSION = 1;

    /** Offset of the device (i64). */
    public static final int DEVICE_OFFSET = 0;
    /** Offset of the alert code (i32). */
    public static final int CODE_OFFSET = 8;
    /** Offset of the number of alerts throttled (i64). */
    public static final int THROTTLED_OFFSET = 12;
    /** Offset of the window start (i64). */
    public static final int WINDOW_START_OFFSET = 20;
    /** Offset of the window end (i64). */
    public static final int WINDOW_END_OFFSET = 28;
    /** Bytes of one record, which is one whole document: the mark of layout version 1. */
    public static final int RECORD_LENGTH = 36;

    private ThrottleRecordDescriptor()
    {
    }
}
