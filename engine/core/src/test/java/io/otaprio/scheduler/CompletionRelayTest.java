package io.otaprio.scheduler;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.ImmediateDispatcher;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay between the scheduler and the gateway pushes back: a gateway that stops draining it stops dispatch
 * instead of losing Completed pushes, and dispatch resumes, in priority order, once it drains again.
 */
class CompletionRelayTest
{
    private static final int MESSAGES = 5_000;
    private static final int SLOTS = 16;

    @Test
    void shouldHoldDispatchWhileTheRelayIsFullAndLoseNoCompletedPush()
    {
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        final PriorityRings rings = new PriorityRings(new int[]{ 8192, 8192, 8192, 8192 }, 8);
        final Admission admission = new Admission(rings, TestPolicies.fourLevels(), metrics, clock, 8, 0);
        final CompletionRelay relay = new CompletionRelay(1024, CompletionListener.NONE);
        final Scheduler scheduler = new Scheduler(rings, new ImmediateDispatcher(SLOTS), new CompletionQueue(SLOTS, clock),
            metrics, clock, relay, Throwable::printStackTrace);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        for (int i = 0; i < MESSAGES; i++)
        {
            final int level = 4 - (i % 4);
            assertTrue(admission.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
                1, 2, i, payload, 0, 8) >= 0);
        }
        scheduler.onStart();

        final int room = relay.completionsAcceptable();
        assertTrue(room > 0 && room < MESSAGES, "room " + room);
        runUntilIdle(scheduler);
        assertEquals(room, metrics.dispatchedTotal(), "dispatched exactly what the relay had room for");
        assertEquals(0, relay.completionsAcceptable());
        assertEquals(0, relay.dropped());

        final List<long[]> pushed = new ArrayList<>();
        final CompletionRelay.Handler gateway =
            (id, originator, target, counter, level, acceptNs, completedNs, trtNs, outcome) ->
                pushed.add(new long[]{ id, level });
        while (metrics.completedTotal() < MESSAGES || relay.drain(gateway, Integer.MAX_VALUE) > 0)
        {
            relay.drain(gateway, 100);
            runUntilIdle(scheduler);
        }
        scheduler.onClose();

        assertEquals(MESSAGES, metrics.completedTotal());
        assertEquals(0, relay.dropped());
        assertEquals(MESSAGES, pushed.size(), "a Completed push for every message");
        assertEquals(0, relay.dropped());
        int lastLevel = 1;
        for (final long[] push : pushed)
        {
            assertTrue(push[1] >= lastLevel, "strict priority kept across the pauses");
            lastLevel = (int)push[1];
        }
    }

    private static void runUntilIdle(final Scheduler scheduler)
    {
        while (scheduler.doWork() > 0)
        {
            Thread.onSpinWait();
        }
    }
}
