package io.otaprio.bench;

import com.lmax.disruptor.Sequence;
import io.otaprio.engine.Configuration;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.ring.MessageEvent;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer, one consumer, end to end: the shape every {@code *ThroughputBenchmark} shares, so that the engine
 * and its baselines run the same measured loop and differ only in the queue between the two threads and in what
 * the consumer does per message. Disruptor-style, each topology is a subclass named for it:
 * {@link FourRingSchedulerThroughputBenchmark} (the engine), {@link PriorityBlockingQueueThroughputBenchmark},
 * {@link FourArrayBlockingQueuesThroughputBenchmark} and {@link OneRingThroughputBenchmark} (the upper bound).
 * Subclasses rather than one class with a {@code @Param}: each result carries its topology's name, and the
 * measured method below is still one piece of code (in each fork only one subclass is loaded, so
 * {@link #offer(int, long)} is a monomorphic call).
 * <p>
 * The measured method publishes {@value #BATCH} messages from the benchmark thread, levels 1..4 in the
 * 5/7/12/76% mix of {@link BenchmarkMessages#levelMix}, retrying a refused offer (a full lane or queue) with
 * {@link Thread#onSpinWait()} and counting the retries, then waits until the consumer has handed every one of them
 * to its callback. The score is therefore messages per second through both threads; whichever side is slower sets
 * it. {@link ProducerCounters} (beside the score) say which: the backlog the consumer still had when the producer
 * finished offering a batch, and how often an offer was refused.
 * <p>
 * The consumer is an Agrona {@link Agent} on its own thread, run by an {@link AgentRunner} with a
 * {@link BusySpinIdleStrategy}, started per trial and stopped (closed and joined) in the trial's tear-down. It
 * publishes the number of messages it has finished to {@link #consumed} once per duty cycle.
 * <p>
 * Message: a service request, SRV 1.L for level L, 64-byte payload, built once as a submission in the accepted
 * message layout ({@link BenchmarkMessages#submission()}); per message the producer sets its RequestID counter and
 * code. It travels in a {@link MessageEvent}. Producers that do not go through {@code Admission} do its work
 * themselves ({@link #fill}): classify with the same policy, copy the whole message (header and payload) into the
 * event and stamp what admission stamps (id, level, TRT budget, accept time), so only the queue differs.
 * <p>
 * Capacity: the engine's default lane sizes ({@link Configuration#ringSizesDefault()}) for the four-lane
 * topologies, their sum for the priority queue, the largest lane for the one ring.
 * <p>
 * Threading: the benchmark thread (one, {@code @Threads(1)}) is the only producer; the consumer thread is the only
 * reader of the queue. {@link #consumed} is written by the consumer and read by the producer.
 */
@State(Scope.Benchmark)
public abstract class ThroughputBenchmark
{
    /** Messages per measured invocation. */
    static final int BATCH = 65_536;

    /** Credit: the most messages the consumer takes per duty cycle (the engine's K default). */
    static final int CREDIT = 32;

    /** Slots per lane, lane 0 (level 1) first: the engine's defaults. */
    static final int[] LANE_CAPACITIES = Configuration.ringSizesDefault();

    private static final int MIX_LENGTH = 4096;
    private static final long MIX_SEED = 0x07A9_1210L;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** Levels of successive messages, index {@code counter & (MIX_LENGTH - 1)}. */
    final int[] levelMix = BenchmarkMessages.levelMix(MIX_LENGTH, MIX_SEED);

    /** The message every offer sends, counter and code set per message; producer thread only. */
    final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();

    /** The four-level bench policy: SRV 1.L is level L. */
    final PriorityPolicy policy = BenchmarkMessages.policy();

    /** Accept-time stamps. */
    final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();

    /** Messages the consumer has finished; written by the consumer once per duty cycle. */
    final Sequence consumed = new Sequence(0);

    /** Errors the consumer thread's loop caught (each is also printed); must stay 0. */
    final AtomicLong consumerErrors = new AtomicLong();

    private AgentRunner consumerRunner;
    private long produced;
    private long producerAllocatedAtStart;

    /**
     * What the producer saw, reported beside the score as JMH secondary results, per second like the score.
     * <p>
     * {@code fullRetries}: offers refused because the lane or queue was full. With the engine's default lane sizes
     * no lane can fill within one batch (the largest share of a batch, level 4's 76%, is ~50 k of 131 k slots), so
     * this stays about 0 and says nothing about which side is slower; the next counter does.
     * <p>
     * {@code unfinishedAtBatchEnd}: messages the consumer had not yet finished at the moment the producer finished
     * offering a batch, summed over batches. Divided by the score it is the fraction of each batch still queued
     * then: about 0 means the consumer kept up and the producer set the pace; towards 1 the consumer set it (the
     * consumer ran at about {@code 1 - fraction} of the producer's offer rate).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class ProducerCounters
    {
        /** Offers refused because the lane or queue was full, this iteration. */
        public long fullRetries;

        /** Sum over this iteration's batches of the messages unfinished when the batch had been offered. */
        public long unfinishedAtBatchEnd;

        /** Zero the counters for the iteration. */
        @Setup(Level.Iteration)
        public void reset()
        {
            fullRetries = 0;
            unfinishedAtBatchEnd = 0;
        }
    }

    /**
     * Producer thread: enqueue one message, or say the queue is full. Must not allocate again for a message it
     * refused last time (keep it and offer it again).
     *
     * @param level   1..4.
     * @param counter the message's sequence number, from 0 (its id, where the topology assigns ids itself).
     * @return true when the message is in the queue.
     */
    abstract boolean offer(int level, long counter);

    /** Producer thread, after the last offer of an invocation: make everything offered visible to the consumer. */
    void offered()
    {
    }

    /** @return the consumer to run on its own thread; built in {@link #open()}. */
    abstract Agent consumer();

    /** Build the queue and the consumer, once per trial, before the consumer thread starts. */
    abstract void open();

    /** After the consumer thread has stopped: check what it saw and throw if something went wrong. */
    void verify()
    {
    }

    /** Start the consumer thread. */
    @Setup(Level.Trial)
    public final void start()
    {
        open();
        consumerRunner = new AgentRunner(new BusySpinIdleStrategy(), this::onConsumerError, null, consumer());
        AgentRunner.startOnThread(consumerRunner);
        producerAllocatedAtStart = allocatedBytes(Thread.currentThread().getId());
    }

    /** Stop and join the consumer thread; report what each thread allocated; fail the trial on a consumer error. */
    @TearDown(Level.Trial)
    public final void stop()
    {
        final Thread consumerThread = consumerRunner.thread();
        final long consumerAllocated = null == consumerThread ? -1 : allocatedBytes(consumerThread.getId());
        final long producerAllocated = allocatedBytes(Thread.currentThread().getId());
        CloseHelper.close(consumerRunner);
        verify();
        if (produced > 0)
        {
            // Whole trial (warm-up included), beside JMH's gc.alloc.rate.norm, to show which thread allocates.
            System.out.printf("%n[%s] %,d messages; allocated per message: producer thread %.3f B, consumer thread " +
                "%.3f B (consumer: from its start)%n", getClass().getSimpleName(), produced,
                (producerAllocated - producerAllocatedAtStart) / (double)produced,
                consumerAllocated / (double)produced);
        }
        if (consumed.get() != produced)
        {
            throw new IllegalStateException(getClass().getSimpleName() + ": consumer finished " + consumed.get() +
                " of " + produced + " messages");
        }
        if (consumerErrors.get() > 0)
        {
            throw new IllegalStateException(getClass().getSimpleName() + ": the consumer thread caught " +
                consumerErrors.get() + " errors (printed above)");
        }
    }

    /**
     * Publish {@value #BATCH} messages and wait until the consumer has finished all of them.
     *
     * @param counters what the producer saw.
     * @return messages produced so far (consumed by JMH).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public long publishBatch(final ProducerCounters counters)
    {
        final int[] levelMix = this.levelMix;
        final int mask = levelMix.length - 1;
        long counter = produced;
        long full = 0;
        for (int i = 0; i < BATCH; i++)
        {
            final int level = levelMix[(int)counter & mask];
            while (!offer(level, counter))
            {
                full++;
                Thread.onSpinWait();
            }
            counter++;
        }
        offered();
        produced = counter;
        final long backlog = counter - consumed.get();
        counters.fullRetries += full;
        counters.unfinishedAtBatchEnd += backlog;

        if (backlog > 0)
        {
            final long deadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while (consumed.get() < counter)
            {
                Thread.onSpinWait();
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new IllegalStateException(getClass().getSimpleName() + ": consumer finished " +
                        consumed.get() + " of " + counter + " messages within " + DRAIN_TIMEOUT_NS + " ns");
                }
            }
        }
        return counter;
    }

    /**
     * Producer thread: what {@code Admission} does to a message, for topologies that do not use it: classify, copy
     * the submission into the event, stamp. The id is the counter.
     *
     * @param event   the slot or new event to fill.
     * @param level   the intended level, 1..4 (the bench policy's SRV 1.L).
     * @param counter the message id and RequestID counter.
     */
    final void fill(final MessageEvent event, final int level, final long counter)
    {
        final int code = BenchmarkMessages.SRV_OF_LEVEL[level];
        final int rule = policy.classify(MessageKind.SERVICE_REQUEST, code);
        event.copy(submission.counter(counter).code(code))
            .messageId(counter)
            .level(policy.level(rule))
            .trtNs(policy.trtNs(rule))
            .acceptTimeNs(clock.nanoTime());
    }

    /**
     * @param level 1..4.
     * @return the lane the policy puts that level's messages in (lane 0 = level 1).
     */
    final int laneOf(final int level)
    {
        return policy.lane(policy.classify(MessageKind.SERVICE_REQUEST, BenchmarkMessages.SRV_OF_LEVEL[level]));
    }

    /**
     * Any thread: count and print an error caught at a loop's boundary; the trial fails at its end.
     *
     * @param t what was caught.
     */
    final void onConsumerError(final Throwable t)
    {
        consumerErrors.incrementAndGet();
        t.printStackTrace();
    }

    private static long allocatedBytes(final long threadId)
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
    }

    /**
     * The consumer of the JDK and one-ring baselines: per duty cycle, up to {@value #CREDIT} times, take ONE message
     * with {@link #poll()} and hand it to the {@link Callback}; then {@link #release()} and publish the count. The
     * same take-one-then-look-again rhythm as the scheduler, with the same credit per cycle.
     */
    abstract class QueueConsumer implements Agent
    {
        final Callback callback = new Callback();

        /** @return the next message in the topology's order, or null when there is none. Consumer thread. */
        abstract MessageEvent poll();

        /** Hand the slots of the messages taken this duty cycle back to the producer, if the queue has slots. */
        void release()
        {
        }

        public int doWork()
        {
            int taken = 0;
            MessageEvent message;
            while (taken < CREDIT && null != (message = poll()))
            {
                callback.dispatch(message.message());
                taken++;
            }
            if (taken > 0)
            {
                release();
                consumed.set(callback.messages);
            }
            return taken;
        }

        public String roleName()
        {
            return "otaprio-bench-consumer";
        }
    }

    /**
     * The "dispatch": what every consumer hands each message to. Reads two fields, as a dispatcher that copies what
     * it keeps would, and counts. Consumer thread only.
     */
    static final class Callback
    {
        long messages;
        long checksum;

        void dispatch(final AcceptedMessageFlyweight message)
        {
            checksum += message.messageId() ^ message.level();
            messages++;
        }
    }
}
