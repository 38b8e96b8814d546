package io.otaprio.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The engine with both journals on, in process, end to end: {@link FourRingSchedulerThroughputBenchmark}'s two
 * threads, with admission appending every message (the bytes of its ring slot) to the accepted journal before
 * publishing it (sync NONE) and the scheduler recording every dispatch and completion in the outcome journal (the
 * DISPATCHED records and the COMPLETED records flushed once per duty cycle each), each in a Chronicle Queue in a
 * temporary directory deleted after the trial, both opened by the benchmark's {@code EngineContext}. Same producer
 * loop, messages and consumer as the other {@link ThroughputBenchmark}s, so its score sits beside the unjournaled
 * engine's in the same run.
 * <p>
 * Pre-touching: as in the engine, the scheduler's idle duty cycles fault in the pages just ahead of both journals'
 * writers ({@code JournalToucher}). The engine's admission agent does the same in its idle cycles; here the producer
 * is the benchmark thread calling {@code Admission.submit} in a tight loop, which has no idle cycle, so only the
 * scheduler touches. The trial prints how many pages each toucher touched.
 */
@State(Scope.Benchmark)
public class JournaledEngineThroughputBenchmark extends FourRingSchedulerThroughputBenchmark
{
    boolean journaled()
    {
        return true;
    }
}
