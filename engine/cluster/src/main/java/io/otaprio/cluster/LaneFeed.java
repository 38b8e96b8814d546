package io.otaprio.cluster;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.ring.PriorityRings;

/**
 * The leader's side effect: put pending messages from the replicated backlog into the lanes its scheduler drains.
 * Lane 0 first, each lane in accepted order, as far as each ring has room: after a failover the backlog's level-1
 * messages reach the scheduler before any level-4 one, and a lane's new messages queue behind its older ones.
 * <p>
 * Threading: the service thread, the rings' single producer.
 */
public interface LaneFeed
{
    /** No lanes: a node that never leads (a test, a witness). */
    LaneFeed NONE = (backlog, limit) -> 0;

    /**
     * @param backlog the replicated backlog.
     * @param limit   most messages to feed in this call.
     * @return messages fed.
     */
    int feed(Backlog backlog, int limit);

    /**
     * @param rings the leader's lanes.
     * @return a feed into them.
     */
    static LaneFeed into(final PriorityRings rings)
    {
        return (backlog, limit) ->
        {
            int fed = 0;
            for (int lane = 0; lane < backlog.lanes() && fed < limit; lane++)
            {
                AcceptedMessageFlyweight message;
                while (fed < limit && null != (message = backlog.nextToFeed(lane)) && rings.offer(lane, message))
                {
                    backlog.fed(lane);
                    fed++;
                }
            }
            return fed;
        };
    }
}
