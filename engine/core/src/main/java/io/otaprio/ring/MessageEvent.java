package io.otaprio.ring;

import com.lmax.disruptor.EventFactory;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot holding one accepted message in the {@link AcceptedMessageDescriptor} layout, read and
 * written through {@link #message()}. A message whose payload fits the slot's inline capacity is held in the slot's
 * own buffer from offset 0; a larger one is held in its lane's {@link PayloadStore}, and the slot wraps that region
 * (header and payload contiguous). Either way {@link #buffer()} and {@link #offset()} locate the whole message, so
 * the scheduler, the dispatcher and the accepted journal read it the same way. Slots are created once by
 * {@link #factory(int)} when the rings are built and filled in place by the lane's producer, so accepting a message
 * allocates nothing.
 * <p>
 * Threading: written only by the lane's producer (admission, the replay feeder, a cluster leader's lane feed) between
 * claiming and publishing the slot; read only by the scheduler thread after publication (the ring's publish/cursor
 * pair orders the two). A dispatcher sees the message only for the duration of {@code dispatch} and must copy
 * anything it keeps: once the scheduler hands the slot back, its store region may be overwritten.
 */
public final class MessageEvent
{
    /** {@link #storeEnd()} of a message held inline. */
    public static final long INLINE = -1;

    private final UnsafeBuffer inline;
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private UnsafeBuffer buffer;
    private int offset;
    private long storeEnd = INLINE;
    private boolean isVoid;

    MessageEvent(final int inlinePayloadBytes)
    {
        inline = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(inlinePayloadBytes)]);
        buffer = inline;
        message.wrap(inline, 0).clear();
    }

    /**
     * @param inlinePayloadBytes payload capacity of each slot's own buffer.
     * @return a Disruptor event factory creating slots of that capacity.
     */
    public static EventFactory<MessageEvent> factory(final int inlinePayloadBytes)
    {
        return () -> new MessageEvent(inlinePayloadBytes);
    }

    /**
     * Producer, on a claimed slot: the next message goes into the slot's own buffer.
     */
    void holdInline()
    {
        if (buffer != inline)
        {
            buffer = inline;
            offset = 0;
            storeEnd = INLINE;
            message.wrap(inline, 0);
        }
    }

    /**
     * Producer, on a claimed slot: the next message goes into a region of its lane's store.
     *
     * @param store         the lane's store.
     * @param start         the region's start position, as {@link PayloadStore#claim(int)} returned it.
     * @param alignedLength the region's length.
     */
    void holdInStore(final PayloadStore store, final long start, final int alignedLength)
    {
        buffer = store.buffer();
        offset = store.offset(start);
        storeEnd = start + alignedLength;
        message.wrap(buffer, offset);
    }

    /**
     * Fill the slot with a copy of a message (header and payload) in the same layout; the producer, on a claimed,
     * unpublished slot. The caller has checked that the payload fits where the slot holds it (its inline capacity, or
     * the store region claimed for it).
     *
     * @param source the message to copy.
     * @return the slot's message, to stamp the fields admission decides.
     */
    public AcceptedMessageFlyweight copy(final AcceptedMessageFlyweight source)
    {
        buffer.putBytes(offset, source.buffer(), source.offset(), source.encodedLength());
        isVoid = false;
        return message;
    }

    /**
     * Mark a claimed slot as holding no message. A Disruptor slot cannot be un-claimed, so a message that failed to
     * reach the journal is published as a void slot that the scheduler skips (and whose store region, if it took
     * one, is released with the slot).
     */
    public void setVoid()
    {
        isVoid = true;
    }

    /** @return true for a slot published without a message. */
    public boolean isVoid()
    {
        return isVoid;
    }

    /** @return the slot's message; valid until the slot is handed back to the producer. */
    public AcceptedMessageFlyweight message()
    {
        return message;
    }

    /** @return the buffer holding the message from {@link #offset()}: the slot's own, or its lane's store. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where the message starts in {@link #buffer()}: 0 inline. */
    public int offset()
    {
        return offset;
    }

    /** @return the end position of the message's store region, to release once the slot is consumed; or
     * {@link #INLINE}. */
    public long storeEnd()
    {
        return storeEnd;
    }
}
