package io.otaprio.scheduler;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
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
        final EngineContext ctx = TestEngines.context().dispatcher(new ImmediateDispatcher(SLOTS))
            .ringSizes(8192, 8192, 8192, 8192).maxPayloadBytes(8).completionRelayCapacity(1024).conclude();
        final EngineMetrics metrics = ctx.metrics();
        final Admission admission = new Admission(ctx);
        final CompletionRelay relay = ctx.completionRelay();
        final Scheduler scheduler = new Scheduler(ctx);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final AdmissionResult result = new AdmissionResult();
        for (int i = 0; i < MESSAGES; i++)
        {
            final int level = 4 - (i % 4);
            assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(),
                TestPolicies.SRV_OF_LEVEL[level], new RequestId(1, 2, i), payload, 0, 8), result));
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
            completed -> pushed.add(new long[]{ completed.message().messageId(), completed.message().level() });
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
