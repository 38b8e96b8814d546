package io.otaprio.cli;

import io.otaprio.config.HostPort;
import io.otaprio.loadgen.DuisLoadGenerator;
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
import javax.net.ssl.SSLContext;

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
        "cannot be reached the generator says so, keeps trying until then, and exits with code 1.",
        "With --duis: DUIS XML documents posted to the engine's POST /duis over keep-alive HTTP/1.1, one request",
        "at a time per connection; latency per level is intended send to the full HTTP answer (completions are",
        "not called back over HTTP).",
        "With --tls-dir DIR --client NAME: mutual TLS 1.3 (HTTPS with --duis) as that client, submitting under its",
        "originators (DIR/otaprio-tls.yaml, or --originators)." },
    footer = { "", "Exit codes: 0 done; 1 never connected to the engine (nothing was sent);",
        "2 a bad option or configuration." },
    sortOptions = false)
final class LoadgenCommand implements Callable<Integer>
{
    /** Exit code when no connection to the engine could be made for the whole load. */
    static final int EXIT_NOT_CONNECTED = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = "--connect", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = {"The engine's gateway (default: 127.0.0.1:7400), or every node of a cluster, comma " +
            "separated: connections spread over them, move on when a node goes away, and send again what had no " +
            "final answer (answered DUPLICATE or admitted, never lost). With --duis, the engine's duis.listen " +
            "(default: 127.0.0.1:7401)."})
    private String connect;

    @Option(names = "--duis", description = {"Send each message of the mix as a DUIS XML document to POST /duis " +
        "(over HTTP/1.1) instead of a Submit over TCP; each entry's payloadBytes is its document's size."})
    private boolean duis;

    @Option(names = "--pipeline", defaultValue = "1", paramLabel = "N",
        description = {"With --duis: requests each connection carries before their answers (default: " +
            "${DEFAULT-VALUE}, one at a time; the endpoint answers pipelined requests in order)."})
    private int pipeline;

    @Mixin
    private ConnectionsOption connections;

    @Option(names = "--policy", paramLabel = "FILE",
        description = "Policy file whose TRT budgets the report uses (default: the config's).")
    private String policy;

    @Mixin
    private LoadOptions load;

    @Mixin
    private TlsClientOptions tls;

    public Integer call() throws Exception
    {
        if (duis)
        {
            return callDuis();
        }
        if (null == connect)
        {
            connect = "127.0.0.1:7400";
        }
        final List<HostPort> endpoints = new ArrayList<>();
        for (final String endpoint : connect.split(",", -1))
        {
            endpoints.add(HostPort.parse("--connect", endpoint.trim(), 1));
        }
        final int connectionCount = connections.count();
        final SSLContext context = tls.context();
        final long[] originators = tls.originators();
        final LoadOptions.Plan plan = load.plan(EngineOverrides.read(load.configPath(), policy));
        System.out.printf(Locale.ROOT, "otaprio loadgen: %s over %d connections%s; DSP capacity %.0f msgs/s (from " +
            "%s)%n", connect, connectionCount, tls.describe(), plan.capacityPerSecond(), plan.configFile());
        load.printLoad(plan);

        final TcpLoadGenerator generator = TcpLoadGenerator.create(new TcpLoadGenerator.Settings(
            endpoints, connectionCount, load.openLoop(plan, originators), endpoints.size() > 1, context));
        final SimulationResult result = runStoppedOnExit(generator::run, generator::stop);
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

    private int callDuis() throws Exception
    {
        final String address = null == connect ? "127.0.0.1:7401" : connect;
        final HostPort endpoint = HostPort.parse("--connect", address.trim(), 1);
        final int connectionCount = connections.count();
        final SSLContext context = tls.context();
        final long[] originators = tls.originators();
        final LoadOptions.Plan plan = load.plan(EngineOverrides.read(load.configPath(), policy));
        final DuisLoadGenerator generator = DuisLoadGenerator.create(new DuisLoadGenerator.Settings(
            endpoint, connectionCount, pipeline, load.openLoop(plan, originators), context));
        System.out.printf(Locale.ROOT, "otaprio loadgen: DUIS over %s to %s://%s/duis over %d connections%s, " +
            "%d request(s) at a time on each, documents up to %,d bytes; DSP capacity %.0f msgs/s (from %s)%n",
            null == context ? "HTTP" : "HTTPS", null == context ? "http" : "https", address, connectionCount,
            tls.describe(), pipeline, generator.largestRequestBytes(), plan.capacityPerSecond(), plan.configFile());
        load.printLoad(plan);
        final SimulationResult result = runStoppedOnExit(generator::run, generator::stop);
        if (!generator.hasConnected())
        {
            spec.commandLine().getErr().printf("%s: error: cannot connect to %s (%s), so nothing was sent. Is the " +
                "engine running with its DUIS endpoint on? Start it with ./otaprio engine in another terminal " +
                "(duis.listen), or give --connect HOST:PORT%n", spec.qualifiedName(), generator.endpoint(),
                null != generator.connectFailure() ? generator.connectFailure() : "stopped before a connection");
            return EXIT_NOT_CONNECTED;
        }
        LoadOptions.report(result, load.drainTimeoutSeconds);
        System.out.println("latency above: intended send to the full HTTP answer (the 202), per the level it names; " +
            "completions are not called back over HTTP (end-to-end latency is the TCP generator's)");
        final long[] statuses = generator.answersByStatus();
        final StringBuilder byStatus = new StringBuilder();
        for (int status = 0; status < statuses.length; status++)
        {
            if (statuses[status] > 0)
            {
                byStatus.append(byStatus.length() == 0 ? "" : ", ").append(0 == status ? "no answer" : status)
                    .append(' ').append(statuses[status]);
            }
        }
        final double seconds = result.run().durationSeconds();
        System.out.printf(Locale.ROOT, "offered %,d in %.1fs (%,.0f/s); answered %,d (%,.0f/s): %s%n",
            result.offered(), seconds, result.offered() / seconds, generator.openLoop().accepted() +
            generator.openLoop().rejected(), (generator.openLoop().accepted() + generator.openLoop().rejected()) /
            seconds, byStatus.length() == 0 ? "none" : byStatus);
        final LatencySummary all = generator.answerLatency();
        System.out.printf(Locale.ROOT, "answer latency, every status (intended send to full answer): p50 %s, " +
            "p99 %s, p99.9 %s, max %s%n", LevelTable.micros(all.p50Us()), LevelTable.micros(all.p99Us()),
            LevelTable.micros(all.p999Us()), LevelTable.micros(all.maxUs()));
        final long unsent = generator.openLoop().unsent();
        if (unsent > 0)
        {
            System.out.printf("%d messages fell due but were not sent: no connection was free before the load " +
                "ended at --duration%n", unsent);
        }
        if (generator.openLoop().outstanding() > 0)
        {
            System.out.printf("%d requests were still unanswered when the wait for them ended (--drain-timeout)%n",
                generator.openLoop().outstanding());
        }
        if (generator.disconnects() > 0)
        {
            System.out.printf("connections lost and re-established: %d%n", generator.disconnects());
        }
        load.writeJson(generator.json(result));
        return 0;
    }

    /**
     * Run a load generator so that Ctrl-C or SIGTERM stops it cleanly (its report still printed).
     *
     * @param run  the generator's run.
     * @param stop its stop, for the shutdown hook.
     * @return what the run returned.
     * @throws Exception what the run threw.
     */
    private static SimulationResult runStoppedOnExit(final Callable<SimulationResult> run, final Runnable stop)
        throws Exception
    {
        final Thread hook = new Thread(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return run.call();
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
    }
}
