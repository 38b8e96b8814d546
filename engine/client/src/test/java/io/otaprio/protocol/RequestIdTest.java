package io.otaprio.protocol;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdTest
{
    @Test
    void shouldWriteAndReadTheDuisTextForm()
    {
        final RequestId id = new RequestId(0x90B3D51F30010000L, 0x00DB1234567890A0L, 12884901888L);
        assertEquals("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888", id.toString());
        assertEquals(id, RequestId.parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888"));
        assertEquals(id, RequestId.parse("90b3d51f30010000:00db1234567890a0:12884901888"));
    }

    @Test
    void shouldRoundTripEveryValueIncludingUnsignedCounters()
    {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++)
        {
            final RequestId id = new RequestId(random.nextLong(), random.nextLong(), random.nextLong());
            final RequestId back = RequestId.parse(id.toString());
            assertEquals(id, back);
            assertEquals(id.hashCode(), back.hashCode());
        }
        assertEquals("FF-FF-FF-FF-FF-FF-FF-FF:00-00-00-00-00-00-00-00:18446744073709551615",
            new RequestId(-1, 0, -1).toString());
    }

    @Test
    void shouldCompareByValueAndBeRefillable()
    {
        final RequestId a = new RequestId(1, 2, 3);
        final RequestId b = new RequestId().set(1, 2, 3);
        assertEquals(a, b);
        b.set(1, 2, 4);
        assertNotEquals(a, b);
        assertEquals(a, b.set(a));
    }

    @Test
    void shouldNameWhatIsWrongWithABadText()
    {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RequestId.parse("1:2"))
            .getMessage().contains("expected ORIGINATOR:TARGET:COUNTER"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> RequestId.parse("90-B3-D5-1F-30-01-00:00-DB-12-34-56-78-90-A0:1")).getMessage()
            .contains("\"90-B3-D5-1F-30-01-00\" is not an EUI-64"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> RequestId.parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:-1")).getMessage()
            .contains("counter \"-1\""));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> RequestId.parse("90-B3-D5-1F-30-01-00-0G:00-DB-12-34-56-78-90-A0:1")).getMessage()
            .contains("is not an EUI-64"));
    }
}
