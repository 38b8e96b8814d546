package io.otaprio.cluster;

import io.otaprio.config.ConfigNode;
import io.otaprio.engine.IdleStrategySpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reads the {@code cluster:} section of an engine configuration file into {@link ClusterSettings}. Its presence is
 * what makes {@code ./otaprio engine} a cluster node; without it the engine runs alone, as it always has.
 * <pre>
 * cluster:
 *   memberId: 0                                   # this node, 0..members-1
 *   members: [127.0.0.1, 127.0.0.1, 127.0.0.1]    # every member's host, the same list on every node
 *   basePort: 9000                                # member i uses basePort + 100 i + 1..5
 *   dir: cluster-data/node-0                      # the Raft log (archive) and consensus state
 *   aeronDir: /dev/shm/otaprio-node-0             # optional: the node's media driver (default under /dev/shm)
 *   heartbeatTimeout: 2s                          # failover takes about this plus the election
 *   heartbeatInterval: 100ms
 *   electionTimeout: 1s
 *   idle: sleeping:100us                          # every Aeron agent of the node
 * </pre>
 * Directories are relative to the working directory, as the journal's are.
 * <p>
 * Threading: start-up only.
 */
public final class ClusterConfiguration
{
    /** The section's key in the configuration file. */
    public static final String SECTION = "cluster";

    private static final Set<String> KEYS = Set.of("memberId", "members", "basePort", "dir", "aeronDir",
        "heartbeatTimeout", "heartbeatInterval", "electionTimeout", "idle");
    private static final int BASE_PORT_DEFAULT = 9000;
    private static final long MAX_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(5);

    private ClusterConfiguration()
    {
    }

    /**
     * @param section the {@code cluster:} section.
     * @return the node's settings.
     * @throws io.otaprio.config.ConfigException naming file, line, entry and rule of the first bad value.
     */
    public static ClusterSettings read(final ConfigNode section)
    {
        section.rejectUnknownKeys(KEYS);
        final ConfigNode membersNode = section.child("members");
        if (!membersNode.isSequence() || membersNode.elements().isEmpty())
        {
            throw membersNode.error("expected a list of hosts, one per member, e.g. [127.0.0.1, 127.0.0.1, 127.0.0.1]");
        }
        final List<String> hosts = new ArrayList<>();
        for (final ConfigNode host : membersNode.elements())
        {
            hosts.add(host.asString());
        }
        final int memberId = section.child("memberId").asInt(0, hosts.size() - 1);
        final int basePort = section.intValue("basePort", BASE_PORT_DEFAULT, 1,
            65_535 - ClusterSettings.PORTS_PER_MEMBER * (hosts.size() - 1) - ClusterSettings.CATCHUP_PORT_OFFSET);
        final Path dir = Path.of(section.string("dir", "cluster-data/node-" + memberId));
        final String aeronDir = section.string("aeronDir", null);
        final long heartbeatTimeoutNs = section.durationNs("heartbeatTimeout",
            ClusterSettings.HEARTBEAT_TIMEOUT_NS_DEFAULT, TimeUnit.MILLISECONDS.toNanos(100), MAX_TIMEOUT_NS);
        final long heartbeatIntervalNs = section.durationNs("heartbeatInterval",
            ClusterSettings.HEARTBEAT_INTERVAL_NS_DEFAULT, TimeUnit.MILLISECONDS.toNanos(1), MAX_TIMEOUT_NS);
        if (heartbeatIntervalNs >= heartbeatTimeoutNs)
        {
            throw section.child("heartbeatInterval").error("must be shorter than heartbeatTimeout");
        }
        final long electionTimeoutNs = section.durationNs("electionTimeout",
            ClusterSettings.ELECTION_TIMEOUT_NS_DEFAULT, TimeUnit.MILLISECONDS.toNanos(100), MAX_TIMEOUT_NS);
        final String idle = section.string("idle", ClusterSettings.IDLE_DEFAULT);
        try
        {
            IdleStrategySpec.parse(idle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw section.child("idle").error(ex.getMessage());
        }
        return new ClusterSettings(memberId, hosts, basePort, dir,
            null == aeronDir ? ClusterSettings.defaultAeronDirectory(basePort, memberId) : Path.of(aeronDir),
            heartbeatTimeoutNs, heartbeatIntervalNs, electionTimeoutNs, idle);
    }
}
