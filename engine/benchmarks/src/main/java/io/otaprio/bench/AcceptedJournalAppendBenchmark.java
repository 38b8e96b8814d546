package io.otaprio.bench;

import io.otaprio.engine.EngineContext;
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
 * Cost of making one accepted message durable: {@link AcceptedJournal#append(org.agrona.DirectBuffer, int, int)} of
 * a service request with a 64-byte payload already in the {@link AcceptedMessageDescriptor} layout, as admission
 * appends the bytes of the ring slot it has just filled; one thread, per {@link JournalSync} mode, into a fresh
 * journal in a temp directory per trial, opened as the engine opens it (by a concluded {@link EngineContext}). Each op
 * first stamps the fields that change per message (message id, RequestID counter, accept time), as admission does.
 * <p>
 * Baseline in the same run: {@link #encodeOnlyBaseline}, the same stamps and a copy of the same message's bytes into
 * a heap buffer, i.e. everything {@code append} does except Chronicle's document and the sync ({@code append} no
 * longer encodes: it writes the message's bytes as they are). The difference is what the memory-mapped queue (and
 * the msync) costs.
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
    private static final long TRT_NS = 10_000_000_000L;

    /** A journal of one sync mode, opened per trial by an engine context. */
    @State(Scope.Thread)
    public static class JournalState
    {
        @Param({ "NONE", "ASYNC", "SYNC" })
        public JournalSync sync;

        final AcceptedMessageFlyweight message = acceptedMessage();
        Path directory;
        EngineContext context;
        AcceptedJournal journal;
        long messageId;

        @Setup(Level.Trial)
        public void open()
        {
            directory = BenchmarkMessages.newTempDirectory("otaprio-bench-append-");
            context = BenchmarkMessages.engineContext()
                .journal(new JournalConfig(directory).sync(sync))
                .conclude();
            journal = context.acceptedJournal();
        }

        @TearDown(Level.Trial)
        public void close()
        {
            BenchmarkMessages.closeAndCheck(context, directory);
        }
    }

    /** The same message and a heap buffer the size of it, for the baseline. */
    @State(Scope.Thread)
    public static class EncodeState
    {
        final AcceptedMessageFlyweight message = acceptedMessage();
        final UnsafeBuffer scratch =
            new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(BenchmarkMessages.PAYLOAD_BYTES)]);
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
        final AcceptedMessageFlyweight message = state.message.messageId(messageId).counter(messageId)
            .acceptTimeNs(messageId);
        return state.journal.append(message.buffer(), message.offset(), message.encodedLength());
    }

    /**
     * Baseline: the same stamps, then the copy of the message's bytes that {@code append} makes into the queue, into a
     * heap buffer instead.
     *
     * @param state the message and the scratch buffer.
     * @return the length copied (consumed by JMH).
     */
    @Benchmark
    public int encodeOnlyBaseline(final EncodeState state)
    {
        final long messageId = state.messageId++;
        final AcceptedMessageFlyweight message = state.message.messageId(messageId).counter(messageId)
            .acceptTimeNs(messageId);
        final int length = message.encodedLength();
        state.scratch.putBytes(0, message.buffer(), message.offset(), length);
        return length;
    }

    /** @return the bench message as admission leaves it in a slot: level 4 (SRV 1.4) with its TRT budget. */
    private static AcceptedMessageFlyweight acceptedMessage()
    {
        return BenchmarkMessages.submission()
            .code(BenchmarkMessages.SRV_OF_LEVEL[LEVEL])
            .level(LEVEL)
            .trtNs(TRT_NS);
    }
}
