package io.otaprio.bench;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link FourRingSchedulerThroughputBenchmark} (the engine, no journal) with payloads larger than a ring slot holds
 * inline: the engine as shipped ({@code maxPayloadBytes} 64 KiB, {@code inlinePayloadBytes} 512, each lane's payload
 * store at its default of 2 KiB per slot), every message {@link #payloadBytes} long, so admission copies it into its
 * lane's payload store and the scheduler releases the region as it hands the slot back. 2048 bytes is a small DUIS
 * request, 27,648 about the largest; 64 bytes is the other benchmarks' message in the shipped configuration
 * (inline, in 576-byte slots, with the stores allocated and unused). The score beside the 64-byte engine's in the
 * same run says what a large message costs; the {@code fullRetries} counter says when a lane's store, not its ring,
 * was what filled (at 27 KB the level-4 store holds about 9,900 messages of a batch's ~50,000).
 */
@State(Scope.Benchmark)
public class LargePayloadEngineThroughputBenchmark extends FourRingSchedulerThroughputBenchmark
{
    /** Payload of every message, bytes. */
    @Param({ "64", "2048", "27648" })
    public int payloadBytes;

    EngineContext configure(final EngineContext context)
    {
        return context.maxPayloadBytes(Configuration.MAX_PAYLOAD_BYTES_DEFAULT)
            .inlinePayloadBytes(Configuration.INLINE_PAYLOAD_BYTES_DEFAULT);
    }

    AcceptedMessageFlyweight message()
    {
        return BenchmarkMessages.submission(payloadBytes);
    }
}
