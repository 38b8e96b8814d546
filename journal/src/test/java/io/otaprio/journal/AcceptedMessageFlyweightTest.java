package io.otaprio.journal;

import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptedMessageFlyweightTest
{
    @Test
    void shouldRoundTripEveryFieldAtAnyOffset()
    {
        final SplittableRandom random = new SplittableRandom(42);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[256]);
        final AcceptedMessageFlyweight writer = new AcceptedMessageFlyweight();
        final AcceptedMessageFlyweight reader = new AcceptedMessageFlyweight();

        for (int i = 0; i < 1_000; i++)
        {
            final int offset = random.nextInt(1024);
            final int length = random.nextInt(257);
            for (int j = 0; j < length; j++)
            {
                payload.putByte(j, (byte)random.nextInt());
            }
            final long id = random.nextLong();
            final int kind = 1 + random.nextInt(3);
            final int level = 1 + random.nextInt(4);
            final int code = random.nextInt();
            final long originator = random.nextLong();
            final long target = random.nextLong();
            final long counter = random.nextLong();
            final long accept = random.nextLong();
            final long trt = random.nextLong();

            final int encoded = writer.wrap(buffer, offset).clear().kind(kind).level(level).code(code).messageId(id)
                .requestId(new RequestId(originator, target, counter)).acceptTimeNs(accept).trtNs(trt)
                .payload(payload, 0, length).encodedLength();

            reader.wrap(buffer, offset);
            assertEquals(AcceptedMessageDescriptor.encodedLength(length), encoded);
            assertEquals(AcceptedMessageDescriptor.LAYOUT_VERSION, reader.version());
            assertEquals(id, reader.messageId());
            assertEquals(kind, reader.kind());
            assertEquals(level, reader.level());
            assertEquals(code, reader.code());
            assertEquals(originator, reader.originator());
            assertEquals(target, reader.target());
            assertEquals(counter, reader.counter());
            assertEquals(accept, reader.acceptTimeNs());
            assertEquals(trt, reader.trtNs());
            assertEquals(length, reader.payloadLength());
            for (int j = 0; j < length; j++)
            {
                assertEquals(payload.getByte(j), buffer.getByte(reader.payloadOffset() + j));
            }
        }
    }
}
