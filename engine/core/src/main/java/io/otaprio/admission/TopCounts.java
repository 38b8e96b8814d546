package io.otaprio.admission;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The "top N by count" summary of an admission table for a metrics scrape: the used slots whose count is above
 * zero, largest count first (slot order among equals). Allocates; never on the hot path.
 * <p>
 * Threading: runs on a metrics thread while the admission thread writes the table (plain reads, possibly a little
 * stale). Each slot's count is read once and the entries are sorted by that reading, so a count changing meanwhile
 * cannot upset the sort.
 */
final class TopCounts
{
    /**
     * Builds one entry of the summary.
     *
     * @param <T> the entry's type.
     */
    @FunctionalInterface
    interface Entry<T>
    {
        /**
         * @param slot  the slot, to read the key from.
         * @param count its count, as read for the summary.
         * @return the entry.
         */
        T of(int slot, long count);
    }

    private record Counted<T>(T entry, long count)
    {
    }

    private TopCounts()
    {
    }

    /**
     * @param n      most entries to return.
     * @param used   per slot, whether it holds a key.
     * @param counts per slot, the count to rank by.
     * @param entry  builds an entry from a slot and its count.
     * @param <T>    the entry's type.
     * @return up to n entries, largest count first; slots with a count of 0 are left out.
     */
    static <T> List<T> top(final int n, final boolean[] used, final long[] counts, final Entry<T> entry)
    {
        final List<Counted<T>> all = new ArrayList<>();
        for (int slot = 0; slot < used.length; slot++)
        {
            final long count = counts[slot];
            if (used[slot] && count > 0)
            {
                all.add(new Counted<>(entry.of(slot, count), count));
            }
        }
        all.sort(Comparator.comparingLong(Counted<T>::count).reversed());
        return all.stream().limit(n).map(Counted::entry).toList();
    }
}
