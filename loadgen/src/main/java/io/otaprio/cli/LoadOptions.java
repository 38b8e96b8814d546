package io.otaprio.cli;

import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.server.Home;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load options {@code simulate} and {@code loadgen} share: the same scenarios, rates and outputs, so the
 * in-process and over-TCP runs of a scenario are the same traffic.
 */
final class LoadOptions
{
    @Option(names = "--scenario", defaultValue = "burst", paramLabel = "steady|burst|alert-storm",
        description = "Load shape (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--rate", paramLabel = "N",
        description = "Steady rate in messages/s (default: half the simulated DSP's capacity).")
    Double rate;

    @Option(names = "--burst-multiplier", defaultValue = "3", paramLabel = "K",
        description = "Burst rate as a multiple of the DSP's capacity (default: ${DEFAULT-VALUE}).")
    double burstMultiplier;

    @Option(names = "--storm-multiplier", defaultValue = "2", paramLabel = "K",
        description = "alert-storm: rate of storm alerts as a multiple of capacity (default: ${DEFAULT-VALUE}).")
    double stormMultiplier;

    @Option(names = "--duration", paramLabel = "S",
        description = "Seconds of offered load (default: 30 for burst and alert-storm, 10 for steady).")
    Double durationSeconds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
        description = "Random seed of arrivals and mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    Path json;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Engine configuration (default: conf/otaprio.yaml).")
    Path config;

    @Option(names = "--mix", paramLabel = "FILE", description = "Traffic mix (default: conf/traffic-mix.yaml).")
    Path mix;

    @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "S",
        description = "Seconds to wait after the load for the backlog to drain (default: ${DEFAULT-VALUE}).")
    double drainTimeoutSeconds;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    Path configPath()
    {
        return null != config ? config : Home.shipped("conf/otaprio.yaml");
    }

    Path mixPath()
    {
        return null != mix ? mix : Home.shipped("conf/traffic-mix.yaml");
    }

    long drainTimeoutNs()
    {
        if (!(drainTimeoutSeconds >= 0))
        {
            throw new IllegalArgumentException("--drain-timeout must be >= 0, got " + drainTimeoutSeconds);
        }
        return (long)(drainTimeoutSeconds * 1e9);
    }

    LoadProfile profile(final double capacityPerSecond)
    {
        final double steadyRate = null != rate ? rate : capacityPerSecond / 2;
        if (!(steadyRate > 0) || !(burstMultiplier > 0) || !(stormMultiplier > 0))
        {
            throw new IllegalArgumentException("--rate, --burst-multiplier and --storm-multiplier must be > 0");
        }
        final double seconds = null != durationSeconds ? durationSeconds : "steady".equals(scenario) ? 10 : 30;
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
            default -> throw new IllegalArgumentException(
                "--scenario must be steady, burst or alert-storm, got " + scenario);
        };
    }

    OpenLoop.Settings openLoop(
        final PriorityPolicy policy, final TrafficMix mix, final LoadProfile profile, final double capacityPerSecond)
    {
        return new OpenLoop.Settings(policy, mix, profile, seed, capacityPerSecond, drainTimeoutNs(),
            quiet ? null : System.out);
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
                result.pending(), result.drainSeconds(), drainTimeoutSeconds);
        }
    }
}
