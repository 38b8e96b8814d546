package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionContext;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.LevelOneAlertGuard;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.admission.ResendDetection;
import io.otaprio.admission.Transport;
import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletedMessage;
import io.otaprio.scheduler.CompletionRelay;
import io.otaprio.scheduler.Scheduler;
import org.agrona.BitUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Scheduler throughput with completion journaling off and on: {@value #BATCH} messages (levels 1..{@code levels}
 * in turn) are admitted before each invocation, without the accepted journal so that only the scheduler side
 * differs; the invocation then drives {@link Scheduler#doWork()} on the benchmark thread until all of them have
 * completed. The dispatcher completes every message immediately through the {@link CompletionPort}, on the scheduler
 * thread, so each message costs take-from-ring + copy of its header into the in-flight slot + dispatch + completion
 * accounting (latency histogram, TRT counters, listener), without the completion queue; and with {@code journaled}
 * the DISPATCHED and COMPLETED records of the {@link OutcomeJournal} (sync NONE, flushed once per duty cycle each,
 * watermark checkpoint at the engine's default interval).
 * <p>
 * Rings, metrics, clock, dispatcher and outcome journal come from one concluded {@link EngineContext}
 * ({@link BenchmarkMessages#engineContext()}, with a journal in a temp directory when {@code journaled}); the
 * scheduler's completion listener is this benchmark's counter
 * ({@link EngineContext#completionListener(io.otaprio.scheduler.CompletionListener)}), and admission sees
 * the context without its accepted journal ({@link UnjournaledAdmissionContext}).
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

    /** Rings, admission (no journal), scheduler and, when journaled, the outcome journal; built per trial. */
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

        final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();
        final AdmissionResult result = new AdmissionResult();
        EngineContext context;
        Admission admission;
        Scheduler scheduler;
        ImmediateDispatcher dispatcher;
        Path directory;
        long completed;
        long target;
        int sequence;

        @Setup(Level.Trial)
        public void open()
        {
            final int ringSize = Math.max(MIN_RING_SIZE, BitUtil.findNextPositivePowerOfTwo(BATCH / levels + 1));
            if (journaled)
            {
                directory = BenchmarkMessages.newTempDirectory("otaprio-bench-scheduler-");
            }
            dispatcher = new ImmediateDispatcher(slots);
            context = BenchmarkMessages.engineContext()
                .ringSizes(ringSize, ringSize, ringSize, ringSize)
                .dispatcher(dispatcher)
                .journal(journaled ? new JournalConfig(directory) : null)
                .completionListener(this::onCompleted)
                .conclude();
            admission = new Admission(new UnjournaledAdmissionContext(context));
            scheduler = new Scheduler(context);
            scheduler.onStart();
        }

        @Setup(Level.Invocation)
        public void refill()
        {
            for (int i = 0; i < BATCH; i++)
            {
                final int counter = sequence++;
                final int level = (counter % levels) + 1;
                if (!admission.submit(submission.counter(counter).code(BenchmarkMessages.SRV_OF_LEVEL[level]), result))
                {
                    throw new IllegalStateException("refill rejected message " + i + ": " + result);
                }
            }
            target = completed + BATCH;
        }

        @TearDown(Level.Trial)
        public void close()
        {
            scheduler.onClose();
            BenchmarkMessages.closeAndCheck(context, directory);
            dispatcher.verify();
        }

        private void onCompleted(final CompletedMessage message)
        {
            completed++;
        }
    }

    /**
     * Admission's view of a concluded {@link EngineContext} without its accepted journal: this benchmark measures the
     * scheduler side only, so the messages admitted between invocations are not journaled (the engine context opens
     * both journals or none). Every other part is the context's.
     */
    static final class UnjournaledAdmissionContext implements AdmissionContext
    {
        private final EngineContext engine;

        UnjournaledAdmissionContext(final EngineContext engine)
        {
            this.engine = engine;
        }

        public AcceptedLog acceptedLog()
        {
            return AcceptedLog.NONE;
        }

        public PriorityRings rings()
        {
            return engine.rings();
        }

        public PriorityPolicy policy()
        {
            return engine.policy();
        }

        public EngineMetrics metrics()
        {
            return engine.metrics();
        }

        public EpochNanoClock clock()
        {
            return engine.clock();
        }

        public int maxPayloadBytes()
        {
            return engine.maxPayloadBytes();
        }

        public long nextMessageId()
        {
            return engine.nextMessageId();
        }

        public ResendDetection resendDetection()
        {
            return engine.resendDetection();
        }

        public OriginatorQuota originatorQuota()
        {
            return engine.originatorQuota();
        }

        public AlertThrottle alertThrottle()
        {
            return engine.alertThrottle();
        }

        public LevelOneAlertGuard levelOneAlertGuard()
        {
            return engine.levelOneAlertGuard();
        }

        public ReplayFeeder replayFeeder()
        {
            return engine.replayFeeder();
        }

        public int replayFeedLimit()
        {
            return engine.replayFeedLimit();
        }

        public CompletionRelay completionRelay()
        {
            return engine.completionRelay();
        }

        public int completionDrainLimit()
        {
            return engine.completionDrainLimit();
        }

        public List<Transport> transports()
        {
            return engine.transports();
        }

        public ErrorHandler errorHandler()
        {
            return engine.errorHandler();
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
