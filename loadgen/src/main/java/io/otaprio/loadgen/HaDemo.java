package io.otaprio.loadgen;

import io.otaprio.engine.EngineContext;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LevelReport;
import io.otaprio.metrics.LevelTable;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.server.EngineOverrides;
import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The disaster-recovery demo for real: three cluster nodes as child processes, the demo's burst from the TCP load
 * generator spread over all three, {@code kill -9} of the <b>leader</b> while a backlog is queued (the loss of the
 * machine), the survivors elect a leader and drain, alongside the load; then the killed node is started again on
 * its directories and catches up as a follower. The ledger is computed from the new leader's journal: every
 * message the load generator saw acknowledged must be complete there.
 */
public final class HaDemo
{
    /**
     * What to run.
     *
     * @param outDir          where the nodes' directories, logs, demo.json and the chart go.
     * @param nodeConfigs     the three nodes' configuration files (conf/cluster/node-N.yaml).
     * @param mix             traffic mix file.
     * @param durationSeconds length of the offered load.
     * @param killAtSeconds   when in the load the leader is killed.
     * @param downSeconds     how long the killed node stays down.
     * @param burstMultiplier burst rate as a multiple of capacity.
     * @param connections     load generator connections.
     * @param seed            arrival seed.
     * @param out             where the narrative goes.
     */
    public record Settings(
        Path outDir,
        List<Path> nodeConfigs,
        Path mix,
        double durationSeconds,
        double killAtSeconds,
        double downSeconds,
        double burstMultiplier,
        int connections,
        long seed,
        PrintStream out)
    {
    }

    /**
     * The failover's figures.
     *
     * @param acknowledged messages the load generator was told were accepted.
     * @param completed    of those, complete in the new leader's journal after the drain.
     * @param lost         acknowledged but not complete: must be 0.
     * @param redispatched pending at the old leader, dispatched again by the new one (its own count).
     * @param killedNode   the member killed: the leader at the kill.
     * @param newLeader    the member elected after it.
     * @param failoverMs   from the kill to the first Ack from the new leader.
     * @param caughtUpMs   from the killed node's restart to its state digest matching the leader's, -1 if it did not.
     */
    public record Failover(
        long acknowledged,
        long completed,
        long lost,
        long redispatched,
        int killedNode,
        int newLeader,
        long failoverMs,
        long caughtUpMs)
    {
    }

    /**
     * The run.
     *
     * @param result         the whole run, end to end.
     * @param beforeFailover messages intended before the kill.
     * @param duringFailover messages intended between the kill and the first Ack from the new leader.
     * @param afterFailover  messages intended after it.
     * @param failover       the failover's figures.
     * @param chart          the PNG written, or null.
     */
    public record Outcome(
        SimulationResult result,
        List<LevelReport> beforeFailover,
        List<LevelReport> duringFailover,
        List<LevelReport> afterFailover,
        Failover failover,
        Path chart)
    {
    }

    private static final long LEADER_TIMEOUT_MS = 30_000;
    private static final long CATCH_UP_TIMEOUT_MS = 60_000;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private HaDemo()
    {
    }

