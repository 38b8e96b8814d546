package io.otaprio.cli;

import io.otaprio.config.EngineConfig;
import io.otaprio.journal.JournalConfig;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio simulate}: the engine in-process against the simulated DSP under an open-loop load.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Drive the engine in-process against the simulated DSP with an open-loop load and report per-level",
        "latency (from each message's intended send time) against its Target Response Time.",
        "",
        "burst: steady load for 1/6 of the duration, a burst at K x the DSP's capacity for 1/6, then steady",
        "load again while the backlog drains. steady: one rate throughout." },
    sortOptions = false)
final class SimulateCommand implements Callable<Integer>
{
    @Option(names = "--scenario", defaultValue = "burst", paramLabel = "steady|burst",
        description = "Load shape (default: ${DEFAULT-VALUE}).")
    private String scenario;

    @Option(names = "--policy", paramLabel = "FILE|fifo",
        description = "Priority policy file, or fifo for the one-lane baseline (default: the config's).")
    private String policy;

    @Option(names = "--rate", paramLabel = "N",
        description = "Steady rate in messages/s (default: half the simulated DSP's capacity).")
    private Double rate;

    @Option(names = "--burst-multiplier", defaultValue = "3", paramLabel = "K",
        description = "Burst rate as a multiple of the DSP's capacity (default: ${DEFAULT-VALUE}).")
    private double burstMultiplier;

    @Option(names = "--duration", paramLabel = "S",
        description = "Seconds of offered load (default: 30 for burst, 10 for steady).")
    private Double durationSeconds;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
        description = "Random seed of arrivals, mix and service times (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON to FILE.")
    private Path json;

    @Option(names = "--config", paramLabel = "FILE",
        description = "Engine configuration (default: conf/otaprio.yaml).")
    private Path config;

    @Option(names = "--mix", paramLabel = "FILE", description = "Traffic mix (default: conf/traffic-mix.yaml).")
    private Path mix;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "Scheduler idle strategy: busy-spin, noop, yielding, backoff, sleeping[:PERIOD] " +
            "(default: the config's).")
    private String idle;

    @Option(names = "--drain-timeout", defaultValue = "60", paramLabel = "S",
        description = "Seconds to wait after the load for the backlog to drain (default: ${DEFAULT-VALUE}).")
    private double drainTimeoutSeconds;

    @Option(names = "--compare-fifo",
        description = "Then run the same traffic (same seed) under the fifo policy in this process and compare.")
    private boolean compareFifo;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "Journal directory: an existing journal's backlog is replayed first (default: a fresh " +
            "temporary directory, removed at the end unless --keep-journal).")
    private Path journalDir;

    @Option(names = "--keep-journal", description = "Keep the temporary journal and print where it is.")
    private boolean keepJournal;

    @Option(names = "--quiet", description = "No progress lines.")
    private boolean quiet;

    public Integer call() throws Exception
    {
        final EngineConfig engineConfig = EngineConfig.load(null != config ? config : Home.shipped("conf/otaprio.yaml"));
        final PriorityPolicy priorityPolicy = engineConfig.loadPolicy(policy);
        final TrafficMix trafficMix = TrafficMix.load(null != mix ? mix : Home.shipped("conf/traffic-mix.yaml"));
        final double capacity = Simulation.capacityPerSecond(engineConfig, trafficMix);

        final double steadyRate = null != rate ? rate : capacity / 2;
        if (!(steadyRate > 0) || !(burstMultiplier > 0))
        {
            throw new IllegalArgumentException("--rate and --burst-multiplier must be > 0");
        }
        final double seconds = null != durationSeconds ? durationSeconds : "steady".equals(scenario) ? 10 : 30;
        if (!(seconds > 0) || seconds > 86_400)
        {
            throw new IllegalArgumentException("--duration must be in (0, 86400] seconds, got " + seconds);
        }
        if (!(drainTimeoutSeconds >= 0))
        {
            throw new IllegalArgumentException("--drain-timeout must be >= 0, got " + drainTimeoutSeconds);
        }
        final long durationNs = (long)(seconds * 1e9);
        final LoadProfile profile = switch (scenario)
        {
            case "steady" -> LoadProfile.steady(steadyRate, durationNs);
            case "burst" -> LoadProfile.burst(steadyRate, burstMultiplier * capacity, durationNs);
            default -> throw new IllegalArgumentException("--scenario must be steady or burst, got " + scenario);
        };

        if (compareFifo && priorityPolicy.isFifo())
        {
            throw new IllegalArgumentException("--compare-fifo compares a priority policy with fifo; --policy is " +
                "already fifo");
        }
        final double[] shares = trafficMix.levelShares(priorityPolicy);
        System.out.printf(Locale.ROOT, "otaprio simulate: policy %s, simulated DSP %d slots, capacity %.0f msgs/s%n",
            priorityPolicy.name(), engineConfig.dspSlots(), capacity);
        System.out.printf(Locale.ROOT, "mix %s: level 1 %.1f%%, level 2 %.1f%%, level 3 %.1f%%, level 4 %.1f%%%n",
            trafficMix.source(), 100 * shares[1], 100 * shares[2], 100 * shares[3], 100 * shares[4]);
        System.out.printf(Locale.ROOT, "load %s: %s (seed %d)%n", profile.scenario(), profile.describe(), seed);

        final long drainTimeoutNs = (long)(drainTimeoutSeconds * TimeUnit.SECONDS.toNanos(1));
        final Path journal = null != journalDir ? journalDir : Files.createTempDirectory("otaprio-journal-");
        final boolean removeJournal = null == journalDir && !keepJournal;
        final SimulationResult result;
        try
        {
            System.out.println("journal " + journal + (removeJournal ? " (temporary)" : ""));
            result = Simulation.run(new Simulation.Settings(engineConfig, priorityPolicy, trafficMix, profile, seed,
                idle, drainTimeoutNs, quiet ? null : System.out, journalConfig(engineConfig, journal)));
        }
        finally
        {
            if (removeJournal)
            {
                TempDirectory.delete(journal);
            }
        }
        report(result);

        SimulationResult baseline = null;
        if (compareFifo)
        {
            System.out.println();
            System.out.println("baseline: the same traffic under the fifo policy (current arrangements)");
            final Path fifoJournal = Files.createTempDirectory("otaprio-journal-fifo-");
            try
            {
                baseline = Simulation.run(new Simulation.Settings(engineConfig, priorityPolicy.fifo(), trafficMix,
                    profile, seed, idle, drainTimeoutNs, quiet ? null : System.out,
                    journalConfig(engineConfig, fifoJournal)));
            }
            finally
            {
                TempDirectory.delete(fifoJournal);
            }
            report(baseline);
            System.out.println();
            System.out.print(result.comparison(baseline));
        }
        if (!removeJournal)
        {
            System.out.println("journal kept in " + journal + " (./otaprio journal stats --journal " + journal + ")");
        }
        if (null != json)
        {
            final Path parent = json.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            Files.writeString(json, result.json(baseline) + System.lineSeparator(), StandardCharsets.UTF_8);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private static JournalConfig journalConfig(final EngineConfig config, final Path directory)
    {
        return config.journal().configFor(directory);
    }

    private void report(final SimulationResult result)
    {
        System.out.println();
        if (result.replayed() > 0)
        {
            System.out.printf(Locale.ROOT, "replayed %d messages from the journal's backlog%n", result.replayed());
        }
        System.out.print(result.table());
        if (result.pending() > 0)
        {
            System.out.printf(Locale.ROOT, "%d messages were still queued when the drain timeout (%.0fs) ran out%n",
                result.pending(), drainTimeoutSeconds);
        }
    }
}
