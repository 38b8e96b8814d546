package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static io.otaprio.journal.AcceptedMessageDescriptor.*;

/**
 * Reads and writes one message in the {@link AcceptedMessageDescriptor} layout over a buffer it does not own:
 * {@link #wrap} then get or set, never a copy. One instance is reused for every message.
 * <p>
 * The same layout is the message everywhere in the engine: a transport builds a submission in it (kind, code,
 * RequestID, payload), admission copies it into a ring slot and stamps the message id, level, TRT budget and accept
 * time there, the accepted journal stores the slot's bytes as they are, and recovery reads them back into a slot.
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

    /** @return the DUIS CommandVariant, 1..8, or 0 when not given. */
    public int commandVariant()
    {
        return buffer.getByte(offset + COMMAND_VARIANT_OFFSET) & 0xFF;
    }

    /** @return {@link AcceptedMessageDescriptor}'s {@code FLAG_*} bits. */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @return packed SRV or alert code. */
    public int code()
    {
        return buffer.getInt(offset + CODE_OFFSET, ORDER);
    }

    /**
     * Start a message at the wrapped position: the layout version, and zero for everything else up to the payload.
     *
     * @return this.
     */
    public AcceptedMessageFlyweight clear()
    {
        mutableBuffer.setMemory(offset, HEADER_LENGTH, (byte)0);
        mutableBuffer.putShort(offset + VERSION_OFFSET, LAYOUT_VERSION, ORDER);
        return this;
    }

    /**
     * @param kind message kind value (0..255).
     * @return this.
     */
    public AcceptedMessageFlyweight kind(final int kind)
    {
        mutableBuffer.putByte(offset + KIND_OFFSET, (byte)kind);
        return this;
    }

    /**
     * @param level priority level 1..4.
     * @return this.
     */
    public AcceptedMessageFlyweight level(final int level)
    {
        mutableBuffer.putByte(offset + LEVEL_OFFSET, (byte)level);
        return this;
    }

    /**
     * @param code packed SRV code or 16-bit alert code.
     * @return this.
     */
    public AcceptedMessageFlyweight code(final int code)
    {
        mutableBuffer.putInt(offset + CODE_OFFSET, code, ORDER);
        return this;
    }

    /**
     * @param commandVariant the DUIS CommandVariant, 1..8, or 0 when not given.
     * @return this.
     */
    public AcceptedMessageFlyweight commandVariant(final int commandVariant)
    {
        mutableBuffer.putByte(offset + COMMAND_VARIANT_OFFSET, (byte)commandVariant);
        return this;
    }

    /**
     * @param flags {@link AcceptedMessageDescriptor}'s {@code FLAG_*} bits.
     * @return this.
     */
    public AcceptedMessageFlyweight flags(final int flags)
    {
        mutableBuffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * @param messageId engine message id.
     * @return this.
     */
    public AcceptedMessageFlyweight messageId(final long messageId)
    {
        mutableBuffer.putLong(offset + MESSAGE_ID_OFFSET, messageId, ORDER);
        return this;
    }

    /**
     * @param requestId the message's RequestID.
     * @return this.
     */
    public AcceptedMessageFlyweight requestId(final RequestId requestId)
    {
        mutableBuffer.putLong(offset + ORIGINATOR_OFFSET, requestId.originator(), ORDER);
        mutableBuffer.putLong(offset + TARGET_OFFSET, requestId.target(), ORDER);
        mutableBuffer.putLong(offset + COUNTER_OFFSET, requestId.counter(), ORDER);
        return this;
    }

    /**
     * @param counter the RequestID counter alone, for a sender that numbers messages from one originator and target.
     * @return this.
     */
    public AcceptedMessageFlyweight counter(final long counter)
    {
        mutableBuffer.putLong(offset + COUNTER_OFFSET, counter, ORDER);
        return this;
    }

    /**
     * @param acceptTimeNs accept time, epoch nanos.
     * @return this.
     */
    public AcceptedMessageFlyweight acceptTimeNs(final long acceptTimeNs)
    {
        mutableBuffer.putLong(offset + ACCEPT_TIME_OFFSET, acceptTimeNs, ORDER);
        return this;
    }

    /**
     * @param trtNs TRT budget, nanos.
     * @return this.
     */
    public AcceptedMessageFlyweight trtNs(final long trtNs)
    {
        mutableBuffer.putLong(offset + TRT_OFFSET, trtNs, ORDER);
        return this;
    }

    /**
     * Copy a payload in and set its length; the wrapped buffer must have room for it after the header.
     *
     * @param source        holding the payload.
     * @param sourceOffset  where it starts.
     * @param payloadLength its length in bytes.
     * @return this.
     */
    public AcceptedMessageFlyweight payload(final DirectBuffer source, final int sourceOffset, final int payloadLength)
    {
        mutableBuffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        if (payloadLength > 0)
        {
            mutableBuffer.putBytes(offset + PAYLOAD_OFFSET, source, sourceOffset, payloadLength);
        }
        return this;
    }

    /**
     * Set the payload length only, for a caller that wrote (or keeps) the payload bytes in place.
     *
     * @param payloadLength the payload length in bytes.
     * @return this.
     */
    public AcceptedMessageFlyweight payloadLength(final int payloadLength)
    {
        mutableBuffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        return this;
    }

    /**
     * @param into filled with the message's RequestID.
     * @return {@code into}.
     */
    public RequestId readRequestId(final RequestId into)
    {
        return into.set(originator(), target(), counter());
    }

    /** @return the message's length in the layout, header and payload. */
    public int encodedLength()
    {
        return HEADER_LENGTH + payloadLength();
    }

    /** @return where the message starts in the wrapped buffer. */
    public int offset()
    {
        return offset;
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
