package io.otaprio.cluster;

import io.otaprio.admission.AdmissionRules;
import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.Recovered;

/**
 * What a node's {@link ReplicatedEngine} is built from.
 *
 * @param rules           admission's rules, with this node's copy of resend detection, quota, alert throttle and
 *                        level-1 alert guard.
 * @param laneSizes       each lane's capacity (its ring's size): the backlog admits no more per lane.
 * @param firstMessageId  the id of the cluster's first message (the same on every node).
 * @param acceptedJournal this node's accepted journal ({@link AcceptedLog#NONE} for none).
 * @param outcomeJournal  this node's outcome journal ({@link OutcomeLog#NONE} for none).
 * @param journaled       what this node's journal already holds, so that a replay of the log does not write it twice
 *                        ({@link Recovered#none()} for none).
 * @param laneFeed        the lanes this node feeds while it leads ({@link LaneFeed#NONE} for none).
 * @param counters        where the node's figures go: its status file.
 */
public record ReplicatedParts(
    AdmissionRules rules,
    int[] laneSizes,
    long firstMessageId,
    AcceptedLog acceptedJournal,
    OutcomeLog outcomeJournal,
    Recovered journaled,
    LaneFeed laneFeed,
    ClusterCounters counters)
{
}
