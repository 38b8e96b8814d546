package io.otaprio.loadgen;

import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one-command disaster-recovery demo: the engine as a child process on a fresh journal, a burst at K times the
 * simulated DSP's capacity from the TCP load generator, {@code kill -9} of the engine while a backlog is queued,
 * a restart on the same journal (recovery replays the backlog, level 1 first) while the load continues, the
 * drain; then the same traffic and the same DR event under the {@code fifo} policy. The recovery ledger is
 * computed from the journal: every message the load generator saw acknowledged must be complete in it.
 */
public final class DrDemo
{
    /**
     * What to run.
     *
     * @param outDir           where logs, journals, demo.json and the chart go.
     * @param config           engine configuration file.
     * @param mix              traffic mix file.
     * @param durationSeconds  length of the offered load of each run.
     * @param killAtSeconds    when in each run the engine is killed.
     * @param downSeconds      how long the engine stays down.
     * @param burstMultiplier  burst rate as a multiple of capacity.
     * @param connections      load generator connections.
     * @param seed             arrival seed (both runs get the same traffic).
     * @param withFifo         also run the fifo baseline.
     * @param out              where the narrative goes.
     */
    public record Settings(
        Path outDir,
        Path config,
        Path mix,
        double durationSeconds,
        double killAtSeconds,
        double downSeconds,
        double burstMultiplier,
        int connections,
        long seed,
        boolean withFifo,
        PrintStream out)
    {
    }

    /**
     * The recovery ledger of one run, from the journal.
     *
     * @param acknowledged messages the load generator was told were accepted.
     * @param completed    of those, complete in the journal after the drain.
     * @param lost         acknowledged but not complete: must be 0.
     * @param redispatched pending at the kill with a DISPATCHED record: dispatched again after the restart.
     * @param pendingAtKill backlog the restart found.
     */
    public record Ledger(long acknowledged, long completed, long lost, long redispatched, long pendingAtKill)
    {
    }

    /**
     * One run's figures.
     *
     * @param result    the whole run, end to end.
     * @param beforeDr  messages intended before the kill.
     * @param outage    messages intended while the engine was down (sent late, when it came back).
     * @param afterDr   messages intended after the restarted engine was listening.
     * @param ledger    the recovery ledger.
     */
    public record Run(
        SimulationResult result, List<LevelReport> beforeDr, List<LevelReport> outage, List<LevelReport> afterDr,
        Ledger ledger)
    {
    }

    /**
     * Both runs.
     *
     * @param prioritised the default policy.
     * @param fifo        the baseline, or null.
     * @param chart       the PNG written, or null.
     */
    public record Outcome(Run prioritised, Run fifo, Path chart)
    {
    }

    private static final long BACKLOG_WAIT_NS = TimeUnit.SECONDS.toNanos(120);

    private DrDemo()
    {
    }

    /**
     * @param settings what to run.
     * @return both runs' figures.
     * @throws IOException if an engine cannot start or output cannot be written.
     */
    public static Outcome run(final Settings settings) throws IOException
    {
        final PrintStream out = settings.out();
        java.nio.file.Files.createDirectories(settings.outDir());
        final EngineContext config = ConfigurationFile.read(settings.config());
        final PriorityPolicy policy = config.policy();
        final TrafficMix mix = TrafficMix.load(settings.mix());
        final double capacity = Simulation.capacityPerSecond(config, mix);
        final long durationNs = (long)(settings.durationSeconds() * 1e9);
        final LoadProfile profile = LoadProfile.burst(capacity / 2, settings.burstMultiplier() * capacity, durationNs);
        out.printf(Locale.ROOT, "otaprio demo: simulated DSP capacity %.0f msgs/s; load %s; kill -9 at %.0fs, " +
            "down %.0fs%n", capacity, profile.describe(), settings.killAtSeconds(), settings.downSeconds());

        final Run prioritised = runOnce("prioritised", null, settings, policy, mix, profile, capacity);
        Run fifo = null;
        if (settings.withFifo())
        {
            fifo = runOnce("fifo", PriorityPolicy.FIFO, settings, policy.fifo(), mix, profile, capacity);
        }

        out.println();
        printRun(out, "prioritised (default policy)", prioritised);
        if (null != fifo)
        {
            printRun(out, "fifo (current arrangements)", fifo);
            out.println();
            out.print(prioritised.result().comparison(fifo.result()));
        }
        out.println();
        printLedger(out, "prioritised", prioritised.ledger());
        if (null != fifo)
        {
            printLedger(out, "fifo", fifo.ledger());
        }

        Path chart = null;
        try
        {
            chart = DemoChart.write(settings.outDir().resolve("demo-latency.png"), prioritised, fifo);
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            out.println("chart not written: " + ex);
        }
        final Outcome outcome = new Outcome(prioritised, fifo, chart);
        java.nio.file.Files.writeString(settings.outDir().resolve("demo.json"), json(outcome) + System.lineSeparator());
        out.println("wrote " + settings.outDir().resolve("demo.json") + (null != chart ? " and " + chart : ""));
        return outcome;
    }

