package io.otaprio.admission;

import java.util.List;

/**
 * A per-originator quota of the top levels: a message of a protected level from an originator over its quota is
 * admitted at {@link #DEMOTED_LEVEL} instead, never dropped. {@link TokenBucketQuota} is the engine's; {@link #NONE}
 * limits nobody, for an engine configured without a quota.
 * <p>
 * Threading: {@link #admit} on the admission thread; the figures may be read from a metrics thread (possibly a little
 * stale).
 */
public interface OriginatorQuota
{
    /** The level over-quota messages are demoted to. */
    int DEMOTED_LEVEL = 3;

    /** Limits nobody. */
    OriginatorQuota NONE = new OriginatorQuota()
    {
        public int admit(final long originator, final int level, final long nowNs)
        {
            return level;
        }

        public int size()
        {
            return 0;
        }

        public long untracked()
        {
            return 0;
        }

        public List<OriginatorCount> topOffenders(final int n)
        {
            return List.of();
        }
    };

    /**
     * Admission thread: the level a message is queued at.
     *
     * @param originator its RequestID originator.
     * @param level      the level the policy classified it into.
     * @param nowNs      now.
     * @return {@code level}, or {@link #DEMOTED_LEVEL} when it is a protected level and the originator is over quota.
     */
    int admit(long originator, int level, long nowNs);

    /** @return originators tracked. */
    int size();

    /** @return protected-level messages of originators a full table could not track (not rate limited). */
    long untracked();

    /**
     * The originators with the most demoted messages. Allocates; for a metrics scrape, not the hot path.
     *
     * @param n how many.
     * @return up to n originators with their demoted count, most demoted first; originators never demoted are left
     *         out.
     */
    List<OriginatorCount> topOffenders(int n);
}
