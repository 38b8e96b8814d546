package io.otaprio.cli;

import io.otaprio.config.HostPort;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.TcpLoadGenerator;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelTable;
import io.otaprio.server.EngineOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code otaprio loadgen}: the open-loop load generator as its own process, over TCP to a running engine.
 */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    description = {
        "Drive a running engine over TCP with an open-loop load.",
        "End-to-end latency per level (Completed received minus intended send time) against each level's TRT",
        "budget; the engine is ./otaprio engine. The load ends at --duration whatever happens; if the engine",
        "cannot be reached the generator says so, keeps trying until then, and exits with code 1." },
    footer = { "", "Exit codes: 0 done; 1 never connected to the engine (nothing was sent);",
        "2 a bad option or configuration." },
    sortOptions = false)
final class LoadgenCommand implements Callable<Integer>
{
    /** Exit code when no connection to the engine could be made for the whole load. */
    static final int EXIT_NOT_CONNECTED = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", defaultValue = "127.0.0.1:7400", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = {"The engine's gateway (default: ${DEFAULT-VALUE}), or every node of a cluster, comma " +
            "separated: connections spread over them, move on when a node goes away, and send again what had no " +
            "final answer (answered DUPLICATE or admitted, never lost)."})
    private String connect;

    @Mixin
    private ConnectionsOption connections;

    @Option(names = "--policy", paramLabel = "FILE",
        description = "Policy file whose TRT budgets the report uses (default: the config's).")
    private String policy;

    @Mixin
    private LoadOptions load;

    public Integer call() throws Exception
    {
        final List<HostPort> endpoints = new ArrayList<>();
        for (final String endpoint : connect.split(",", -1))
        {
            endpoints.add(HostPort.parse("--connect", endpoint.trim(), 1));
        }
        final int connectionCount = connections.count();
        final LoadOptions.Plan plan = load.plan(EngineOverrides.read(load.configPath(), policy));
        System.out.printf(Locale.ROOT, "otaprio loadgen: %s over %d connections; DSP capacity %.0f msgs/s (from %s)%n",
            connect, connectionCount, plan.capacityPerSecond(), plan.configFile());
        load.printLoad(plan);

        final TcpLoadGenerator generator = TcpLoadGenerator.create(new TcpLoadGenerator.Settings(
            endpoints, connectionCount, load.openLoop(plan), endpoints.size() > 1));
        final Thread hook = new Thread(generator::stop);
        Runtime.getRuntime().addShutdownHook(hook);
        final SimulationResult result;
        try
        {
            result = generator.run();
        }
        finally
        {
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // Already exiting.
            }
        }
        if (!generator.hasConnected())
        {
            spec.commandLine().getErr().printf("%s: error: could not connect to %s (%s), so nothing was sent. Is " +
                "the engine running? Start it with ./otaprio engine in another terminal, or give --connect " +
                "HOST:PORT%n", spec.qualifiedName(), generator.endpoint(),
                null != generator.connectFailure() ? generator.connectFailure() : "stopped before a connection");
            return EXIT_NOT_CONNECTED;
        }
        LoadOptions.report(result, load.drainTimeoutSeconds);
        final LatencySummary ack = generator.openLoop().ackLatency();
        System.out.printf(Locale.ROOT, "ack latency (intended send to Ack): p50 %s, p99 %s, p99.9 %s, max %s%n",
            LevelTable.micros(ack.p50Us()), LevelTable.micros(ack.p99Us()), LevelTable.micros(ack.p999Us()),
            LevelTable.micros(ack.maxUs()));
        final long unsent = generator.openLoop().unsent();
        if (unsent > 0)
        {
            System.out.printf("%d messages fell due but were not sent: no connection could take them before the " +
                "load ended at --duration%n", unsent);
        }
        if (generator.disconnects() > 0)
        {
            System.out.printf("connections lost and re-established: %d%n", generator.disconnects());
        }
        if (generator.resent() > 0 || generator.openLoop().completedUnmeasured() > 0)
        {
            System.out.printf("sent again after a lost connection: %d; known completed without a latency (their " +
                "Completed went with a node): %d%n", generator.resent(), generator.openLoop().completedUnmeasured());
        }
        load.writeJson(result.json());
        return 0;
    }
}
