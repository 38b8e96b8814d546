package io.otaprio.admission;

import java.util.List;

/**
 * A token bucket per originator for the top levels: the engine classifies by SRV, so a sender cannot claim a level,
 * but one sender can still flood level 1 with genuine top-ups. A message of a protected level from an originator
 * whose bucket is empty is demoted to {@link #DEMOTED_LEVEL}: still admitted and journaled, never dropped, just no
 * longer ahead of everyone else's level-1 and level-2 traffic.
 * <p>
 * The buckets are a {@link TokenBuckets} table keyed by originator: when it is full, a new originator is not rate
 * limited and is counted ({@link #untracked()}), rather than evicting a sender that may be flooding.
 * <p>
 * Threading: the admission thread writes. {@link #topOffenders} may be called from another thread (a metrics
 * scrape): its figures can be a little stale.
 */
public final class TokenBucketQuota implements OriginatorQuota
{
    private final int highestProtectedLevel;
    private final TokenBuckets buckets;

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
        this.highestProtectedLevel = highestProtectedLevel;
        this.buckets = new TokenBuckets("quota", "tokensPerSecond", tokensPerSecond, burst, "maxOriginators",
            maxOriginators, 1 << 26);
    }

    public int admit(final long originator, final int level, final long nowNs)
    {
        if (level > highestProtectedLevel)
        {
            return level;
        }
        return buckets.take(originator, nowNs) ? level : DEMOTED_LEVEL;
    }

    public int size()
    {
        return buckets.size();
    }

    public long untracked()
    {
        return buckets.untracked();
    }

    public List<OriginatorCount> topOffenders(final int n)
    {
        return buckets.top(n, OriginatorCount::new);
    }
}
