package io.otaprio.bench;

import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalSync;
import org.agrona.concurrent.UnsafeBuffer;
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
 * Cost of making one accepted message durable: {@link AcceptedJournal#append} of a service request with a 64-byte
 * payload, one thread, per {@link JournalSync} mode, into a fresh journal in a temp directory per trial.
 * <p>
 * Baseline in the same run: {@link #encodeOnlyBaseline}, the same message encoded by the same flyweight into a
 * heap buffer, i.e. everything {@code append} does except Chronicle's document and the sync. The difference is
 * what the memory-mapped queue (and the msync) costs.
 * <p>
 * SYNC issues an {@code msync(MS_SYNC)} per message and is orders of magnitude slower; run it on its own with a
 * short iteration count ({@code -p sync=SYNC}), see perf-results/2026-11-29-journal-cost/command.txt.
 * <p>
 * Threading: one benchmark thread per trial (the journal is single-writer).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcceptedJournalAppendBenchmark
{
    private static final int LEVEL = 4;

    /** A journal of one sync mode, opened per trial. */
    @State(Scope.Thread)
    public static class JournalState
    {
        @Param({ "NONE", "ASYNC", "SYNC" })
        public JournalSync sync;

        final UnsafeBuffer payload = BenchmarkMessages.payload();
        Path directory;
        AcceptedJournal journal;
        long messageId;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchmarkMessages.newTempDirectory("otaprio-bench-append-");
            journal = AcceptedJournal.open(new JournalConfig(directory)
                .sync(sync)
                .payloadCapacity(BenchmarkMessages.MAX_PAYLOAD_BYTES));
        }

        @TearDown(Level.Trial)
        public void close()
        {
            BenchmarkMessages.closeAndCheck(journal, directory);
        }
    }

    /** A heap buffer the size of one encoded message, for the baseline. */
    @State(Scope.Thread)
    public static class EncodeState
    {
        final UnsafeBuffer payload = BenchmarkMessages.payload();
        final UnsafeBuffer scratch =
            new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(BenchmarkMessages.PAYLOAD_BYTES)]);
        final AcceptedMessageFlyweight flyweight = new AcceptedMessageFlyweight();
        long messageId;
    }

    /**
     * @param state the open journal.
     * @return the Chronicle index of the appended message (consumed by JMH).
     */
    @Benchmark
    public long append(final JournalState state)
    {
        final long messageId = state.messageId++;
        return state.journal.append(messageId, BenchmarkMessages.KIND, LEVEL, BenchmarkMessages.SRV_OF_LEVEL[LEVEL],
            BenchmarkMessages.ORIGINATOR, BenchmarkMessages.TARGET, messageId, messageId, 10_000_000_000L,
            state.payload, 0, BenchmarkMessages.PAYLOAD_BYTES);
    }

    /**
     * Baseline: the encode {@code append} performs, into a heap buffer, with no queue.
     *
     * @param state the scratch buffer.
     * @return the encoded length (consumed by JMH).
     */
    @Benchmark
    public int encodeOnlyBaseline(final EncodeState state)
    {
        final long messageId = state.messageId++;
        return state.flyweight.wrap(state.scratch, 0).encode(messageId, BenchmarkMessages.KIND, LEVEL,
            BenchmarkMessages.SRV_OF_LEVEL[LEVEL], BenchmarkMessages.ORIGINATOR, BenchmarkMessages.TARGET, messageId,
            messageId, 10_000_000_000L, state.payload, 0, BenchmarkMessages.PAYLOAD_BYTES);
    }
}
