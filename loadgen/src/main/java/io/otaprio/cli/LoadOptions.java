package io.otaprio.cli;

import io.otaprio.engine.EngineContext;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.SlowDownstream;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.server.ConfigOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The load options {@code simulate}, {@code loadgen} and {@code peer-rabbitmq} share: the same scenarios, rates and
 * outputs, so the in-process, over-TCP and broker runs of a scenario are the same traffic.
 */
final class LoadOptions
{
    /** The scenario simulate runs twice, with the level-1 alert guard and without. */
    static final String OUTAGE_RESTORATION = "outage-restoration";

    @Option(names = "--scenario", defaultValue = "burst",
        paramLabel = "steady|burst|alert-storm|outage-restoration|slow-downstream",
        description = "Load shape (default: ${DEFAULT-VALUE}); slow-downstream in simulate only.")
    String scenario;

    @Option(names = "--rate", paramLabel = "N",
        description = "Steady rate in messages/s (default: half the simulated DSP's capacity; slow-downstream: " +
            "95%% of it).")
    Double rate;

    @Option(names = "--burst-multiplier", defaultValue = "3", paramLabel = "K",
        description = "Burst rate as a multiple of the DSP's capacity (default: ${DEFAULT-VALUE}).")
    double burstMultiplier;

    @Option(names = "--storm-multiplier", defaultValue = "2", paramLabel = "K",
        description = "alert-storm: rate of storm alerts as a multiple of capacity (default: ${DEFAULT-VALUE}).")
    double stormMultiplier;

    @Option(names = "--duration", paramLabel = "S",
        description = "Seconds of offered load (default: 10 for steady, 70 for outage-restoration, 30 for the " +
            "others).")
    Double durationSeconds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
        description = "Random seed of arrivals and mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path json;

    @Mixin
    ConfigOption config;

    @Mixin
    MixOption mix;

