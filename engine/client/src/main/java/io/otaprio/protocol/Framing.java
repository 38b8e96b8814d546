package io.otaprio.protocol;

import io.otaprio.protocol.sbe.AckEncoder;
import io.otaprio.protocol.sbe.CompletedEncoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.RejectEncoder;
import io.otaprio.protocol.sbe.SubmitEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Byte layout of one frame on the wire: a Simple Open Framing Header (SOFH), then an SBE message header, then the
 * message's fixed block and its variable-length data (codecs generated from
 * {@code engine/src/main/sbe/otaprio-protocol.xml} into {@code io.otaprio.protocol.sbe}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------------------------------------+
 *  |            frame length, uint32 BIG-endian                  |  0  SOFH: counts ALL bytes of the frame,
 *  +-------------------------------+-----------------------------+       these 6 included
 *  | encoding type 0xEB50 (BE)     | blockLength uint16 LE       |  4  SBE header starts at 6
 *  +-------------------------------+-----------------------------+
 *  | templateId uint16 LE          | schemaId uint16 LE (7400)   |  8
 *  +-------------------------------+-----------------------------+
 *  | version uint16 LE             | message block ...           | 12  block starts at 14
 *  +-------------------------------+                             |
 *  |             ... blockLength bytes, then var data            |
 *  +-------------------------------------------------------------+
 * </pre>
 * The frame length and encoding type are big-endian (the SOFH standard); everything after them is little-endian
 * (SBE with {@code byteOrder="littleEndian"}). A receiver reads 6 bytes, checks the length against its maximum
 * frame size before reading the rest, then reads {@code length - 6} more bytes.
 * <p>
 * Encoding a Submit by hand (what {@link ClientCodec#encodeSubmit} does):
 * <pre>{@code
 *   final int sbeOffset = offset + Framing.HEADER_LENGTH;
 *   submitEncoder.wrapAndApplyHeader(buffer, sbeOffset, headerEncoder)
 *       .originator(o).target(t).counter(c).code(code & 0xFFFF_FFFFL).kind(Kind.SERVICE_REQUEST)
 *       .putPayload(payload, 0, length);
 *   final int frameLength = Framing.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
 *       submitEncoder.encodedLength();
 *   Framing.putHeader(buffer, offset, frameLength);
 * }</pre>
 * Stateless; any thread.
 */
public final class Framing
{
    /** Offset of the frame length, uint32 big-endian, counting the whole frame including this header. */
    public static final int LENGTH_OFFSET = 0;

    /** Offset of the encoding type, uint16 big-endian. */
    public static final int ENCODING_TYPE_OFFSET = 4;

    /** Length of the Simple Open Framing Header. */
    public static final int HEADER_LENGTH = 6;

    /** Encoding type of SBE 1.0 little-endian messages, the only one the gateway accepts. */
    public static final int SBE_LITTLE_ENDIAN_ENCODING = 0xEB50;

    /** Framing header plus SBE message header: the least a frame can be. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH;

    /** Byte order of the framing header fields. */
    public static final ByteOrder HEADER_BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    /** Longest detail text the gateway puts in a Reject. */
    public static final int MAX_DETAIL_LENGTH = 96;

    /** Length of a whole Ack frame. */
    public static final int ACK_FRAME_LENGTH = MIN_FRAME_LENGTH + AckEncoder.BLOCK_LENGTH;

    /** Length of a whole Completed frame. */
    public static final int COMPLETED_FRAME_LENGTH = MIN_FRAME_LENGTH + CompletedEncoder.BLOCK_LENGTH;

    /** Longest Reject frame the gateway sends. */
    public static final int MAX_REJECT_FRAME_LENGTH = MIN_FRAME_LENGTH + RejectEncoder.BLOCK_LENGTH +
        RejectEncoder.detailHeaderLength() + MAX_DETAIL_LENGTH;

    /** Length of a Submit frame with an empty payload; add the payload length for the frame length. */
    public static final int SUBMIT_FRAME_BASE_LENGTH = MIN_FRAME_LENGTH + SubmitEncoder.BLOCK_LENGTH +
        SubmitEncoder.payloadHeaderLength();

    /**
     * Largest payload a Submit can carry: its length field is a uint16 whose schema maxValue is 65534 (SBE keeps 65535
     * as the null value), so 65,534 bytes, whatever the engine's own limit.
     */
    public static final int MAX_SUBMIT_PAYLOAD_LENGTH = 65_534;

    /** Length of a Submit frame carrying {@link #MAX_SUBMIT_PAYLOAD_LENGTH} payload bytes: 65,580. */
    public static final int MAX_SUBMIT_FRAME_LENGTH = SUBMIT_FRAME_BASE_LENGTH + MAX_SUBMIT_PAYLOAD_LENGTH;

    private Framing()
    {
    }

    /**
     * Write the framing header.
     *
     * @param buffer      to write into.
     * @param offset      where the frame starts.
     * @param frameLength whole frame length, header included.
     */
    public static void putHeader(final MutableDirectBuffer buffer, final int offset, final int frameLength)
    {
        buffer.putInt(offset + LENGTH_OFFSET, frameLength, HEADER_BYTE_ORDER);
        buffer.putShort(offset + ENCODING_TYPE_OFFSET, (short)SBE_LITTLE_ENDIAN_ENCODING, HEADER_BYTE_ORDER);
    }

    /**
     * @param buffer holding a frame.
     * @param offset where the frame starts.
     * @return the declared frame length as an unsigned value (may exceed {@code int} range: compare before use).
     */
    public static long frameLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + LENGTH_OFFSET, HEADER_BYTE_ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer holding a frame.
     * @param offset where the frame starts.
     * @return the encoding type, 0..0xFFFF.
     */
    public static int encodingType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ENCODING_TYPE_OFFSET, HEADER_BYTE_ORDER) & 0xFFFF;
    }
}
