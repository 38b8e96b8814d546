package io.otaprio.admission;

import org.agrona.BitUtil;

/**
 * The rules admission's open-addressing tables (resend detection, the quota, the alert throttle) share: how many
 * slots a table of at most N entries gets, and how a 64-bit key is spread over them.
 * <p>
 * A table gets twice as many slots as entries, rounded up to a power of two: at its fullest it is half empty, so a
 * linear probe run stays short, and a slot is {@code hash & (slots - 1)} with no division.
 */
final class OpenAddressing
{
    private OpenAddressing()
    {
    }

    /**
     * Validate a table's entry limit and size it.
     *
     * @param setting    the setting that gave the limit, as the message names it (such as {@code "dedup maxEntries"}).
     * @param maxEntries most entries the table holds.
     * @param largest    the largest limit allowed: the arrays are allocated whole, at construction.
     * @return slots to allocate: a power of two, at least twice {@code maxEntries}.
     * @throws IllegalArgumentException naming the setting when {@code maxEntries} is not 1..{@code largest}.
     */
    static int slots(final String setting, final int maxEntries, final int largest)
    {
        if (maxEntries < 1 || maxEntries > largest)
        {
            throw new IllegalArgumentException(setting + " must be 1.." + largest + ", got " + maxEntries);
        }
        return BitUtil.findNextPositivePowerOfTwo(maxEntries * 2);
    }

    /**
     * Spread a key's bits (a Fibonacci multiply, high half folded into the low), so that keys differing only in
     * their high bits, such as EUI-64s of one manufacturer, land in different slots.
     *
     * @param key the key.
     * @return its hash; the low bits, masked, are its home slot.
     */
    static long mix(final long key)
    {
        final long h = key * 0x9E37_79B9_7F4A_7C15L;
        return h ^ (h >>> 32);
    }
}
