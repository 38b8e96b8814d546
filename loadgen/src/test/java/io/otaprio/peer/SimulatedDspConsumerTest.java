package io.otaprio.peer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer's DSP emulation without a broker: a channel that only records acknowledgements.
 */
class SimulatedDspConsumerTest
{
    private static final long SERVICE_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long LATE_NS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final Map<Long, Long> ackNsByTag = new ConcurrentHashMap<>();
    private final Channel channel = (Channel)Proxy.newProxyInstance(Channel.class.getClassLoader(),
        new Class<?>[]{ Channel.class }, (proxy, method, args) ->
        {
            if ("basicAck".equals(method.getName()))
            {
                ackNsByTag.put((Long)args[0], System.nanoTime());
                return null;
            }
            throw new UnsupportedOperationException(method.getName());
        });

    @Test
    void shouldAcknowledgeEachDeliveryAfterItsServiceTimeAndMeasureFromTheIntendedSendTime() throws Exception
    {
        final PriorityPolicy policy = PriorityPolicy.load(Path.of("../conf/priority-policy.yaml"));
        final ServiceTimes fixed = ServiceTimes.builder(SERVICE_NS, ServiceTimes.Distribution.FIXED).build();
        final SimulatedDspConsumer consumer = new SimulatedDspConsumer(channel, 32, fixed, 1, policy);

        final long nowNs = System.nanoTime();
        final long deliveredNs = System.nanoTime();
        // Level 1 sent on time; level 1 due 1.5 s ago (a publisher or broker that fell behind); a level-4 read.
        deliver(consumer, 1, 1, SrvCode.parse("2.2"), nowNs);
        deliver(consumer, 2, 1, SrvCode.parse("7.4"), nowNs - LATE_NS);
        deliver(consumer, 3, 4, SrvCode.parse("4.8.1"), nowNs);

        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (consumer.completed() < 3 && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(5);
        }
        consumer.stopService();

        assertEquals(3, consumer.completed());
        assertEquals(3, consumer.delivered());
        assertEquals(3, consumer.maxInService(), "all three in service at once: the DSP does not serialise them");
        assertNull(consumer.failure());
        for (long tag = 1; tag <= 3; tag++)
        {
            final long serviceNs = ackNsByTag.get(tag) - deliveredNs;
            assertTrue(serviceNs >= SERVICE_NS, "acknowledged after its service time: " + serviceNs);
        }
        final List<LevelReport> levels = consumer.levels();
        assertEquals(2, levels.get(0).completed());
        assertEquals(0, levels.get(1).completed());
        assertEquals(1, levels.get(3).completed());
        assertEquals(50.0, levels.get(0).withinTrtPct(), 1e-9, "the late one missed level 1's 1 s budget");
        assertTrue(levels.get(0).latency().maxUs() >= (LATE_NS + SERVICE_NS) / 1000, levels.get(0).toString());
        assertTrue(levels.get(3).latency().p50Us() >= SERVICE_NS / 1000, levels.get(3).toString());
        assertEquals(100.0, levels.get(3).withinTrtPct(), 1e-9);
    }

    @Test
    void shouldAcknowledgeButNotMeasureABodyWithoutTheHeader() throws Exception
    {
        final PriorityPolicy policy = PriorityPolicy.load(Path.of("../conf/priority-policy.yaml"));
        final ServiceTimes fixed = ServiceTimes.builder(SERVICE_NS, ServiceTimes.Distribution.FIXED).build();
        final SimulatedDspConsumer consumer = new SimulatedDspConsumer(channel, 32, fixed, 1, policy);

        consumer.handleDelivery("tag", new Envelope(7, false, "", "q"), null, new byte[3]);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (consumer.completed() < 1 && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(5);
        }
        consumer.stopService();

        assertTrue(ackNsByTag.containsKey(7L), "acknowledged so that the broker does not hold it");
        assertEquals(1, consumer.malformed());
        for (final LevelReport level : consumer.levels())
        {
            assertEquals(0, level.completed());
        }
    }

    private static void deliver(
        final SimulatedDspConsumer consumer, final long tag, final int level, final int code, final long intendedNs)
    {
        consumer.handleDelivery("tag", new Envelope(tag, false, "", "q"), null, PeerMessageDescriptor.encode(
            MessageKind.SERVICE_REQUEST.value(), level, code, tag, intendedNs, 64));
    }
}
