package io.otaprio.cluster;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * A cluster node's figures, in the engine's status file beside its other counters, so that {@code ./otaprio stat}
 * (and a test or the HA demo, from another process) sees each node's role, how far it has applied the log and the
 * digest of its state.
 * <p>
 * Threading: written by the service thread (the transport's by the admission thread); read from any thread or
 * process.
 */
public final class ClusterCounters
{
    /** {@link #role()} of a follower. */
    public static final long FOLLOWER = 0;
    /** {@link #role()} of the leader. */
    public static final long LEADER = 2;

    /** Label of the role counter, as {@code ./otaprio stat} shows it and other processes find it. */
    public static final String ROLE_LABEL = "cluster role (0 follower, 1 candidate, 2 leader)";
    /** Label of the log-applied counter. */
    public static final String APPLIED_LABEL = "cluster log messages applied";
    /** Label of the state-digest counter. */
    public static final String STATE_HASH_LABEL = "cluster state digest";
    /** Label of the pending counter. */
    public static final String PENDING_LABEL = "cluster pending messages (replicated backlog)";
    /** Label of the counter of this node's failed journal writes. */
    public static final String JOURNAL_FAILURES_LABEL =
        "cluster journal writes failed on this node (its disk; no decision changes, the log is the record)";
    /** Label of the re-dispatched counter. */
    public static final String REDISPATCHED_LABEL = "cluster messages dispatched again after a leader change";

    final AtomicCounter role;
    final AtomicCounter applied;
    final AtomicCounter stateHash;
    final AtomicCounter pending;
    final AtomicCounter redispatched;
    final AtomicCounter leaderships;
    final AtomicCounter completionsForgotten;
    final AtomicCounter egressDropped;
    final AtomicCounter journalFailures;

    /**
     * @param countersManager where they are allocated: the engine's status file (or an in-memory one).
     */
    public ClusterCounters(final CountersManager countersManager)
    {
        role = countersManager.newCounter(ROLE_LABEL);
        applied = countersManager.newCounter(APPLIED_LABEL);
        stateHash = countersManager.newCounter(STATE_HASH_LABEL);
        pending = countersManager.newCounter(PENDING_LABEL);
        redispatched = countersManager.newCounter(REDISPATCHED_LABEL);
        leaderships = countersManager.newCounter("cluster times this node became leader");
        completionsForgotten = countersManager.newCounter(
            "cluster completions asked for again but no longer kept (a client missed more than 65,536)");
        egressDropped = countersManager.newCounter("cluster answers and completions the leader could not send");
        journalFailures = countersManager.newCounter(JOURNAL_FAILURES_LABEL);
    }

    /** @return {@link #FOLLOWER} or {@link #LEADER}. */
    public long role()
    {
        return role.get();
    }
}
