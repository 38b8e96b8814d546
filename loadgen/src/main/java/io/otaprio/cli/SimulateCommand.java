package io.otaprio.cli;

import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalException;
import io.otaprio.loadgen.OnOffComparison;
import io.otaprio.loadgen.RestorationComparison;
import io.otaprio.loadgen.RestorationFigures;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.SlowDownstream;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.server.EngineOverrides;
import io.otaprio.server.StartupException;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

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
        "second and third sixths. steady: one rate throughout. outage-restoration: 100,000 level-1 Supply Outage",
        "Restored alerts (0x8F35/0x8F36, one per meter) within a minute on the steady load (half in the first 5 s),",
        "run twice on the same traffic, with the level-1 alert guard (alerts.guard) and without, in one table.",
        "slow-downstream: a firmware campaign (SRV 11.1 5%% of the mix, 2 s each at the DSP) at 95%% of the",
        "capacity, run with the configured dsp.reserved and with none (same seed), compared in one table." },
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
        final LoadOptions.Plan plan = load.inProcessPlan(engine.read(load.configPath()));
        final PriorityPolicy priorityPolicy = plan.policy();
        final long drainTimeoutNs = load.drainTimeoutNs();
        if (compareFifo && priorityPolicy.isFifo())
        {
            throw new IllegalArgumentException("--compare-fifo compares a priority policy with fifo; --policy is " +
                "already fifo");
        }

        final boolean compareReserved = SlowDownstream.SCENARIO.equals(plan.profile().scenario());
        if (compareReserved)
        {
            checkSlowDownstream(plan);
        }

        final double[] shares = plan.mix().levelShares(priorityPolicy);
        System.out.printf(Locale.ROOT, "otaprio simulate: policy %s, simulated DSP %d slots, capacity %.0f msgs/s%n",
            priorityPolicy.name(), plan.engine().dspSlots(), plan.capacityPerSecond());
        System.out.printf(Locale.ROOT, "mix %s: level 1 %.1f%%, level 2 %.1f%%, level 3 %.1f%%, level 4 %.1f%%%n",
            plan.mix().source(), 100 * shares[1], 100 * shares[2], 100 * shares[3], 100 * shares[4]);
        load.printLoad(plan);
        if (LoadOptions.OUTAGE_RESTORATION.equals(load.scenario))
        {
            compareAlertGuard(plan, drainTimeoutNs);
            return 0;
        }
        if (compareReserved)
        {
            System.out.printf(Locale.ROOT, "firmware campaign: SRV %s takes %.1f s at the DSP; run 1 of 2: %s, " +
                "run 2 of 2: none%n", SlowDownstream.FIRMWARE_SRV, SlowDownstream.FIRMWARE_SERVICE_NS / 1e9,
                SlowDownstream.describeReservation(plan.engine()));
        }

        final Path journal = null != journalDir ? journalDir : Files.createTempDirectory("otaprio-journal-");
        final boolean removeJournal = null == journalDir && !keepJournal;
        final SimulationResult result;
        try
        {
            System.out.println("journal " + journal + (removeJournal ? " (temporary)" : ""));
            result = simulate(plan, UnaryOperator.identity(), journal, drainTimeoutNs, Simulation.Observer.NONE);
        }
        finally
        {
            if (removeJournal)
            {
                IoUtil.delete(journal.toFile(), false);
            }
        }
        if (compareReserved)
        {
            compareReserved(plan, result, drainTimeoutNs);
            return 0;
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
                // The current arrangements: one lane, so no slots reserved for the top levels either.
                baseline = simulate(plan, ctx -> ctx.policyFile(ctx.policyFile().fifo())
                    .reservedSlots(0, ctx.reservedLevels()), fifoJournal, drainTimeoutNs, Simulation.Observer.NONE);
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
     * The outage-restoration scenario: the same traffic twice, each run on a temporary journal, with the level-1 alert
     * guard as configured and with it off; both runs' tables, then the one that compares them.
     */
    private void compareAlertGuard(final LoadOptions.Plan plan, final long drainTimeoutNs) throws IOException
    {
        if (compareFifo || null != journalDir || keepJournal)
        {
            throw new IllegalArgumentException("--scenario " + LoadOptions.OUTAGE_RESTORATION + " runs the same " +
                "traffic with the level-1 alert guard and without it, each on a temporary journal: leave out " +
                "--compare-fifo, --journal and --keep-journal");
        }
        final EngineContext configured = plan.engine();
        if (configured.alertGuardPerSecond() <= 0)
        {
            throw new IllegalArgumentException("--scenario " + LoadOptions.OUTAGE_RESTORATION + " compares the " +
                "level-1 alert guard on and off, but alerts.guard.perSecond is 0 (off) in " + plan.configFile() +
                ": set it (conf/otaprio.yaml ships 100)");
        }
        final RestorationComparison.Guard guard = new RestorationComparison.Guard(configured.alertGuardPerSecond(),
            configured.alertGuardBurst(), configured.alertGuardDemoteTo());
        System.out.println();
        System.out.println("run 1 of 2: the level-1 alert guard on (" + guard.describe() + ")");
        final RestorationFigures onFigures = new RestorationFigures(plan.mix());
        final SimulationResult on = simulateOnTemporaryJournal(plan, UnaryOperator.identity(), drainTimeoutNs,
            onFigures);
        LoadOptions.report(on, load.drainTimeoutSeconds);

        System.out.println();
        System.out.println("run 2 of 2: the same traffic, the level-1 alert guard off");
        final RestorationFigures offFigures = new RestorationFigures(plan.mix());
        final SimulationResult off = simulateOnTemporaryJournal(plan, ctx -> ctx.alertGuard(0,
            ctx.alertGuardBurst(), ctx.alertGuardDemoteTo(), ctx.alertGuardMaxCodes()), drainTimeoutNs, offFigures);
        LoadOptions.report(off, load.drainTimeoutSeconds);

        final RestorationComparison comparison = new RestorationComparison(guard, on, onFigures, off, offFigures);
        System.out.println();
        System.out.print(comparison.table());
        load.writeJson(comparison.json());
    }

    private SimulationResult simulateOnTemporaryJournal(
        final LoadOptions.Plan plan,
        final UnaryOperator<EngineContext> engineSettings,
        final long drainTimeoutNs,
        final Simulation.Observer observer) throws IOException
    {
        final Path journal = Files.createTempDirectory("otaprio-journal-");
        try
        {
            return simulate(plan, engineSettings, journal, drainTimeoutNs, observer);
        }
        finally
        {
            IoUtil.delete(journal.toFile(), false);
        }
    }

    /**
     * The slow-downstream scenario compares the configured reservation with none, under a priority policy, on a mix
     * with firmware in it.
     */
    private void checkSlowDownstream(final LoadOptions.Plan plan)
    {
        if (compareFifo)
        {
            throw new IllegalArgumentException("--scenario slow-downstream compares dsp.reserved on and off; it does " +
                "not combine with --compare-fifo");
        }
        if (plan.policy().isFifo())
        {
            throw new IllegalArgumentException("--scenario slow-downstream compares dsp.reserved on and off; under " +
                "--policy fifo there is one lane and no reservation");
        }
        if (0 == plan.engine().reservedSlots())
        {
            throw new IllegalArgumentException("--scenario slow-downstream compares dsp.reserved with none, and " +
                plan.configFile() + " reserves no slots: set dsp.reserved.slots (and levels) there");
        }
    }

    /**
     * Run the same traffic again without the reservation, then print the one table of both and write both as JSON.
     */
    private void compareReserved(final LoadOptions.Plan plan, final SimulationResult reserved,
        final long drainTimeoutNs) throws IOException
    {
        System.out.println();
        System.out.print(reserved.summary());
        System.out.println();
        System.out.println("run 2 of 2: the same traffic with no reservation");
        final Path journal = Files.createTempDirectory("otaprio-journal-unreserved-");
        final SimulationResult none;
        try
        {
            none = simulate(plan, ctx -> ctx.reservedSlots(0, ctx.reservedLevels()), journal, drainTimeoutNs,
                Simulation.Observer.NONE);
        }
        finally
        {
            IoUtil.delete(journal.toFile(), false);
        }
        System.out.println();
        System.out.print(none.summary());
        final OnOffComparison comparison = new OnOffComparison("dsp.reserved",
            SlowDownstream.describeReservation(plan.engine()), reserved, none);
        System.out.println();
        System.out.print(comparison.table());
        load.writeJson(comparison.json(plan.profile().scenario()));
    }

    /**
     * One run of the load on an engine of the configuration with this command's overrides.
     *
     * @param plan           the load.
     * @param engineSettings what this run sets on the engine's context besides: its policy, a part turned off.
     * @param journal        the engine's journal directory.
     * @param drainTimeoutNs how long to wait for the backlog after the load.
     * @param observer       told of each message's answer and completion.
     * @return what was measured.
     */
    private SimulationResult simulate(
        final LoadOptions.Plan plan,
        final UnaryOperator<EngineContext> engineSettings,
        final Path journal,
        final long drainTimeoutNs,
        final Simulation.Observer observer)
    {
        try
        {
            return Simulation.run(new Simulation.Settings(
                () -> engineSettings.apply(load.scenarioEngine(engine.read(plan.configFile())))
                    .journalDirectory(journal), plan.mix(),
                plan.profile(), load.seed, drainTimeoutNs, load.quiet ? null : System.out), observer);
        }
        catch (final JournalException ex)
        {
            throw StartupException.journal(ex);
        }
    }
}