    private static Run runOnce(
        final String label,
        final String policyArg,
        final Settings settings,
        final PriorityPolicy policy,
        final TrafficMix mix,
        final LoadProfile profile,
        final double capacity) throws IOException
    {
        final PrintStream out = settings.out();
        final Path journal = settings.outDir().resolve("journal-" + label);
        if (java.nio.file.Files.exists(journal))
        {
            throw new IOException(journal + " exists: the demo needs a fresh journal");
        }
        final int port = EngineProcess.freePort();
        final List<String> args = new ArrayList<>(List.of("--config", settings.config().toString(),
            "--journal", journal.toString(), "--listen", "127.0.0.1:" + port, "--status-interval", "0"));
        if (null != policyArg)
        {
            args.add("--policy");
            args.add(policyArg);
        }

        out.println();
        out.printf("--- %s run: starting the engine (log %s) ---%n", label,
            settings.outDir().resolve("engine-" + label + "-1.log"));
        final EngineProcess first = EngineProcess.start(args, settings.outDir().resolve("engine-" + label + "-1.log"),
            60_000);
        final TcpLoadGenerator generator = TcpLoadGenerator.create(new TcpLoadGenerator.Settings("127.0.0.1", port,
            settings.connections(), new OpenLoop.Settings(policy, mix, profile, settings.seed(), capacity,
            TimeUnit.SECONDS.toNanos(120), out)));
        generator.openLoop().splitAt(0, (long)(settings.killAtSeconds() * 1e9));
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread load = startLoad(generator, outcome);

        final Recovered atKill;
        EngineProcess second = null;
        try
        {
            while (generator.elapsedSeconds() < settings.killAtSeconds() && load.isAlive())
            {
                sleep(50);
            }
            out.printf("--- %s run: kill -9 engine pid %d at %.1fs (the simulated DR event) ---%n", label,
                first.pid(), generator.elapsedSeconds());
            first.kill();
            atKill = JournalRecovery.recover(new JournalConfig(journal));
            out.printf("--- %s run: journal after the kill: %d pending (level 1 %d, 2 %d, 3 %d, 4 %d), %d of them " +
                "already dispatched ---%n", label, atKill.pendingCount(), atKill.pendingCount(1),
                atKill.pendingCount(2), atKill.pendingCount(3), atKill.pendingCount(4), atKill.redispatched());
            sleep((long)(settings.downSeconds() * 1000));
            out.printf("--- %s run: restarting the engine on the same journal ---%n", label);
            second = EngineProcess.start(args, settings.outDir().resolve("engine-" + label + "-2.log"), 60_000);
            generator.openLoop().splitAt(1, (long)(generator.elapsedSeconds() * 1e9));
            out.printf("--- %s run: engine back at %.1fs, replaying the backlog ---%n", label,
                generator.elapsedSeconds());
            load.join();
            awaitBacklog(label, journal, out);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            generator.stop();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            generator.stop();
            first.close();
            if (null != second)
            {
                final int exit = second.stop();
                out.printf("--- %s run: engine stopped with SIGTERM, exit code %d ---%n", label, exit);
            }
        }
        if (outcome.get() instanceof Throwable t)
        {
            throw new IOException("load generator failed", t);
        }
        final SimulationResult result = (SimulationResult)outcome.get();

        final Recovered after = JournalRecovery.recover(new JournalConfig(journal));
        final LongHashSet acked = generator.ackedIds();
        long completed = 0;
        for (final long id : acked)
        {
            if (after.isCompleted(id))
            {
                completed++;
            }
        }
        final Ledger ledger = new Ledger(acked.size(), completed, acked.size() - completed, atKill.redispatched(),
            atKill.pendingCount());
        final OpenLoop periods = generator.openLoop();
        return new Run(result, periods.periodLevels(0), periods.periodLevels(1), periods.periodLevels(2), ledger);
    }

