package io.otaprio.cli;

import io.otaprio.engine.EngineContext;
import io.otaprio.loadgen.ShardSimulation;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.server.ConfigOption;
import io.otaprio.server.EngineOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio shards}: the scale-out design's simulation (docs/ha.md).
 */
@Command(
    name = "shards",
    mixinStandardHelpOptions = true,
    description = {
        "Simulate the scale-out design: N shards by target device sharing one DSP of K slots.",
        "In virtual time (seconds of traffic in milliseconds), each shard with its four lanes and strict-priority",
        "scheduler; the DSP's slots split statically (K/N each) or dynamically (each free slot to the shard with",
        "the highest waiting level, every --period). Prints each level's latency per shard count and split." },
    sortOptions = false)
final class ShardsCommand implements Callable<Integer>
{
    @Option(names = "--shards", defaultValue = "1,2,4,8", paramLabel = "N[,N...]",
        description = "Shard counts to simulate (default: ${DEFAULT-VALUE}).")
    private String shards;

    @Option(names = "--load", defaultValue = "1.2", paramLabel = "X",
        description = "Offered rate as a multiple of the DSP's capacity (default: ${DEFAULT-VALUE}: an overload).")
    private double load;

    @Option(names = "--duration", defaultValue = "20", paramLabel = "S",
        description = "Seconds of traffic (virtual time; default: ${DEFAULT-VALUE}).")
    private double durationSeconds;

    @Option(names = "--period", defaultValue = "1", paramLabel = "MS",
        description = "The dynamic credit allocator's period in ms (default: ${DEFAULT-VALUE}).")
    private double periodMs;

    @Option(names = "--slots", paramLabel = "K",
        description = "The DSP's slots, K (default: the configuration's dsp.slots); at least the largest shard count.")
    private Integer slots;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed.")
    private long seed;

    @Mixin
    private ConfigOption config;

    @Mixin
    private MixOption mix;

    public Integer call()
    {
        if (!(load > 0) || !(durationSeconds > 0) || !(periodMs >= 0))
        {
            throw new IllegalArgumentException("need --load > 0, --duration > 0, --period >= 0");
        }
        final EngineContext ctx = EngineOverrides.read(config.path(), (String)null);
        if (null != slots)
        {
            ctx.simulatedDsp(slots, ctx.serviceTimes(), ctx.dspSeed());
        }
        final TrafficMix traffic = TrafficMix.load(mix.path());
        final double capacity = Simulation.capacityPerSecond(ctx, traffic);
        System.out.printf(Locale.ROOT, "otaprio shards: DSP of %d slots, capacity %.0f msgs/s for this mix; offered " +
            "%.0f msgs/s (%.1fx) for %.0f s of virtual time; dynamic allocator every %.1f ms%n", ctx.dspSlots(),
            capacity, load * capacity, load, durationSeconds, periodMs);
        System.out.println(ShardSimulation.HEADER);
        for (final ShardSimulation.Split split : ShardSimulation.Split.values())
        {
            for (final String count : shards.split(",", -1))
            {
                final int n = Integer.parseInt(count.trim());
                System.out.print(ShardSimulation.run(new ShardSimulation.Settings(n, split, ctx.dspSlots(),
                    ctx.serviceTimes(), ctx.policy(), traffic, load * capacity, (long)(durationSeconds * 1e9),
                    (long)(periodMs * TimeUnit.MILLISECONDS.toNanos(1)), seed)).table());
            }
        }
        return 0;
    }
}
