package io.otaprio.cli;

import io.otaprio.journal.JournalException;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.server.EngineOverrides;
import io.otaprio.server.StartupException;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code otaprio simulate}: the engine in-process against the simulated DSP under an open-loop load.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Run the engine in-process under an open-loop load and report latency per level.",
        "The engine runs against the simulated DSP; latency runs from each message's intended send time and is",
        "compared with its level's Target Response Time.",
        "",
        "burst: steady load for 1/6 of the duration, a burst at K x the DSP's capacity for 1/6, then steady",
        "load again while the backlog drains. alert-storm: steady load with a flood of level-4 alerts for the",
        "second and third sixths. steady: one rate throughout." },
    sortOptions = false)
final class SimulateCommand implements Callable<Integer>
{
    @Mixin
    private LoadOptions load;

    @Mixin
    private EngineOverrides engine;

    @Option(names = "--compare-fifo",
        description = "Then run the same traffic (same seed) under the fifo policy in this process and compare.")
    private boolean compareFifo;

    @Option(names = "--journal", paramLabel = "DIR",
        description = "Journal directory: an existing journal's backlog is replayed first (default: a fresh " +
            "temporary directory, removed at the end unless --keep-journal).")
    private Path journalDir;

    @Option(names = "--keep-journal", description = "Keep the temporary journal and print where it is.")
    private boolean keepJournal;

    public Integer call() throws Exception
    {
        final LoadOptions.Plan plan = load.plan(engine.read(load.configPath()));
        final PriorityPolicy priorityPolicy = plan.policy();
        final long drainTimeoutNs = load.drainTimeoutNs();
        if (compareFifo && priorityPolicy.isFifo())
        {
            throw new IllegalArgumentException("--compare-fifo compares a priority policy with fifo; --policy is " +
                "already fifo");
        }

        final double[] shares = plan.mix().levelShares(priorityPolicy);
        System.out.printf(Locale.ROOT, "otaprio simulate: policy %s, simulated DSP %d slots, capacity %.0f msgs/s%n",
            priorityPolicy.name(), plan.engine().dspSlots(), plan.capacityPerSecond());
        System.out.printf(Locale.ROOT, "mix %s: level 1 %.1f%%, level 2 %.1f%%, level 3 %.1f%%, level 4 %.1f%%%n",
            plan.mix().source(), 100 * shares[1], 100 * shares[2], 100 * shares[3], 100 * shares[4]);
        load.printLoad(plan);

        final Path journal = null != journalDir ? journalDir : Files.createTempDirectory("otaprio-journal-");
        final boolean removeJournal = null == journalDir && !keepJournal;
        final SimulationResult result;
        try
        {
            System.out.println("journal " + journal + (removeJournal ? " (temporary)" : ""));
            result = simulate(plan, priorityPolicy, journal, drainTimeoutNs);
        }
        finally
        {
            if (removeJournal)
            {
                IoUtil.delete(journal.toFile(), false);
            }
        }
        LoadOptions.report(result, load.drainTimeoutSeconds);

        SimulationResult baseline = null;
        if (compareFifo)
        {
            System.out.println();
            System.out.println("baseline: the same traffic under the fifo policy (current arrangements)");
            final Path fifoJournal = Files.createTempDirectory("otaprio-journal-fifo-");
            try
            {
                baseline = simulate(plan, priorityPolicy.fifo(), fifoJournal, drainTimeoutNs);
            }
            finally
            {
                IoUtil.delete(fifoJournal.toFile(), false);
            }
            LoadOptions.report(baseline, load.drainTimeoutSeconds);
            System.out.println();
            System.out.print(result.comparison(baseline));
        }
        if (!removeJournal)
        {
            System.out.println("journal kept in " + journal + " (./otaprio journal stats --journal " + journal + ")");
        }
        load.writeJson(result.json(baseline));
        return 0;
    }

    /**
     * One run of the load on an engine of the configuration with this command's overrides.
     *
     * @param plan           the load.
     * @param policy         the policy the engine runs.
     * @param journal        the engine's journal directory.
     * @param drainTimeoutNs how long to wait for the backlog after the load.
     * @return what was measured.
     */
    private SimulationResult simulate(
        final LoadOptions.Plan plan, final PriorityPolicy policy, final Path journal, final long drainTimeoutNs)
    {
        try
        {
            return Simulation.run(new Simulation.Settings(
                () -> engine.read(plan.configFile()).policy(policy).journalDirectory(journal), plan.mix(),
                plan.profile(), load.seed, drainTimeoutNs, load.quiet ? null : System.out));
        }
        catch (final JournalException ex)
        {
            throw StartupException.journal(ex);
        }
    }
}
