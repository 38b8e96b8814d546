package io.otaprio.admission;

import java.util.List;

/**
 * A token bucket per originator for the top levels: the engine classifies by SRV, so a sender cannot claim a level,
 * but one sender can still flood level 1 with genuine top-ups. A message of a protected level from an originator
 * whose bucket is empty is demoted to {@link #DEMOTED_LEVEL}: still admitted and journaled, never dropped, just no
 * longer ahead of everyone else's level-1 and level-2 traffic.
 * <p>
 * Tokens are kept in fixed point (10^9 units per token) so a refill is one multiply, no floating point. The table
 * is open addressing over preallocated arrays, one entry per originator seen, never removed: when it is full, a new
 * originator is not rate limited and is counted ({@link #untracked()}), rather than evicting a sender that may be
 * flooding.
 * <p>
 * Threading: the admission thread writes. {@link #topOffenders} may be called from another thread (a metrics
 * scrape): it reads plain longs the writer may be changing, so its figures can be a little stale, never torn on a
 * 64-bit JVM.
 */
public final class TokenBucketQuota implements OriginatorQuota
{
    private static final long UNITS_PER_TOKEN = 1_000_000_000L;

    private final int highestProtectedLevel;
    private final long tokensPerSecond;
    private final long capacityUnits;
    private final long fullRefillNs;
    private final int maxOriginators;
    private final int mask;
    private final long[] originators;
    private final boolean[] used;
    private final long[] units;
    private final long[] lastRefillNs;
    private final long[] demoted;
    private int size;
    private long untracked;

    /**
     * @param highestProtectedLevel levels 1..this are rate limited (1 or 2).
     * @param tokensPerSecond       sustained messages per second per originator at those levels, >= 1.
     * @param burst                 messages an originator may send at once after a quiet period, >= 1.
     * @param maxOriginators        originators tracked.
     */
    public TokenBucketQuota(
        final int highestProtectedLevel, final long tokensPerSecond, final long burst, final int maxOriginators)
    {
        if (highestProtectedLevel < 1 || highestProtectedLevel >= DEMOTED_LEVEL)
        {
            throw new IllegalArgumentException("quota levels must be 1 or 1..2, got 1.." + highestProtectedLevel);
        }
        if (tokensPerSecond < 1 || tokensPerSecond > 1_000_000_000L)
        {
            throw new IllegalArgumentException("quota tokensPerSecond must be 1..10^9, got " + tokensPerSecond);
        }
        if (burst < 1 || burst > 1_000_000_000L)
        {
            throw new IllegalArgumentException("quota burst must be 1..10^9, got " + burst);
        }
        this.highestProtectedLevel = highestProtectedLevel;
        this.tokensPerSecond = tokensPerSecond;
        this.capacityUnits = burst * UNITS_PER_TOKEN;
        this.fullRefillNs = (capacityUnits + tokensPerSecond - 1) / tokensPerSecond;
        this.maxOriginators = maxOriginators;
        final int slots = OpenAddressing.slots("quota maxOriginators", maxOriginators, 1 << 26);
        mask = slots - 1;
        originators = new long[slots];
        used = new boolean[slots];
        units = new long[slots];
        lastRefillNs = new long[slots];
        demoted = new long[slots];
    }

    public int admit(final long originator, final int level, final long nowNs)
    {
        if (level > highestProtectedLevel)
        {
            return level;
        }
        int slot = (int)OpenAddressing.mix(originator) & mask;
        while (used[slot] && originators[slot] != originator)
        {
            slot = (slot + 1) & mask;
        }
        if (!used[slot])
        {
            if (size >= maxOriginators)
            {
                untracked++;
                return level;
            }
            used[slot] = true;
            originators[slot] = originator;
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
            return level;
        }
        demoted[slot]++;
        return DEMOTED_LEVEL;
    }

    public int size()
    {
        return size;
    }

    public long untracked()
    {
        return untracked;
    }

    public List<OriginatorCount> topOffenders(final int n)
    {
        return TopCounts.top(n, used, demoted, (slot, count) -> new OriginatorCount(originators[slot], count));
    }
}
