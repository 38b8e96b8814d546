package io.otaprio.scheduler;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
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
 * How the scheduler accounts for completions: by the in-flight slot the message was dispatched with, checked
 * against the message id, so a stale, repeated or misdirected completion cannot free credit or be counted twice;
 * and the per-level figures readers see once each duty cycle has published them.
 */
class SchedulerCompletionTest
{
    private static final int SLOTS = 2;

    private final RecordingDispatcher dispatcher = new RecordingDispatcher();
    private final List<Long> listened = new ArrayList<>();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private final AdmissionResult result = new AdmissionResult();
    private EngineContext ctx;
    private EngineMetrics metrics;
    private Admission admission;
    private Scheduler scheduler;

    /** The scheduler and admission of one context, driven by hand on the test thread. */
    private void build(final long dispatchTimeoutNs)
    {
        ctx = TestEngines.context().dispatcher(dispatcher).ringSizes(64, 64, 64, 64).maxPayloadBytes(8)
            .dispatchTimeoutNs(dispatchTimeoutNs).conclude();
        metrics = ctx.metrics();
        admission = new Admission(ctx);
        scheduler = new Scheduler(ctx);
    }

    @Test
    void shouldCountACompletionUnknownUnlessItsSlotHoldsThatMessageInFlight()
    {
        build(0);
        scheduler.onStart();
        final long first = submit(4);
        final long second = submit(4);
        final long third = submit(4);
        doWork();
        assertEquals(List.of(first, second), dispatcher.ids);
        final int firstSlot = dispatcher.slots.get(0);
        final int secondSlot = dispatcher.slots.get(1);

        complete(secondSlot, first);
        complete(-1, first);
        complete(SLOTS, first);
        assertEquals(SLOTS, scheduler.inFlightCount(), "no credit freed by a misdirected completion");
        assertEquals(3, metrics.unknownCompletions());

        complete(firstSlot, first);
        assertEquals(List.of(first), listened);
        assertEquals(List.of(first, second, third), dispatcher.ids, "the freed slot went to the next message");
        final int thirdSlot = dispatcher.slots.get(2);
        assertEquals(firstSlot, thirdSlot);

        complete(firstSlot, first);
        assertEquals(4, metrics.unknownCompletions(), "a repeated completion of a message whose slot was reused");
        complete(secondSlot, second);
        complete(secondSlot, second);
        assertEquals(5, metrics.unknownCompletions(), "a repeated completion of a slot now free");
        complete(thirdSlot, third);

        assertEquals(List.of(first, second, third), listened);
        assertEquals(0, scheduler.inFlightCount());
        final MetricsSnapshot.Level level4 = snapshot().level(4);
        assertEquals(3, level4.dispatched());
        assertEquals(3, level4.completed());
        assertEquals(3, level4.latency().count());
        scheduler.onClose();
    }

    @Test
    void shouldCompleteAsTimedOutWhatTheDownstreamNeverAnswersAndIgnoreItsLateAnswer() throws Exception
    {
        build(1_000_000L);
        scheduler.onStart();
        final long first = submit(1);
        final long second = submit(2);
        final long third = submit(3);
        doWork();
        assertEquals(List.of(first, second), dispatcher.ids, "the downstream took two and answers neither");

        Thread.sleep(10);
        doWork();
        assertEquals(List.of(first, second), listened, "both completed by the scheduler as timed out");
        assertEquals(List.of(first, second, third), dispatcher.ids, "the freed credit went to the next message");
        assertEquals(2, metrics.dispatchTimeouts());
        final MetricsSnapshot snapshot = snapshot();
        assertEquals(1, snapshot.level(1).failed());
        assertEquals(1, snapshot.level(2).failed());

        complete(dispatcher.slots.get(0), first);
        assertEquals(1, metrics.unknownCompletions(), "the late answer is counted, not applied twice");
        complete(dispatcher.slots.get(2), third);
        assertEquals(List.of(first, second, third), listened);
        assertEquals(0, scheduler.inFlightCount());
        scheduler.onClose();
    }

    @Test
    void shouldPublishEachDutyCyclesFiguresBeforeTheCycleReturns()
    {
        build(0);
        scheduler.onStart();
        for (int i = 0; i < 300; i++)
        {
            submit(1 + (i & 3));
            doWork();
            complete(dispatcher.slots.get(i), dispatcher.ids.get(i));
            final MetricsSnapshot snapshot = snapshot();
            long completed = 0;
            long recorded = 0;
            for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
            {
                completed += snapshot.level(level).completed();
                recorded += snapshot.level(level).latency().count();
                assertEquals(snapshot.level(level).completed(),
                    snapshot.level(level).trtMet() + snapshot.level(level).trtMissed());
            }
            assertEquals(i + 1, completed);
            assertEquals(i + 1, recorded, "every latency recorded, none lost in a batch");
        }
        scheduler.onClose();
    }

    private MetricsSnapshot snapshot()
    {
        return metrics.snapshot(new long[PriorityPolicy.LEVELS], new long[PriorityPolicy.LEVELS + 1]);
    }

    private long submit(final int level)
    {
        assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(),
            TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(1, 2, 3), payload, 0, 8), result));
        return result.messageId();
    }

    /** One scheduler duty cycle, then what the relay carried, as the admission thread would take it. */
    private void doWork()
    {
        scheduler.doWork();
        ctx.completionRelay().drain(completed -> listened.add(completed.message().messageId()), 1024);
    }

    /** From the test thread, so through the completion queue, then one duty cycle to account for it. */
    private void complete(final int slot, final long messageId)
    {
        assertEquals(true, dispatcher.port.complete(slot, messageId, CompletionPort.OUTCOME_OK));
        doWork();
    }

    private static final class RecordingDispatcher implements Dispatcher
    {
        final List<Long> ids = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        CompletionPort port;

        public int slots()
        {
            return SLOTS;
        }

        public void onStart(final CompletionPort completions)
        {
            port = completions;
        }

        public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
        {
            ids.add(message.messageId());
            slots.add(slot);
        }
    }
}
