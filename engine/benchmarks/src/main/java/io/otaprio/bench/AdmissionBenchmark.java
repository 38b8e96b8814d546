package io.otaprio.bench;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cost of admitting one message from one thread: {@link Admission#submit} (validate, classify, claim a ring slot,
 * copy the submission into it and stamp it, append the slot's bytes to the accepted journal when {@code journaled},
 * publish), with the accepted journal off and on (sync NONE). Messages cycle through levels 1..4, so all four rings
 * are used. Admission is built as the engine builds it, from a concluded {@link EngineContext} with the server's
 * gateway, metrics endpoint and resend detection off ({@link BenchmarkMessages#engineContext()}).
 * <p>
 * Isolating admission: the consumer must keep up without being what is measured, so the benchmark method submits
 * one message and then, on the same thread, hands its slot straight back with {@link PriorityRings#release(int)}
 * (one plain store to the lane's gating sequence). The rings never fill and no scheduler runs. The figure is
 * therefore the producer side alone: the most messages per second one admission thread can accept.
 * <p>
 * Baselines in the same run: {@code journaled=false} (the same path without the journal), and
 * {@link #plainRingBaseline}, one Disruptor ring with claim, a copy of the same message (64-byte header, 64-byte
 * payload) into the slot with admission's four stamps, publish and the same same-thread release: the floor under any
 * admission that goes through a ring.
 * <p>
 * Threading: one benchmark thread per trial (the rings are single-producer).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AdmissionBenchmark
{
    private static final int RING_SIZE = 1024;

    /**
     * Rings, admission and, when journaled, the journals in a temp directory, from one engine context; built per
     * trial.
     */
    @State(Scope.Thread)
    public static class AdmissionState
    {
        @Param({ "false", "true" })
        public boolean journaled;

        final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();
        final AdmissionResult result = new AdmissionResult();
        final int[] laneOfLevel = new int[PriorityPolicy.LEVELS + 1];
        EngineContext context;
        PriorityRings rings;
        Admission admission;
        Path directory;
        int sequence;

        @Setup(Level.Trial)
        public void open()
        {
            if (journaled)
            {
                directory = BenchmarkMessages.newTempDirectory("otaprio-bench-admission-");
            }
            context = BenchmarkMessages.engineContext()
                .ringSizes(RING_SIZE, RING_SIZE, RING_SIZE, RING_SIZE)
                .journal(journaled ? new JournalConfig(directory) : null)
                .conclude();
            final PriorityPolicy policy = context.policy();
            for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
            {
                laneOfLevel[level] = policy.lane(
                    policy.classify(MessageKind.SERVICE_REQUEST, BenchmarkMessages.SRV_OF_LEVEL[level]));
            }
            rings = context.rings();
            admission = new Admission(context);
        }

        @TearDown(Level.Trial)
        public void close()
        {
            admission.close();
            BenchmarkMessages.closeAndCheck(context, directory);
        }
    }

    /** One single-producer Disruptor ring of the same events, gated by a sequence the benchmark thread moves. */
    @State(Scope.Thread)
    public static class PlainRingState
    {
        final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();
        // The same wait strategy as the engine's rings: nobody blocks, so publish signals no one.
        final RingBuffer<MessageEvent> ring = RingBuffer.createSingleProducer(
            MessageEvent.factory(BenchmarkMessages.MAX_PAYLOAD_BYTES), RING_SIZE, new BusySpinWaitStrategy());
        final Sequence consumed = new Sequence(RingBuffer.INITIAL_CURSOR_VALUE);
        long messageId;

        @Setup(Level.Trial)
        public void gate()
        {
            ring.addGatingSequences(consumed);
        }
    }

    /**
     * Submit one message, then release its slot on this thread.
     *
     * @param state admission and rings.
     * @return the message id, or -1 when it was rejected (consumed by JMH).
     */
    @Benchmark
    public long submitThenRelease(final AdmissionState state)
    {
        final int counter = state.sequence++;
        final int level = (counter & 3) + 1;
        final AdmissionResult result = state.result;
        state.admission.submit(state.submission.counter(counter).code(BenchmarkMessages.SRV_OF_LEVEL[level]), result);
        // Every outcome possible here (accepted, or UNAVAILABLE after a failed append) has published a slot.
        state.rings.release(state.laneOfLevel[level]);
        return result.messageId();
    }

    /**
     * Baseline: claim, fill and publish one slot of a plain Disruptor ring, then release it on this thread.
     *
     * @param state the ring.
     * @return the sequence published (consumed by JMH).
     * @throws InsufficientCapacityException never: every slot is released before the next claim.
     */
    @Benchmark
    public long plainRingBaseline(final PlainRingState state) throws InsufficientCapacityException
    {
        final long messageId = state.messageId++;
        final RingBuffer<MessageEvent> ring = state.ring;
        final long sequence = ring.tryNext();
        ring.get(sequence).copy(state.submission.counter(messageId))
            .messageId(messageId)
            .level(4)
            .trtNs(10_000_000_000L)
            .acceptTimeNs(messageId);
        ring.publish(sequence);
        state.consumed.set(sequence);
        return sequence;
    }
}
