package io.otaprio.gateway;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.sbe.AckEncoder;
import io.otaprio.protocol.sbe.Bool;
import io.otaprio.protocol.sbe.CompletedEncoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.OriginalState;
import io.otaprio.protocol.sbe.Reason;
import io.otaprio.protocol.sbe.RejectEncoder;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes the engine's answers (Ack, Reject, Completed) as whole frames into a connection's outbound buffer, with
 * flyweight SBE encoders: nothing allocated per answer. Each method returns false when the buffer cannot take the
 * frame: the client is not reading, and the gateway disconnects it as a slow reader.
 * <p>
 * Threading: the admission thread.
 */
final class ResponseProxy
{
    private static final int PADDING_OFFSET =
        RejectEncoder.originalStateEncodingOffset() + RejectEncoder.originalStateEncodingLength();
    private static final int PADDING_LENGTH = RejectEncoder.originalMessageIdEncodingOffset() - PADDING_OFFSET;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final RejectEncoder rejectEncoder = new RejectEncoder();
    private final CompletedEncoder completedEncoder = new CompletedEncoder();
    private final RequestId requestId = new RequestId();

    /**
     * @param connection to answer on.
     * @param id         the Submit's RequestID, echoed.
     * @param result     admission's answer: accepted.
     * @return false when the outbound buffer is full.
     */
    boolean ack(final Connection connection, final RequestId id, final AdmissionResult result)
    {
        final int offset = connection.claim(Framing.ACK_FRAME_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        Framing.putHeader(connection.outboundBuffer, offset, Framing.ACK_FRAME_LENGTH);
        ackEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(id.originator())
            .target(id.target())
            .counter(id.counter())
            .messageId(result.messageId())
            .level((short)result.level())
            .demotedFrom((short)result.demotedFrom());
        return true;
    }

    /**
     * @param connection        to answer on.
     * @param id                the Submit's RequestID, echoed.
     * @param reason            why it was not admitted.
     * @param detail            a short ASCII text, cut at {@link Framing#MAX_DETAIL_LENGTH}.
     * @param originalMessageId for a DUPLICATE, the message the RequestID was admitted as; else -1.
     * @param originalState     for a DUPLICATE, whether that message is pending or completed; else NONE.
     * @return false when the outbound buffer is full.
     */
    boolean reject(
        final Connection connection,
        final RequestId id,
        final RejectReason reason,
        final DirectBuffer detail,
        final long originalMessageId,
        final OriginalState originalState)
    {
        final int detailLength = Math.min(detail.capacity(), Framing.MAX_DETAIL_LENGTH);
        final int frameLength = Framing.MIN_FRAME_LENGTH + RejectEncoder.BLOCK_LENGTH +
            RejectEncoder.detailHeaderLength() + detailLength;
        final int offset = connection.claim(frameLength);
        if (offset < 0)
        {
            return false;
        }
        Framing.putHeader(connection.outboundBuffer, offset, frameLength);
        rejectEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(id.originator())
            .target(id.target())
            .counter(id.counter())
            .reason(Reason.get((short)reason.code()))
            .originalState(originalState)
            .originalMessageId(originalMessageId)
            .putDetail(detail, 0, detailLength);
        // The encoder skips the padding: without this it would carry bytes of earlier frames of the buffer.
        connection.outboundBuffer.setMemory(rejectEncoder.offset() + PADDING_OFFSET, PADDING_LENGTH, (byte)0);
        return true;
    }

    /**
     * @param connection to answer on: the one that submitted the message (or resent it last).
     * @param completed  the completed message.
     * @return false when the outbound buffer is full.
     */
    boolean completed(final Connection connection, final CompletedMessage completed)
    {
        final int offset = connection.claim(Framing.COMPLETED_FRAME_LENGTH);
        if (offset < 0)
        {
            return false;
        }
        final AcceptedMessageFlyweight message = completed.message();
        message.readRequestId(requestId);
        final long latencyNs = completed.latencyNs();
        Framing.putHeader(connection.outboundBuffer, offset, Framing.COMPLETED_FRAME_LENGTH);
        completedEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(requestId.originator())
            .target(requestId.target())
            .counter(requestId.counter())
            .messageId(message.messageId())
            .engineLatencyUs(latencyNs / 1000)
            .level((short)message.level())
            .outcome((short)completed.outcome())
            .trtMet(latencyNs <= message.trtNs() ? Bool.TRUE : Bool.FALSE);
        return true;
    }

    /**
     * @param text ASCII.
     * @return a buffer over its bytes, made once at start-up for a fixed answer.
     */
    static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
