package io.otaprio.loadgen;

import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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

    @Test
    void shouldRaiseOneSupplyRestoredAlertFromEachMeterWithinTheMinuteMostOfThemEarly()
    {
        final PriorityPolicy policy = PriorityPolicy.load(Path.of("../conf/priority-policy.yaml"));
        final TrafficMix mix = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));
        final long second = TimeUnit.SECONDS.toNanos(1);
        final Arrivals arrivals = new Arrivals(LoadProfile.outageRestoration(3_000, 70 * second), mix, 1);
        final Set<Long> devices = new HashSet<>();
        final Map<Integer, Integer> byCode = new HashMap<>();
        long alerts = 0;
        long inFirstFiveSeconds = 0;
        long mixMessages = 0;
        while (arrivals.next())
        {
            final ScheduledMessage message = arrivals.message();
            if (message.typeIndex() < mix.size())
            {
                mixMessages++;
                continue;
            }
            final TrafficMix.Type type = message.type();
            assertEquals(MessageKind.ALERT, type.kind());
            assertEquals(1, policy.level(policy.classify(MessageKind.ALERT, type.code())), "a level-1 alert");
            assertEquals(type, LoadProfile.Storm.SUPPLY_RESTORED.alerts().get(message.typeIndex() - mix.size()));
            byCode.merge(type.code(), 1, Integer::sum);
            assertTrue(devices.add(message.target()), "one alert per meter");
            final long offsetNs = arrivals.intendedOffsetNs();
            assertTrue(offsetNs >= 5 * second && offsetNs < 65 * second, "within the restoration's minute");
            inFirstFiveSeconds += offsetNs < 10 * second ? 1 : 0;
            alerts++;
        }
        assertTrue(Math.abs(alerts - LoadProfile.RESTORATION_ALERTS) < 1_500, alerts + " alerts");
        assertEquals(Set.of(0x8F35, 0x8F36), byCode.keySet());
        assertTrue(Math.abs(byCode.get(0x8F35) - alerts / 2.0) < 1_500, byCode.toString());
        assertTrue(Math.abs(inFirstFiveSeconds - alerts / 2.0) < 1_500, inFirstFiveSeconds + " in the first 5 s");
        assertTrue(Math.abs(mixMessages - 3_000 * 70) < 3_000, mixMessages + " messages of the mix");
    }

    @Test
    void shouldRaiseTheFaultyBatchStormFromTwoHundredDevices()
    {
        final TrafficMix mix = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));
        final Arrivals arrivals = new Arrivals(LoadProfile.alertStorm(1_000, 5_000, TimeUnit.SECONDS.toNanos(6)),
            mix, 1);
        final Set<Long> devices = new HashSet<>();
        long alerts = 0;
        while (arrivals.next())
        {
            final ScheduledMessage message = arrivals.message();
            if (message.typeIndex() >= mix.size())
            {
                assertEquals(mix.size(), message.typeIndex());
                assertEquals(Arrivals.STORM_ALERT_CODE, message.type().code());
                devices.add(message.target());
                alerts++;
            }
        }
        assertTrue(alerts > 9_000, alerts + " storm alerts");
        assertEquals(200, devices.size());
    }
}
