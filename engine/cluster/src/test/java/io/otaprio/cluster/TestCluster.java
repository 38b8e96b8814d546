package io.otaprio.cluster;

import io.otaprio.admission.AdmissionRules;
import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.LevelOneAlertGuard;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.admission.RequestIdIndex;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.SrvCode;
import io.otaprio.status.StatusFile;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Three (or N) cluster nodes in this JVM, each with its own directories, media driver, journal and service: a node
 * can be stopped (its process gone, as far as the others can tell) and started again on its directories.
 */
final class TestCluster implements AutoCloseable
{
    static final int[] LANE_SIZES = { 64, 64, 64, 64 };
    static final int MAX_PAYLOAD = 64;
    static final long DEDUP_WINDOW_NS = TimeUnit.SECONDS.toNanos(60);
    static final int[] SRV_OF_LEVEL = { 0, SrvCode.parse("1.1"), SrvCode.parse("1.2"), SrvCode.parse("1.3"),
        SrvCode.parse("1.4") };

    private static final AtomicInteger NEXT_BASE_PORT =
        new AtomicInteger(21_000 + 100 * (int)(ProcessHandle.current().pid() % 50));

    private final Path root;
    private final List<String> hosts;
    private final int basePort;
    private final Node[] nodes;
    private final List<Throwable> errors = new ArrayList<>();

    TestCluster(final Path root, final int members)
    {
        this.root = root;
        this.hosts = new ArrayList<>();
        for (int i = 0; i < members; i++)
        {
            hosts.add("127.0.0.1");
        }
        this.basePort = nextBasePort();
        this.nodes = new Node[members];
        for (int i = 0; i < members; i++)
        {
            start(i);
        }
    }

    /** @return a base port no other cluster of this JVM uses: each takes 1,000 ports from it. */
    static int nextBasePort()
    {
        return NEXT_BASE_PORT.getAndAdd(1_000);
    }

    ClusterSettings settings(final int member)
    {
        return ClusterSettings.of(member, hosts, basePort, root.resolve("node-" + member).resolve("cluster"))
            .withAeronDirectory(root.resolve("node-" + member).resolve("aeron"))
            .withTimeouts(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100),
                TimeUnit.MILLISECONDS.toNanos(500));
    }

    JournalConfig journal(final int member)
    {
        return new JournalConfig(root.resolve("node-" + member).resolve("journal"));
    }

    void start(final int member)
    {
        if (null != nodes[member])
        {
            throw new IllegalStateException("node " + member + " runs");
        }
        nodes[member] = new Node(member);
    }

    void stop(final int member)
    {
        final Node node = nodes[member];
        nodes[member] = null;
        node.close();
    }

    ReplicatedEngine engine(final int member)
    {
        return nodes[member].engine;
    }

    boolean isRunning(final int member)
    {
        return null != nodes[member];
    }

    int members()
    {
        return nodes.length;
    }

    int awaitLeader(final long timeoutMs)
    {
        final int[] leader = { -1 };
        await(() ->
        {
            for (int i = 0; i < nodes.length; i++)
            {
                if (null != nodes[i] && nodes[i].engine.isLeader())
                {
                    leader[0] = i;
                    return true;
                }
            }
            return false;
        }, timeoutMs, "a leader");
        return leader[0];
    }

    String aeronDirectoryName(final int member)
    {
        return nodes[member].node.aeronDirectoryName();
    }

    List<Throwable> errors()
    {
        synchronized (errors)
        {
            return new ArrayList<>(errors);
        }
    }

    static void await(final BooleanSupplier condition, final long timeoutMs, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    public void close()
    {
        for (int i = 0; i < nodes.length; i++)
        {
            if (null != nodes[i])
            {
                stop(i);
            }
        }
    }

    private final class Node implements AutoCloseable
    {
        final ReplicatedEngine engine;
        final ClusterNode node;
        final AcceptedJournal accepted;
        final OutcomeJournal outcomes;

        Node(final int member)
        {
            final JournalConfig journal = journal(member).payloadCapacity(MAX_PAYLOAD);
            final Recovered recovered = JournalRecovery.recover(journal);
            accepted = AcceptedJournal.open(journal);
            outcomes = OutcomeJournal.open(journal, recovered, recovered.nextMessageId());
            final StatusFile status = StatusFile.inMemory(SystemEpochClock.INSTANCE);
            final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS, status.countersManager());
            final AdmissionRules rules = new AdmissionRules(policy(), metrics, MAX_PAYLOAD,
                new RequestIdIndex(DEDUP_WINDOW_NS, 4096), OriginatorQuota.NONE, AlertThrottle.NONE,
                LevelOneAlertGuard.NONE);
            engine = new ReplicatedEngine(new ReplicatedParts(rules, LANE_SIZES, 1, accepted, outcomes, recovered,
                LaneFeed.NONE, new ClusterCounters(status.countersManager())));
            node = ClusterNode.launch(settings(member), engine, t ->
            {
                synchronized (errors)
                {
                    errors.add(t);
                }
            });
        }

        public void close()
        {
            CloseHelper.closeAll(node, outcomes, accepted);
        }
    }

    static PriorityPolicy policy()
    {
        return PriorityPolicy.parse(String.join("\n",
            "name: cluster-test",
            "defaultLevel: 4",
            "trt: { 1: 1s, 2: 10s, 3: 10s, 4: 10s }",
            "rules:",
            "  - { srv: \"1.1\", level: 1 }",
            "  - { srv: \"1.2\", level: 2 }",
            "  - { srv: \"1.3\", level: 3 }",
            "  - { srv: \"1.4\", level: 4 }",
            ""), "cluster-test-policy.yaml");
    }
}
