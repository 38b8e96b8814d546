package io.otaprio.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link FourRingSchedulerThroughputBenchmark} (the engine, no journal) with one submission per admission batch: a
 * clock read and a publish per message, as admission worked before it batched a duty cycle's reads. Its score beside
 * the engine's in the same run is what batching gains.
 */
@State(Scope.Benchmark)
public class UnbatchedEngineThroughputBenchmark extends FourRingSchedulerThroughputBenchmark
{
    int readBatch()
    {
        return 1;
    }
}
