package io.otaprio.scheduler;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A completed message: the header of the message as it was accepted, then what became of it downstream. The same
 * layout is kept by the scheduler for each message in flight and carried by the {@link CompletionRelay} to the
 * admission thread, so a completion is handed on with one copy and read through this flyweight, never field by field.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |  message header: the accepted message's first 64 bytes in     |  0
 *  |  the AcceptedMessageDescriptor layout (id, level, RequestID,   |
 *  |  code, accept time, TRT budget, payload length; no payload)    |
 *  +---------------------------------------------------------------+
 *  |                  dispatch time, epoch nanos (i64)              | 64
 *  +---------------------------------------------------------------+
 *  |                  completion time, epoch nanos (i64)            | 72
 *  +---------------------------------------------------------------+
 *  |                  outcome (i32)                                 | 80
 *  +---------------------------------------------------------------+
 *  |                  reserved, zero (i32)                          | 84
 *  +---------------------------------------------------------------+
 * </pre>
 * Little-endian. The header's payload length is the accepted message's, but its payload is not carried: read only
 * the header fields through {@link #message()}.
 * <p>
 * Threading: not thread-safe; the view is valid during the callback that hands it over.
 */
public final class CompletedMessage
{
    /** Offset of the dispatch time (i64). */
    public static final int DISPATCH_TIME_OFFSET = AcceptedMessageDescriptor.HEADER_LENGTH;
    /** Offset of the completion time (i64). */
    public static final int COMPLETED_TIME_OFFSET = DISPATCH_TIME_OFFSET + 8;
    /** Offset of the outcome (i32). */
    public static final int OUTCOME_OFFSET = COMPLETED_TIME_OFFSET + 8;
    /** Length of one completed message. */
    public static final int LENGTH = OUTCOME_OFFSET + 8;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private DirectBuffer buffer;
    private int offset;

    /**
     * @param buffer holding a completed message.
     * @param offset where it starts.
     * @return this.
     */
    public CompletedMessage wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        message.wrap(buffer, offset);
        return this;
    }

    /** @return the message's header as it was accepted (id, level, RequestID, code, accept time, TRT budget). */
    public AcceptedMessageFlyweight message()
    {
        return message;
    }

    /** @return when the scheduler dispatched it, epoch nanos. */
    public long dispatchTimeNs()
    {
        return buffer.getLong(offset + DISPATCH_TIME_OFFSET, ORDER);
    }

    /** @return when its completion was reported, epoch nanos. */
    public long completedTimeNs()
    {
        return buffer.getLong(offset + COMPLETED_TIME_OFFSET, ORDER);
    }

    /** @return the dispatcher's outcome, {@code CompletionPort.OUTCOME_*}. */
    public int outcome()
    {
        return buffer.getInt(offset + OUTCOME_OFFSET, ORDER);
    }

    /** @return accept to completion, nanos. */
    public long latencyNs()
    {
        return completedTimeNs() - message.acceptTimeNs();
    }

    /** @return the buffer holding it. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return where it starts in {@link #buffer()}. */
    public int offset()
    {
        return offset;
    }
}
