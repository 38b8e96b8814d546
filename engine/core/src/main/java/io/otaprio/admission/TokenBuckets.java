package io.otaprio.admission;

import java.util.List;

/**
 * A token bucket per key (an originator, an alert code), every bucket with the same rate and burst: what the quota
 * and the level-1 alert guard both decide with. A key whose bucket has a token takes it; one whose bucket is empty is
 * counted against that key ({@link #top}), for its caller to demote.
 * <p>
 * Tokens are kept in fixed point (10^9 units per token) so a refill is one multiply, no floating point. The table is
 * open addressing over preallocated arrays, one entry per key seen, never removed: when it is full, a new key is not
 * limited and is counted ({@link #untracked()}), rather than evicting a key that may be flooding. Every answer is a
 * function of the keys and times it was given, so two tables fed the same calls answer the same (a cluster's nodes
 * replay admission with the log's time).
 * <p>
 * Threading: one writer, the admission thread. {@link #top}, {@link #size()}, {@link #untracked()} and
 * {@link #emptied()} may be called from another thread (a metrics scrape): they read plain longs the writer may be
 * changing, so their figures can be a little stale, never torn on a 64-bit JVM.
 */
final class TokenBuckets
{
    /** Refused: a rate or burst above this is a configuration mistake, and it keeps the refill multiply exact. */
    static final long MAX_PER_SECOND = 1_000_000_000L;

    private static final long UNITS_PER_TOKEN = 1_000_000_000L;

    private final long tokensPerSecond;
    private final long capacityUnits;
    private final long fullRefillNs;
    private final int maxKeys;
    private final int mask;
    private final long[] keys;
    private final boolean[] used;
    private final long[] units;
    private final long[] lastRefillNs;
    private final long[] emptiedByKey;
    private int size;
    private long untracked;
    private long emptied;

    /**
     * @param setting         the setting the buckets are configured by, as errors name it (such as {@code "quota"}).
     * @param rateKey         the rate's key, as errors name it (such as {@code "tokensPerSecond"}).
     * @param tokensPerSecond sustained tokens per second per key, 1..{@value #MAX_PER_SECOND}.
     * @param burst           tokens a key may take at once after a quiet period, 1..{@value #MAX_PER_SECOND}.
     * @param sizeKey         the table size's key, as errors name it (such as {@code "maxOriginators"}).
     * @param maxKeys         keys tracked.
     * @param largest         the largest {@code maxKeys} allowed.
     * @throws IllegalArgumentException naming the setting and the value at fault.
     */
    TokenBuckets(
        final String setting,
        final String rateKey,
        final long tokensPerSecond,
        final long burst,
        final String sizeKey,
        final int maxKeys,
        final int largest)
    {
        if (tokensPerSecond < 1 || tokensPerSecond > MAX_PER_SECOND)
        {
            throw new IllegalArgumentException(setting + " " + rateKey + " must be 1..10^9, got " + tokensPerSecond);
        }
        if (burst < 1 || burst > MAX_PER_SECOND)
        {
            throw new IllegalArgumentException(setting + " burst must be 1..10^9, got " + burst);
        }
        this.tokensPerSecond = tokensPerSecond;
        this.capacityUnits = burst * UNITS_PER_TOKEN;
        this.fullRefillNs = (capacityUnits + tokensPerSecond - 1) / tokensPerSecond;
        this.maxKeys = maxKeys;
        final int slots = OpenAddressing.slots(setting + " " + sizeKey, maxKeys, largest);
        mask = slots - 1;
        keys = new long[slots];
        used = new boolean[slots];
        units = new long[slots];
        lastRefillNs = new long[slots];
        emptiedByKey = new long[slots];
    }

    /**
     * Take a token from the key's bucket, refilled for the time since its last take. A key seen for the first time
     * starts with a full bucket.
     *
     * @param key   the key.
     * @param nowNs now; never earlier than a previous call's (an earlier time refills nothing).
     * @return true when a token was taken, or when the full table could not track the key (counted untracked);
     *         false when the bucket was empty (counted against the key).
     */
    boolean take(final long key, final long nowNs)
    {
        int slot = (int)OpenAddressing.mix(key) & mask;
        while (used[slot] && keys[slot] != key)
        {
            slot = (slot + 1) & mask;
        }
        if (!used[slot])
        {
            if (size >= maxKeys)
            {
                untracked++;
                return true;
            }
            used[slot] = true;
            keys[slot] = key;
            units[slot] = capacityUnits;
            lastRefillNs[slot] = nowNs;
            size++;
        }

        final long elapsedNs = nowNs - lastRefillNs[slot];
        if (elapsedNs > 0)
        {
            // Clamped so the multiply cannot overflow: beyond a full refill the bucket is simply full.
            units[slot] = elapsedNs >= fullRefillNs ? capacityUnits :
                Math.min(capacityUnits, units[slot] + elapsedNs * tokensPerSecond);
            lastRefillNs[slot] = nowNs;
        }
        if (units[slot] >= UNITS_PER_TOKEN)
        {
            units[slot] -= UNITS_PER_TOKEN;
            return true;
        }
        emptiedByKey[slot]++;
        emptied++;
        return false;
    }

    /** @return keys tracked. */
    int size()
    {
        return size;
    }

    /** @return takes for keys the full table could not track (let through, not limited). */
    long untracked()
    {
        return untracked;
    }

    /** @return takes refused, an empty bucket, over every key. */
    long emptied()
    {
        return emptied;
    }

    /**
     * The keys with the most takes refused. Allocates: for a metrics scrape.
     *
     * @param n     how many.
     * @param entry builds an entry from a key and its count of takes refused.
     * @param <T>   the entry's type.
     * @return up to n entries, most refused first; keys never refused are left out.
     */
    <T> List<T> top(final int n, final KeyCount<T> entry)
    {
        return TopCounts.top(n, used, emptiedByKey, (slot, count) -> entry.of(keys[slot], count));
    }

    /**
     * Builds one entry of {@link #top}.
     *
     * @param <T> the entry's type.
     */
    @FunctionalInterface
    interface KeyCount<T>
    {
        /**
         * @param key   the key.
         * @param count its takes refused.
         * @return the entry.
         */
        T of(long key, long count);
    }
}
