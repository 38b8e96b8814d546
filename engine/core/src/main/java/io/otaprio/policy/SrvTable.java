package io.otaprio.policy;

import io.otaprio.protocol.SrvCode;
import org.agrona.collections.Int2IntHashMap;

/**
 * Maps SRV codes to values by exact code or by prefix ({@code 8.7.*} matches 8.7, 8.7.1, 8.7.1.2), the most
 * specific entry winning: the exact code first, then the longest prefix. A lookup is at most one hash probe per
 * component of the code, no allocation. Shared by the priority policy and the simulated DSP's service times.
 * <p>
 * Threading: filled by one thread while it is built, then read-only and safe to share.
 */
public final class SrvTable
{
    /** What {@link #match(int)} returns when nothing matches. */
    public static final int MISSING = -1;

    private final Int2IntHashMap exact = new Int2IntHashMap(MISSING);
    private final Int2IntHashMap prefix = new Int2IntHashMap(MISSING);

    /**
     * @param code  packed SRV code.
     * @param value a value >= 0.
     * @return false, changing nothing, if the code already has an exact entry.
     */
    public boolean putExact(final int code, final int value)
    {
        return exact.containsKey(code) ? false : MISSING == exact.put(code, value);
    }

    /**
     * @param prefixCode packed code of the prefix ({@code 8.7} for {@code 8.7.*}).
     * @param value      a value >= 0.
     * @return false, changing nothing, if the prefix already has an entry.
     */
    public boolean putPrefix(final int prefixCode, final int value)
    {
        return prefix.containsKey(prefixCode) ? false : MISSING == prefix.put(prefixCode, value);
    }

    /**
     * @param code packed SRV code.
     * @return the value of the most specific entry matching the code, or {@link #MISSING}, also for a code that is
     * not well formed (a component after an absent one).
     */
    public int match(final int code)
    {
        final int components = SrvCode.components(code);
        if (0 == components || SrvCode.prefix(code, components) != code)
        {
            return MISSING;
        }
        int value = exact.get(code);
        for (int depth = components; MISSING == value && depth > 0; depth--)
        {
            value = prefix.get(SrvCode.prefix(code, depth));
        }
        return value;
    }
}
