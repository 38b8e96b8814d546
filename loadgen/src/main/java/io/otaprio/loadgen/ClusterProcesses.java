package io.otaprio.loadgen;

import io.otaprio.cluster.ClusterSettings;
import io.otaprio.cluster.ClusterStatus;
import io.otaprio.config.HostPort;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Three (or N) otaprio cluster nodes as child processes, each {@code ./otaprio engine} on its configuration file
 * with its own directories under one root ({@code ROOT/node-N/journal}, {@code ROOT/node-N/cluster}), on ports
 * free right now: what the HA demo and the failover tests run. Each node's role, log position and state digest are
 * read from its status file, as any other process would.
 * <p>
 * Threading: one thread.
 */
public final class ClusterProcesses implements AutoCloseable
{
    private static final long START_TIMEOUT_MS = 60_000;

    private final Path root;
    private final List<Path> configs;
    private final int basePort;
    private final int[] gatewayPorts;
    private final EngineProcess[] nodes;
    private final int[] starts;

    /**
     * Start every node.
     *
     * @param root    where the nodes' directories and logs go; must not hold a previous run's nodes.
     * @param configs each node's configuration file, by member id.
     * @throws IOException if a node cannot start.
     */
    public ClusterProcesses(final Path root, final List<Path> configs) throws IOException
    {
        this.root = root;
        this.configs = List.copyOf(configs);
        this.basePort = freeBasePort(configs.size());
        this.gatewayPorts = new int[configs.size()];
        this.nodes = new EngineProcess[configs.size()];
        this.starts = new int[configs.size()];
        for (int node = 0; node < nodes.length; node++)
        {
            if (Files.exists(nodeDir(node)))
            {
                throw new IOException(nodeDir(node) + " exists: the cluster needs fresh node directories");
            }
            gatewayPorts[node] = EngineProcess.freePort();
        }
        try
        {
            for (int node = 0; node < nodes.length; node++)
            {
                start(node);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Start a node that is down, on its directories: a restarted node catches up as a follower.
     *
     * @param node its member id.
     * @throws IOException if it cannot start.
     */
    public void start(final int node) throws IOException
    {
        if (null != nodes[node])
        {
            throw new IllegalStateException("node " + node + " runs");
        }
        Files.createDirectories(nodeDir(node));
        nodes[node] = EngineProcess.start(List.of(
            "--config", configs.get(node).toString(),
            "--journal", journalDir(node).toString(),
            "--cluster-dir", nodeDir(node).resolve("cluster").toString(),
            "--cluster-base-port", Integer.toString(basePort),
            "--listen", "127.0.0.1:" + gatewayPorts[node],
            "--duis", "off",
            "--status-interval", "1"), nodeDir(node).resolve("engine-" + (++starts[node]) + ".log"),
            START_TIMEOUT_MS);
    }

    /**
     * {@code kill -9} of a node: the loss of its machine. Its media driver's directory, which a killed driver leaves
     * on /dev/shm, is removed (a restart would remove it too).
     *
     * @param node its member id.
     */
    public void kill(final int node)
    {
        nodes[node].kill();
        nodes[node] = null;
        IoUtil.delete(ClusterSettings.defaultAeronDirectory(basePort, node).toFile(), true);
    }

    /**
     * SIGSTOP or SIGCONT a node: frozen, it neither sends nor answers, as if cut off from the others.
     *
     * @param node   its member id.
     * @param freeze true to stop it, false to let it run again.
     * @throws IOException if the signal cannot be sent.
     */
    public void freeze(final int node, final boolean freeze) throws IOException
    {
        final Process kill = new ProcessBuilder("kill", freeze ? "-STOP" : "-CONT", Long.toString(pid(node)))
            .inheritIO().start();
        try
        {
            if (0 != kill.waitFor())
            {
                throw new IOException("kill " + (freeze ? "-STOP" : "-CONT") + " " + pid(node) + " failed");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    /**
     * @param node its member id.
     * @return its process id.
     */
    public long pid(final int node)
    {
        return nodes[node].pid();
    }

    /**
     * @param node a member id.
     * @return whether its process runs.
     */
    public boolean isRunning(final int node)
    {
        return null != nodes[node];
    }

    /**
     * @param node a member id.
     * @return its figures now, from its status file; all zero while it is starting.
     */
    public ClusterStatus status(final int node)
    {
        try
        {
            return ClusterStatus.read(journalDir(node));
        }
        catch (final IllegalArgumentException ex)
        {
            return new ClusterStatus(0, false, 0, 0, 0, 0, 0);
        }
    }

    /**
     * @param not       a member id not to accept (the one just killed), or -1.
     * @param timeoutMs how long to wait.
     * @return the member that leads.
     * @throws IOException if none does in time.
     */
    public int awaitLeader(final int not, final long timeoutMs) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline)
        {
            for (int node = 0; node < nodes.length; node++)
            {
                if (node != not && isRunning(node) && status(node).isLiveLeader())
                {
                    return node;
                }
            }
            sleep(10);
        }
        throw new IOException("no leader within " + timeoutMs + " ms; see " + nodeDir(0).resolveSibling("node-N")
            .resolve("engine-1.log"));
    }

    /**
     * @param node      a member id.
     * @param leader    the leader's.
     * @param timeoutMs how long to wait.
     * @return true once the node has applied as much of the log as the leader and their digests are equal.
     */
    public boolean awaitSameState(final int node, final int leader, final long timeoutMs)
    {
        return awaitSameState(node, leader, 1, timeoutMs);
    }

    /**
     * @param node       a member id.
     * @param leader     the leader's.
     * @param minApplied log messages both must have applied at least: a state reached after some event, not one
     *                   they still share from before it.
     * @param timeoutMs  how long to wait.
     * @return true once the node has applied as much of the log as the leader, at least {@code minApplied}, and
     * their digests are equal.
     */
    public boolean awaitSameState(final int node, final int leader, final long minApplied, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline)
        {
            final ClusterStatus follower = status(node);
            final ClusterStatus leading = status(leader);
            if (follower.applied() >= minApplied && follower.applied() == leading.applied() &&
                follower.stateHash() == leading.stateHash())
            {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    /** @return every node's gateway, by member id, for clients. */
    public List<HostPort> gateways()
    {
        final List<HostPort> gateways = new ArrayList<>();
        for (final int port : gatewayPorts)
        {
            gateways.add(new HostPort("127.0.0.1", port));
        }
        return gateways;
    }

    /** @return the first port of the cluster's block. */
    public int basePort()
    {
        return basePort;
    }

    /**
     * @param node a member id.
     * @return its journal directory.
     */
    public Path journalDir(final int node)
    {
        return nodeDir(node).resolve("journal");
    }

    /**
     * @param node a member id.
     * @return its directory.
     */
    public Path nodeDir(final int node)
    {
        return root.resolve("node-" + node);
    }

    /** SIGTERM every node still running (a clean stop). */
    public void close()
    {
        for (int node = 0; node < nodes.length; node++)
        {
            if (null != nodes[node])
            {
                nodes[node].stop();
                nodes[node] = null;
            }
        }
    }


    private static int freeBasePort(final int members)
    {
        // Five ports per member at base + 100 i + 1..5: a base whose ports are all free now.
        for (int attempt = 0; attempt < 100; attempt++)
        {
            final int base = 20_000 + 100 * ThreadLocalRandom.current().nextInt(400);
            boolean free = true;
            for (int member = 0; member < members && free; member++)
            {
                for (int offset = 1; offset <= 5 && free; offset++)
                {
                    free = udpFree(base + 100 * member + offset);
                }
            }
            if (free)
            {
                return base;
            }
        }
        throw new UncheckedIOException(new IOException("no free block of cluster ports found"));
    }

    private static boolean udpFree(final int port)
    {
        try (DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort() == port;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
