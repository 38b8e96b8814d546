package io.otaprio.server;

import io.otaprio.cluster.ClusterConfiguration;
import io.otaprio.cluster.ClusterSettings;
import io.otaprio.cluster.ClusterTransport;
import io.otaprio.cluster.ClusteredEngine;
import io.otaprio.cluster.ReplicatedEngine;
import io.otaprio.config.HostPort;
import io.otaprio.engine.AdminEndpoint;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.PolicyReloader;
import io.otaprio.http.DuisEndpoint;
import io.otaprio.identity.TlsServer;
import io.otaprio.journal.JournalException;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code otaprio engine}: the engine as a standalone process with its TCP gateway, journal and simulated DSP.
 * SIGTERM or SIGINT stops it cleanly: stop accepting, answer what can be answered, close the journals, exit 0. SIGHUP
 * reloads the policy file.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = {
        "Run the engine as a standalone process with its TCP gateway.",
        "Gateway (docs/protocol.md), strict-priority scheduler, simulated DSP and journals. An existing journal's",
        "backlog is recovered and replayed, level 1 first. Stop it with SIGTERM (kill PID) or Ctrl-C; reload the",
        "policy file with SIGHUP (kill -HUP PID) or ./otaprio policy reload." },
    sortOptions = false)
public final class EngineCommand implements Callable<Integer>
{
    @Mixin
    private ConfigOption config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Override gateway.listen.")
    private String listen;

    @Option(names = "--metrics", paramLabel = "HOST:PORT|off",
        description = "Override metrics.listen: where the Prometheus endpoint serves /metrics (port 0: any free).")
    private String metrics;

    @Option(names = "--duis", paramLabel = "HOST:PORT|off",
        description = "Override duis.listen: where POST /duis takes DUIS XML documents over HTTP (port 0: any free).")
    private String duis;

    @Option(names = "--admin", paramLabel = "HOST:PORT|off",
        description = "Override admin.listen: where POST /policy/reload reloads the policy file (port 0: any free).")
    private String admin;

    @Option(names = "--hlog", paramLabel = "DIR",
        description = "Write each level's latency intervals (HdrHistogram .hlog, one per level) into DIR every second.")
    private Path hlog;

    @Option(names = "--journal", paramLabel = "DIR", description = "Override journal.dir.")
    private Path journal;

    @Option(names = "--cluster-dir", paramLabel = "DIR",
        description = "Override cluster.dir (a cluster node's Raft log and consensus state).")
    private Path clusterDir;

    @Option(names = "--cluster-base-port", paramLabel = "PORT",
        description = "Override cluster.basePort (member i uses PORT + 100 i + 1..5).")
    private Integer clusterBasePort;

    @Mixin
    private EngineOverrides overrides;

    @Option(names = "--status-interval", defaultValue = "5", paramLabel = "S",
        description = "Seconds between status lines, 0 for none (default: ${DEFAULT-VALUE}).")
    private double statusIntervalSeconds;

    public Integer call() throws Exception
    {
        if (!(statusIntervalSeconds >= 0))
        {
            throw new IllegalArgumentException("--status-interval must be >= 0");
        }
        final Path configFile = config.path();
        final ClusterSettings[] cluster = new ClusterSettings[1];
        final EngineContext ctx = overrides.read(configFile,
            Map.of(ClusterConfiguration.SECTION, section -> cluster[0] = ClusterConfiguration.read(section)));
        if (null != listen)
        {
            HostPort.parse("--listen", listen, 0);
            ctx.gatewayListen(listen);
        }
        override("--metrics", metrics, ctx::metricsListen);
        override("--duis", duis, ctx::duisListen);
        override("--admin", admin, ctx::adminListen);
        if (null != journal)
        {
            ctx.journalDirectory(journal);
        }
        ctx.hlogDirectory(hlog);
        if (Configuration.OFF.equals(ctx.gatewayListen()))
        {
            throw new IllegalArgumentException(configFile + ": gateway.listen is off: the engine process serves " +
                "clients over TCP only; give it an address, or run the engine in-process with ./otaprio simulate");
        }

        if (null == cluster[0] && (null != clusterDir || null != clusterBasePort))
        {
            throw new IllegalArgumentException(configFile + " has no cluster section: --cluster-dir and " +
                "--cluster-base-port apply to a cluster node only");
        }
        ctx.reloadReport(EngineCommand::printStamped);
        // Before the engine starts: the JVM's own answer to a SIGHUP is to exit.
        final AtomicReference<Engine> running = new AtomicReference<>();
        ProcessSignals.onHangUp(() ->
        {
            final Engine launched = running.get();
            if (null == launched)
            {
                printStamped("policy reload ignored: SIGHUP while the engine is still starting");
            }
            else
            {
                launched.context().policyReloader().reload();
            }
        });
        final ClusteredEngine node = null == cluster[0] ? null : launch(ctx, clusterOverrides(cluster[0]));
        final Engine engine = null == node ? launch(ctx) : node.engine();
        running.set(engine);
        printSummary(configFile, engine, node);

        final CountDownLatch stop = ProcessSignals.stopLatch();

        final long intervalMs = (long)(statusIntervalSeconds * 1000);
        while (!stop.await(intervalMs > 0 ? intervalMs : Long.MAX_VALUE, TimeUnit.MILLISECONDS))
        {
            printStatus(engine, node);
        }

        System.out.println(stamp() + " stopping: no new connections, answering in-flight clients, closing journals");
        if (null == node)
        {
            engine.close();
        }
        else
        {
            node.close();
        }
        final MetricsSnapshot snapshot = engine.snapshot();
        System.out.print(snapshot.table());
        System.out.println(stamp() + " stopped cleanly");
        return 0;
    }