    /**
     * @param settings what to run.
     * @return the run's figures.
     * @throws IOException if a node cannot start, no leader is elected, or output cannot be written.
     */
    public static Outcome run(final Settings settings) throws IOException
    {
        final PrintStream out = settings.out();
        final Path outDir = settings.outDir();
        Files.createDirectories(outDir);
        final EngineContext config = EngineOverrides.read(settings.nodeConfigs().get(0), (String)null);
        final PriorityPolicy policy = config.policy();
        final TrafficMix mix = TrafficMix.load(settings.mix());
        final double capacity = Simulation.capacityPerSecond(config, mix);
        final LoadProfile profile = LoadProfile.burst(capacity / 2, settings.burstMultiplier() * capacity,
            (long)(settings.durationSeconds() * 1e9));
        out.printf(Locale.ROOT, "otaprio demo --ha: 3 cluster nodes; simulated DSP capacity %.0f msgs/s; load %s; " +
            "kill -9 of the leader at %.0fs, restarted %.0fs later%n", capacity, profile.describe(),
            settings.killAtSeconds(), settings.downSeconds());

        ClusterProcesses cluster = null;
        TcpLoadGenerator generator = null;
        final AtomicReference<Object> loadOutcome = new AtomicReference<>();
        final int killed;
        final int newLeader;
        final long failoverMs;
        long caughtUpMs = -1;
        long redispatched = -1;
        try
        {
            cluster = new ClusterProcesses(outDir, settings.nodeConfigs());
            out.printf("--- cluster: nodes started (pids %d, %d, %d), base port %d; waiting for a leader ---%n",
                cluster.pid(0), cluster.pid(1), cluster.pid(2), cluster.basePort());
            final int firstLeader = cluster.awaitLeader(-1, LEADER_TIMEOUT_MS);
            out.printf("--- cluster: node %d leads; starting the load over all three gateways ---%n", firstLeader);

            final TcpLoadGenerator load = TcpLoadGenerator.create(new TcpLoadGenerator.Settings(cluster.gateways(),
                settings.connections(), new OpenLoop.Settings(policy, mix, profile, settings.seed(), capacity,
                TimeUnit.SECONDS.toNanos(120), out), true));
            generator = load;
            final Thread loadThread = DrDemo.startLoad(load, loadOutcome);
            while (load.elapsedSeconds() < settings.killAtSeconds() && loadThread.isAlive())
            {
                sleep(20);
            }
            killed = cluster.awaitLeader(-1, LEADER_TIMEOUT_MS);
            load.openLoop().splitAt(0, (long)(load.elapsedSeconds() * 1e9));
            final long killNs = load.markAcks();
            final long killedPid = cluster.pid(killed);
            cluster.kill(killed);
            out.printf(Locale.ROOT, "--- DR event: kill -9 of the leader, node %d (pid %d), at %.1fs ---%n", killed,
                killedPid, load.elapsedSeconds());

            newLeader = cluster.awaitLeader(killed, LEADER_TIMEOUT_MS);
            while (0 == load.firstAckAfterMarkNs() && loadThread.isAlive())
            {
                sleep(5);
            }
            failoverMs = TimeUnit.NANOSECONDS.toMillis(load.firstAckAfterMarkNs() - killNs);
            load.openLoop().splitAt(1, load.firstAckAfterMarkNs() - load.openLoop().startNs());
            out.printf(Locale.ROOT, "--- failover: node %d leads; first Ack from it %d ms after the kill ---%n",
                newLeader, failoverMs);

            sleep((long)(Math.max(0, settings.downSeconds() * 1000 - failoverMs)));
            cluster.start(killed);
            final long restartNs = System.nanoTime();
            out.printf("--- node %d restarted (pid %d) on its directories: catching up as a follower ---%n", killed,
                cluster.pid(killed));
            if (cluster.awaitSameState(killed, newLeader, CATCH_UP_TIMEOUT_MS))
            {
                caughtUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartNs);
                out.printf(Locale.ROOT, "--- node %d caught up %d ms after its restart (state digests equal) ---%n",
                    killed, caughtUpMs);
            }
            else
            {
                out.printf("--- node %d had not caught up %d s after its restart ---%n", killed,
                    TimeUnit.MILLISECONDS.toSeconds(CATCH_UP_TIMEOUT_MS));
            }
            loadThread.join();
            awaitDrained(cluster, newLeader, out);
            redispatched = cluster.status(newLeader).redispatched();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            if (null != generator)
            {
                generator.stop();
            }
            if (null != cluster)
            {
                cluster.close();
                out.println("--- cluster stopped (SIGTERM) ---");
            }
        }
        if (loadOutcome.get() instanceof Throwable t)
        {
            throw new IOException("load generator failed", t);
        }
        final SimulationResult result = (SimulationResult)loadOutcome.get();
        final TcpLoadGenerator finished = generator;

