package io.otaprio.duis;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DccAlertCodeTest
{
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Test
    void shouldPackAndUnpackDuisStyleCodes()
    {
        for (final String text : new String[]{ "N1", "N24", "AD1", "S7", "0", "Z", "ZZZZZ", "12345", "CS2B" })
        {
            final int code = DccAlertCode.pack(text);
            assertTrue(DccAlertCode.isValid(code), text);
            assertEquals(text, DccAlertCode.toString(code));
            assertEquals(text.length(), DccAlertCode.length(code));
            assertEquals(code, DccAlertCode.pack(text.toCharArray(), 0, text.length()));
            assertEquals(code, DccAlertCode.pack("xx" + text + "yy", 2, text.length()));
        }
        assertEquals(DccAlertCode.MARKER | 24 << 24 | 2 << 18, DccAlertCode.pack("N1"));
    }

    @Test
    void shouldRefuseTextThatIsNotOneToFiveOfDigitsAndCapitals()
    {
        for (final String text : new String[]{ "", "n1", "N-1", "ABCDEF", " N1", "N1 ", "Ä", "N_1" })
        {
            assertEquals(DccAlertCode.INVALID, DccAlertCode.pack(text), text);
        }
        assertEquals(DccAlertCode.INVALID, DccAlertCode.pack(null));
        assertFalse(DccAlertCode.isValid(DccAlertCode.INVALID));
    }

    @Test
    void shouldKeepEveryCodeOfUpToThreeCharactersDistinctValidAndOutsideTheSixteenBitAlertRange()
    {
        final Set<Integer> seen = new HashSet<>();
        final StringBuilder text = new StringBuilder();
        for (int length = 1; length <= 3; length++)
        {
            final int count = (int)Math.pow(ALPHABET.length(), length);
            for (int n = 0; n < count; n++)
            {
                text.setLength(0);
                for (int i = 0, rest = n; i < length; i++, rest /= ALPHABET.length())
                {
                    text.append(ALPHABET.charAt(rest % ALPHABET.length()));
                }
                final int code = DccAlertCode.pack(text);
                assertTrue(DccAlertCode.isValid(code));
                assertTrue((code & ~0xFFFF) != 0 && code > 0xFFFF, "outside 16 bits");
                assertTrue(seen.add(code), "distinct");
                assertEquals(text.toString(), DccAlertCode.toString(code));
            }
        }
    }

    @Test
    void shouldRefuseIntsThatNoTextPacksTo()
    {
        final int n1 = DccAlertCode.pack("N1");
        assertFalse(DccAlertCode.isValid(0xFFFF));
        assertFalse(DccAlertCode.isValid(n1 & ~DccAlertCode.MARKER), "no marker");
        assertFalse(DccAlertCode.isValid(n1 | 0x8000_0000), "bit 31");
        assertFalse(DccAlertCode.isValid(DccAlertCode.MARKER), "no characters");
        assertFalse(DccAlertCode.isValid(DccAlertCode.MARKER | 5 << 12), "a character after an absent one");
        assertFalse(DccAlertCode.isValid(DccAlertCode.MARKER | 37 << 24), "a character value above 36");
        assertNotEquals(DccAlertCode.pack("N1"), DccAlertCode.pack("N10"));
    }
}
