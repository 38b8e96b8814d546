package io.otaprio.peer;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Byte layout of the body of one message the RabbitMQ peer publishes, in native byte order (the same process
 * writes and reads it: little-endian on x86). The body carries what the consuming side needs without sharing state
 * with the publishing thread: the kind and the SRV or alert code for its service time, and the level and the
 * message's number, which it hands back with the acknowledgement time for the publisher's open loop to measure; the
 * intended send time makes a body read off the queue by any other tool say how late it is.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |     kind      |     level     |        reserved, zero         |  0
 *  +---------------+---------------+-------------------------------+
 *  |                  code (packed SRV or alert code)              |  4
 *  +---------------------------------------------------------------+
 *  |                  message number in the schedule (i64)         |  8
 *  +---------------------------------------------------------------+
 *  |        intended send time, System.nanoTime of the peer (i64)  | 16
 *  +---------------------------------------------------------------+
 *  |                  payload ... (the mix entry's payloadBytes)   | 24
 *  +---------------------------------------------------------------+
 * </pre>
 * The payload is filler of the size the traffic mix gives the message type, so the broker moves the same bytes
 * as the engine's gateway does for the same message.
 */
public final class PeerMessageDescriptor
{
    /** Offset of the kind (u8), a {@link io.otaprio.protocol.MessageKind#value()}. */
    public static final int KIND_OFFSET = 0;
    /** Offset of the level (u8), 1..4. */
    public static final int LEVEL_OFFSET = 1;
    /** Offset of the code (i32). */
    public static final int CODE_OFFSET = 4;
    /** Offset of the message number (i64). */
    public static final int NUMBER_OFFSET = 8;
    /** Offset of the intended send time (i64). */
    public static final int INTENDED_NS_OFFSET = 16;
    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = 24;

    private PeerMessageDescriptor()
    {
    }

    /**
     * @param payloadBytes filler after the header.
     * @return the body length of a message with that payload.
     */
    public static int encodedLength(final int payloadBytes)
    {
        if (payloadBytes < 0)
        {
            throw new IllegalArgumentException("payloadBytes must be >= 0: " + payloadBytes);
        }
        return HEADER_LENGTH + payloadBytes;
    }

    /**
     * Encode a new body; its payload bytes are zero.
     *
     * @param kind         kind value.
     * @param level        1..4.
     * @param code         SRV or alert code.
     * @param number       the message's number in the schedule.
     * @param intendedNs   when the schedule meant it to be sent.
     * @param payloadBytes filler after the header.
     * @return the body.
     */
    public static byte[] encode(
        final int kind, final int level, final int code, final long number, final long intendedNs,
        final int payloadBytes)
    {
        // A new array per message: the AMQP client frames the body it is given, and this is a comparison harness,
        // not the engine's allocation-free path.
        final byte[] body = new byte[encodedLength(payloadBytes)];
        final MutableDirectBuffer buffer = new UnsafeBuffer(body);
        buffer.putByte(KIND_OFFSET, (byte)kind);
        buffer.putByte(LEVEL_OFFSET, (byte)level);
        buffer.putInt(CODE_OFFSET, code);
        buffer.putLong(NUMBER_OFFSET, number);
        buffer.putLong(INTENDED_NS_OFFSET, intendedNs);
        return body;
    }

    /**
     * @param body an encoded body.
     * @return whether it is long enough to hold the header.
     */
    public static boolean isValid(final byte[] body)
    {
        return null != body && body.length >= HEADER_LENGTH;
    }

    /** @param buffer wrapping a body. @return its kind value. */
    public static int kind(final UnsafeBuffer buffer)
    {
        return buffer.getByte(KIND_OFFSET) & 0xFF;
    }

    /** @param buffer wrapping a body. @return its level. */
    public static int level(final UnsafeBuffer buffer)
    {
        return buffer.getByte(LEVEL_OFFSET) & 0xFF;
    }

    /** @param buffer wrapping a body. @return its code. */
    public static int code(final UnsafeBuffer buffer)
    {
        return buffer.getInt(CODE_OFFSET);
    }

    /** @param buffer wrapping a body. @return its message number. */
    public static long number(final UnsafeBuffer buffer)
    {
        return buffer.getLong(NUMBER_OFFSET);
    }

    /** @param buffer wrapping a body. @return its intended send time. */
    public static long intendedNs(final UnsafeBuffer buffer)
    {
        return buffer.getLong(INTENDED_NS_OFFSET);
    }
}
