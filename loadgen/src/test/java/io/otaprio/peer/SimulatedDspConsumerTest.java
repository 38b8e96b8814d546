package io.otaprio.peer;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The consumer's DSP emulation without a broker: a channel that only records acknowledgements.
 */
class SimulatedDspConsumerTest
{
    private static final long SERVICE_NS = TimeUnit.MILLISECONDS.toNanos(20);

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
    void shouldAcknowledgeEachDeliveryAfterItsServiceTimeAndReportItsCompletion() throws Exception
    {
        final ServiceTimes fixed = ServiceTimes.builder(SERVICE_NS, ServiceTimes.Distribution.FIXED).build();
        final SimulatedDspConsumer consumer = new SimulatedDspConsumer(channel, 32, fixed, 1);

        final long deliveredNs = System.nanoTime();
        // Two level-1 messages and a level-4 read, numbered as the open loop numbers them.
        deliver(consumer, 1, 10, 1, SrvCode.parse("2.2"));
        deliver(consumer, 2, 11, 1, SrvCode.parse("7.4"));
        deliver(consumer, 3, 12, 4, SrvCode.parse("4.8.1"));

        final List<long[]> completions = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (completions.size() < 3 && System.nanoTime() < deadlineNs)
        {
            consumer.poll((number, level, completedNs) -> completions.add(new long[]{ number, level, completedNs }),
                16);
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
        assertEquals(3, completions.size());
        completions.sort((a, b) -> Long.compare(a[0], b[0]));
        assertArrayEquals(new long[]{ 10, 1 }, new long[]{ completions.get(0)[0], completions.get(0)[1] });
        assertArrayEquals(new long[]{ 11, 1 }, new long[]{ completions.get(1)[0], completions.get(1)[1] });
        assertArrayEquals(new long[]{ 12, 4 }, new long[]{ completions.get(2)[0], completions.get(2)[1] });
        for (final long[] completion : completions)
        {
            assertTrue(completion[2] - deliveredNs >= SERVICE_NS, "completed after its service time");
        }
        assertEquals(0, consumer.poll((number, level, completedNs) -> completions.add(null), 16),
            "each completion is handed over once");
    }

    @Test
    void shouldAcknowledgeButNotReportABodyThatIsNotAMessage() throws Exception
    {
        final ServiceTimes fixed = ServiceTimes.builder(SERVICE_NS, ServiceTimes.Distribution.FIXED).build();
        final SimulatedDspConsumer consumer = new SimulatedDspConsumer(channel, 32, fixed, 1);

        consumer.handleDelivery("tag", new Envelope(7, false, "", "q"), null, new byte[3]);
        // The length of a message, but not one: no layout version.
        consumer.handleDelivery("tag", new Envelope(8, false, "", "q"), null,
            new byte[AcceptedMessageDescriptor.encodedLength(0)]);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (consumer.completed() < 2 && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(5);
        }
        consumer.stopService();

        assertTrue(ackNsByTag.containsKey(7L), "acknowledged so that the broker does not hold it");
        assertTrue(ackNsByTag.containsKey(8L), "acknowledged so that the broker does not hold it");
        assertEquals(2, consumer.malformed());
        assertEquals(0, consumer.poll((number, level, completedNs) -> fail("not measured"), 16));
    }

    private static void deliver(
        final SimulatedDspConsumer consumer, final long tag, final long number, final int level, final int code)
    {
        final byte[] body = new byte[AcceptedMessageDescriptor.encodedLength(64)];
        new AcceptedMessageFlyweight().wrap(new UnsafeBuffer(body), 0).clear()
            .kind(MessageKind.SERVICE_REQUEST.value())
            .code(code)
            .messageId(number)
            .level(level)
            .payloadLength(64);
        consumer.handleDelivery("tag", new Envelope(tag, false, "", "q"), null, body);
    }
}