        final Recovered journal = JournalRecovery.recover(new JournalConfig(cluster.journalDir(newLeader)));
        final LongHashSet acked = finished.ackedIds();
        long completed = 0;
        for (final long id : acked)
        {
            if (journal.isCompleted(id))
            {
                completed++;
            }
        }
        final Failover failover = new Failover(acked.size(), completed, acked.size() - completed,
            redispatched, killed, newLeader, failoverMs, caughtUpMs);
        final OpenLoop periods = finished.openLoop();
        Path chart = null;
        try
        {
            chart = DemoChart.write(outDir.resolve("demo-latency.png"),
                "otaprio demo --ha: p99 end-to-end latency per level, 3x burst, leader killed (log scale)",
                List.of(new DemoChart.Series("before the failover", periods.periodLevels(0)),
                    new DemoChart.Series("during the failover", periods.periodLevels(1)),
                    new DemoChart.Series("after the failover", periods.periodLevels(2))),
                result.run().levels());
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            out.println("chart not written: " + ex);
        }
        final Outcome outcome = new Outcome(result, periods.periodLevels(0), periods.periodLevels(1),
            periods.periodLevels(2), failover, chart);
        print(out, outcome, finished);
        Files.writeString(outDir.resolve("demo.json"), json(outcome) + System.lineSeparator());
        out.println("wrote " + outDir.resolve("demo.json") + (null != chart ? " and " + chart : "") +
            "; each node's journal is in " + outDir.resolve("node-N").resolve("journal") +
            " (./otaprio journal dump --journal DIR)");
        return outcome;
    }




    private static void awaitDrained(final ClusterProcesses cluster, final int leader, final PrintStream out)
        throws InterruptedException
    {
        long pending = cluster.status(leader).pending();
        if (0 == pending)
        {
            return;
        }
        out.printf("--- the load is over; waiting for the cluster to finish the %d messages it holds ---%n", pending);
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (pending > 0 && System.nanoTime() < deadline)
        {
            sleep(250);
            pending = cluster.status(leader).pending();
        }
    }



    private static void print(final PrintStream out, final Outcome outcome, final TcpLoadGenerator generator)
    {
        final Failover f = outcome.failover();
        out.println();
        out.println("=== sent before the failover ===");
        out.print(LevelTable.format(outcome.beforeFailover()));
        out.println("=== sent during the failover (kill to the first Ack from the new leader) ===");
        out.print(LevelTable.format(outcome.duringFailover()));
        out.println("=== sent after the failover ===");
        out.print(LevelTable.format(outcome.afterFailover()));
        out.println();
        out.printf(Locale.ROOT, "failover ledger (from node %d's journal): acknowledged %d, completed %d, lost %d, " +
            "redispatched %d; killed node %d, new leader %d, failover %d ms; sent again by the client %d%n",
            f.newLeader(), f.acknowledged(), f.completed(), f.lost(), f.redispatched(), f.killedNode(),
            f.newLeader(), f.failoverMs(), generator.resent());
    }

    private static String json(final Outcome outcome)
    {
        final String base = outcome.result().json();
        final Failover f = outcome.failover();
        final JsonWriter extra = new JsonWriter().beginObject();
        extra.name("failover").beginObject()
            .field("acknowledged", f.acknowledged())
            .field("completed", f.completed())
            .field("lost", f.lost())
            .field("redispatched", f.redispatched())
            .field("killedNode", f.killedNode())
            .field("newLeader", f.newLeader())
            .field("failoverMs", f.failoverMs())
            .field("caughtUpMs", f.caughtUpMs())
            .endObject();
        DrDemo.levels(extra.name("beforeFailover"), outcome.beforeFailover());
        DrDemo.levels(extra.name("duringFailover"), outcome.duringFailover());
        DrDemo.levels(extra.name("afterFailover"), outcome.afterFailover());
        return DrDemo.merge(base, extra.endObject());
    }

    private static void sleep(final long ms) throws InterruptedException
    {
        Thread.sleep(ms);
    }
}
