package io.otaprio.protocol;

/**
 * The code of an alert, packed into the {@code int} code field of an ALERT message. Two families share the field
 * without overlapping:
 * <pre>
 *   device alert (GBCS, DUIS DeviceAlertMessage AlertCode)   0x0000_0000 .. 0x0000_FFFF   16-bit code as is
 *   DCC alert (DUIS DCCAlertMessage DCCAlertCode, "N24")     0x4000_0000 | c0..c4          bit 30 set
 *
 *   DCC alert bits  31  30  29..24  23..18  17..12  11..6  5..0
 *                    0   1    c0      c1      c2      c3     c4     each 6 bits: '0'-'9' = 1-10, 'A'-'Z' = 11-36,
 *                                                                  0 = absent (the code has ended)
 * </pre>
 * A DCC alert code is 1 to 5 characters of {@code [0-9A-Z]}, filled from the top, no character after an absent one:
 * so a code packs to exactly one value and the hot path compares numbers, never strings. A device alert code can
 * never be read as a DCC one: its top 16 bits are zero.
 */
public final class AlertCode
{
    /** Largest device alert code: device alert codes are 16 bits. */
    public static final int MAX_DEVICE_ALERT = 0xFFFF;

    /** The bit that marks a DCC alert code. */
    public static final int DCC_ALERT_FLAG = 0x4000_0000;

    /** Most characters in a DCC alert code. */
    public static final int MAX_DCC_ALERT_CHARS = 5;

    private static final int CHAR_BITS = 6;
    private static final int CHAR_MASK = (1 << CHAR_BITS) - 1;
    private static final int DIGITS = 10;
    private static final int LETTERS = 26;

    private AlertCode()
    {
    }

    /**
     * @param code an ALERT message's code.
     * @return true for a 16-bit device alert code.
     */
    public static boolean isDeviceAlert(final int code)
    {
        return 0 == (code & ~MAX_DEVICE_ALERT);
    }

    /**
     * @param code an ALERT message's code.
     * @return true for a packed DCC alert code that {@link #packDccAlert} could have produced.
     */
    public static boolean isDccAlert(final int code)
    {
        if ((code & 0xC000_0000) != DCC_ALERT_FLAG)
        {
            return false;
        }
        boolean ended = false;
        for (int i = 0; i < MAX_DCC_ALERT_CHARS; i++)
        {
            final int symbol = symbolAt(code, i);
            if (0 == symbol)
            {
                if (0 == i)
                {
                    return false;
                }
                ended = true;
            }
            else if (ended || symbol > DIGITS + LETTERS)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param code an ALERT message's code.
     * @return true for either family's valid code.
     */
    public static boolean isValid(final int code)
    {
        return isDeviceAlert(code) || isDccAlert(code);
    }

    /**
     * Pack a DCC alert code. Cold path: configuration, parsing.
     *
     * @param text such as {@code "N24"} or {@code "AD1"}.
     * @return the packed code.
     * @throws IllegalArgumentException when the text is not 1 to 5 characters of {@code [0-9A-Z]}.
     */
    public static int packDccAlert(final CharSequence text)
    {
        final int packed = packDccAlertOrZero(text);
        if (0 == packed)
        {
            throw new IllegalArgumentException("malformed DCC alert code \"" + text + "\": expected 1 to " +
                MAX_DCC_ALERT_CHARS + " characters of 0-9 and A-Z, such as N24");
        }
        return packed;
    }

    /**
     * Pack a DCC alert code without throwing, for parsers of untrusted input.
     *
     * @param text the code's characters.
     * @return the packed code, or 0 when the text is not 1 to 5 characters of {@code [0-9A-Z]}.
     */
    public static int packDccAlertOrZero(final CharSequence text)
    {
        final int length = null == text ? 0 : text.length();
        if (length < 1 || length > MAX_DCC_ALERT_CHARS)
        {
            return 0;
        }
        int code = DCC_ALERT_FLAG;
        for (int i = 0; i < length; i++)
        {
            final int symbol = symbolOf(text.charAt(i));
            if (0 == symbol)
            {
                return 0;
            }
            code |= symbol << shift(i);
        }
        return code;
    }

    /**
     * Pack a DCC alert code from characters a parser holds, without throwing or allocating.
     *
     * @param chars  holding the code.
     * @param start  where it starts.
     * @param length how many characters.
     * @return the packed code, or 0 when they are not 1 to 5 characters of {@code [0-9A-Z]}.
     */
    public static int packDccAlertOrZero(final char[] chars, final int start, final int length)
    {
        if (length < 1 || length > MAX_DCC_ALERT_CHARS)
        {
            return 0;
        }
        int code = DCC_ALERT_FLAG;
        for (int i = 0; i < length; i++)
        {
            final int symbol = symbolOf(chars[start + i]);
            if (0 == symbol)
            {
                return 0;
            }
            code |= symbol << shift(i);
        }
        return code;
    }

    /**
     * Cold path: tables, logs, JSON.
     *
     * @param code an ALERT message's code.
     * @return {@code "0x8F1C"} for a device alert, {@code "N24"} for a DCC alert, or the hex of anything else.
     */
    public static String toString(final int code)
    {
        if (isDeviceAlert(code))
        {
            return String.format("0x%04X", code);
        }
        if (!isDccAlert(code))
        {
            return String.format("0x%08X", code);
        }
        final StringBuilder text = new StringBuilder(MAX_DCC_ALERT_CHARS);
        for (int i = 0; i < MAX_DCC_ALERT_CHARS; i++)
        {
            final int symbol = symbolAt(code, i);
            if (0 == symbol)
            {
                break;
            }
            text.append(symbol <= DIGITS ? (char)('0' + symbol - 1) : (char)('A' + symbol - 1 - DIGITS));
        }
        return text.toString();
    }

    private static int symbolOf(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return 1 + (c - '0');
        }
        if (c >= 'A' && c <= 'Z')
        {
            return 1 + DIGITS + (c - 'A');
        }
        return 0;
    }

    private static int symbolAt(final int code, final int index)
    {
        return (code >>> shift(index)) & CHAR_MASK;
    }

    private static int shift(final int index)
    {
        return CHAR_BITS * (MAX_DCC_ALERT_CHARS - 1 - index);
    }
}
