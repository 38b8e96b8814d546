package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.Agent;

/**
 * The engine under the latency sweep: {@link Admission} into the four {@link PriorityRings} (default lane sizes),
 * the {@link Scheduler} on the consumer thread with credit K = {@value ThroughputBenchmark#CREDIT} and a dispatcher
 * that records the message's latency at dispatch and completes it at once. No journal. The intended send time
 * travels in the RequestID counter field; the publish time is admission's accept stamp.
 * <p>
 * Built as the engine builds them, from one concluded {@link EngineContext} (the server's gateway, metrics endpoint,
 * journal and resend detection off, see {@link BenchmarkMessages#engineContext()}), the scheduler counting its
 * completions itself ({@link CountingScheduler}): no admission agent drains the engine's completion relay here.
 */
public final class EngineLatencyTarget extends LatencyTarget
{
    private final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();
    private final AdmissionResult result = new AdmissionResult();
    private Admission admission;
    private volatile long consumed;

    public String name()
    {
        return "engine";
    }

    Agent open()
    {
        final EngineContext context = BenchmarkMessages.engineContext()
            .ringSizes(Configuration.ringSizesDefault())
            .clock(clock)
            .dispatcher(new RecordingDispatcher());
        final Agent consumer = new CountingScheduler("otaprio-latency-engine", context, count -> consumed = count);
        admission = new Admission(context);
        return consumer;
    }

    boolean offer(final int level, final long intendedNs, final long counter)
    {
        // The intended send time travels as the RequestID counter.
        return BenchmarkMessages.submit(admission, submission, result, level, intendedNs);
    }

    long consumed()
    {
        return consumed;
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

        public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
        {
            record(message.level(), message.counter(), message.acceptTimeNs(), nowNs);
            port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK);
        }
    }
}
