package io.otaprio.protocol;

/**
 * Service Reference Variant codes such as {@code 2.2} or {@code 8.1.1}, packed into an {@code int} so that the
 * hot path compares and hashes numbers, never strings.
 * <pre>
 *   bits 31..24   23..16   15..8    7..0
 *        first    second   third    fourth     each component 1..255, 0 = absent
 *
 *   "2.2"    -> 0x02_02_00_00
 *   "8.1.1"  -> 0x08_01_01_00
 *   "6.15.1" -> 0x06_0F_01_00
 * </pre>
 * Components are filled from the most significant byte down and no component may follow an absent one, so
 * masking off the low components of a code gives the code of its prefix: {@code 8.7.2 & 0xFFFF0000 == 8.7}.
 * That is what makes a prefix rule ({@code 8.7.*}) a single hash lookup.
 */
public final class SrvCode
{
    /** Most components an SRV code may have. */
    public static final int MAX_COMPONENTS = 4;

    /** Largest value of one component. */
    public static final int MAX_COMPONENT = 255;

    private SrvCode()
    {
    }

    /**
     * Parse a dotted SRV code.
     *
     * @param text such as {@code "8.1.1"}.
     * @return the packed code.
     * @throws IllegalArgumentException naming the rule broken when the text is not 1 to 4 dot-separated numbers
     *                                  from 1 to 255.
     */
    public static int parse(final String text)
    {
        if (null == text || text.isEmpty())
        {
            throw new IllegalArgumentException("malformed SRV code \"" + text + "\": empty");
        }

        int code = 0;
        int components = 0;
        int value = -1;
        for (int i = 0, length = text.length(); i <= length; i++)
        {
            final char c = i < length ? text.charAt(i) : '.';
            if (c == '.')
            {
                if (value < 1)
                {
                    throw new IllegalArgumentException("malformed SRV code \"" + text +
                        "\": expected 1 to 4 dot-separated numbers from 1 to 255");
                }
                if (components == MAX_COMPONENTS)
                {
                    throw new IllegalArgumentException("malformed SRV code \"" + text + "\": more than " +
                        MAX_COMPONENTS + " components");
                }
                code |= value << (24 - 8 * components);
                components++;
                value = -1;
            }
            else if (c >= '0' && c <= '9')
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > MAX_COMPONENT)
                {
                    throw new IllegalArgumentException("malformed SRV code \"" + text + "\": component above " +
                        MAX_COMPONENT);
                }
            }
            else
            {
                throw new IllegalArgumentException("malformed SRV code \"" + text + "\": unexpected '" + c + "'");
            }
        }

        return code;
    }

    /**
     * @param code a packed code.
     * @return true when the code is well formed: a non-zero first component and no component after an absent one.
     */
    public static boolean isValid(final int code)
    {
        if ((code >>> 24) == 0)
        {
            return false;
        }
        boolean absentSeen = false;
        for (int shift = 16; shift >= 0; shift -= 8)
        {
            final int component = (code >>> shift) & 0xFF;
            if (component == 0)
            {
                absentSeen = true;
            }
            else if (absentSeen)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param code a packed code.
     * @return the number of components present (0 for an invalid code with an empty first component).
     */
    public static int components(final int code)
    {
        int n = 0;
        for (int shift = 24; shift >= 0 && ((code >>> shift) & 0xFF) != 0; shift -= 8)
        {
            n++;
        }
        return n;
    }

    /**
     * @param code       a packed code.
     * @param components how many leading components to keep (1..4).
     * @return the code of the prefix made of the first {@code components} components.
     */
    public static int prefix(final int code, final int components)
    {
        return components >= MAX_COMPONENTS ? code : code & (0xFFFFFFFF << (32 - 8 * components));
    }

    /**
     * Render a packed code for people; allocates, so never on the hot path.
     *
     * @param code a packed code.
     * @return such as {@code "8.1.1"}.
     */
    public static String toString(final int code)
    {
        final StringBuilder sb = new StringBuilder(12);
        for (int shift = 24; shift >= 0; shift -= 8)
        {
            final int component = (code >>> shift) & 0xFF;
            if (component == 0)
            {
                break;
            }
            if (sb.length() > 0)
            {
                sb.append('.');
            }
            sb.append(component);
        }
        return sb.toString();
    }
}
