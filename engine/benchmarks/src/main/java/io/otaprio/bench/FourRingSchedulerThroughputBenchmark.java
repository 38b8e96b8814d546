package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.InFlightMessage;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.Agent;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;

/**
 * The engine, no journal: the benchmark thread submits through {@link Admission} (validate, classify, claim,
 * fill, publish) into four strict-priority {@link PriorityRings} (the engine's default lane sizes); the
 * {@link Scheduler} on its own thread takes ONE message at a time from the highest non-empty lane while it has
 * credit (K = {@value ThroughputBenchmark#CREDIT}) and dispatches it to a dispatcher that completes it at once
 * through its {@code CompletionPort}; the scheduler accounts for each completion (latency histogram, TRT counters,
 * listener) in its next duty cycle. A message counts when its completion has been accounted for.
 * <p>
 * So per message the consumer does more than the baselines' "hand to a callback": credit bookkeeping, the in-flight
 * map, the completion queue round trip and the metrics. Baselines in the same run: the other
 * {@link ThroughputBenchmark}s.
 * <p>
 * Threading: the benchmark thread is the only admission thread; the scheduler thread owns the scheduler, the
 * dispatcher and {@link #completed}.
 */
@State(Scope.Benchmark)
public class FourRingSchedulerThroughputBenchmark extends ThroughputBenchmark
{
    private Path directory;
    private AcceptedJournal acceptedJournal;
    private OutcomeJournal outcomeJournal;
    private Admission admission;
    private Scheduler scheduler;
    private SchedulerJournalingBenchmark.ImmediateDispatcher dispatcher;
    private Agent consumer;
    private long completed;

    void open()
    {
        final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        final PriorityRings rings = new PriorityRings(LANE_CAPACITIES, BenchmarkMessages.MAX_PAYLOAD_BYTES);
        if (journaled())
        {
            directory = BenchmarkMessages.newTempDirectory("otaprio-bench-journaled-engine-");
            final JournalConfig config = new JournalConfig(directory)
                .payloadCapacity(BenchmarkMessages.MAX_PAYLOAD_BYTES);
            acceptedJournal = AcceptedJournal.open(config);
            outcomeJournal = OutcomeJournal.open(config);
        }
        admission = new Admission(rings, policy, metrics, clock, BenchmarkMessages.MAX_PAYLOAD_BYTES, 0,
            acceptedJournal);
        dispatcher = new SchedulerJournalingBenchmark.ImmediateDispatcher(CREDIT);
        scheduler = new Scheduler(rings, dispatcher, new CompletionQueue(CREDIT, clock), metrics, clock,
            this::onCompleted, this::onConsumerError, outcomeJournal, 0, null,
            EngineContext.CHECKPOINT_INTERVAL_NS_DEFAULT);
        consumer = new Agent()
        {
            private long published;

            public void onStart()
            {
                scheduler.onStart();
            }

            public int doWork()
            {
                final int work = scheduler.doWork();
                if (completed != published)
                {
                    published = completed;
                    consumed.set(published);
                }
                return work;
            }

            public void onClose()
            {
                scheduler.onClose();
            }

            public String roleName()
            {
                return scheduler.roleName();
            }
        };
    }

    Agent consumer()
    {
        return consumer;
    }

    boolean offer(final int level, final long counter)
    {
        return BenchmarkMessages.submit(admission, level, counter, payload);
    }

    /** @return whether both journals are on (the accepted journal in admission, the outcomes in the scheduler). */
    boolean journaled()
    {
        return false;
    }

    void verify()
    {
        admission.close();
        if (null != acceptedJournal)
        {
            final String failures = acceptedJournal.failures() + " accepted and " + outcomeJournal.failures() +
                " outcome journal failures: " + acceptedJournal.lastFailure() + " " + outcomeJournal.lastFailure();
            final boolean failed = acceptedJournal.failures() + outcomeJournal.failures() > 0;
            acceptedJournal.close();
            outcomeJournal.close();
            BenchmarkMessages.deleteRecursively(directory);
            if (failed)
            {
                throw new IllegalStateException(failures);
            }
        }
        if (dispatcher.refused > 0)
        {
            throw new IllegalStateException("completion queue refused " + dispatcher.refused + " completions");
        }
    }

    private void onCompleted(final InFlightMessage message)
    {
        completed++;
    }
}
