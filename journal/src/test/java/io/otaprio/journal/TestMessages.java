package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Accepted messages for the journal's tests, built through the flyweight as admission builds them in a ring slot.
 */
final class TestMessages
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(64 * 1024)]);
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight().wrap(buffer, 0);

    /**
     * @param messageId message id.
     * @param level     priority level.
     * @param code      packed SRV code.
     * @param requestId the RequestID.
     * @param payload   payload bytes.
     * @param length    payload length.
     * @return the message, valid until the next call.
     */
    AcceptedMessageFlyweight message(
        final long messageId, final int level, final int code, final RequestId requestId, final DirectBuffer payload,
        final int length)
    {
        return message.clear().kind(1).level(level).code(code).messageId(messageId).requestId(requestId)
            .acceptTimeNs(1_000L * messageId).trtNs(10L).payload(payload, 0, length);
    }

    /**
     * Append a message with every field given.
     *
     * @param journal      the journal.
     * @param messageId    message id.
     * @param kind         kind value.
     * @param level        priority level.
     * @param code         packed SRV or alert code.
     * @param requestId    the RequestID.
     * @param acceptTimeNs accept time.
     * @param trtNs        TRT budget.
     * @param payload      payload bytes.
     * @param length       payload length.
     * @return the index, or -1.
     */
    @SuppressWarnings("checkstyle:ParameterNumber")
    long append(
        final AcceptedJournal journal,
        final long messageId,
        final int kind,
        final int level,
        final int code,
        final RequestId requestId,
        final long acceptTimeNs,
        final long trtNs,
        final DirectBuffer payload,
        final int length)
    {
        message.clear().kind(kind).level(level).code(code).messageId(messageId).requestId(requestId)
            .acceptTimeNs(acceptTimeNs).trtNs(trtNs).payload(payload, 0, length);
        return journal.append(buffer, 0, message.encodedLength());
    }

    /**
     * Append a message.
     *
     * @param journal   the journal.
     * @param messageId message id.
     * @param level     priority level.
     * @param payload   payload bytes.
     * @param length    payload length.
     * @return the index, or -1.
     */
    long append(
        final AcceptedJournal journal, final long messageId, final int level, final DirectBuffer payload,
        final int length)
    {
        final AcceptedMessageFlyweight m = message(messageId, level, 0x02_02_00_00, new RequestId(0xAAL, 0xBBL,
            messageId), payload, length);
        return journal.append(buffer, 0, m.encodedLength());
    }
}
