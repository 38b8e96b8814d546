package io.otaprio.protocol;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrvCodeTest
{
    @Test
    void shouldPackComponentsFromTheTopByteDown()
    {
        assertEquals(0x02020000, SrvCode.parse("2.2"));
        assertEquals(0x08010100, SrvCode.parse("8.1.1"));
        assertEquals(0x060F0100, SrvCode.parse("6.15.1"));
        assertEquals(0xFF010203, SrvCode.parse("255.1.2.3"));
        assertEquals(SrvCode.parse("8.7"), SrvCode.prefix(SrvCode.parse("8.7.2"), 2));
        assertEquals(3, SrvCode.components(SrvCode.parse("8.7.2")));
    }

    @Test
    void shouldRoundTripEveryValidCode()
    {
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            final int components = 1 + random.nextInt(4);
            final StringBuilder text = new StringBuilder();
            for (int c = 0; c < components; c++)
            {
                text.append(c == 0 ? "" : ".").append(1 + random.nextInt(255));
            }
            final int code = SrvCode.parse(text.toString());
            assertTrue(SrvCode.isValid(code));
            assertEquals(text.toString(), SrvCode.toString(code));
        }
    }

    @Test
    void shouldRejectMalformedText()
    {
        for (final String bad : new String[]{ "", "2..2", ".2", "2.", "0.1", "256.1", "1.2.3.4.5", "2.a", "-1" })
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SrvCode.parse(bad), bad);
            assertTrue(ex.getMessage().startsWith("malformed SRV code"), ex.getMessage());
        }
        assertFalse(SrvCode.isValid(0));
        assertFalse(SrvCode.isValid(0x02000200));
    }
}