    @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "S",
        description = "Seconds to wait after the load for the backlog to drain (default: ${DEFAULT-VALUE}).")
    double drainTimeoutSeconds;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    /** @return the engine configuration to read. */
    Path configPath()
    {
        return config.path();
    }

    /**
     * Read the traffic mix and size the load by the engine's capacity for it, for a load sent to an engine elsewhere
     * (over TCP, or to a broker): a scenario that changes the simulated DSP is refused, as only an engine in this
     * process has it.
     *
     * @param engine the context read from {@link #configPath()}, with the command's overrides.
     * @return what the load is made of.
     * @throws IllegalArgumentException for a scenario only {@code simulate} runs.
     */
    Plan plan(final EngineContext engine)
    {
        if (SlowDownstream.SCENARIO.equals(scenario))
        {
            throw new IllegalArgumentException("--scenario " + scenario + " runs in process only (./otaprio " +
                "simulate): it makes firmware slow at the simulated DSP, which an engine elsewhere does not have");
        }
        return inProcessPlan(engine);
    }

    /**
     * Read the traffic mix, with what the scenario changes in it, and size the load by the capacity of the engine in
     * this process, with what the scenario sets on it ({@link #scenarioEngine}).
     *
     * @param engine the context read from {@link #configPath()}, with the command's overrides.
     * @return what the load is made of.
     */
    Plan inProcessPlan(final EngineContext engine)
    {
        scenarioEngine(engine);
        final TrafficMix trafficMix = scenarioMix(TrafficMix.load(mix.path()));
        final double capacity = Simulation.capacityPerSecond(engine, trafficMix);
        return new Plan(configPath(), engine, trafficMix, capacity, profile(capacity));
    }

    /**
     * What the scenario sets on an engine it runs in process, on top of the configuration.
     *
     * @param engine a context read from the configuration.
     * @return it: slow-downstream makes firmware take seconds at the simulated DSP; the others set nothing.
     */
    EngineContext scenarioEngine(final EngineContext engine)
    {
        return switch (scenario)
        {
            case SlowDownstream.SCENARIO -> SlowDownstream.slowFirmware(engine);
            default -> engine;
        };
    }

    /**
     * @param trafficMix the mix as read.
     * @return it as the scenario offers it: slow-downstream draws firmware as a campaign; the others as read.
     */
    private TrafficMix scenarioMix(final TrafficMix trafficMix)
    {
        return switch (scenario)
        {
            case SlowDownstream.SCENARIO -> SlowDownstream.firmwareCampaign(trafficMix);
            default -> trafficMix;
        };
    }

    long drainTimeoutNs()
    {
        if (!(drainTimeoutSeconds >= 0))
        {
            throw new IllegalArgumentException("--drain-timeout must be >= 0, got " + drainTimeoutSeconds);
        }
        return (long)(drainTimeoutSeconds * 1e9);
    }

    private LoadProfile profile(final double capacityPerSecond)
    {
        final double steadyRate = null != rate ? rate : capacityPerSecond / 2;
        if (!(steadyRate > 0) || !(burstMultiplier > 0) || !(stormMultiplier > 0))
        {
            throw new IllegalArgumentException("--rate, --burst-multiplier and --storm-multiplier must be > 0");
        }
        final double seconds = null != durationSeconds ? durationSeconds : switch (scenario)
        {
            case "steady" -> 10;
            case OUTAGE_RESTORATION -> 70;
            default -> 30;
        };
        if (!(seconds > 0) || seconds > 86_400)
        {
            throw new IllegalArgumentException("--duration must be in (0, 86400] seconds, got " + seconds);
        }
        final long durationNs = (long)(seconds * 1e9);
        return switch (scenario)
        {
            case "steady" -> LoadProfile.steady(steadyRate, durationNs);
            case "burst" -> LoadProfile.burst(steadyRate, burstMultiplier * capacityPerSecond, durationNs);
            case "alert-storm" -> LoadProfile.alertStorm(steadyRate, stormMultiplier * capacityPerSecond, durationNs);
            case OUTAGE_RESTORATION -> LoadProfile.outageRestoration(steadyRate, durationNs);
            case SlowDownstream.SCENARIO -> LoadProfile.slowDownstream(
                null != rate ? rate : SlowDownstream.LOAD_OF_CAPACITY * capacityPerSecond, durationNs);
            default -> throw new IllegalArgumentException("--scenario must be steady, burst, alert-storm, " +
                "outage-restoration or slow-downstream, got " + scenario);
        };
    }

    OpenLoop.Settings openLoop(final Plan plan)
    {
        return openLoop(plan, new long[0]);
    }

    /**
     * @param plan        the load.
     * @param originators the originators to submit under; empty for the seed's.
     * @return the open loop's settings.
     */
    OpenLoop.Settings openLoop(final Plan plan, final long[] originators)
    {
        return new OpenLoop.Settings(plan.policy(), plan.mix(), plan.profile(), seed, plan.capacityPerSecond(),
            drainTimeoutNs(), quiet ? null : System.out, originators);
    }

    /**
     * Print the load line every load command starts with.
     *
     * @param plan the load.
     */
    void printLoad(final Plan plan)
    {
        System.out.printf(Locale.ROOT, "load %s: %s (seed %d)%n", plan.profile().scenario(), plan.profile().describe(),
            seed);
    }

    void writeJson(final String text) throws IOException
    {
        if (null == json)
        {
            return;
        }
        final Path parent = json.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(json, text + System.lineSeparator(), StandardCharsets.UTF_8);
        System.out.println("wrote " + json);
    }

    static void report(final SimulationResult result, final double drainTimeoutSeconds)
    {
        System.out.println();
        if (result.replayed() > 0)
        {
            System.out.printf("replayed %d messages from the journal's backlog%n", result.replayed());
        }
        System.out.print(result.table());
        if (result.pending() > 0)
        {
            System.out.printf("%d messages were still outstanding when the wait for them ended after %.1fs " +
                "(drain timeout %.0fs; over TCP also after 3s without a frame)%n",
                result.pending(), result.run().drainSeconds(), drainTimeoutSeconds);
        }
    }

    /**
     * What the load options resolve to.
     *
     * @param configFile        the engine configuration read.
     * @param engine            the context read from it (not concluded): policy, DSP slots and service times.
     * @param mix               the traffic mix.
     * @param capacityPerSecond the simulated DSP's capacity for this mix.
     * @param profile           the offered load over time, sized by that capacity.
     */
    record Plan(Path configFile, EngineContext engine, TrafficMix mix, double capacityPerSecond, LoadProfile profile)
    {
        /** @return the policy that classifies the messages and gives each level its TRT. */
        PriorityPolicy policy()
        {
            return engine.policy();
        }
    }
}
