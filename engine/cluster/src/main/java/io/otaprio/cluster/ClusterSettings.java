package io.otaprio.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where one node of an otaprio cluster lives and how it times out its peers: the settings of a {@code cluster:}
 * section, immutable once built.
 * <p>
 * Ports follow Aeron's convention: member {@code i} on host {@code hosts[i]} uses {@code basePort + 100 * i} plus
 * 1 (archive control), 2 (client ingress), 3 (consensus), 4 (log), 5 (catch-up). Three members on one host with base
 * port 9000 therefore take 9001-9005, 9101-9105 and 9201-9205.
 *
 * @param memberId            this node's id, 0 to {@code hosts.size() - 1}.
 * @param hosts               every member's host, indexed by member id (the same list on every node).
 * @param basePort            the first port of member 0's block of five.
 * @param directory           this node's cluster directory: the Raft log's archive and the consensus state.
 * @param aeronDirectory      this node's media driver directory (best on /dev/shm); deleted at start and stop.
 * @param heartbeatTimeoutNs  how long followers wait for the leader's heartbeat before an election.
 * @param heartbeatIntervalNs how often the leader sends one.
 * @param electionTimeoutNs   how long an election round waits for votes.
 * @param idle                the idle strategy of every Aeron agent of the node ({@code backoff},
 *                            {@code sleeping:100us}...).
 */
