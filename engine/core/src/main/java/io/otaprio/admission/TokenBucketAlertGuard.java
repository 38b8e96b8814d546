package io.otaprio.admission;

import io.otaprio.policy.PriorityPolicy;

import java.util.List;

/**
 * The level-1 alert guard as a token bucket per alert code, across all devices: a level-1 alert whose code's bucket
 * is empty is admitted at {@code demoteTo}. The burst lets a local event (a feeder, a street: hundreds of meters)
 * through at level 1 whole; the rate bounds what a regional one (tens of thousands) puts in the top lane.
 * <p>
 * The buckets are a {@link TokenBuckets} table keyed by code (device and DCC alert codes never coincide, see
 * {@link io.otaprio.protocol.AlertCode}), preallocated: when it is full, a level-1 alert of a new code keeps level 1
 * and is counted ({@link #untracked()}).
 * <p>
 * Threading: the admission thread writes; the figures may be read from a metrics thread (possibly a little stale).
 */
public final class TokenBucketAlertGuard implements LevelOneAlertGuard
{
    /** Most alert codes a guard may be sized for: its arrays are allocated whole, at construction. */
    public static final int MAX_CODES_LIMIT = 1 << 20;

    private final int demoteTo;
    private final TokenBuckets buckets;

    /**
     * @param perSecond sustained level-1 alerts per second per code, >= 1.
     * @param burst     level-1 alerts of one code admitted at once after a quiet period, >= 1.
     * @param demoteTo  the level the excess is admitted at, 2..4.
     * @param maxCodes  alert codes tracked, 1..{@value #MAX_CODES_LIMIT}.
     * @throws IllegalArgumentException naming the setting and the value at fault.
     */
    public TokenBucketAlertGuard(final long perSecond, final long burst, final int demoteTo, final int maxCodes)
    {
        if (demoteTo < 2 || demoteTo > PriorityPolicy.LEVELS)
        {
            throw new IllegalArgumentException("alerts guard demoteTo must be 2.." + PriorityPolicy.LEVELS + ", got " +
                demoteTo);
        }
        this.demoteTo = demoteTo;
        this.buckets = new TokenBuckets("alerts guard", "perSecond", perSecond, burst, "maxCodes", maxCodes,
            MAX_CODES_LIMIT);
    }

    public int admit(final int code, final int level, final long nowNs)
    {
        if (1 != level)
        {
            return level;
        }
        return buckets.take(code, nowNs) ? level : demoteTo;
    }

    public int codes()
    {
        return buckets.size();
    }

    public long untracked()
    {
        return buckets.untracked();
    }

    public long demoted()
    {
        return buckets.emptied();
    }

    public List<DemotedAlertCode> topDemoted(final int n)
    {
        return buckets.top(n, (code, count) -> new DemotedAlertCode((int)code, count));
    }
}
