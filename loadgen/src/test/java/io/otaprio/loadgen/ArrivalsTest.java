package io.otaprio.loadgen;

import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The follow-ups of the schedule: the second step of a Critical command and the response to a request.
 */
class ArrivalsTest
{
    @Test
    void shouldSendTheSecondStepOfACriticalCommandWithItsRequestIdAfterTheDelayInTimeOrder()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"7.2\", secondStepAfter: 200ms, weight: 1 }",
            "  - { srv: \"4.8.1\", weight: 3 }",
            ""), "mix.yaml");
        final Arrivals arrivals = new Arrivals(LoadProfile.steady(1_000, TimeUnit.SECONDS.toNanos(2)), mix, 3);
        final Map<Long, Long> firstSteps = new HashMap<>();
        long index = 0;
        long last = 0;
        int secondSteps = 0;
        while (arrivals.next())
        {
            final ScheduledMessage message = arrivals.message();
            assertTrue(arrivals.intendedOffsetNs() >= last, "in time order");
            last = arrivals.intendedOffsetNs();
            if (0 == message.typeIndex() && 4 == message.commandVariant())
            {
                assertEquals(index, message.requestNumber());
                firstSteps.put(index, arrivals.intendedOffsetNs());
            }
            else if (0 == message.typeIndex())
            {
                assertEquals(5, message.commandVariant());
                final Long first = firstSteps.remove(message.requestNumber());
                assertEquals(first + TimeUnit.MILLISECONDS.toNanos(200), arrivals.intendedOffsetNs(),
                    "the second step of message " + message.requestNumber());
                secondSteps++;
            }
            else
            {
                assertEquals(0, message.commandVariant());
                assertEquals(index, message.requestNumber());
            }
            index++;
        }
        assertTrue(secondSteps > 300, "second steps " + secondSteps);
        for (final long firstNs : firstSteps.values())
        {
            assertTrue(firstNs + TimeUnit.MILLISECONDS.toNanos(200) >= TimeUnit.SECONDS.toNanos(2),
                "only a second step due after the end is dropped");
        }
    }

    @Test
    void shouldAnswerTheOldestUnansweredRequestOfTheSameSrv()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"4.1.1\", weight: 1 }",
            "  - { srv: \"4.1.1\", kind: response, weight: 1 }",
            "  - { srv: \"2.2\", kind: response, weight: 1 }",
            ""), "mix.yaml");
        assertEquals(0, mix.answers(1));
        assertEquals(-1, mix.answers(2), "no 2.2 request to answer");
        final Arrivals arrivals = new Arrivals(LoadProfile.steady(1_000, TimeUnit.SECONDS.toNanos(1)), mix, 5);
        final Map<Long, long[]> unanswered = new LinkedHashMap<>();
        long index = 0;
        int paired = 0;
        while (arrivals.next())
        {
            final ScheduledMessage message = arrivals.message();
            if (MessageKind.SERVICE_REQUEST == message.type().kind())
            {
                unanswered.put(index, new long[]{ message.originator(), message.target() });
            }
            else if (SrvCode.parse("4.1.1") == message.type().code() && !unanswered.isEmpty())
            {
                final long oldest = unanswered.keySet().iterator().next();
                assertEquals(oldest, message.requestNumber());
                final long[] parts = unanswered.remove(oldest);
                assertEquals(parts[0], message.originator());
                assertEquals(parts[1], message.target());
                paired++;
            }
            else
            {
                assertEquals(index, message.requestNumber(), "nothing to answer: a RequestID of its own");
            }
            index++;
        }
        assertTrue(paired > 200, "paired " + paired);
    }

    @Test
    void shouldRaiseTheStormWithARealGbcsAlertCodeOnNoListOfTheDefaultPolicy()
    {
        assertEquals(0x8F1C, Arrivals.STORM_ALERT_CODE, "Firmware Verification Failed");
        final PriorityPolicy policy = PriorityPolicy.load(
            Path.of("../conf/priority-policy.yaml"));
        assertEquals(4, policy.level(policy.classify(MessageKind.ALERT, Arrivals.STORM_ALERT_CODE)));
    }
}