    /**
     * Launch the engine, turning what an operator can fix into one line that says what to do: conclude first, which
     * takes the journal and binds the gateway, then launch, which opens the interval logs and binds the metrics
     * endpoint, so that the step that failed tells which of the two sockets was refused.
     */
    private static Engine launch(final EngineContext ctx)
    {
        try
        {
            ctx.conclude();
        }
        catch (final JournalException ex)
        {
            throw StartupException.journal(ex);
        }
        catch (final UncheckedIOException ex)
        {
            // The gateway's socket, or the status file in the journal directory.
            throw ex.getCause() instanceof SocketException ? StartupException.bind(ex, "--listen HOST:PORT") :
                StartupException.directory(ex.getMessage(), ex, "--journal DIR");
        }
        try
        {
            return Engine.launch(ctx);
        }
        catch (final UncheckedIOException ex)
        {
            // The interval logs (files), the metrics and the admin endpoints (sockets) are all the I/O left to launch.
            if (ex.getCause() instanceof SocketException)
            {
                throw StartupException.bind(ex, ex.getMessage().startsWith("admin endpoint") ?
                    "--admin HOST:PORT (or off)" : "--metrics HOST:PORT (or off)");
            }
            throw StartupException.directory(ex.getMessage(), ex, "--hlog DIR");
        }
    }

    private static void override(final String option, final String value, final Consumer<String> listen)
    {
        if (null != value)
        {
            if (!Configuration.OFF.equals(value))
            {
                HostPort.parse(option, value, 0);
            }
            listen.accept(value);
        }
    }

    private static void printStamped(final String line)
    {
        System.out.println(stamp() + " " + line);
        System.out.flush();
    }

    private ClusterSettings clusterOverrides(final ClusterSettings settings)
    {
        ClusterSettings overridden = settings;
        if (null != clusterDir)
        {
            overridden = overridden.withDirectory(clusterDir);
        }
        if (null != clusterBasePort)
        {
            overridden = overridden.withBasePort(clusterBasePort);
        }
        return overridden;
    }

    /**
     * Launch a cluster node: its journal, cluster member and engine, with the same one-line failures.
     */
    private static ClusteredEngine launch(final EngineContext ctx, final ClusterSettings settings)
    {
        try
        {
            return ClusteredEngine.launch(ctx, settings);
        }
        catch (final JournalException ex)
        {
            throw StartupException.journal(ex);
        }
        catch (final UncheckedIOException ex)
        {
            throw ex.getCause() instanceof SocketException ? StartupException.bind(ex, "--listen HOST:PORT") :
                StartupException.directory(ex.getMessage(), ex, "--journal DIR");
        }
    }

