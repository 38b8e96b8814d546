package io.otaprio.message;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot holding one accepted message. Slots are created once by {@link #factory(int)} when
 * the rings are built and filled in place by the admission thread, so accepting a message allocates nothing.
 * <p>
 * Threading: written only by the admission thread between claiming and publishing the slot; read only by the
 * scheduler thread after publication (the ring's publish/cursor pair orders the two). A {@link io.otaprio.dispatch
 * .Dispatcher} sees the slot only for the duration of {@code dispatch} and must copy anything it keeps.
 */
public final class MessageEvent
{
    private final UnsafeBuffer payload;

    /** Message id of a slot that was claimed but whose message could not be journaled: skipped, never dispatched. */
    public static final long VOID_MESSAGE_ID = -1;

    private long messageId;
    private long acceptedIndex = -1;
    private long originator;
    private long target;
    private long counter;
    private long acceptTimeNs;
    private long trtNs;
    private int kind;
    private int code;
    private int level;
    private int rule;
    private int payloadLength;

    MessageEvent(final int maxPayloadBytes)
    {
        payload = new UnsafeBuffer(new byte[maxPayloadBytes]);
    }

    /**
     * @param maxPayloadBytes capacity of each slot's payload buffer.
     * @return a Disruptor event factory creating slots of that capacity.
     */
    public static com.lmax.disruptor.EventFactory<MessageEvent> factory(final int maxPayloadBytes)
    {
        return () -> new MessageEvent(maxPayloadBytes);
    }

    /**
     * Fill the slot; called by the admission thread on a claimed, unpublished slot.
     */
    public void set(
        final long messageId,
        final long originator,
        final long target,
        final long counter,
        final int kind,
        final int code,
        final int level,
        final int rule,
        final long trtNs,
        final long acceptTimeNs,
        final DirectBuffer payloadSource,
        final int payloadOffset,
        final int payloadLength)
    {
        this.messageId = messageId;
        this.originator = originator;
        this.target = target;
        this.counter = counter;
        this.kind = kind;
        this.code = code;
        this.level = level;
        this.rule = rule;
        this.trtNs = trtNs;
        this.acceptTimeNs = acceptTimeNs;
        this.payloadLength = payloadLength;
        this.acceptedIndex = -1;
        if (payloadLength > 0)
        {
            payload.putBytes(0, payloadSource, payloadOffset, payloadLength);
        }
    }

    /**
     * Mark a claimed slot as holding no message. A Disruptor slot cannot be un-claimed, so a message that failed to
     * reach the journal is published as a void slot that the scheduler skips.
     */
    public void setVoid()
    {
        messageId = VOID_MESSAGE_ID;
        payloadLength = 0;
        acceptedIndex = -1;
    }

    /** @return true for a slot published without a message. */
    public boolean isVoid()
    {
        return messageId == VOID_MESSAGE_ID;
    }

    /** @param acceptedIndex where the message sits in the accepted journal. */
    public void acceptedIndex(final long acceptedIndex)
    {
        this.acceptedIndex = acceptedIndex;
    }

    /** @return where the message sits in the accepted journal, or -1 when journaling is off. */
    public long acceptedIndex()
    {
        return acceptedIndex;
    }

    /** @return the engine's message id: monotonic, unique for the life of a journal. */
    public long messageId()
    {
        return messageId;
    }

    /** @return RequestID part 1: the originator's EUI-64. */
    public long originator()
    {
        return originator;
    }

    /** @return RequestID part 2: the target device's EUI-64. */
    public long target()
    {
        return target;
    }

    /** @return RequestID part 3: the originator's counter (unsigned 64-bit). */
    public long counter()
    {
        return counter;
    }

    /** @return the {@link io.otaprio.protocol.MessageKind#value()} of the message. */
    public int kind()
    {
        return kind;
    }

    /** @return the packed {@link io.otaprio.protocol.SrvCode} or the 16-bit alert code, as {@link #kind()} says. */
    public int code()
    {
        return code;
    }

    /** @return the class level 1..4 given by the policy (reported per level even when lanes are merged). */
    public int level()
    {
        return level;
    }

    /** @return the index of the policy rule that classified the message. */
    public int rule()
    {
        return rule;
    }

    /** @return the Target Response Time budget of the message, in nanoseconds. */
    public long trtNs()
    {
        return trtNs;
    }

    /** @return when the engine accepted the message, epoch nanoseconds. */
    public long acceptTimeNs()
    {
        return acceptTimeNs;
    }

    /** @return the payload; only the first {@link #payloadLength()} bytes belong to this message. */
    public DirectBuffer payload()
    {
        return payload;
    }

    /** @return the payload length in bytes. */
    public int payloadLength()
    {
        return payloadLength;
    }
}
