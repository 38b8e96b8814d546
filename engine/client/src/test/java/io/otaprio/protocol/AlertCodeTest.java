package io.otaprio.protocol;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertCodeTest
{
    private static final String SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Test
    void shouldRoundTripEveryDccAlertCodeToOneDistinctValue()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final Map<Integer, String> seen = new HashMap<>();
        for (int i = 0; i < 50_000; i++)
        {
            final StringBuilder text = new StringBuilder();
            for (int n = 1 + random.nextInt(AlertCode.MAX_DCC_ALERT_CHARS); n > 0; n--)
            {
                text.append(SYMBOLS.charAt(random.nextInt(SYMBOLS.length())));
            }
            final int code = AlertCode.packDccAlert(text);
            assertTrue(AlertCode.isDccAlert(code), text.toString());
            assertTrue(AlertCode.isValid(code));
            assertFalse(AlertCode.isDeviceAlert(code), text.toString());
            assertTrue(code > 0, "never negative, so it survives a uint32 wire field and int comparisons");
            assertEquals(text.toString(), AlertCode.toString(code));
            final String before = seen.put(code, text.toString());
            assertTrue(null == before || before.contentEquals(text), before + " and " + text + " packed alike");
        }
    }

    @Test
    void shouldPackTheExamplesDocsProtocolShows()
    {
        assertEquals(0x580C5000, AlertCode.packDccAlert("N24"));
        assertEquals(0x4B382000, AlertCode.packDccAlert("AD1"));
    }

    @Test
    void shouldNeverReadADeviceAlertCodeAsADccOne()
    {
        for (int code = 0; code <= AlertCode.MAX_DEVICE_ALERT; code++)
        {
            assertTrue(AlertCode.isDeviceAlert(code));
            assertFalse(AlertCode.isDccAlert(code));
        }
        assertEquals("0x8F1C", AlertCode.toString(0x8F1C));
    }

    @Test
    void shouldRefuseTextThatIsNotADccAlertCode()
    {
        for (final String text : new String[]{ "", "n24", "N-1", "ABCDEF", " N1", "N1 ", "É" })
        {
            assertEquals(0, AlertCode.packDccAlertOrZero(text), text);
            assertThrows(IllegalArgumentException.class, () -> AlertCode.packDccAlert(text), text);
        }
        assertEquals(0, AlertCode.packDccAlertOrZero(null));
    }

    @Test
    void shouldRejectPackedValuesWithGapsOrForeignBits()
    {
        final int n24 = AlertCode.packDccAlert("N24");
        assertFalse(AlertCode.isDccAlert(AlertCode.DCC_ALERT_FLAG), "no characters");
        assertFalse(AlertCode.isDccAlert(n24 | 0x8000_0000), "top bit");
        assertFalse(AlertCode.isDccAlert(AlertCode.DCC_ALERT_FLAG | 1), "a character after absent ones");
        assertFalse(AlertCode.isDccAlert(AlertCode.DCC_ALERT_FLAG | (63 << 24)), "a symbol beyond Z");
        assertFalse(AlertCode.isValid(0x0001_0000));
        assertEquals("0x00010000", AlertCode.toString(0x0001_0000));
    }
}