    private static void printSummary(final Path configFile, final Engine engine, final ClusteredEngine node)
    {
        final EngineContext ctx = engine.context();
        final PriorityPolicy policy = ctx.policy();
        final int[] lanes = ctx.laneSizes();
        final StringBuilder rings = new StringBuilder();
        for (int lane = 0; lane < lanes.length; lane++)
        {
            rings.append(lane == 0 ? "" : ", ").append(lanes[lane]);
        }
        final double capacity = ctx.dspCapacityPerSecond(ctx.serviceTimes().defaultMeanNs());
        System.out.printf(Locale.ROOT, "%s otaprio engine pid %d%n", stamp(), ProcessHandle.current().pid());
        System.out.printf(Locale.ROOT, "  policy %s (%s), %d lane(s) of %s slots, threading %s%n", policy.name(),
            configFile, lanes.length, rings, ctx.threadingMode().name().toLowerCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "  TRT budgets: level 1 %s, level 2 %s, level 3 %s, level 4 %s%n",
            secs(policy.levelTrtNs(1)), secs(policy.levelTrtNs(2)), secs(policy.levelTrtNs(3)),
            secs(policy.levelTrtNs(4)));
        System.out.printf(Locale.ROOT, "  simulated DSP: %d slots, %s mean %s: capacity %.0f msgs/s at that mean " +
            "(per-SRV overrides lower it for a given mix)%n",
            ctx.dspSlots(), ctx.serviceTimes().distribution().name().toLowerCase(Locale.ROOT),
            secs(ctx.serviceTimes().defaultMeanNs()), capacity);
        if (null == node)
        {
            final Recovered recovered = engine.context().recovered();
            System.out.printf(Locale.ROOT, "  journal %s (sync %s): %d accepted from the checkpoint on, next message " +
                "id %d%n",
                ctx.journal().directory(), ctx.journal().sync().name().toLowerCase(Locale.ROOT),
                recovered.acceptedCount(), engine.admission().nextMessageId());
            System.out.printf(Locale.ROOT, "  recovered backlog: %d pending (level 1 %d, 2 %d, 3 %d, 4 %d), " +
                "%d of them re-dispatched%n", recovered.pendingCount(), recovered.pendingCount(1),
                recovered.pendingCount(2), recovered.pendingCount(3), recovered.pendingCount(4),
                recovered.redispatched());
        }
        else
        {
            final ClusterSettings settings = node.node().settings();
            System.out.printf(Locale.ROOT, "  cluster member %d of %d (%s): Raft log in %s, heartbeat timeout %s; " +
                "journal %s written from the committed log%n", settings.memberId(), settings.memberCount(),
                settings.clusterMembers(), settings.directory(), secs(settings.heartbeatTimeoutNs()),
                ctx.journal().directory());
        }
        if (null != ctx.hlogDirectory())
        {
            System.out.printf("%s latency interval logs in %s (./otaprio report --hlog %s --out DIR)%n", stamp(),
                ctx.hlogDirectory(), ctx.hlogDirectory());
        }
        if (null != engine.metricsEndpoint())
        {
            System.out.printf("%s metrics on http://%s:%d/metrics%n", stamp(),
                HostPort.parse("metrics listen", ctx.metricsListen(), 0).host(), engine.metricsEndpoint().port());
        }
        final PolicyReloader reloader = ctx.policyReloader();
        System.out.printf("%s policy generation %d (sha256 %s): reload the file with kill -HUP %d%s%n", stamp(),
            reloader.generation(), reloader.current().sha256(), ProcessHandle.current().pid(),
            null == engine.adminEndpoint() ? "" : " or ./otaprio policy reload (POST http://" +
            HostPort.parse("admin listen", ctx.adminListen(), 0).host() + ":" + engine.adminEndpoint().port() +
            AdminEndpoint.RELOAD_PATH + ")");
        final TlsServer tls = ctx.tls();
        final String security = tls.enabled() ? " (mutual " + tls.description() + ")" : "";
        if (null != ctx.duisEndpoint())
        {
            System.out.printf("%s DUIS documents on %s://%s:%d%s%s%n", stamp(), tls.enabled() ? "https" : "http",
                HostPort.parse("duis listen", ctx.duisListen(), 0).host(), ctx.duisEndpoint().boundPort(),
                DuisEndpoint.PATH, security);
        }
        System.out.printf(Locale.ROOT, "%s listening on %s:%d%s%n", stamp(), ctx.gatewayHost(),
            engine.context().gateway().boundPort(), security);
        System.out.flush();
    }

    private static void printStatus(final Engine engine, final ClusteredEngine node)
    {
        final MetricsSnapshot s = engine.snapshot();
        long accepted = 0;
        long completed = 0;
        for (final MetricsSnapshot.Level level : s.levels())
        {
            accepted += level.accepted();
            completed += level.completed();
        }
        final StringBuilder depth = new StringBuilder();
        for (int lane = 0; lane < s.depthByLane().length; lane++)
        {
            depth.append(lane == 0 ? "" : " ").append(s.depthByLane()[lane]);
        }
        System.out.printf(Locale.ROOT, "%s accepted %d, completed %d, rejected %d, depth by lane [%s], " +
            "level-1 p99 %dus%s%n", stamp(), accepted, completed, s.rejectedTotal(), depth,
            s.level(1).latency().p99Us(), null == node ? "" : clusterStatus(node));
        System.out.flush();
    }

    private static String clusterStatus(final ClusteredEngine node)
    {
        final ReplicatedEngine service = node.service();
        final ClusterTransport transport = node.transport();
        return String.format(Locale.ROOT, "; cluster: %s, %d pending, log applied %d, state %016x, " +
            "redispatched %d, unavailable %d, shed %d, completions dropped %d/%d/%d",
            service.isLeader() ? "leader" : transport.isConnected() ? "follower" : "no leader",
            service.pending(), service.applied(), service.stateHash(), service.redispatched(),
            transport.unavailableAnswers(), transport.shedSubmissions(), service.egressDropped(),
            node.engine().context().gatewayCounters().completionsDropped(), transport.droppedCompletions());
    }

    private static String secs(final long ns)
    {
        return ns >= 1_000_000_000L && ns % 1_000_000_000L == 0 ? (ns / 1_000_000_000L) + "s" :
            ns >= 1_000_000L ? String.format(Locale.ROOT, "%.1fms", ns / 1e6) :
            String.format(Locale.ROOT, "%.0fus", ns / 1e3);
    }

    private static String stamp()
    {
        return Instant.now().toString();
    }
}
