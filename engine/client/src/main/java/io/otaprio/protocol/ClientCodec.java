package io.otaprio.protocol;

import io.otaprio.protocol.sbe.AckDecoder;
import io.otaprio.protocol.sbe.Bool;
import io.otaprio.protocol.sbe.CompletedDecoder;
import io.otaprio.protocol.sbe.MessageHeaderDecoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.OriginalState;
import io.otaprio.protocol.sbe.RejectDecoder;
import io.otaprio.protocol.sbe.SubmitEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The client's side of the protocol over caller-owned buffers: encode a Submit frame, decode an Ack, Reject or
 * Completed frame into a reusable {@link ProtocolEvent}. Flyweights only, so neither direction allocates; use it
 * directly from a non-blocking client, or through {@link ProtocolClient} for a blocking one.
 * <p>
 * Threading: not thread-safe; one instance per thread.
 */
public final class ClientCodec
{
    /** {@link #decode} result: the bytes given do not yet hold a whole frame; read more and call again. */
    public static final int INCOMPLETE = 0;

    /** {@link #decode} result: the bytes are not a frame of this protocol; the connection cannot be trusted. */
    public static final int PROTOCOL_ERROR = -1;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubmitEncoder submitEncoder = new SubmitEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final RejectDecoder rejectDecoder = new RejectDecoder();
    private final CompletedDecoder completedDecoder = new CompletedDecoder();
    private final int maxFrameBytes;

