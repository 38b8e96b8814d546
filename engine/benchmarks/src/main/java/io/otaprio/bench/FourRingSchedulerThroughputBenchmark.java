package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.Agent;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Path;

/**
 * The engine, no journal: the benchmark thread submits through {@link Admission} (validate, classify, claim, copy
 * the message into the slot and stamp it, publish) into four strict-priority {@link PriorityRings} (the engine's
 * default lane sizes); the {@link Scheduler} on its own thread takes ONE message at a time from the highest
 * non-empty lane while it has credit (K = {@value ThroughputBenchmark#CREDIT}) and dispatches it to a dispatcher
 * that completes it at once through its {@code CompletionPort}, on the scheduler thread, so the scheduler accounts
 * for the completion (latency histogram, TRT counters, listener) straight away, without the completion queue. A
 * message counts when its completion has been accounted for.
 * <p>
 * Admission batches as the gateway does each duty cycle's socket reads: {@link #readBatch()}
 * submissions between {@code beginBatch} (one clock read) and {@code endBatch} (each lane's new slots published in
 * one step); a refused offer ends the batch early, so the scheduler can free room. {@link
 * UnbatchedEngineThroughputBenchmark} submits one message per batch, as admission did before batching, beside it.
 * <p>
 * Both are built as the engine builds them, from one concluded {@link EngineContext} (the server's gateway, metrics
 * endpoint, journal and resend detection turned off, see {@link BenchmarkMessages#engineContext()}), the scheduler
 * counting its completions itself ({@link CountingScheduler}): there is no admission agent here to drain the engine's
 * completion relay.
 * <p>
 * So per message the consumer does more than the baselines' "hand to a callback": credit bookkeeping, the in-flight
 * slot (a copy of the message's header), the completion accounting and the metrics. Baselines in the same run: the
 * other {@link ThroughputBenchmark}s.
 * <p>
 * Threading: the benchmark thread is the only admission thread; the scheduler thread owns the scheduler, the
 * dispatcher and the completion count.
 */
@State(Scope.Benchmark)
public class FourRingSchedulerThroughputBenchmark extends ThroughputBenchmark
{
    /** Submissions per admission batch. */
    static final int READ_BATCH = 16;

    private final AdmissionResult result = new AdmissionResult();
    private AcceptedMessageFlyweight message;
    private Path directory;
    private EngineContext context;
    private Admission admission;
    private ImmediateDispatcher dispatcher;
    private Agent consumer;
    private int readBatch;
    private int inBatch;
    private boolean batchOpen;

    void open()
    {
        if (journaled())
        {
            directory = BenchmarkMessages.newTempDirectory("otaprio-bench-journaled-engine-");
        }
        dispatcher = new ImmediateDispatcher(CREDIT);
        context = configure(BenchmarkMessages.engineContext()
            .ringSizes(LANE_CAPACITIES)
            .clock(clock)
            .dispatcher(dispatcher)
            .errorHandler(this::onConsumerError)
            .journal(journaled() ? new JournalConfig(directory) : null));
        message = message();
        consumer = new CountingScheduler(Scheduler.ROLE_NAME, context, consumed::set);
        admission = new Admission(context);
        readBatch = readBatch();
    }

    Agent consumer()
    {
        return consumer;
    }

    boolean offer(final int level, final long counter)
    {
        if (!batchOpen)
        {
            admission.beginBatch();
            batchOpen = true;
        }
        final boolean admitted = BenchmarkMessages.submit(admission, message, result, level, counter);
        if (!admitted || ++inBatch == readBatch)
        {
            offered();
        }
        return admitted;
    }

    void offered()
    {
        if (batchOpen)
        {
            admission.endBatch();
            batchOpen = false;
            inBatch = 0;
        }
    }

    /**
     * @return submissions per admission batch: {@value #READ_BATCH}, about what one socket read carries from a
     * loaded connection (16 Submit frames with 64-byte payloads are ~2 KB).
     */
    int readBatch()
    {
        return READ_BATCH;
    }

    /**
     * @param context the engine as every benchmark runs it.
     * @return it, with whatever a variant changes.
     */
    EngineContext configure(final EngineContext context)
    {
        return context;
    }

    /** @return the message every offer sends: the bench message of 64 payload bytes. */
    AcceptedMessageFlyweight message()
    {
        return submission;
    }

    /** @return whether both journals are on (the accepted journal in admission, the outcomes in the scheduler). */
    boolean journaled()
    {
        return false;
    }

    void verify()
    {
        if (journaled())
        {
            System.out.printf("%n[%s] pages touched ahead by the scheduler's idle cycles: accepted journal %,d, " +
                "outcome journal %,d%n", getClass().getSimpleName(), context.acceptedJournal().toucher().pagesTouched(),
                context.outcomeJournal().toucher().pagesTouched());
        }
        admission.close();
        BenchmarkMessages.closeAndCheck(context, directory);
        dispatcher.verify();
    }
}
