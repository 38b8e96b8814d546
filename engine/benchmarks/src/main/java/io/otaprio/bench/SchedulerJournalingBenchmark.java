package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.message.MessageEvent;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.InFlightMessage;
import io.otaprio.scheduler.Scheduler;
import org.agrona.BitUtil;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Scheduler throughput with completion journaling off and on: {@value #BATCH} messages (levels 1..{@code levels}
 * in turn) are admitted before each invocation, without the accepted journal so that only the scheduler side
 * differs; the invocation then drives {@link Scheduler#doWork()} on the benchmark thread until all of them have completed.
 * The dispatcher completes every message immediately through the {@link CompletionPort}, so each message costs
 * take-from-ring + dispatch + completion queue + completion accounting (latency histogram, TRT counters), and with
 * {@code journaled} the DISPATCHED and COMPLETED records of the {@link OutcomeJournal} (sync NONE, flushed once per
 * duty cycle each, watermark checkpoint at the engine's default interval).
 * <p>
 * Credit is the engine default (K = {@code slots} = 32): at most K messages per duty cycle, so each flush carries
 * up to K records. Try {@code -p slots=...} to see how batching size moves the cost.
 * <p>
 * Baseline in the same run: {@code journaled=false}.
 * <p>
 * Threading: one benchmark thread plays both admission (in the per-invocation setup) and scheduler.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedulerJournalingBenchmark
{
    /** Messages per invocation. */
    static final int BATCH = 65_536;

    /** Slots per lane, at least this and enough for a whole batch in one lane when {@code levels} is 1. */
    private static final int MIN_RING_SIZE = 32_768;

    /** Completes every message as soon as it is dispatched. Scheduler thread only. */
    static final class ImmediateDispatcher implements Dispatcher
    {
        private final int slots;
        private CompletionPort port;
        long refused;

        ImmediateDispatcher(final int slots)
        {
            this.slots = slots;
        }

        public int slots()
        {
            return slots;
        }

        public void onStart(final CompletionPort completions)
        {
            port = completions;
        }

        public void dispatch(final MessageEvent message, final int slot, final long nowNs)
        {
            if (!port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK))
            {
                refused++;
            }
        }
    }

    /** Rings, admission (no journal), scheduler and, when journaled, the outcomes journal; built per trial. */
    @State(Scope.Thread)
    public static class SchedulerState
    {
        @Param({ "false", "true" })
        public boolean journaled;

        @Param({ "32" })
        public int slots;

        /**
         * Messages cycle through levels 1..levels. With 4, strict priority completes them out of id order (all of
         * level 1 first), so the scheduler's watermark set holds most of a batch; with 1 they complete in id order.
         */
        @Param({ "4" })
        public int levels;

        final UnsafeBuffer payload = BenchmarkMessages.payload();
        PriorityRings rings;
        Admission admission;
        Scheduler scheduler;
        ImmediateDispatcher dispatcher;
        OutcomeJournal outcomes;
        Path directory;
        long completed;
        long target;
        int sequence;

        @Setup(Level.Trial)
        public void open()
        {
            final PriorityPolicy policy = BenchmarkMessages.policy();
            final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
            final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
            final int ringSize = Math.max(MIN_RING_SIZE, BitUtil.findNextPositivePowerOfTwo(BATCH / levels + 1));
            rings = new PriorityRings(new int[]{ ringSize, ringSize, ringSize, ringSize },
                BenchmarkMessages.MAX_PAYLOAD_BYTES);
            admission = new Admission(rings, policy, metrics, clock, BenchmarkMessages.MAX_PAYLOAD_BYTES, 0);
            if (journaled)
            {
                directory = BenchmarkMessages.newTempDirectory("otaprio-bench-scheduler-");
                outcomes = OutcomeJournal.open(new JournalConfig(directory));
            }
            dispatcher = new ImmediateDispatcher(slots);
            scheduler = new Scheduler(rings, dispatcher, new CompletionQueue(slots, clock), metrics, clock,
                this::onCompleted, Throwable::printStackTrace, outcomes, 0, null,
                EngineContext.CHECKPOINT_INTERVAL_NS_DEFAULT);
            scheduler.onStart();
        }

        @Setup(Level.Invocation)
        public void refill()
        {
            for (int i = 0; i < BATCH; i++)
            {
                final int counter = sequence++;
                final int level = (counter % levels) + 1;
                final long id = admission.submit(BenchmarkMessages.KIND, BenchmarkMessages.SRV_OF_LEVEL[level],
                    BenchmarkMessages.ORIGINATOR, BenchmarkMessages.TARGET, counter, payload, 0,
                    BenchmarkMessages.PAYLOAD_BYTES);
                if (id < 0)
                {
                    throw new IllegalStateException("refill rejected message " + i + " with code " + id);
                }
            }
            target = completed + BATCH;
        }

        @TearDown(Level.Trial)
        public void close()
        {
            scheduler.onClose();
            if (null != outcomes)
            {
                final long failures = outcomes.failures();
                final String lastFailure = outcomes.lastFailure();
                outcomes.close();
                BenchmarkMessages.deleteRecursively(directory);
                if (failures > 0)
                {
                    throw new IllegalStateException("outcome journal failed " + failures + " times: " + lastFailure);
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

    /**
     * Drain one batch: duty cycles until every message admitted by {@link SchedulerState#refill()} has completed.
     *
     * @param state the scheduler.
     * @return duty cycles run (consumed by JMH).
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int drainBatch(final SchedulerState state)
    {
        final Scheduler scheduler = state.scheduler;
        int dutyCycles = 0;
        while (state.completed < state.target)
        {
            scheduler.doWork();
            dutyCycles++;
        }
        return dutyCycles;
    }
}
