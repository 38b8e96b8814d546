package io.otaprio.cluster;

import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.ThreadingMode;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalStats;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three full engine nodes in this JVM, reached the way outside clients reach them: TCP to a node's gateway.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusteredEngineTest
{
    private static final long ORIGINATOR = 0x90B3D51F30010000L;
    private static final long TARGET = 0x00DB1234567890A0L;
    private static final long WAIT_MS = 20_000;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[16]);
    /** The largest payload a TCP Submit carries: through ingress, the log, the backlog and a lane's payload store. */
    private static final UnsafeBuffer LARGE_PAYLOAD = new UnsafeBuffer(new byte[Framing.MAX_SUBMIT_PAYLOAD_LENGTH]);

    @TempDir
    Path dir;

    private final ClusteredEngine[] nodes = new ClusteredEngine[3];
    private final List<String> hosts = List.of("127.0.0.1", "127.0.0.1", "127.0.0.1");
    private int basePort;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(nodes);
    }

    @Test
    void shouldAckCompleteAndJournalOnEveryNodeThenFailOverWithoutLosingAnAcknowledgedMessage() throws IOException
    {
        basePort = TestCluster.nextBasePort();
        for (int member = 0; member < 3; member++)
        {
            nodes[member] = start(member);
        }
        final int leader = awaitLeader(-1);
        // A follower's gateway forwards to the leader: clients may connect to any node.
        final int follower = (leader + 1) % 3;

        final int messages = 60;
        final Map<Long, Long> acked = new HashMap<>();
        final Set<Long> completed = new HashSet<>();
        try (ProtocolClient client = ProtocolClient.connect("127.0.0.1", gatewayPort(follower)))
        {
            submitMixedSizes(client, messages);
            readUntil(client, acked, completed, () -> completed.size() == messages);
        }
        assertEquals(messages, acked.size());
        TestCluster.await(() -> nodes[0].service().applied() == nodes[1].service().applied() &&
            nodes[1].service().applied() == nodes[2].service().applied(), WAIT_MS, "the nodes to apply the same log");
        assertEquals(nodes[0].service().stateHash(), nodes[1].service().stateHash());
        assertEquals(nodes[1].service().stateHash(), nodes[2].service().stateHash());
        assertEquals(0, nodes[leader].service().pending());

        // The DR event: the leader is gone. A client of a survivor resends what it has no answer for.
        nodes[leader].close();
        nodes[leader] = null;
        final int newLeader = awaitLeader(leader);
        assertNotEquals(leader, newLeader);
        final int survivor = 3 - leader - newLeader;
        final Map<Long, Long> ackedAfter = new HashMap<>();
        final Set<Long> completedAfter = new HashSet<>();
        try (ProtocolClient client = ProtocolClient.connect("127.0.0.1", gatewayPort(survivor)))
        {
            // One already acknowledged and completed (DUPLICATE, naming it), and new ones.
            client.submit(MessageKind.SERVICE_REQUEST.value(), TestCluster.SRV_OF_LEVEL[1],
                new RequestId(ORIGINATOR, TARGET, 3), PAYLOAD, 0, PAYLOAD.capacity());
            final ProtocolEvent duplicate = awaitAnswer(client);
            assertEquals(ProtocolEvent.Type.REJECT, duplicate.type(), duplicate::toString);
            assertEquals(RejectReason.DUPLICATE, duplicate.reason());
            assertEquals(acked.get(3L), duplicate.messageId());
            for (int i = messages; i < messages + 20; i++)
            {
                client.submit(MessageKind.SERVICE_REQUEST.value(), TestCluster.SRV_OF_LEVEL[1],
                    new RequestId(ORIGINATOR, TARGET, i), PAYLOAD, 0, PAYLOAD.capacity());
            }
            readUntil(client, ackedAfter, completedAfter, () -> completedAfter.size() == 20);
        }
        for (final long messageId : ackedAfter.values())
        {
            assertTrue(messageId >= messages, "ids carry on above the old leader's: " + messageId);
        }

        // Every survivor's journal holds every acknowledged message and its completion.
        TestCluster.await(() -> nodes[survivor].service().applied() == nodes[newLeader].service().applied(),
            WAIT_MS, "the survivors to agree");
        assertEquals(nodes[survivor].service().stateHash(), nodes[newLeader].service().stateHash());
        for (final int member : new int[]{ newLeader, survivor })
        {
            nodes[member].close();
            nodes[member] = null;
            final JournalStats stats = JournalStats.read(journal(member));
            long accepted = 0;
            long done = 0;
            for (int level = 1; level <= 4; level++)
            {
                accepted += stats.accepted(level);
                done += stats.completed(level);
            }
            assertEquals(messages + 20, accepted, "node " + member);
            assertEquals(messages + 20, done, "node " + member);
        }
    }

    @Test
    void shouldDispatchAgainAndCountWhatTheOldLeaderHadInFlight() throws IOException
    {
        basePort = TestCluster.nextBasePort();
        for (int member = 0; member < 3; member++)
        {
            nodes[member] = start(member, TimeUnit.SECONDS.toNanos(2));
        }
        final int leader = awaitLeader(-1);
        final int follower = (leader + 1) % 3;
        final Map<Long, Long> acked = new HashMap<>();
        final Set<Long> completed = new HashSet<>();
        try (ProtocolClient client = ProtocolClient.connect("127.0.0.1", gatewayPort(follower)))
        {
            // Four DSP slots of 2 s each: four in flight at the leader, two queued in its lanes.
            for (int i = 0; i < 6; i++)
            {
                client.submit(MessageKind.SERVICE_REQUEST.value(), TestCluster.SRV_OF_LEVEL[1],
                    new RequestId(ORIGINATOR, TARGET, i), PAYLOAD, 0, PAYLOAD.capacity());
            }
            readUntil(client, acked, completed, () -> acked.size() == 6);
            sleep(500);
            assertTrue(completed.isEmpty());

            nodes[leader].close();
            nodes[leader] = null;
            final int newLeader = awaitLeader(leader);
            assertEquals(4, nodes[newLeader].service().redispatched(), "the four the old leader had dispatched");
            assertEquals(6, nodes[newLeader].service().pending());

            // The client's node survived: it gets every Completed, each message's once.
            readUntil(client, acked, completed, () -> completed.size() == 6);
            assertEquals(0, nodes[newLeader].service().pending());
        }
    }

    @Test
    void shouldCarryOnAndDecideAlikeWhenOneNodesDiskIsFull() throws IOException
    {
        basePort = TestCluster.nextBasePort();
        for (int member = 0; member < 3; member++)
        {
            // Node 2's journal sees a full disk (the free-space guard refuses every write): its log is still written.
            nodes[member] = start(member, TimeUnit.MILLISECONDS.toNanos(1), 2 == member ?
                journal(member).minFreeBytes(Long.MAX_VALUE / 2) : journal(member));
        }
        final int leader = awaitLeader(-1);
        final int messages = 30;
        final Map<Long, Long> acked = new HashMap<>();
        final Set<Long> completed = new HashSet<>();
        try (ProtocolClient client = ProtocolClient.connect("127.0.0.1", gatewayPort(leader)))
        {
            submitMixedSizes(client, messages);
            readUntil(client, acked, completed, () -> completed.size() == messages);
        }
        TestCluster.await(() -> nodes[0].service().applied() == nodes[2].service().applied() &&
            nodes[1].service().applied() == nodes[2].service().applied(), WAIT_MS, "the nodes to apply the same log");
        assertEquals(nodes[0].service().stateHash(), nodes[2].service().stateHash(), "the full disk changed nothing");
        assertEquals(nodes[1].service().stateHash(), nodes[2].service().stateHash());
        assertTrue(nodes[2].service().journalFailures() >= messages, "counted on the node whose disk is full");
        assertEquals(0, nodes[0].service().journalFailures());

        for (int member = 0; member < 3; member++)
        {
            nodes[member].close();
            nodes[member] = null;
            long accepted = 0;
            final JournalStats stats = JournalStats.read(journal(member));
            for (int level = 1; level <= 4; level++)
            {
                accepted += stats.accepted(level);
            }
            assertEquals(2 == member ? 0 : messages, accepted, "node " + member + "'s journal");
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
            throw new AssertionError(ex);
        }
    }

    private ClusteredEngine start(final int member)
    {
        return start(member, TimeUnit.MILLISECONDS.toNanos(1));
    }

    private ClusteredEngine start(final int member, final long serviceTimeNs)
    {
        return start(member, serviceTimeNs, journal(member));
    }

    private ClusteredEngine start(final int member, final long serviceTimeNs, final JournalConfig journal)
    {
        final EngineContext ctx = new EngineContext()
            .policy(TestCluster.policy())
            .ringSizes(TestCluster.LANE_SIZES)
            .maxPayloadBytes(64 * 1024)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)))
            .simulatedDsp(4, ServiceTimes.builder(serviceTimeNs, ServiceTimes.Distribution.FIXED).build(), 1)
            .gatewayListen("127.0.0.1:0")
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .journal(journal);
        final ClusterSettings settings = ClusterSettings.of(member, hosts, basePort,
            dir.resolve("node-" + member).resolve("cluster"))
            .withAeronDirectory(dir.resolve("node-" + member).resolve("aeron"))
            .withTimeouts(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(100),
                TimeUnit.MILLISECONDS.toNanos(500));
        return ClusteredEngine.launch(ctx, settings);
    }

    private JournalConfig journal(final int member)
    {
        return new JournalConfig(dir.resolve("node-" + member).resolve("journal"));
    }

    private int gatewayPort(final int member)
    {
        return nodes[member].engine().context().gateway().boundPort();
    }

    private int awaitLeader(final int not)
    {
        final int[] leader = { -1 };
        TestCluster.await(() ->
        {
            for (int member = 0; member < 3; member++)
            {
                if (member != not && null != nodes[member] && nodes[member].service().isLeader() &&
                    nodes[member].transport().isConnected())
                {
                    leader[0] = member;
                    return true;
                }
            }
            return false;
        }, WAIT_MS, "a leader");
        for (int member = 0; member < 3; member++)
        {
            if (null != nodes[member])
            {
                final ClusterTransport transport = nodes[member].transport();
                TestCluster.await(transport::isConnected, WAIT_MS, "node " + member + " to reach the leader");
            }
        }
        return leader[0];
    }

    private static ProtocolEvent awaitAnswer(final ProtocolClient client) throws IOException
    {
        final ProtocolEvent event = client.read(WAIT_MS);
        assertTrue(null != event, "an answer within " + WAIT_MS + " ms");
        return event;
    }

    private static void readUntil(
        final ProtocolClient client,
        final Map<Long, Long> acked,
        final Set<Long> completed,
        final java.util.function.BooleanSupplier done) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "acked " + acked.size() + ", completed " + completed.size());
            if (!client.poll(100))
            {
                continue;
            }
            final ProtocolEvent event = client.event();
            switch (event.type())
            {
                case ACK -> acked.put(event.requestId().counter(), event.messageId());
                case COMPLETED -> completed.add(event.messageId());
                default -> throw new AssertionError("unexpected " + event);
            }
        }
    }

    /**
     * Submit messages of every level, every tenth a large one: 65,534 bytes (the wire's largest), then sizes of real
     * DUIS requests.
     */
    private static void submitMixedSizes(final ProtocolClient client, final int messages) throws IOException
    {
        for (int i = 0; i < messages; i++)
        {
            final int length = 0 == i % 10 ? LARGE_PAYLOAD.capacity() - i * 600 : PAYLOAD.capacity();
            client.submit(MessageKind.SERVICE_REQUEST.value(), TestCluster.SRV_OF_LEVEL[1 + i % 4],
                new RequestId(ORIGINATOR, TARGET, i), length > PAYLOAD.capacity() ? LARGE_PAYLOAD : PAYLOAD, 0,
                length);
        }
    }
}
