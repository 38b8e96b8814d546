package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.message.MessageEvent;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.InFlightMessage;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine under the latency sweep: {@link Admission} into the four {@link PriorityRings} (default lane sizes),
 * the {@link Scheduler} on the consumer thread with credit K = {@value ThroughputBenchmark#CREDIT} and a dispatcher
 * that records the message's latency at dispatch and completes it at once. No journal. The intended send time
 * travels in the RequestID counter field; the publish time is admission's accept stamp.
 */
public final class EngineLatencyTarget extends LatencyTarget
{
    private final UnsafeBuffer payload = BenchmarkMessages.payload();
    private Admission admission;
    private Scheduler scheduler;
    private long completed;
    private volatile long consumed;

    public String name()
    {
        return "engine";
    }

    Agent open()
    {
        final PriorityPolicy policy = BenchmarkMessages.policy();
        final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        final PriorityRings rings = new PriorityRings(EngineContext.RING_SIZES_DEFAULT.clone(),
            BenchmarkMessages.MAX_PAYLOAD_BYTES);
        admission = new Admission(rings, policy, metrics, clock, BenchmarkMessages.MAX_PAYLOAD_BYTES, 0);
        scheduler = new Scheduler(rings, new RecordingDispatcher(), new CompletionQueue(ThroughputBenchmark.CREDIT,
            clock), metrics, clock, this::onCompleted, Throwable::printStackTrace);
        return new Agent()
        {
            public void onStart()
            {
                scheduler.onStart();
            }

            public int doWork()
            {
                final int work = scheduler.doWork();
                if (completed != consumed)
                {
                    consumed = completed;
                }
                return work;
            }

            public void onClose()
            {
                scheduler.onClose();
            }

            public String roleName()
            {
                return "otaprio-latency-engine";
            }
        };
    }

    boolean offer(final int level, final long intendedNs, final long counter)
    {
        // The intended send time travels as the RequestID counter.
        return BenchmarkMessages.submit(admission, level, intendedNs, payload);
    }

    long consumed()
    {
        return consumed;
    }

    private void onCompleted(final InFlightMessage message)
    {
        completed++;
    }

    /** Records at dispatch, then completes on the scheduler thread. */
    private final class RecordingDispatcher implements Dispatcher
    {
        private CompletionPort port;

        public int slots()
        {
            return ThroughputBenchmark.CREDIT;
        }

        public void onStart(final CompletionPort completions)
        {
            port = completions;
        }

        public void dispatch(final MessageEvent message, final int slot, final long nowNs)
        {
            record(message.level(), message.counter(), message.acceptTimeNs(), nowNs);
            port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK);
        }
    }
}
