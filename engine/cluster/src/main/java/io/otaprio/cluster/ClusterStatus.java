package io.otaprio.cluster;

import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import org.agrona.concurrent.status.CountersReader;

import java.nio.file.Path;

/**
 * One cluster node's figures as another process sees them, read from the node's status file: which node leads,
 * how far each has applied the log, and whether their state digests agree.
 *
 * @param pid          the node's process id.
 * @param running      whether that process is alive.
 * @param role         {@link ClusterCounters#LEADER} or {@link ClusterCounters#FOLLOWER}.
 * @param applied      log messages applied.
 * @param stateHash    the digest of every decision applied.
 * @param pending      accepted messages not yet completed.
 * @param redispatched messages it dispatched again as a new leader.
 */
public record ClusterStatus(
    long pid,
    boolean running,
    long role,
    long applied,
    long stateHash,
    long pending,
    long redispatched)
{
    /**
     * @param journalDirectory the node's journal directory, where its status file is.
     * @return its figures now.
     * @throws IllegalArgumentException when there is no status file there (yet).
     */
    public static ClusterStatus read(final Path journalDirectory)
    {
        final StatusFileReader reader = StatusFileReader.open(journalDirectory.resolve(StatusFileDescriptor.FILE_NAME));
        final CountersReader counters = reader.counters();
        final long[] values = new long[5];
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final int index = switch (label)
            {
                case ClusterCounters.ROLE_LABEL -> 0;
                case ClusterCounters.APPLIED_LABEL -> 1;
                case ClusterCounters.STATE_HASH_LABEL -> 2;
                case ClusterCounters.PENDING_LABEL -> 3;
                case ClusterCounters.REDISPATCHED_LABEL -> 4;
                default -> -1;
            };
            if (index >= 0)
            {
                values[index] = counters.getCounterValue(counterId);
            }
        });
        return new ClusterStatus(reader.pid(), reader.engineRunning(), values[0], values[1], values[2], values[3],
            values[4]);
    }

    /** @return true when it is the leader and its process is alive. */
    public boolean isLiveLeader()
    {
        return running && ClusterCounters.LEADER == role;
    }
}