public record ClusterSettings(
    int memberId,
    List<String> hosts,
    int basePort,
    Path directory,
    Path aeronDirectory,
    long heartbeatTimeoutNs,
    long heartbeatIntervalNs,
    long electionTimeoutNs,
    String idle)
{
    /** Port offset, in a member's block, of its archive's control channel. */
    public static final int ARCHIVE_CONTROL_PORT_OFFSET = 1;
    /** Port offset, in a member's block, of its client ingress. */
    public static final int INGRESS_PORT_OFFSET = 2;
    /** Port offset, in a member's block, of its consensus channel. */
    public static final int CONSENSUS_PORT_OFFSET = 3;
    /** Port offset, in a member's block, of its log channel. */
    public static final int LOG_PORT_OFFSET = 4;
    /** Port offset, in a member's block, of its catch-up channel. */
    public static final int CATCHUP_PORT_OFFSET = 5;
    /** Ports between the blocks of two consecutive members. */
    public static final int PORTS_PER_MEMBER = 100;

    /** Default heartbeat timeout: short enough for a failover under 5 s, long enough for a busy 2-core box. */
    public static final long HEARTBEAT_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(2);
    /** Default heartbeat interval. */
    public static final long HEARTBEAT_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);
    /** Default election timeout. */
    public static final long ELECTION_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
    /** Default idle strategy of the node's Aeron agents: sleeping leaves the engine's own threads room on 2 cores. */
    public static final String IDLE_DEFAULT = "sleeping:100us";

    /**
     * @throws IllegalArgumentException naming the setting at fault.
     */
    public ClusterSettings
    {
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty())
        {
            throw new IllegalArgumentException("cluster.members must name at least one host");
        }
        if (memberId < 0 || memberId >= hosts.size())
        {
            throw new IllegalArgumentException("cluster.memberId must be 0.." + (hosts.size() - 1) + ", got " +
                memberId);
        }
        if (basePort < 1 || basePort + PORTS_PER_MEMBER * (hosts.size() - 1) + CATCHUP_PORT_OFFSET > 65_535)
        {
            throw new IllegalArgumentException("cluster.basePort " + basePort + " leaves no room for " +
                hosts.size() + " members' ports below 65536");
        }
        if (heartbeatIntervalNs <= 0 || heartbeatTimeoutNs <= heartbeatIntervalNs)
        {
            throw new IllegalArgumentException("cluster.heartbeatTimeout must exceed cluster.heartbeatInterval > 0");
        }
        if (electionTimeoutNs <= 0)
        {
            throw new IllegalArgumentException("cluster.electionTimeout must be > 0");
        }
    }

    /**
     * @param memberId  this node's id.
     * @param hosts     every member's host.
     * @param basePort  member 0's first port.
     * @param directory this node's cluster directory.
     * @return settings with the default timeouts and idle strategy, the media driver under /dev/shm when it exists.
     */
    public static ClusterSettings of(
        final int memberId,
        final List<String> hosts,
        final int basePort,
        final Path directory)
    {
        return new ClusterSettings(memberId, hosts, basePort, directory, defaultAeronDirectory(basePort, memberId),
            HEARTBEAT_TIMEOUT_NS_DEFAULT, HEARTBEAT_INTERVAL_NS_DEFAULT, ELECTION_TIMEOUT_NS_DEFAULT, IDLE_DEFAULT);
    }

    /**
     * @param basePort the cluster's base port.
     * @param memberId the node's id.
     * @return a media driver directory unique to the cluster and member: on /dev/shm (memory) when it exists.
     */
    public static Path defaultAeronDirectory(final int basePort, final int memberId)
    {
        final Path shm = Path.of("/dev/shm");
        final Path parent = shm.toFile().isDirectory() ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return parent.resolve("otaprio-aeron-" + basePort + "-" + memberId);
    }

    /**
     * @param aeronDirectory another media driver directory.
     * @return these settings with it.
     */
    public ClusterSettings withAeronDirectory(final Path aeronDirectory)
    {
        return new ClusterSettings(memberId, hosts, basePort, directory, aeronDirectory, heartbeatTimeoutNs,
            heartbeatIntervalNs, electionTimeoutNs, idle);
    }

    /**
     * @param newDirectory another cluster directory.
     * @return these settings with it.
     */
    public ClusterSettings withDirectory(final Path newDirectory)
    {
        return new ClusterSettings(memberId, hosts, basePort, newDirectory, aeronDirectory, heartbeatTimeoutNs,
            heartbeatIntervalNs, electionTimeoutNs, idle);
    }

    /**
     * @param newBasePort another base port; a media driver directory named after the old one follows it.
     * @return these settings with it.
     */
    public ClusterSettings withBasePort(final int newBasePort)
    {
        final Path aeron = aeronDirectory.equals(defaultAeronDirectory(basePort, memberId)) ?
            defaultAeronDirectory(newBasePort, memberId) : aeronDirectory;
        return new ClusterSettings(memberId, hosts, newBasePort, directory, aeron, heartbeatTimeoutNs,
            heartbeatIntervalNs, electionTimeoutNs, idle);
    }

    /**
     * @param timeoutNs  heartbeat timeout.
     * @param intervalNs heartbeat interval.
     * @param electionNs election timeout.
     * @return these settings with those timeouts.
     */
    public ClusterSettings withTimeouts(final long timeoutNs, final long intervalNs, final long electionNs)
    {
        return new ClusterSettings(memberId, hosts, basePort, directory, aeronDirectory, timeoutNs, intervalNs,
            electionNs, idle);
    }

    /** @return how many members the cluster has. */
    public int memberCount()
    {
        return hosts.size();
    }

    /**
     * @param member a member id.
     * @param offset one of the {@code *_PORT_OFFSET} constants.
     * @return that member's host:port for it.
     */
    public String endpoint(final int member, final int offset)
    {
        return hosts.get(member) + ":" + (basePort + PORTS_PER_MEMBER * member + offset);
    }

    /** @return Aeron's members string: {@code id,ingress,consensus,log,catchup,archive|...}. */
    public String clusterMembers()
    {
        final StringBuilder members = new StringBuilder();
        for (int member = 0; member < hosts.size(); member++)
        {
            members.append(member)
                .append(',').append(endpoint(member, INGRESS_PORT_OFFSET))
                .append(',').append(endpoint(member, CONSENSUS_PORT_OFFSET))
                .append(',').append(endpoint(member, LOG_PORT_OFFSET))
                .append(',').append(endpoint(member, CATCHUP_PORT_OFFSET))
                .append(',').append(endpoint(member, ARCHIVE_CONTROL_PORT_OFFSET))
                .append('|');
        }
        members.setLength(members.length() - 1);
        return members.toString();
    }

    /** @return the cluster client's ingress endpoints: {@code 0=host:port,1=host:port,...}. */
    public String ingressEndpoints()
    {
        final StringBuilder endpoints = new StringBuilder();
        for (int member = 0; member < hosts.size(); member++)
        {
            endpoints.append(member).append('=').append(endpoint(member, INGRESS_PORT_OFFSET)).append(',');
        }
        endpoints.setLength(endpoints.length() - 1);
        return endpoints.toString();
    }

    /** @return this node's host. */
    public String host()
    {
        return hosts.get(memberId);
    }
}
