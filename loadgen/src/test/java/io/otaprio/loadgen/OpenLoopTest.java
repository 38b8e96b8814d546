package io.otaprio.loadgen;

import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open loop on a clock the test moves, with senders that refuse: what is offered, when, and what latency it is
 * measured with.
 */
class OpenLoopTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long T0 = 1_000_000_000_000L;
    private static final PriorityPolicy POLICY = PriorityPolicy.load(Path.of("../conf/priority-policy.yaml"));
    private static final TrafficMix MIX = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));

    @Test
    void shouldOfferTheWholeScheduleInOrderOnceEachAndNeverBeforeItsIntendedTimeHoweverTheCallerIsDriven()
    {
        // Property: for any seed, any slicing of time into duty cycles and any pattern of refusals, the messages
        // sent are a prefix of the schedule in order, each sent once at or after its intended time, and every
        // message of the schedule is either sent or counted unsent.
        for (long seed = 1; seed <= 40; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final LoadProfile profile = LoadProfile.burst(2_000, 20_000, 120 * MS);
            final OpenLoop load = new OpenLoop(settings(profile, seed, 0), OpenLoop.ProgressDetail.NONE);
            final Arrivals expected = new Arrivals(profile, MIX, seed);
            final double refusal = random.nextDouble(0.0, 0.6);
            final long[] clock = { T0 };
            final List<String> failures = new ArrayList<>();
            final long[] sent = { 0 };
            final OpenLoop.Sender sender = message ->
            {
                if (random.nextDouble() < refusal)
                {
                    return false;
                }
                if (!expected.next() || message.intendedNs() != load.startNs() + expected.intendedOffsetNs() ||
                    !message.type().equals(expected.message().type()) ||
                    message.target() != expected.message().target() ||
                    message.originator() != expected.message().originator() || message.number() != sent[0])
                {
                    failures.add("message " + message.number() + " is not the schedule's next");
                }
                if (message.intendedNs() > clock[0])
                {
                    failures.add("message " + message.number() + " sent before its intended time");
                }
                sent[0]++;
                return true;
            };

            load.start(clock[0]);
            while (load.isLoading())
            {
                load.sendDue(clock[0], sender, 1 + random.nextInt(64));
                clock[0] += random.nextLong(0, 3 * MS);
            }

            long scheduled = 0;
            final Arrivals all = new Arrivals(profile, MIX, seed);
            while (all.next())
            {
                scheduled++;
            }
            assertEquals(List.of(), failures, "seed " + seed);
            assertEquals(sent[0], load.sent(), "seed " + seed);
            assertEquals(scheduled, load.sent() + load.unsent(), "seed " + seed);
            assertTrue(clock[0] - load.startNs() >= profile.durationNs() || 0 == load.unsent(),
                "the load ends early only when everything was sent; seed " + seed);
        }
    }

    @Test
    void shouldMeasureLatencyFromTheIntendedTimeSoThatAMessageSentLateCountsItsLateness()
    {
        final OpenLoop load = new OpenLoop(settings(LoadProfile.steady(1_000, 100 * MS), 7, 0),
            OpenLoop.ProgressDetail.NONE);
        final long refuseUntilNs = T0 + OpenLoop.START_DELAY_NS + 40 * MS;
        final long[] now = { T0 };
        final List<long[]> sentAt = new ArrayList<>();
        final OpenLoop.Sender sender = message ->
        {
            if (now[0] < refuseUntilNs)
            {
                return false;
            }
            sentAt.add(new long[]{ message.number(), message.intendedNs() });
            return true;
        };

        load.start(now[0]);
        while (load.isLoading())
        {
            load.sendDue(now[0], sender, 1000);
            // Each message sent is completed at level 1 five milliseconds after it was sent.
            for (final long[] message : sentAt)
            {
                assertTrue(load.onCompleted(message[0], 1, 10 * MS, now[0] + 5 * MS));
            }
            sentAt.clear();
            now[0] += MS / 4;
        }

        final LevelReport levelOne = load.levels().get(0);
        assertEquals(load.sent(), levelOne.completed());
        assertEquals(0, load.unsent());
        // The first message was due some 40 ms before the sender took it: its latency is that wait plus 5 ms.
        assertTrue(levelOne.latency().maxUs() >= 40_000, levelOne.toString());
        assertTrue(levelOne.latency().maxUs() <= 46_000, levelOne.toString());
        assertTrue(levelOne.latency().p50Us() >= 5_000, "every message waited its 5 ms at least");
        assertTrue(levelOne.withinTrtPct() < 100.0, "those more than 5 ms late missed the 10 ms budget");
        assertTrue(levelOne.withinTrtPct() > 0.0, "those sent on time met it");
        assertEquals(levelOne.latency().maxUs() - 5_000, load.sendLag().maxUs(), 100,
            "lateness is also reported as send lag");
    }

    @Test
    void shouldEndTheLoadAtItsDurationWhenTheSenderNeverTakesAMessageAndThenHaveNothingToWaitFor()
    {
        final LoadProfile profile = LoadProfile.steady(5_000, 200 * MS);
        final OpenLoop load = new OpenLoop(settings(profile, 3, TimeUnit.SECONDS.toNanos(60)),
            OpenLoop.ProgressDetail.NONE);
        long now = T0;
        load.start(now);
        while (load.isLoading())
        {
            assertEquals(0, load.sendDue(now, message -> false, 1000));
            assertTrue(!load.isLoading() || load.nanosUntilNextDue(now) < Long.MAX_VALUE);
            now += MS;
        }

        assertEquals(load.startNs() + profile.durationNs(), now - MS, "ended by the first call at its duration");
        assertEquals(0, load.sent());
        assertTrue(load.unsent() > 900, "about 1000 fell due: " + load.unsent());
        assertEquals(Long.MAX_VALUE, load.nanosUntilNextDue(now));
        assertTrue(load.isDrained(now), "nothing was sent, so nothing is awaited");
        final SimulationResult result = load.result(now, 0);
        assertEquals(0, result.offered());
        assertEquals(0, result.pending());
    }

    @Test
    void shouldWaitAfterTheLoadUntilEveryMessageIsAnsweredOrTheDrainTimeoutPasses()
    {
        final OpenLoop load = new OpenLoop(settings(LoadProfile.steady(1_000, 50 * MS), 5, 500 * MS),
            OpenLoop.ProgressDetail.NONE);
        long now = T0;
        load.start(now);
        while (load.isLoading())
        {
            load.sendDue(now, message -> true, 1000);
            now += MS;
        }
        final long endNs = now - MS;
        assertTrue(load.sent() > 20);
        assertFalse(load.isDrained(now));

        load.onRejected(RejectReason.FULL.code());
        for (long number = 1; number < load.sent() - 1; number++)
        {
            load.onAccepted();
            load.onCompleted(number, 4, now);
        }
        assertEquals(1, load.outstanding());
        assertFalse(load.isDrained(now), "one accepted message has no completion yet");
        assertTrue(load.isDrained(endNs + 500 * MS), "the drain timeout ends the wait");
        assertEquals(0.5, load.drainSeconds(endNs + 500 * MS), 1e-9);

        load.onCompleted(load.sent() - 1, 2, now);
        assertTrue(load.isDrained(now));
        final SimulationResult result = load.result(now, 0);
        assertEquals(load.sent(), result.offered());
        assertEquals(1, result.rejected(RejectReason.FULL));
        assertEquals(load.sent() - 1, result.completed());
    }

    @Test
    void shouldCountRejectionsByReasonAndSetAsideCompletionsItCannotPlace()
    {
        final OpenLoop load = new OpenLoop(settings(LoadProfile.steady(1_000, 20 * MS), 9, 0),
            OpenLoop.ProgressDetail.NONE);
        load.start(T0);
        final long now = T0 + OpenLoop.START_DELAY_NS + 20 * MS;
        load.sendDue(now, message -> true, 1000);

        load.onRejected(RejectReason.THROTTLED.code());
        load.onRejected(RejectReason.FULL.code());
        load.onRejected(99);
        final SimulationResult result = load.result(now, 0);
        assertEquals(1, result.rejected(RejectReason.THROTTLED));
        assertEquals(1, result.rejected(RejectReason.FULL));
        assertEquals(1, result.rejected(RejectReason.MALFORMED), "a reason this build does not know");
        assertEquals(3, load.rejected());

        assertFalse(load.onCompleted(-1, 1, now));
        assertFalse(load.onCompleted(load.sent(), 1, now), "never sent");
        assertFalse(load.onCompleted(0, 0, now));
        assertFalse(load.onCompleted(0, PriorityPolicy.LEVELS + 1, now));
        assertEquals(4, load.unknownCompletions());
        assertEquals(0, load.completed());
    }

    @Test
    void shouldReportEachCompletionInThePeriodOfItsIntendedTime()
    {
        final OpenLoop load = new OpenLoop(settings(LoadProfile.steady(2_000, 90 * MS), 11, 0),
            OpenLoop.ProgressDetail.NONE);
        load.splitAt(0, 30 * MS);
        load.splitAt(1, 60 * MS);
        final long[] perPeriod = new long[OpenLoop.PERIODS];
        final List<Long> numbers = new ArrayList<>();
        long now = T0;
        load.start(now);
        while (load.isLoading())
        {
            load.sendDue(now, message ->
            {
                final long offset = message.intendedNs() - load.startNs();
                perPeriod[offset < 30 * MS ? 0 : offset < 60 * MS ? 1 : 2]++;
                numbers.add(message.number());
                return true;
            }, 1000);
            now += MS;
        }
        for (final long number : numbers)
        {
            load.onCompleted(number, 3, now);
        }

        for (int period = 0; period < OpenLoop.PERIODS; period++)
        {
            assertTrue(perPeriod[period] > 0);
            assertEquals(perPeriod[period], load.periodLevels(period).get(2).completed(), "period " + period);
            assertEquals(0, load.periodLevels(period).get(0).completed());
        }
        assertEquals(numbers.size(), load.levels().get(2).completed());
        assertThrows(IllegalArgumentException.class, () -> load.splitAt(2, 0));
    }

    @Test
    void shouldMeasureAMessageItDidNotSendFromTheTimeItIsGiven()
    {
        final OpenLoop load = new OpenLoop(settings(LoadProfile.steady(100, 10 * MS), 1, 0),
            OpenLoop.ProgressDetail.NONE);
        load.start(T0);
        assertTrue(load.onCompletedSince(T0 - 7_000 * MS, 1, 1_000 * MS, T0));

        final LevelReport levelOne = load.levels().get(0);
        assertEquals(1, levelOne.completed());
        assertEquals(7_000_000, levelOne.latency().maxUs(), 7_000);
        assertEquals(0.0, levelOne.withinTrtPct(), 1e-9, "7 s against a 1 s budget");
        assertEquals(0, load.outstanding(), "not one of this load's messages");
        assertEquals(1, load.result(T0, 1).replayed());
    }

    @Test
    void shouldPrintOneProgressLineASecondWithTheRatesAndTheDriversDetail()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        final LoadProfile profile = LoadProfile.steady(1_000, 1_500 * MS);
        final OpenLoop load = new OpenLoop(new OpenLoop.Settings(POLICY, MIX, profile, 1, 0, 0, out),
            line -> line.append("connections 0/4"));
        long now = T0;
        load.start(now);
        int lines = 0;
        while (load.isLoading())
        {
            load.sendDue(now, message -> true, 1000);
            lines += load.reportProgress(now) ? 1 : 0;
            now += MS;
        }
        lines += load.reportProgress(now + 1_000 * MS) ? 1 : 0;

        final String[] text = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines);
        assertEquals(2, text.length);
        assertTrue(text[0].matches("\\[  1\\.0s load \\] offered +\\d+/s  completed +0/s  connections 0/4"), text[0]);
        assertTrue(text[1].matches("\\[  2\\.\\ds drain\\] offered +\\d+/s  completed +0/s  connections 0/4"),
            text[1]);

        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        final OpenLoop bare = new OpenLoop(new OpenLoop.Settings(POLICY, MIX, profile, 1, 0, 0,
            new PrintStream(plain, true, StandardCharsets.UTF_8)), OpenLoop.ProgressDetail.NONE);
        bare.start(T0);
        bare.reportProgress(T0 + 1_000 * MS);
        assertTrue(plain.toString(StandardCharsets.UTF_8).endsWith("completed       0/s" + System.lineSeparator()),
            "no detail, no trailing separator: " + plain);
    }

    @Test
    void shouldRefuseSettingsItCannotRunWith()
    {
        final LoadProfile profile = LoadProfile.steady(100, MS);
        assertThrows(IllegalArgumentException.class, () -> new OpenLoop.Settings(null, MIX, profile, 1, 0, 0, null));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new OpenLoop.Settings(POLICY, MIX, profile, 1, 0, -1, null));
        assertEquals("drainTimeoutNs must be >= 0, got -1", ex.getMessage());
        final OpenLoop load = new OpenLoop(settings(profile, 1, 0), OpenLoop.ProgressDetail.NONE);
        assertThrows(IllegalStateException.class, () -> load.sendDue(T0, message -> true, 1));

        // A burst multiplier applied to a near-infinite capacity: a clear refusal, not an OutOfMemoryError.
        final LoadProfile huge = LoadProfile.steady(12_000_000_000L, 800 * MS);
        final IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
            () -> new OpenLoop(settings(huge, 1, 0), OpenLoop.ProgressDetail.NONE));
        assertTrue(tooMany.getMessage().startsWith("the load plans 9,600,000,000 messages"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().endsWith("lower the rate, the burst multiplier or the duration"),
            tooMany.getMessage());
    }

    private static OpenLoop.Settings settings(final LoadProfile profile, final long seed, final long drainTimeoutNs)
    {
        return new OpenLoop.Settings(POLICY, MIX, profile, seed, 0, drainTimeoutNs, null);
    }
}
