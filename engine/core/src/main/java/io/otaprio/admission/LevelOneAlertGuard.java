package io.otaprio.admission;

import java.util.List;

/**
 * The aggregate guard of level-1 alerts, after classification: alerts the policy puts at level 1 (supply, credit,
 * outage) are never throttled, yet one event can raise the same one from every meter of a region (a supply
 * restoration sends a Supply Outage Restored per meter), and that storm would share the top lane with the top-ups it
 * is there to protect. Beyond a rate per alert code, across all devices, a level-1 alert is admitted at a lower level
 * instead: never dropped, never THROTTLED, counted. {@link TokenBucketAlertGuard} is the engine's; {@link #NONE}
 * guards nothing, for an engine configured without it.
 * <p>
 * Threading: {@link #admit} on the admission thread; the figures may be read from a metrics thread (possibly a little
 * stale).
 */
public interface LevelOneAlertGuard
{
    /** Guards nothing: every alert keeps the level the policy gave it. */
    LevelOneAlertGuard NONE = new LevelOneAlertGuard()
    {
        public int admit(final int code, final int level, final long nowNs)
        {
            return level;
        }

        public int codes()
        {
            return 0;
        }

        public long untracked()
        {
            return 0;
        }

        public long demoted()
        {
            return 0;
        }

        public List<DemotedAlertCode> topDemoted(final int n)
        {
            return List.of();
        }
    };

    /**
     * Admission thread: the level an alert is queued at. A function of the calls made and their times only, so that
     * a cluster's nodes, replaying admission with the log's time, decide the same.
     *
     * @param code  the alert's code: a 16-bit device alert code or a packed DCC alert code.
     * @param level the level the policy classified it into.
     * @param nowNs now.
     * @return {@code level}, or the guard's lower level when it is 1 and its code is over its rate.
     */
    int admit(int code, int level, long nowNs);

    /** @return alert codes tracked. */
    int codes();

    /** @return level-1 alerts of codes the full table could not track (admitted at level 1, not limited). */
    long untracked();

    /** @return level-1 alerts admitted at the lower level since start. */
    long demoted();

    /**
     * The alert codes with the most alerts demoted. Allocates: for a metrics scrape.
     *
     * @param n how many.
     * @return up to n codes with their demoted count, most demoted first; codes never demoted are left out.
     */
    List<DemotedAlertCode> topDemoted(int n);
}
