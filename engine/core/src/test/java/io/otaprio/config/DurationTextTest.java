package io.otaprio.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationTextTest
{
    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
        "250ms, 250000000",
        "30s, 30000000000",
        "2m, 120000000000",
        "1h, 3600000000000",
        "1500us, 1500000",
        "100ns, 100",
        "'250', 250000000",
        "'1.5s', 1500000000",
        "'0.5', 500000",
        "'250 ms', 250000000",
        "0s, 0",
    })
    void shouldParseNumberAndUnitWithPlainNumbersAsMilliseconds(final String text, final long ns)
    {
        assertEquals(ns, DurationText.parseNs(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "fast", "10 parsecs", "1.5ns", "-5ms", "ms", "1e30s" })
    void shouldRejectWhatIsNotADurationNamingTheText(final String text)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> DurationText.parseNs(text));

        assertTrue(ex.getMessage().contains("duration"), ex.getMessage());
    }

    @Test
    void shouldFormatInTheLargestExactUnitSoTheTextParsesBack()
    {
        assertEquals("500ms", DurationText.format(500_000_000L));
        assertEquals("30s", DurationText.format(30_000_000_000L));
        assertEquals("2m", DurationText.format(120_000_000_000L));
        assertEquals("1500us", DurationText.format(1_500_000L));
        assertEquals("7ns", DurationText.format(7L));
        assertEquals("0ns", DurationText.format(0L));
        for (final long ns : new long[]{ 1, 999, 1_000, 61_000_000_000L, 3_600_000_000_000L, Long.MAX_VALUE })
        {
            assertEquals(ns, DurationText.parseNs(DurationText.format(ns)));
        }
    }
}