    /**
     * @param maxFrameBytes largest frame {@link #decode} accepts; larger declared lengths are protocol errors.
     */
    public ClientCodec(final int maxFrameBytes)
    {
        if (maxFrameBytes < Framing.MAX_REJECT_FRAME_LENGTH)
        {
            throw new IllegalArgumentException("maxFrameBytes must be >= " + Framing.MAX_REJECT_FRAME_LENGTH +
                ", got " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Encode one whole Submit frame (framing header included).
     *
     * @param buffer        to encode into; needs {@code Framing.SUBMIT_FRAME_BASE_LENGTH + payloadLength} bytes.
     * @param offset        where the frame starts.
     * @param kind          1 SERVICE_REQUEST, 2 ALERT, 3 RESPONSE; written as given (0..255), so that a test can
     *                      send a kind the engine does not know.
     * @param code          packed SRV or alert code, sent as an unsigned 32-bit value.
     * @param requestId     the message's RequestID.
     * @param payload       payload bytes.
     * @param payloadOffset where they start.
     * @param payloadLength how many, 0..65534.
     * @return the frame length in bytes.
     */
    public int encodeSubmit(
        final MutableDirectBuffer buffer,
        final int offset,
        final int kind,
        final int code,
        final RequestId requestId,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        return encodeSubmit(buffer, offset, kind, code, CommandVariant.NOT_GIVEN, requestId, payload, payloadOffset,
            payloadLength);
    }

    /**
     * Encode one whole Submit frame (framing header included) with a DUIS CommandVariant.
     *
     * @param buffer         to encode into; needs {@code Framing.SUBMIT_FRAME_BASE_LENGTH + payloadLength} bytes.
     * @param offset         where the frame starts.
     * @param kind           1 SERVICE_REQUEST, 2 ALERT, 3 RESPONSE; written as given (0..255).
     * @param code           packed SRV or alert code, sent as an unsigned 32-bit value.
     * @param commandVariant the DUIS CommandVariant, 0 (not given) to 8; written as given (0..255).
     * @param requestId      the message's RequestID.
     * @param payload        payload bytes.
     * @param payloadOffset  where they start.
     * @param payloadLength  how many, 0..65534.
     * @return the frame length in bytes.
     */
    public int encodeSubmit(
        final MutableDirectBuffer buffer,
        final int offset,
        final int kind,
        final int code,
        final int commandVariant,
        final RequestId requestId,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int sbeOffset = offset + Framing.HEADER_LENGTH;
        submitEncoder.wrapAndApplyHeader(buffer, sbeOffset, headerEncoder)
            .originator(requestId.originator())
            .target(requestId.target())
            .counter(requestId.counter())
            .code(code & 0xFFFF_FFFFL)
            .commandVariant((short)(commandVariant & 0xFF));
        // Raw byte rather than the generated enum setter: the enum cannot express an unknown kind, and tests need to.
        buffer.putByte(submitEncoder.offset() + SubmitEncoder.kindEncodingOffset(), (byte)kind);
        submitEncoder.putPayload(payload, payloadOffset, payloadLength);
        final int frameLength = Framing.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
            submitEncoder.encodedLength();
        Framing.putHeader(buffer, offset, frameLength);
        return frameLength;
    }

    /**
     * Decode the frame at {@code offset} if it is all there.
     *
     * @param buffer    holding received bytes.
     * @param offset    where the next frame starts.
     * @param available bytes received from {@code offset} on.
     * @param event     filled in when a frame is decoded.
     * @return the frame length consumed ({@code > 0}), {@link #INCOMPLETE} or {@link #PROTOCOL_ERROR}.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int available, final ProtocolEvent event)
    {
        if (available < Framing.HEADER_LENGTH)
        {
            return INCOMPLETE;
        }
        final long declared = Framing.frameLength(buffer, offset);
        if (declared < Framing.MIN_FRAME_LENGTH || declared > maxFrameBytes ||
            Framing.encodingType(buffer, offset) != Framing.SBE_LITTLE_ENDIAN_ENCODING)
        {
            return PROTOCOL_ERROR;
        }
        final int frameLength = (int)declared;
        if (available < frameLength)
        {
            return INCOMPLETE;
        }

        headerDecoder.wrap(buffer, offset + Framing.HEADER_LENGTH);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return PROTOCOL_ERROR;
        }
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        final int bodyOffset = offset + Framing.MIN_FRAME_LENGTH;
        final int frameEnd = offset + frameLength;
        switch (headerDecoder.templateId())
        {
            case AckDecoder.TEMPLATE_ID:
                if (blockLength < AckDecoder.BLOCK_LENGTH || bodyOffset + blockLength > frameEnd)
                {
                    return PROTOCOL_ERROR;
                }
                ackDecoder.wrap(buffer, bodyOffset, blockLength, version);
                event.reset(ProtocolEvent.Type.ACK, ackDecoder.originator(), ackDecoder.target(),
                    ackDecoder.counter());
                final short demotedFrom = ackDecoder.demotedFrom();
                event.ack(ackDecoder.messageId(), ackDecoder.level(),
                    demotedFrom == AckDecoder.demotedFromNullValue() ? 0 : demotedFrom);
                return frameLength;

            case RejectDecoder.TEMPLATE_ID:
            {
                final int detailOffset = bodyOffset + blockLength;
                if (blockLength < RejectDecoder.BLOCK_LENGTH ||
                    detailOffset + RejectDecoder.detailHeaderLength() > frameEnd)
                {
                    return PROTOCOL_ERROR;
                }
                rejectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                if (detailOffset + RejectDecoder.detailHeaderLength() + rejectDecoder.detailLength() > frameEnd)
                {
                    return PROTOCOL_ERROR;
                }
                event.reset(ProtocolEvent.Type.REJECT, rejectDecoder.originator(), rejectDecoder.target(),
                    rejectDecoder.counter());
                final long original = rejectDecoder.originalMessageId();
                final short originalState = rejectDecoder.originalStateRaw();
                event.reject(rejectDecoder.reasonRaw(),
                    original == RejectDecoder.originalMessageIdNullValue() ? -1 : original,
                    originalState == OriginalState.NULL_VAL.value() ? ProtocolEvent.ORIGINAL_NONE : originalState);
                rejectDecoder.getDetail(event.detailBuilder());
                return frameLength;
            }

            case CompletedDecoder.TEMPLATE_ID:
                if (blockLength < CompletedDecoder.BLOCK_LENGTH || bodyOffset + blockLength > frameEnd)
                {
                    return PROTOCOL_ERROR;
                }
                completedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                event.reset(ProtocolEvent.Type.COMPLETED, completedDecoder.originator(), completedDecoder.target(),
                    completedDecoder.counter());
                event.completed(completedDecoder.messageId(), completedDecoder.level(), completedDecoder.outcome(),
                    completedDecoder.engineLatencyUs(), completedDecoder.trtMetRaw() == Bool.TRUE.value());
                return frameLength;

            default:
                return PROTOCOL_ERROR;
        }
    }
}
