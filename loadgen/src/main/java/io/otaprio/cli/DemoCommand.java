package io.otaprio.cli;

import io.otaprio.loadgen.DrDemo;
import io.otaprio.loadgen.HaDemo;
import io.otaprio.server.ConfigOption;
import io.otaprio.server.StartupException;
import org.agrona.IoUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code otaprio demo}: the one-command disaster-recovery demonstration.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "The DR demo: burst, kill -9, recovery, drain; then the same under fifo.",
        "Starts the engine as a child process on a fresh journal, drives a burst at K x the simulated DSP's",
        "capacity over TCP, kills the engine with kill -9 while a backlog is queued, restarts it on the same",
        "journal while the load continues, waits for the drain, and repeats all of it under the fifo policy.",
        "Prints per-level latency against TRT before and after the DR event and a recovery ledger computed",
        "from the journal; writes demo.json and demo-latency.png into --out.",
        "With --ha: three cluster nodes (conf/cluster/node-N.yaml) as child processes, the same burst over all",
        "three, kill -9 of the LEADER (the loss of its machine), the survivors elect a leader and drain, then the",
        "killed node restarts and catches up; each node's journal is left in --out/node-N/journal." },
    sortOptions = false)
final class DemoCommand implements Callable<Integer>
{
    @Option(names = "--out", defaultValue = "demo-out", paramLabel = "DIR",
        description = "Output directory (default: ${DEFAULT-VALUE}); its journals are recreated on each run.")
    private Path out;

    @Option(names = "--duration", defaultValue = "36", paramLabel = "S",
        description = "Seconds of offered load per run (default: ${DEFAULT-VALUE}).")
    private double durationSeconds;

    @Option(names = "--kill-at", paramLabel = "S",
        description = "When to kill the engine in each run (default: a third of the duration, the end of the burst).")
    private Double killAtSeconds;

    @Option(names = "--down", defaultValue = "2", paramLabel = "S",
        description = "Seconds the engine stays down (default: ${DEFAULT-VALUE}).")
    private double downSeconds;

    @Option(names = "--burst-multiplier", defaultValue = "3", paramLabel = "K",
        description = "Burst rate as a multiple of capacity (default: ${DEFAULT-VALUE}).")
    private double burstMultiplier;

    @Mixin
    private ConnectionsOption connections;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Arrival seed.")
    private long seed;

    @Option(names = "--ha", description = "The cluster's DR demo: three nodes, kill -9 of the leader (docs/ha.md).")
    private boolean ha;

    @Option(names = "--no-fifo", description = "Skip the fifo baseline run.")
    private boolean noFifo;

    @Mixin
    private ConfigOption config;

    @Mixin
    private MixOption mix;

    public Integer call() throws Exception
    {
        final double killAt = null != killAtSeconds ? killAtSeconds : durationSeconds / 3;
        if (!(durationSeconds > 0) || !(killAt > 0) || killAt >= durationSeconds || !(downSeconds >= 0) ||
            !(burstMultiplier > 0))
        {
            throw new IllegalArgumentException("need 0 < --kill-at < --duration, --down >= 0 and " +
                "--burst-multiplier > 0");
        }
        try
        {
            Files.createDirectories(out);
        }
        catch (final IOException ex)
        {
            throw StartupException.directory("cannot create " + out + ": " + ex, ex, "--out DIR");
        }
        if (ha)
        {
            return runHa(killAt);
        }
        for (final String journal : new String[]{ "journal-prioritised", "journal-fifo" })
        {
            final Path dir = out.resolve(journal);
            if (Files.exists(dir))
            {
                System.out.println("removing the previous demo's " + dir);
                IoUtil.delete(dir.toFile(), false);
            }
        }
        final DrDemo.Outcome outcome = DrDemo.run(new DrDemo.Settings(out, config.path(), mix.path(), durationSeconds,
            killAt, downSeconds, burstMultiplier, connections.count(), seed, !noFifo, System.out));
        final boolean lostNothing = outcome.prioritised().ledger().lost() == 0 &&
            (null == outcome.fifo() || outcome.fifo().ledger().lost() == 0);
        if (!lostNothing)
        {
            System.out.println("FAILED: acknowledged messages were lost");
            return 1;
        }
        return 0;
    }

    private int runHa(final double killAt) throws IOException
    {
        final List<Path> nodeConfigs = new ArrayList<>();
        for (int node = 0; node < 3; node++)
        {
            final Path dir = out.resolve("node-" + node);
            if (Files.exists(dir))
            {
                System.out.println("removing the previous demo's " + dir);
                IoUtil.delete(dir.toFile(), false);
            }
            nodeConfigs.add(config.path().toAbsolutePath().getParent().resolve("cluster")
                .resolve("node-" + node + ".yaml"));
        }
        final HaDemo.Outcome outcome = HaDemo.run(new HaDemo.Settings(out, nodeConfigs, mix.path(), durationSeconds,
            killAt, downSeconds, burstMultiplier, connections.count(), seed, System.out));
        if (outcome.failover().lost() != 0)
        {
            System.out.println("FAILED: acknowledged messages were lost");
            return 1;
        }
        return 0;
    }
}
