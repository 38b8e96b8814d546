package io.otaprio.loadgen;

import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.engine.EngineContext;
import io.otaprio.server.EngineOverrides;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scale-out simulation: as shards are added, the dynamic credit split keeps level 1 where one shard has it,
 * and a static split with one slot per shard lets level 1 wait behind its own shard's slow work.
 */
class ShardSimulationTest
{
    private static final EngineContext CONFIG = EngineOverrides.read(Path.of("../conf/otaprio.yaml"), (String)null);
    private static final TrafficMix MIX = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));
    private static final int SLOTS = 8;

    @Test
    void shouldKeepLevelOneAsShardsAreAddedWithTheDynamicSplitAndNotWithOneStaticSlotPerShard()
    {
        final ShardSimulation.Result dynamicOne = run(1, ShardSimulation.Split.DYNAMIC);
        final ShardSimulation.Result dynamicEight = run(8, ShardSimulation.Split.DYNAMIC);
        final ShardSimulation.Result staticOne = run(1, ShardSimulation.Split.STATIC);
        final ShardSimulation.Result staticEight = run(8, ShardSimulation.Split.STATIC);

        assertTrue(dynamicEight.p99Us()[1] <= dynamicOne.p99Us()[1] * 1.1,
            "dynamic: level-1 p99 with 8 shards " + dynamicEight.p99Us()[1] + " us vs 1 shard " +
            dynamicOne.p99Us()[1]);
        assertTrue(staticEight.p99Us()[1] > staticOne.p99Us()[1] * 1.5,
            "static, one slot per shard: level-1 p99 with 8 shards " + staticEight.p99Us()[1] + " us vs 1 shard " +
            staticOne.p99Us()[1]);
        // Level 1 keeps its TRT either way: strict priority holds inside every shard.
        assertTrue(staticEight.p99Us()[1] < TimeUnit.NANOSECONDS.toMicros(CONFIG.policy().levelTrtNs(1)));
        // Everything offered completes.
        for (final ShardSimulation.Result result : new ShardSimulation.Result[]{ dynamicOne, dynamicEight, staticOne,
            staticEight })
        {
            long completed = 0;
            for (int level = 1; level <= 4; level++)
            {
                completed += result.completed()[level];
            }
            assertTrue(completed > 20_000, "completed " + completed);
        }
    }

    @Test
    void shouldBeDeterministicForASeed()
    {
        final ShardSimulation.Result first = run(4, ShardSimulation.Split.STATIC);
        final ShardSimulation.Result second = run(4, ShardSimulation.Split.STATIC);
        assertArrayEquals(first.completed(), second.completed());
        assertArrayEquals(first.p99Us(), second.p99Us());
        assertEquals(first.table(), second.table());
    }

    private static ShardSimulation.Result run(final int shards, final ShardSimulation.Split split)
    {
        final ServiceTimes serviceTimes = CONFIG.serviceTimes();
        final double capacity = SLOTS * 1e9 / MIX.meanServiceNs(serviceTimes);
        return ShardSimulation.run(new ShardSimulation.Settings(shards, split, SLOTS, serviceTimes, CONFIG.policy(),
            MIX, 1.2 * capacity, TimeUnit.SECONDS.toNanos(12), TimeUnit.MICROSECONDS.toNanos(100), 1));
    }
}