    private static void awaitBacklog(final String label, final Path journal, final PrintStream out)
        throws InterruptedException
    {
        // The load ends at its duration: if the engine came back late (a slow restart on a busy machine), nothing
        // sent after the restart queues behind the replayed backlog for the load generator to wait on, so wait here
        // for the engine to finish it, rather than stop it mid-replay and count its backlog as lost.
        long pending = JournalRecovery.recover(new JournalConfig(journal)).pendingCount();
        if (0 == pending)
        {
            return;
        }
        out.printf("--- %s run: the load is over; waiting for the engine to finish the %d messages it holds ---%n",
            label, pending);
        final long deadlineNs = System.nanoTime() + BACKLOG_WAIT_NS;
        while (pending > 0 && System.nanoTime() < deadlineNs)
        {
            sleep(250);
            pending = JournalRecovery.recover(new JournalConfig(journal)).pendingCount();
        }
    }

    private static void printRun(final PrintStream out, final String label, final Run run)
    {
        out.println("=== " + label + ": sent before the DR event ===");
        out.print(LevelTable.format(run.beforeDr()));
        out.println("=== " + label + ": due while the engine was down (sent when it came back) ===");
        out.print(LevelTable.format(run.outage()));
        out.println("=== " + label + ": sent after the restart, while the backlog was replayed ===");
        out.print(LevelTable.format(run.afterDr()));
    }

    private static void printLedger(final PrintStream out, final String label, final Ledger ledger)
    {
        out.printf(Locale.ROOT, "recovery ledger (%s, from the journal): acknowledged %d, completed %d, lost %d, " +
            "redispatched %d (backlog at the kill %d)%n", label, ledger.acknowledged(), ledger.completed(),
            ledger.lost(), ledger.redispatched(), ledger.pendingAtKill());
    }

    private static String json(final Outcome outcome)
    {
        final Run p = outcome.prioritised();
        final String base = p.result().json();
        final JsonWriter extra = new JsonWriter().beginObject();
        extra.name("recovery").beginObject()
            .field("acknowledged", p.ledger().acknowledged())
            .field("completed", p.ledger().completed())
            .field("lost", p.ledger().lost())
            .field("redispatched", p.ledger().redispatched())
            .field("pendingAtKill", p.ledger().pendingAtKill())
            .endObject();
        levels(extra.name("beforeDr"), p.beforeDr());
        levels(extra.name("outage"), p.outage());
        levels(extra.name("afterDr"), p.afterDr());
        if (null != outcome.fifo())
        {
            final Run f = outcome.fifo();
            extra.name("fifo").beginObject();
            levels(extra.name("levels"), f.result().run().levels());
            levels(extra.name("beforeDr"), f.beforeDr());
            levels(extra.name("outage"), f.outage());
            levels(extra.name("afterDr"), f.afterDr());
            extra.name("recovery").beginObject()
                .field("acknowledged", f.ledger().acknowledged())
                .field("completed", f.ledger().completed())
                .field("lost", f.ledger().lost())
                .field("redispatched", f.ledger().redispatched())
                .endObject();
            extra.endObject();
        }
        return merge(base, extra.endObject());
    }

    /**
     * @param base  a JSON object (the simulate-shaped result).
     * @param extra another object, whose keys follow the base's.
     * @return one object with both objects' keys.
     */
    static String merge(final String base, final JsonWriter extra)
    {
        final String tail = extra.toString();
        return base.substring(0, base.length() - 1) + "," + tail.substring(1);
    }

    /**
     * Run a load generator on a thread of its own.
     *
     * @param generator the load.
     * @param outcome   set to its {@link SimulationResult}, or to what it threw.
     * @return the started thread.
     */
    static Thread startLoad(final TcpLoadGenerator generator, final AtomicReference<Object> outcome)
    {
        final Thread load = new Thread(() ->
        {
            try
            {
                outcome.set(generator.run());
            }
            catch (final Throwable t)
            {
                outcome.set(t);
            }
        }, "otaprio-demo-loadgen");
        load.start();
        return load;
    }

    static void levels(final JsonWriter json, final List<LevelReport> levels)
    {
        json.beginArray();
        for (final LevelReport row : levels)
        {
            json.level(row);
        }
        json.endArray();
    }

    private static void sleep(final long ms) throws InterruptedException
    {
        Thread.sleep(ms);
    }
}
