package io.otaprio.peer;

import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerQueueTest
{
    private static final PriorityPolicy POLICY = PriorityPolicy.load(Path.of("../conf/priority-policy.yaml"));

    @Test
    void shouldGiveLevelOneTheHighestAmqpPriorityAndLevelFourTheLowest()
    {
        assertEquals(4, priorityOf(POLICY, MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2")), "Top Up Device");
        assertEquals(3, priorityOf(POLICY, MessageKind.SERVICE_REQUEST, SrvCode.parse("8.1.1")), "Commission Device");
        assertEquals(2, priorityOf(POLICY, MessageKind.SERVICE_REQUEST, SrvCode.parse("4.1.1")), "on-demand read");
        assertEquals(1, priorityOf(POLICY, MessageKind.SERVICE_REQUEST, SrvCode.parse("4.8.1")), "profile read");
        assertEquals(4, priorityOf(POLICY, MessageKind.ALERT, 0x8F0F), "credit below disablement threshold");
        assertEquals(1, priorityOf(POLICY, MessageKind.ALERT, 0x8F1C), "an alert on no list");
    }

    @Test
    void shouldMapEveryLevelToFiveMinusLevelUnderTheDefaultPolicy()
    {
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            assertEquals(5 - level, PeerQueue.priorityOfLane(level - 1), "level " + level);
        }
        assertEquals(PeerQueue.MAX_PRIORITY, PeerQueue.priorityOfLane(0));
    }

    @Test
    void shouldGiveEveryMessageOnePriorityUnderFifoSoTheBrokerServesInArrivalOrder()
    {
        final PriorityPolicy fifo = POLICY.fifo();
        assertEquals(4, priorityOf(fifo, MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2")));
        assertEquals(4, priorityOf(fifo, MessageKind.SERVICE_REQUEST, SrvCode.parse("4.8.1")));
        assertEquals(4, priorityOf(fifo, MessageKind.ALERT, 0x8F1C));
    }

    @Test
    void shouldRefuseALaneOutsideTheFour()
    {
        assertThrows(IllegalArgumentException.class, () -> PeerQueue.priorityOfLane(-1));
        assertThrows(IllegalArgumentException.class, () -> PeerQueue.priorityOfLane(4));
    }

    @Test
    void shouldDeclareAClassicQueueWithMaxPriorityFour()
    {
        final PeerQueue durable = new PeerQueue("otaprio-peer", true);
        assertEquals(4, durable.arguments().get("x-max-priority"));
        assertEquals("classic", durable.arguments().get("x-queue-type"));
        assertTrue(durable.durable());
        assertEquals(2, durable.deliveryMode(), "persistent");
        assertTrue(durable.describe().contains("x-max-priority 4, durable"), durable.describe());

        final PeerQueue transientQueue = new PeerQueue("q", false);
        assertFalse(transientQueue.durable());
        assertEquals(1, transientQueue.deliveryMode());
    }

    @Test
    void shouldRefuseAQueueNameTheBrokerWouldRefuse()
    {
        assertThrows(IllegalArgumentException.class, () -> new PeerQueue("", true));
        assertThrows(IllegalArgumentException.class, () -> new PeerQueue("amq.mine", true));
        assertThrows(IllegalArgumentException.class, () -> new PeerQueue("x".repeat(256), true));
    }

    private static int priorityOf(final PriorityPolicy policy, final MessageKind kind, final int code)
    {
        return PeerQueue.priorityOfLane(policy.lane(policy.classify(kind, code)));
    }
}
