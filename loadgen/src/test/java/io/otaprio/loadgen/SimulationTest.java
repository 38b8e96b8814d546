package io.otaprio.loadgen;

import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mission in one test: the same burst at three times the simulated DSP's capacity, once with the shipped
 * priority policy and once with everything in one fifo lane. Scaled down (6 s of load) for CI.
 */
class SimulationTest
{
    @TempDir
    Path dir;

    private static final Path CONF = Path.of("../conf");
    private static final String CONFIG = String.join("\n",
        "policy: priority-policy.yaml",
        "rings: [8192, 8192, 8192, 32768]",
        "scheduler: { idle: yielding }",
        "dsp: { slots: 8, distribution: fixed, meanServiceTime: 2ms, seed: 1 }",
        "");

    @Test
    void shouldKeepLevelOneWithinTrtDuringABurstWhileFifoMakesItWaitBehindTheBacklog()
    {
        final TrafficMix mix = TrafficMix.load(CONF.resolve("traffic-mix.yaml"));
        final PriorityPolicy policy = context().policy();
        final double capacity = Simulation.capacityPerSecond(context(), mix);
        assertEquals(4000.0, capacity, 1e-6);
        final LoadProfile profile = LoadProfile.burst(0.4 * capacity, 4 * capacity, TimeUnit.SECONDS.toNanos(6));

        // Warm the JIT first: on 2 cores two spinning threads starve the compiler threads, and a cold first run
        // measures the interpreter, not the engine.
        run(policy, mix, LoadProfile.steady(capacity, TimeUnit.SECONDS.toNanos(2)), "warmup");

        final SimulationResult prioritised = run(policy, mix, profile, "prioritised");
        final SimulationResult fifo = run(policy.fifo(), mix, profile, "fifo");

        for (final SimulationResult result : new SimulationResult[]{ prioritised, fifo })
        {
            assertEquals(result.offered(), result.accepted(), result.table());
            assertEquals(result.accepted(), result.completed(), "drained completely: " + result.table());
            assertEquals(0, result.rejected(RejectReason.FULL));
        }
        assertEquals("default", prioritised.run().policy());
        assertEquals("fifo", fifo.run().policy());
        assertEquals(prioritised.offered(), fifo.offered(), "same seed, same traffic");

        final long trtUs = prioritised.run().level(1).trtNs() / 1000;
        final long level1P99 = prioritised.run().level(1).latency().p99Us();
        final long level4P99 = prioritised.run().level(4).latency().p99Us();
        assertTrue(level1P99 < trtUs, "level-1 p99 " + level1P99 + "us within its TRT\n" + prioritised.table());
        assertEquals(100.0, prioritised.run().level(1).withinTrtPct(), prioritised.table());
        assertTrue(level4P99 > 5 * level1P99, "level 4 queues during the burst\n" + prioritised.table());

        final long fifoLevel1P99 = fifo.run().level(1).latency().p99Us();
        assertTrue(fifoLevel1P99 > 5 * level1P99,
            "under fifo level 1 waits behind the backlog\n" + prioritised.table() + fifo.table());
        assertTrue(fifo.run().level(1).withinTrtPct() < prioritised.run().level(1).withinTrtPct(), fifo.table());

        final String json = prioritised.json();
        for (final String key : new String[]{ "\"scenario\":\"burst\"", "\"policy\":\"default\"", "\"offered\":",
            "\"accepted\":", "\"completed\":", "\"rejected\":{\"FULL\":0", "\"capacityPerSecond\":",
            "\"durationSeconds\":", "\"levels\":[{\"level\":1,\"completed\":", "\"p50Us\":", "\"p99Us\":",
            "\"p999Us\":", "\"maxUs\":", "\"trtMs\":1000.000", "\"withinTrtPct\":" })
        {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    private SimulationResult run(
        final PriorityPolicy policy, final TrafficMix mix, final LoadProfile profile, final String journal)
    {
        return Simulation.run(new Simulation.Settings(
            () -> context().policy(policy).journal(new JournalConfig(dir.resolve(journal))), mix, profile, 42,
            TimeUnit.SECONDS.toNanos(30), null));
    }

    private static EngineContext context()
    {
        return ConfigurationFile.parse(CONFIG, "simulation-test.yaml", CONF);
    }
}
