package io.otaprio.cluster;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.JournalStats;
import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest
{
    private static final long ORIGINATOR = 0x90B3D51F30010000L;
    private static final long TARGET = 0x00DB1234567890A0L;
    private static final long WAIT_MS = 20_000;

    @TempDir
    Path dir;

    private TestCluster cluster;
    private TestClient client;

    @AfterEach
    void close()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != cluster)
        {
            cluster.close();
        }
    }

    @Test
    void shouldAnswerOnlyWhatAMajorityHasAndDecideTheSameOnEveryNode()
    {
        cluster = new TestCluster(dir, 3);
        cluster.awaitLeader(WAIT_MS);
        client = new TestClient(cluster, dir.resolve("client-aeron"), 7);

        final int messages = 200;
        final long[] correlation = new long[messages];
        for (int i = 0; i < messages; i++)
        {
            correlation[i] = client.submit(TestCluster.SRV_OF_LEVEL[1 + i % 4], ORIGINATOR, TARGET, i);
        }
        final long resend = client.submit(TestCluster.SRV_OF_LEVEL[1], ORIGINATOR, TARGET, 5);
        final long malformed = client.submit(0, ORIGINATOR, TARGET, 10_000);

        for (int i = 0; i < messages; i++)
        {
            final AdmissionResult answer = client.awaitAnswer(correlation[i], WAIT_MS);
            assertTrue(answer.isAccepted(), answer::toString);
            assertEquals(1 + i, answer.messageId(), "ids follow the log's order");
            assertEquals(1 + i % 4, answer.level());
        }
        final AdmissionResult duplicate = client.awaitAnswer(resend, WAIT_MS);
        assertEquals(RejectReason.DUPLICATE, duplicate.reason());
        assertEquals(6, duplicate.originalMessageId());
        assertEquals(RejectReason.MALFORMED, client.awaitAnswer(malformed, WAIT_MS).reason());

        awaitSameState(3 + messages);
        for (int member = 0; member < 3; member++)
        {
            assertEquals(messages, cluster.engine(member).pending(), "node " + member);
        }

        for (int id = 1; id <= messages; id += 2)
        {
            client.complete(id, 0);
        }
        TestCluster.await(() ->
        {
            client.poll();
            return client.done().size() == messages / 2;
        }, WAIT_MS, "a DONE for every completion");
        awaitSameState(3 + messages + messages / 2);
        for (int member = 0; member < 3; member++)
        {
            assertEquals(messages / 2, cluster.engine(member).pending(), "node " + member);
        }

        cluster.close();
        for (int member = 0; member < 3; member++)
        {
            final JournalStats stats = JournalStats.read(cluster.journal(member));
            long accepted = 0;
            long completed = 0;
            for (int level = 1; level <= 4; level++)
            {
                accepted += stats.accepted(level);
                completed += stats.completed(level);
            }
            assertEquals(messages, accepted, "node " + member + "'s journal: every accepted message");
            assertEquals(messages / 2, completed, "node " + member + "'s journal: every completion");
        }
    }

    @Test
    void shouldElectANewLeaderThatKnowsEveryAcknowledgedMessage()
    {
        cluster = new TestCluster(dir, 3);
        final int oldLeader = cluster.awaitLeader(WAIT_MS);
        client = new TestClient(cluster, dir.resolve("client-aeron"), 7);

        final int before = 50;
        for (int i = 0; i < before; i++)
        {
            assertTrue(client.awaitAnswer(client.submit(TestCluster.SRV_OF_LEVEL[1], ORIGINATOR, TARGET, i),
                WAIT_MS).isAccepted());
        }

        final long killedAt = System.nanoTime();
        cluster.stop(oldLeader);
        final int newLeader = cluster.awaitLeader(WAIT_MS);
        final long electedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertTrue(newLeader != oldLeader);

        // A resend of an acknowledged message is recognised by the new leader: nothing acknowledged was lost.
        final AdmissionResult resend = client.awaitAnswer(client.submit(TestCluster.SRV_OF_LEVEL[1], ORIGINATOR,
            TARGET, 7), WAIT_MS);
        assertEquals(RejectReason.DUPLICATE, resend.reason(), resend::toString);
        assertEquals(8, resend.originalMessageId());
        final AdmissionResult next = client.awaitAnswer(client.submit(TestCluster.SRV_OF_LEVEL[2], ORIGINATOR,
            TARGET, before), WAIT_MS);
        assertEquals(before + 1, next.messageId(), "ids carry on from the old leader's");

        final int survivor = 3 - oldLeader - newLeader;
        TestCluster.await(() -> cluster.engine(survivor).applied() == cluster.engine(newLeader).applied() &&
            cluster.engine(survivor).stateHash() == cluster.engine(newLeader).stateHash(), WAIT_MS,
            "the survivors to agree");
        assertEquals(before + 1, cluster.engine(newLeader).pending());
        assertTrue(electedMs < WAIT_MS, "elected in " + electedMs + " ms");

        // The old leader comes back as a follower and catches up on what it missed.
        cluster.start(oldLeader);
        TestCluster.await(() -> cluster.engine(oldLeader).stateHash() == cluster.engine(newLeader).stateHash() &&
            cluster.engine(oldLeader).applied() == cluster.engine(newLeader).applied(), WAIT_MS,
            "the restarted node to catch up");
        assertTrue(!cluster.engine(oldLeader).isLeader());
    }

    private void awaitSameState(final long applied)
    {
        TestCluster.await(() ->
        {
            for (int member = 0; member < cluster.members(); member++)
            {
                if (cluster.engine(member).applied() != applied)
                {
                    return false;
                }
            }
            return true;
        }, WAIT_MS, "every node to apply " + applied + " log messages");
        final long hash = cluster.engine(0).stateHash();
        for (int member = 1; member < cluster.members(); member++)
        {
            assertEquals(hash, cluster.engine(member).stateHash(), "node " + member + "'s state hash");
        }
    }
}
