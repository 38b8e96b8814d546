package io.otaprio.peer;

import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerMessageDescriptorTest
{
    @Test
    void shouldCarryWhatTheConsumerNeedsAndThePayloadSizeOfTheMix()
    {
        final int code = SrvCode.parse("2.2");
        final byte[] body = PeerMessageDescriptor.encode(MessageKind.SERVICE_REQUEST.value(), 1, code, 123_456_789L,
            987_654_321_012L, 96);

        assertEquals(PeerMessageDescriptor.HEADER_LENGTH + 96, body.length);
        assertTrue(PeerMessageDescriptor.isValid(body));
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        assertEquals(MessageKind.SERVICE_REQUEST.value(), PeerMessageDescriptor.kind(buffer));
        assertEquals(1, PeerMessageDescriptor.level(buffer));
        assertEquals(code, PeerMessageDescriptor.code(buffer));
        assertEquals(123_456_789L, PeerMessageDescriptor.number(buffer));
        assertEquals(987_654_321_012L, PeerMessageDescriptor.intendedNs(buffer));
    }

    @Test
    void shouldKeepAnAlertCodeWithItsTopBitSet()
    {
        final byte[] body = PeerMessageDescriptor.encode(MessageKind.ALERT.value(), 4, 0x8F7F, 0, -5, 0);
        final UnsafeBuffer buffer = new UnsafeBuffer(body);
        assertEquals(0x8F7F, PeerMessageDescriptor.code(buffer));
        assertEquals(MessageKind.ALERT.value(), PeerMessageDescriptor.kind(buffer));
        assertEquals(-5, PeerMessageDescriptor.intendedNs(buffer));
    }

    @Test
    void shouldRefuseABodyShorterThanTheHeader()
    {
        assertFalse(PeerMessageDescriptor.isValid(new byte[PeerMessageDescriptor.HEADER_LENGTH - 1]));
        assertFalse(PeerMessageDescriptor.isValid(null));
        assertThrows(IllegalArgumentException.class, () -> PeerMessageDescriptor.encodedLength(-1));
    }
}
