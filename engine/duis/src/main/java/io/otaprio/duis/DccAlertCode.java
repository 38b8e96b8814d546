package io.otaprio.duis;

/**
 * A DCC Alert code such as {@code N1}, {@code N24} or {@code AD1} (the {@code DCCAlertCode} of a DUIS
 * {@code DCCAlertMessage}), packed into an {@code int} so that the hot path compares and hashes numbers, never strings.
 * <pre>
 *   bit  31   30   29..24   23..18   17..12   11..6    5..0
 *        0    1    char 1   char 2   char 3   char 4   char 5     each char 6 bits, 0 = absent
 *
 *   char value: '0'..'9' -> 1..10, 'A'..'Z' -> 11..36
 *
 *   "N1"  -> 0x40000000 | 24 &lt;&lt; 24 | 2 &lt;&lt; 18
 * </pre>
 * One to five characters of {@code [0-9A-Z]}, filled from the most significant slot down, no character after an absent
 * one. Bit 30 ({@link #MARKER}) is always set, so a packed DCC Alert code is never in the 16-bit range of a device
 * alert code ({@code 0..0xFFFF}): a policy that looks a 16-bit alert code up finds nothing for it and gives it the
 * default rule. {@link #INVALID} (0) stands for "no code"; it lacks the marker bit.
 * <p>
 * Threading: stateless; any thread.
 */
public final class DccAlertCode
{
    /** Bit set in every packed code: keeps it out of the 16-bit device alert code range. */
    public static final int MARKER = 0x4000_0000;

    /** Returned by the packers for text that is not a DCC Alert code; never a valid packed code. */
    public static final int INVALID = 0;

    /** Most characters a code may have. */
    public static final int MAX_LENGTH = 5;

    private static final int BITS_PER_CHAR = 6;
    private static final int CHAR_MASK = 0x3F;
    private static final int FIRST_SHIFT = BITS_PER_CHAR * (MAX_LENGTH - 1);
    private static final int LETTER_BASE = 11;

    private DccAlertCode()
    {
    }

    /**
     * Pack a code.
     *
     * @param text such as {@code "N24"}.
     * @return the packed code, or {@link #INVALID} when the text is not 1 to 5 characters of {@code [0-9A-Z]}.
     */
    public static int pack(final CharSequence text)
    {
        return null == text ? INVALID : pack(text, 0, text.length());
    }

    /**
     * Pack a code from part of a text, without allocating.
     *
     * @param text   holding the code.
     * @param start  index of its first character.
     * @param length number of characters.
     * @return the packed code, or {@link #INVALID} when those characters are not 1 to 5 of {@code [0-9A-Z]}.
     */
    public static int pack(final CharSequence text, final int start, final int length)
    {
        if (length < 1 || length > MAX_LENGTH)
        {
            return INVALID;
        }
        int code = MARKER;
        for (int i = 0; i < length; i++)
        {
            final int value = charValue(text.charAt(start + i));
            if (0 == value)
            {
                return INVALID;
            }
            code |= value << (FIRST_SHIFT - BITS_PER_CHAR * i);
        }
        return code;
    }

    /**
     * Pack a code from part of a character array, without allocating.
     *
     * @param chars  holding the code.
     * @param start  index of its first character.
     * @param length number of characters.
     * @return the packed code, or {@link #INVALID} when those characters are not 1 to 5 of {@code [0-9A-Z]}.
     */
    public static int pack(final char[] chars, final int start, final int length)
    {
        if (length < 1 || length > MAX_LENGTH)
        {
            return INVALID;
        }
        int code = MARKER;
        for (int i = 0; i < length; i++)
        {
            final int value = charValue(chars[start + i]);
            if (0 == value)
            {
                return INVALID;
            }
            code |= value << (FIRST_SHIFT - BITS_PER_CHAR * i);
        }
        return code;
    }

    /**
     * @param code a packed code.
     * @return true when it is what {@link #pack(CharSequence)} returns for some valid code: the marker bit, bit 31
     * clear, 1 to 5 characters each in range, and no character after an absent one.
     */
    public static boolean isValid(final int code)
    {
        if ((code & ~(MARKER | ((1 << (BITS_PER_CHAR * MAX_LENGTH)) - 1))) != 0 || (code & MARKER) == 0)
        {
            return false;
        }
        boolean absentSeen = false;
        int length = 0;
        for (int shift = FIRST_SHIFT; shift >= 0; shift -= BITS_PER_CHAR)
        {
            final int value = (code >>> shift) & CHAR_MASK;
            if (0 == value)
            {
                absentSeen = true;
            }
            else if (absentSeen || value > 36)
            {
                return false;
            }
            else
            {
                length++;
            }
        }
        return length > 0;
    }

    /**
     * @param code a valid packed code.
     * @return the number of characters.
     */
    public static int length(final int code)
    {
        int n = 0;
        for (int shift = FIRST_SHIFT; shift >= 0 && ((code >>> shift) & CHAR_MASK) != 0; shift -= BITS_PER_CHAR)
        {
            n++;
        }
        return n;
    }

    /**
     * Append the text of a packed code without allocating.
     *
     * @param out  where to append.
     * @param code a valid packed code.
     * @return {@code out}.
     */
    public static StringBuilder appendTo(final StringBuilder out, final int code)
    {
        for (int shift = FIRST_SHIFT; shift >= 0; shift -= BITS_PER_CHAR)
        {
            final int value = (code >>> shift) & CHAR_MASK;
            if (0 == value)
            {
                break;
            }
            out.append(value < LETTER_BASE ? (char)('0' + value - 1) : (char)('A' + value - LETTER_BASE));
        }
        return out;
    }

    /**
     * Render a packed code for people; allocates, so never on the hot path.
     *
     * @param code a packed code.
     * @return such as {@code "N24"}, or {@code "invalid(0x...)"} for a code {@link #isValid} refuses.
     */
    public static String toString(final int code)
    {
        if (!isValid(code))
        {
            return "invalid(0x" + Integer.toHexString(code) + ")";
        }
        return appendTo(new StringBuilder(MAX_LENGTH), code).toString();
    }

    private static int charValue(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0' + 1;
        }
        if (c >= 'A' && c <= 'Z')
        {
            return c - 'A' + LETTER_BASE;
        }
        return 0;
    }
}
