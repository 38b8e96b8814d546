package io.otaprio.testing;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Submissions for tests that call {@code Admission.submit} directly, on the thread that is admission's (a component
 * test, or an engine the test drives in {@code ThreadingMode.INVOKER}).
 */
public final class Submissions
{
    private Submissions()
    {
    }

    /**
     * A completion as the relay hands it to the admission thread.
     *
     * @param requestId   the message's RequestID.
     * @param messageId   its id.
     * @param level       its level.
     * @param completedNs when it completed.
     * @return a new completed message.
     */
    public static CompletedMessage completed(
        final RequestId requestId, final long messageId, final int level, final long completedNs)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[CompletedMessage.LENGTH]);
        final CompletedMessage completed = new CompletedMessage().wrap(buffer, 0);
        completed.message().wrap(buffer, 0).clear().kind(MessageKind.SERVICE_REQUEST.value()).requestId(requestId)
            .messageId(messageId).level(level);
        buffer.putLong(CompletedMessage.COMPLETED_TIME_OFFSET, completedNs, java.nio.ByteOrder.LITTLE_ENDIAN);
        return completed;
    }

    /**
     * @param kind      message kind value.
     * @param code      packed SRV or alert code.
     * @param requestId the RequestID.
     * @param payload   payload bytes.
     * @param offset    where they start.
     * @param length    how many.
     * @return a new submission in the accepted-message layout.
     */
    public static AcceptedMessageFlyweight of(
        final int kind,
        final int code,
        final RequestId requestId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        return new AcceptedMessageFlyweight()
            .wrap(new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(Math.max(0, length))]), 0)
            .clear()
            .kind(kind)
            .code(code)
            .requestId(requestId)
            .payload(payload, offset, Math.max(0, length))
            .payloadLength(length);
    }
}
