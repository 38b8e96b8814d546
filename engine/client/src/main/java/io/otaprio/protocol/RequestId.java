package io.otaprio.protocol;

/**
 * A DCC User Interface RequestID: the originator's EUI-64, the target device's EUI-64 and the originator's counter, an
 * unsigned 64-bit value that rises with every request. The whole RequestID is the key by which the engine spots a
 * resent request. Written as DUIS writes it, each EUI-64 as eight dash-separated hex bytes and the counter in decimal:
 * <pre>
 *   90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888
 * </pre>
 * A mutable value, so that one instance can be filled again for every message on a hot path without allocating; it
 * compares by value.
 * <p>
 * Threading: not thread-safe; one owner at a time.
 */
public final class RequestId
{
    private long originator;
    private long target;
    private long counter;

    /**
     * A zero RequestID, to be {@link #set}.
     */
    public RequestId()
    {
    }

    /**
     * @param originator the originator's EUI-64.
     * @param target     the target device's EUI-64.
     * @param counter    the originator's counter (unsigned).
     */
    public RequestId(final long originator, final long target, final long counter)
    {
        set(originator, target, counter);
    }

    /**
     * @param originator the originator's EUI-64.
     * @param target     the target device's EUI-64.
     * @param counter    the originator's counter (unsigned).
     * @return this.
     */
    public RequestId set(final long originator, final long target, final long counter)
    {
        this.originator = originator;
        this.target = target;
        this.counter = counter;
        return this;
    }

    /**
     * @param other the RequestID to copy.
     * @return this.
     */
    public RequestId set(final RequestId other)
    {
        return set(other.originator, other.target, other.counter);
    }

    /**
     * @return the originator's EUI-64.
     */
    public long originator()
    {
        return originator;
    }

    /**
     * @return the target device's EUI-64.
     */
    public long target()
    {
        return target;
    }

    /**
     * @return the originator's counter, an unsigned 64-bit value.
     */
    public long counter()
    {
        return counter;
    }

    /**
     * Read the DUIS text form.
     *
     * @param text such as {@code 90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888}; each EUI-64 may also
     *             be 16 hex digits without dashes.
     * @return a new RequestID.
     * @throws IllegalArgumentException naming the part that is not of that form.
     */
    public static RequestId parse(final CharSequence text)
    {
        final String s = text.toString().trim();
        final int first = s.indexOf(':');
        final int second = first < 0 ? -1 : s.indexOf(':', first + 1);
        if (first < 0 || second < 0 || s.indexOf(':', second + 1) >= 0)
        {
            throw new IllegalArgumentException("RequestID \"" + text +
                "\": expected ORIGINATOR:TARGET:COUNTER, e.g. 90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:42");
        }
        final long counter;
        try
        {
            counter = Long.parseUnsignedLong(s.substring(second + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("RequestID \"" + text + "\": counter \"" + s.substring(second + 1) +
                "\" is not an unsigned 64-bit decimal number");
        }
        return new RequestId(eui64(s.substring(0, first), text), eui64(s.substring(first + 1, second), text), counter);
    }

    /**
     * Append the DUIS text form.
     *
     * @param out where to append.
     * @return {@code out}.
     */
    public StringBuilder appendTo(final StringBuilder out)
    {
        appendEui64(out, originator).append(':');
        appendEui64(out, target).append(':');
        return out.append(Long.toUnsignedString(counter));
    }

    /**
     * @param eui64 an EUI-64.
     * @return it as eight dash-separated hex bytes, most significant first.
     */
    public static String eui64Text(final long eui64)
    {
        return appendEui64(new StringBuilder(23), eui64).toString();
    }

    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (!(other instanceof RequestId))
        {
            return false;
        }
        final RequestId that = (RequestId)other;
        return originator == that.originator && target == that.target && counter == that.counter;
    }

    public int hashCode()
    {
        long h = originator * 0x9E3779B97F4A7C15L;
        h = (h ^ target) * 0x9E3779B97F4A7C15L;
        h = (h ^ counter) * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }

    public String toString()
    {
        return appendTo(new StringBuilder(60)).toString();
    }

    private static StringBuilder appendEui64(final StringBuilder out, final long eui64)
    {
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            final int b = (int)(eui64 >>> shift) & 0xFF;
            out.append(Character.toUpperCase(Character.forDigit(b >>> 4, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            if (shift > 0)
            {
                out.append('-');
            }
        }
        return out;
    }

    private static long eui64(final String part, final CharSequence text)
    {
        final String hex = part.replace("-", "");
        final boolean dashed = part.length() == 23 && part.matches("([0-9A-Fa-f]{2}-){7}[0-9A-Fa-f]{2}");
        if (hex.length() != 16 || !(dashed || part.length() == 16) || !hex.matches("[0-9A-Fa-f]{16}"))
        {
            throw new IllegalArgumentException("RequestID \"" + text + "\": \"" + part +
                "\" is not an EUI-64 (8 hex bytes, dash-separated, e.g. 90-B3-D5-1F-30-01-00-00)");
        }
        return Long.parseUnsignedLong(hex, 16);
    }
}
