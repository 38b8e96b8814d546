package io.otaprio.protocol;

import io.otaprio.protocol.sbe.AckEncoder;
import io.otaprio.protocol.sbe.Bool;
import io.otaprio.protocol.sbe.CompletedEncoder;
import io.otaprio.protocol.sbe.Kind;
import io.otaprio.protocol.sbe.MessageHeaderDecoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.Reason;
import io.otaprio.protocol.sbe.RejectEncoder;
import io.otaprio.protocol.sbe.SubmitDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every field of every message survives encode then decode, frames sit back to back, partial frames wait for more
 * bytes, and the worked example in {@code docs/protocol.md} is what the real encoder produces.
 */
class ClientCodecTest
{
    /** The document whose worked example the encoder must produce byte for byte. */
    private static final Path PROTOCOL = Path.of("../../docs/protocol.md");

    private final ClientCodec codec = new ClientCodec(4096);
    private final ProtocolEvent event = new ProtocolEvent();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();

    @Test
    void shouldEncodeTheDocumentedSubmitExample() throws IOException
    {
        final UnsafeBuffer payload = new UnsafeBuffer("hi".getBytes(StandardCharsets.US_ASCII));
        final int length = codec.encodeSubmit(buffer, 0, Kind.SERVICE_REQUEST.value(), SrvCode.parse("2.2"),
            new RequestId(0x0011223344556677L, 0x8899AABBCCDDEEFFL, 1), payload, 0, 2);

        final StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            hex.append(String.format("%02x", buffer.getByte(i) & 0xFF));
        }
        assertEquals(48, length);
        assertEquals(documentedSubmitHex(), hex.toString());
    }

    /**
     * @return the bytes of the worked example in docs/protocol.md: the leading hex pairs of each line of the code
     * block after "Worked example", as the document shows them.
     */
    private static String documentedSubmitHex() throws IOException
    {
        final List<String> lines = Files.readAllLines(PROTOCOL);
        int line = 0;
        while (!lines.get(line).startsWith("### Worked example"))
        {
            line++;
        }
        while (!lines.get(line).startsWith("```"))
        {
            line++;
        }
        final StringBuilder hex = new StringBuilder();
        for (line++; !lines.get(line).startsWith("```"); line++)
        {
            for (final String token : lines.get(line).split(" +"))
            {
                if (!token.matches("[0-9a-f]{2}"))
                {
                    break;
                }
                hex.append(token);
            }
        }
        return hex.toString();
    }

    @Test
    void shouldRoundTripEverySubmitField()
    {
        final byte[] bytes = { 1, 2, 3, 4, 5 };
        final int length = codec.encodeSubmit(buffer, 10, Kind.ALERT.value(), 0x8F01,
            new RequestId(0x0011223344556677L, -1L, Long.MIN_VALUE), new UnsafeBuffer(bytes), 0, bytes.length);

        assertEquals(Framing.SUBMIT_FRAME_BASE_LENGTH + bytes.length, length);
        assertEquals(length, Framing.frameLength(buffer, 10));
        assertEquals(Framing.SBE_LITTLE_ENDIAN_ENCODING, Framing.encodingType(buffer, 10));
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 10 + Framing.HEADER_LENGTH);
        assertEquals(SubmitDecoder.TEMPLATE_ID, header.templateId());
        assertEquals(SubmitDecoder.SCHEMA_ID, header.schemaId());
        assertEquals(SubmitDecoder.SCHEMA_VERSION, header.version());
        assertEquals(SubmitDecoder.BLOCK_LENGTH, header.blockLength());

        final SubmitDecoder submit = new SubmitDecoder().wrap(buffer, 10 + Framing.MIN_FRAME_LENGTH,
            header.blockLength(), header.version());
        assertEquals(0x0011223344556677L, submit.originator());
        assertEquals(-1L, submit.target());
        assertEquals(Long.MIN_VALUE, submit.counter());
        assertEquals(0x8F01, submit.code());
        assertEquals(Kind.ALERT, submit.kind());
        final byte[] decoded = new byte[submit.payloadLength()];
        submit.getPayload(decoded, 0, decoded.length);
        assertEquals(java.util.Arrays.toString(bytes), java.util.Arrays.toString(decoded));
        assertEquals(length, Framing.MIN_FRAME_LENGTH + submit.sbeDecodedLength());
    }

    @Test
    void shouldRoundTripAckRejectAndCompletedBackToBack()
    {
        int offset = 0;
        offset += encodeAck(offset);
        offset += encodeReject(offset);
        offset += encodeCompleted(offset);
        final int total = offset;

        int position = 0;
        position += decodeWhole(position, total);
        assertEquals(ProtocolEvent.Type.ACK, event.type());
        assertEquals(0x0011223344556677L, event.requestId().originator());
        assertEquals(-1L, event.requestId().target());
        assertEquals(Long.MAX_VALUE, event.requestId().counter());
        assertEquals(123_456_789_012L, event.messageId());
        assertEquals(3, event.level());

        position += decodeWhole(position, total);
        assertEquals(ProtocolEvent.Type.REJECT, event.type());
        assertEquals(7, event.requestId().originator());
        assertEquals(8, event.requestId().target());
        assertEquals(9, event.requestId().counter());
        assertEquals(RejectReason.TOO_LARGE, event.reason());
        assertEquals(4, event.reasonCode());
        assertEquals("payload above maxPayloadBytes 512", event.detail().toString());
        assertEquals(-1, event.messageId());

        position += decodeWhole(position, total);
        assertEquals(ProtocolEvent.Type.COMPLETED, event.type());
        assertEquals(10, event.requestId().originator());
        assertEquals(11, event.requestId().target());
        assertEquals(12, event.requestId().counter());
        assertEquals(99, event.messageId());
        assertEquals(1, event.level());
        assertEquals(1, event.outcome());
        assertEquals(1_234_567L, event.engineLatencyUs());
        assertFalse(event.trtMet());
        assertEquals(total, position);
    }

    @Test
    void shouldWaitForWholeFramesAndRefuseForeignOnes()
    {
        final int length = encodeAck(0);
        for (int available = 0; available < length; available++)
        {
            assertEquals(ClientCodec.INCOMPLETE, codec.decode(buffer, 0, available, event), "available " + available);
        }
        assertEquals(length, codec.decode(buffer, 0, length, event));

        buffer.putShort(Framing.ENCODING_TYPE_OFFSET, (short)0x5BE0, Framing.HEADER_BYTE_ORDER);
        assertEquals(ClientCodec.PROTOCOL_ERROR, codec.decode(buffer, 0, length, event));
        Framing.putHeader(buffer, 0, 1 << 30);
        assertEquals(ClientCodec.PROTOCOL_ERROR, codec.decode(buffer, 0, length, event));
    }

    private int decodeWhole(final int offset, final int total)
    {
        final int consumed = codec.decode(buffer, offset, total - offset, event);
        assertEquals(Framing.frameLength(buffer, offset), consumed);
        return consumed;
    }

    private int encodeAck(final int offset)
    {
        new AckEncoder().wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(0x0011223344556677L)
            .target(-1L)
            .counter(Long.MAX_VALUE)
            .messageId(123_456_789_012L)
            .level((short)3);
        Framing.putHeader(buffer, offset, Framing.ACK_FRAME_LENGTH);
        return Framing.ACK_FRAME_LENGTH;
    }

    private int encodeReject(final int offset)
    {
        final RejectEncoder reject = new RejectEncoder()
            .wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(7)
            .target(8)
            .counter(9)
            .reason(Reason.TOO_LARGE)
            .originalMessageId(-1)
            .detail("payload above maxPayloadBytes 512");
        final int length = Framing.MIN_FRAME_LENGTH + reject.encodedLength();
        Framing.putHeader(buffer, offset, length);
        return length;
    }

    private int encodeCompleted(final int offset)
    {
        new CompletedEncoder().wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(10)
            .target(11)
            .counter(12)
            .messageId(99)
            .engineLatencyUs(1_234_567L)
            .level((short)1)
            .outcome((short)1)
            .trtMet(Bool.FALSE);
        Framing.putHeader(buffer, offset, Framing.COMPLETED_FRAME_LENGTH);
        return Framing.COMPLETED_FRAME_LENGTH;
    }
}
