package io.otaprio.config;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Durations as people write them in configuration files, converted to and from nanoseconds.
 * <pre>
 *   "1500us"  "250ms"  "30s"  "2m"  "1h"  "100ns"    a number and a unit, optional space between
 *   "1.5s"                                           a decimal number is fine if it lands on whole nanoseconds
 *   "250"  or  250                                   a plain number is milliseconds
 * </pre>
 * Milliseconds for a bare number because that is the unit response-time targets are usually quoted in; an explicit
 * unit is always clearer and is what the shipped files use.
 */
public final class DurationText
{
    private static final BigInteger MAX_NS = BigInteger.valueOf(Long.MAX_VALUE);

    private DurationText()
    {
    }

    /**
     * Parse a duration.
     *
     * @param text such as {@code "250ms"}.
     * @return the duration in nanoseconds, never negative.
     * @throws IllegalArgumentException naming the rule broken when the text is not a duration.
     */
    public static long parseNs(final String text)
    {
        if (null == text || text.isBlank())
        {
            throw new IllegalArgumentException("empty duration: expected a number and a unit, such as 250ms");
        }

        final String trimmed = text.trim();
        int unitStart = trimmed.length();
        while (unitStart > 0 && Character.isLetter(trimmed.charAt(unitStart - 1)))
        {
            unitStart--;
        }
        final String unit = trimmed.substring(unitStart);
        final String number = trimmed.substring(0, unitStart).trim();

        final long nanosPerUnit = nanosPerUnit(unit);
        if (nanosPerUnit < 0)
        {
            throw new IllegalArgumentException("malformed duration \"" + text + "\": unknown unit \"" + unit +
                "\": expected ns, us, ms, s, m or h (a plain number is milliseconds)");
        }

        final BigDecimal value;
        try
        {
            value = new BigDecimal(number);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("malformed duration \"" + text +
                "\": expected a number and a unit, such as 250ms");
        }
        if (value.signum() < 0)
        {
            throw new IllegalArgumentException("negative duration \"" + text + "\"");
        }

        final BigDecimal nanos = value.multiply(BigDecimal.valueOf(nanosPerUnit));
        final BigInteger whole;
        try
        {
            whole = nanos.toBigIntegerExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new IllegalArgumentException("malformed duration \"" + text + "\": finer than a nanosecond");
        }
        if (whole.compareTo(MAX_NS) > 0)
        {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long");
        }

        return whole.longValue();
    }

    /**
     * Render a duration in the largest unit that represents it exactly, so that it parses back to the same value.
     *
     * @param ns a duration in nanoseconds.
     * @return such as {@code "500ms"} or {@code "30s"}.
     */
    public static String format(final long ns)
    {
        if (ns != 0)
        {
            if (ns % 3_600_000_000_000L == 0)
            {
                return (ns / 3_600_000_000_000L) + "h";
            }
            if (ns % 60_000_000_000L == 0)
            {
                return (ns / 60_000_000_000L) + "m";
            }
            if (ns % 1_000_000_000L == 0)
            {
                return (ns / 1_000_000_000L) + "s";
            }
            if (ns % 1_000_000L == 0)
            {
                return (ns / 1_000_000L) + "ms";
            }
            if (ns % 1_000L == 0)
            {
                return (ns / 1_000L) + "us";
            }
        }
        return ns + "ns";
    }

    private static long nanosPerUnit(final String unit)
    {
        switch (unit)
        {
            case "":
            case "ms":
                return 1_000_000L;
            case "ns":
                return 1L;
            case "us":
            case "\u00B5s":
                return 1_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                return -1;
        }
    }
}
