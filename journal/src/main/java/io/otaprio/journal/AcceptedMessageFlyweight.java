package io.otaprio.journal;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.otaprio.journal.AcceptedMessageDescriptor.*;

/**
 * Reads and writes one accepted message in the {@link AcceptedMessageDescriptor} layout over a buffer it does not
 * own: {@link #wrap} then get or set, never a copy. One instance is reused for every message.
 * <p>
 * Threading: not thread-safe; one per thread.
 */
public final class AcceptedMessageFlyweight
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private DirectBuffer buffer;
    private MutableDirectBuffer mutableBuffer;
    private int offset;

    /**
     * Wrap for reading.
     *
     * @param buffer holding an encoded message.
     * @param offset where it starts.
     * @return this.
     */
    public AcceptedMessageFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.mutableBuffer = buffer instanceof MutableDirectBuffer ? (MutableDirectBuffer)buffer : null;
        this.offset = offset;
        return this;
    }

    /**
     * Write a whole message at the wrapped position (the buffer must be mutable and large enough).
     *
     * @return the encoded length.
     */
    public int encode(
        final long messageId,
        final int kind,
        final int level,
        final int code,
        final long originator,
        final long target,
        final long counter,
        final long acceptTimeNs,
        final long trtNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final MutableDirectBuffer b = mutableBuffer;
        b.putShort(offset + VERSION_OFFSET, LAYOUT_VERSION, ORDER);
        b.putByte(offset + KIND_OFFSET, (byte)kind);
        b.putByte(offset + LEVEL_OFFSET, (byte)level);
        b.putInt(offset + CODE_OFFSET, code, ORDER);
        b.putLong(offset + MESSAGE_ID_OFFSET, messageId, ORDER);
        b.putLong(offset + ORIGINATOR_OFFSET, originator, ORDER);
        b.putLong(offset + TARGET_OFFSET, target, ORDER);
        b.putLong(offset + COUNTER_OFFSET, counter, ORDER);
        b.putLong(offset + ACCEPT_TIME_OFFSET, acceptTimeNs, ORDER);
        b.putLong(offset + TRT_OFFSET, trtNs, ORDER);
        b.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        b.putInt(offset + PAYLOAD_LENGTH_OFFSET + 4, 0, ORDER);
        if (payloadLength > 0)
        {
            b.putBytes(offset + PAYLOAD_OFFSET, payload, payloadOffset, payloadLength);
        }
        return encodedLength(payloadLength);
    }

    /** @return layout version of the wrapped message. */
    public int version()
    {
        return buffer.getShort(offset + VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    /** @return kind value. */
    public int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    /** @return level 1..4. */
    public int level()
    {
        return buffer.getByte(offset + LEVEL_OFFSET) & 0xFF;
    }

    /** @return packed SRV or alert code. */
    public int code()
    {
        return buffer.getInt(offset + CODE_OFFSET, ORDER);
    }

    /** @return message id. */
    public long messageId()
    {
        return buffer.getLong(offset + MESSAGE_ID_OFFSET, ORDER);
    }

    /** @return RequestID originator. */
    public long originator()
    {
        return buffer.getLong(offset + ORIGINATOR_OFFSET, ORDER);
    }

    /** @return RequestID target. */
    public long target()
    {
        return buffer.getLong(offset + TARGET_OFFSET, ORDER);
    }

    /** @return RequestID counter. */
    public long counter()
    {
        return buffer.getLong(offset + COUNTER_OFFSET, ORDER);
    }

    /** @return accept time, epoch nanos. */
    public long acceptTimeNs()
    {
        return buffer.getLong(offset + ACCEPT_TIME_OFFSET, ORDER);
    }

    /** @return TRT budget, nanos. */
    public long trtNs()
    {
        return buffer.getLong(offset + TRT_OFFSET, ORDER);
    }

    /** @return payload length. */
    public int payloadLength()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, ORDER);
    }

    /** @return absolute offset of the payload in the wrapped buffer. */
    public int payloadOffset()
    {
        return offset + PAYLOAD_OFFSET;
    }

    /** @return the wrapped buffer. */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
