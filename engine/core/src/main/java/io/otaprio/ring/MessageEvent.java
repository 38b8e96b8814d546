package io.otaprio.ring;

import com.lmax.disruptor.EventFactory;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated ring slot: a buffer holding one accepted message in the {@link AcceptedMessageDescriptor} layout,
 * read and written through {@link #message()}. Slots are created once by {@link #factory(int)} when the rings are built
 * and filled in place by the admission thread, so accepting a message allocates nothing, and the accepted journal
 * writes the slot's bytes as they are.
 * <p>
 * Threading: written only by the admission thread between claiming and publishing the slot; read only by the
 * scheduler thread after publication (the ring's publish/cursor pair orders the two). A dispatcher sees the message
 * only for the duration of {@code dispatch} and must copy anything it keeps.
 */
public final class MessageEvent
{
    private final UnsafeBuffer buffer;
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private boolean isVoid;

    MessageEvent(final int maxPayloadBytes)
    {
        buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(maxPayloadBytes)]);
        message.wrap(buffer, 0).clear();
    }

    /**
     * @param maxPayloadBytes capacity of each slot's payload.
     * @return a Disruptor event factory creating slots of that capacity.
     */
    public static EventFactory<MessageEvent> factory(final int maxPayloadBytes)
    {
        return () -> new MessageEvent(maxPayloadBytes);
    }

    /**
     * Fill the slot with a copy of a message (header and payload) in the same layout; admission thread, on a claimed,
     * unpublished slot. The caller has checked that the payload fits.
     *
     * @param source the message to copy.
     * @return the slot's message, to stamp the fields admission decides.
     */
    public AcceptedMessageFlyweight copy(final AcceptedMessageFlyweight source)
    {
        buffer.putBytes(0, source.buffer(), source.offset(), source.encodedLength());
        isVoid = false;
        return message;
    }

    /**
     * Mark a claimed slot as holding no message. A Disruptor slot cannot be un-claimed, so a message that failed to
     * reach the journal is published as a void slot that the scheduler skips.
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

    /** @return the slot's buffer, holding the message from offset 0. */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
