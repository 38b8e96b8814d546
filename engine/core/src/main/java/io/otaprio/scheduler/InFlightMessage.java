package io.otaprio.scheduler;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * What the scheduler keeps of a dispatched message until its completion arrives, in the {@link CompletedMessage}
 * layout: the ring slot is handed back at dispatch, so the message's header is copied here (one copy of 64 bytes), and
 * the dispatch time, completion time and outcome are written beside it. K of these are preallocated, one per
 * dispatcher slot.
 * <p>
 * Threading: scheduler thread only. A {@link CompletionListener} sees it, as a {@link CompletedMessage}, for the
 * duration of its callback.
 */
final class InFlightMessage
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    final int index;
    final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CompletedMessage.LENGTH]);
    final CompletedMessage completed = new CompletedMessage().wrap(buffer, 0);
    final AcceptedMessageFlyweight message = completed.message();
    long messageId;
    long dispatchTimeNs;
    boolean inFlight;

    InFlightMessage(final int index)
    {
        this.index = index;
    }

    void dispatched(final AcceptedMessageFlyweight source, final long nowNs)
    {
        buffer.putBytes(0, source.buffer(), source.offset(), AcceptedMessageDescriptor.HEADER_LENGTH);
        buffer.putLong(CompletedMessage.DISPATCH_TIME_OFFSET, nowNs, ORDER);
        messageId = source.messageId();
        dispatchTimeNs = nowNs;
        inFlight = true;
    }

    void completed(final long completedNs, final int outcome)
    {
        buffer.putLong(CompletedMessage.COMPLETED_TIME_OFFSET, completedNs, ORDER);
        buffer.putInt(CompletedMessage.OUTCOME_OFFSET, outcome, ORDER);
        inFlight = false;
    }
}
