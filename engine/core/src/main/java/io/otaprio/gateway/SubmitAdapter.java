package io.otaprio.gateway;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.sbe.MessageHeaderDecoder;
import io.otaprio.protocol.sbe.SubmitDecoder;
import org.agrona.DirectBuffer;

/**
 * Decodes one Submit frame into a submission in the accepted-message layout (kind, code, RequestID, payload), ready
 * for admission, and says what is wrong with a frame that is not one.
 * <pre>
 *   frame ──MessageHeaderDecoder/SubmitDecoder──► RequestID ──► submission (kind, code, RequestID, payload copied)
 * </pre>
 * Two kinds of wrong: a frame that is not a Submit of this schema, or too short to carry a RequestID, is a protocol
 * error (the connection cannot be trusted); a Submit whose RequestID could be read but whose block or payload runs
 * past the frame is answered MALFORMED with that RequestID, so the client can correlate it.
 * <p>
 * Threading: the admission thread; flyweights only, nothing allocated except the text of a protocol error.
 */
final class SubmitAdapter
{
    /** Decoded: the submission and RequestID are filled. */
    static final int SUBMIT = 0;
    /** Not a Submit frame this engine can read: close the connection ({@link #protocolError()} says why). */
    static final int PROTOCOL_ERROR = 1;
    /** The RequestID was read but the block is shorter than the schema's: answer MALFORMED. */
    static final int TRUNCATED_BLOCK = 2;
    /** The RequestID was read but the payload runs past the frame: answer MALFORMED. */
    static final int PAYLOAD_PAST_FRAME = 3;

    /** The schema version that added the CommandVariant to the Submit block. */
    private static final int COMMAND_VARIANT_SINCE = 3;
    /** A version-1 or -2 Submit block: RequestID, code and kind, no CommandVariant. */
    private static final int VERSION_2_BLOCK_LENGTH = 29;

    /** Bytes of the RequestID at the start of a Submit block: what a MALFORMED reply needs to be correlated. */
    private static final int REQUEST_ID_LENGTH = 24;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubmitDecoder submitDecoder = new SubmitDecoder();
    private String protocolError;

    /**
     * @param buffer     holding the frame.
     * @param offset     where the frame starts (its framing header).
     * @param length     the frame's length.
     * @param submission filled with the Submit's kind, code, RequestID and payload (its buffer must have room for the
     *                   payload: the gateway's maxFrameBytes bounds it).
     * @param requestId  filled with the RequestID whenever one could be read.
     * @return {@link #SUBMIT}, {@link #PROTOCOL_ERROR}, {@link #TRUNCATED_BLOCK} or {@link #PAYLOAD_PAST_FRAME}.
     */
    int decode(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final AcceptedMessageFlyweight submission,
        final RequestId requestId)
    {
        headerDecoder.wrap(buffer, offset + Framing.HEADER_LENGTH);
        final int templateId = headerDecoder.templateId();
        final int schemaId = headerDecoder.schemaId();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || templateId != SubmitDecoder.TEMPLATE_ID)
        {
            protocolError = "schema " + schemaId + " template " + templateId + " is not a Submit of schema " +
                MessageHeaderDecoder.SCHEMA_ID;
            return PROTOCOL_ERROR;
        }
        final int blockLength = headerDecoder.blockLength();
        final int blockOffset = offset + Framing.MIN_FRAME_LENGTH;
        final int frameEnd = offset + length;
        if (blockLength < REQUEST_ID_LENGTH || blockOffset + REQUEST_ID_LENGTH > frameEnd)
        {
            protocolError = "Submit too short to carry a RequestID (block " + blockLength + ", frame " + length + ")";
            return PROTOCOL_ERROR;
        }

        submitDecoder.wrap(buffer, blockOffset, blockLength, headerDecoder.version());
        requestId.set(submitDecoder.originator(), submitDecoder.target(), submitDecoder.counter());
        final int payloadHeaderOffset = blockOffset + blockLength;
        final int version = headerDecoder.version();
        if (blockLength < (version >= COMMAND_VARIANT_SINCE ? SubmitDecoder.BLOCK_LENGTH : VERSION_2_BLOCK_LENGTH) ||
            payloadHeaderOffset + SubmitDecoder.payloadHeaderLength() > frameEnd)
        {
            return TRUNCATED_BLOCK;
        }
        final int payloadLength = submitDecoder.payloadLength();
        final int payloadOffset = payloadHeaderOffset + SubmitDecoder.payloadHeaderLength();
        if (payloadOffset + payloadLength > frameEnd)
        {
            return PAYLOAD_PAST_FRAME;
        }

        // The raw kind, not the generated enum: an unknown value must become UNKNOWN_KIND, not an exception.
        submission.clear()
            .kind(submitDecoder.kindRaw())
            .code((int)submitDecoder.code())
            .commandVariant(version >= COMMAND_VARIANT_SINCE ? submitDecoder.commandVariant() : 0)
            .requestId(requestId)
            .payload(buffer, payloadOffset, payloadLength);
        return SUBMIT;
    }

    /** @return why the last frame was a protocol error. */
    String protocolError()
    {
        return protocolError;
    }
}
