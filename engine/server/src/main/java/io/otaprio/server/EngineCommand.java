package io.otaprio.server;

import io.otaprio.config.HostPort;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineConfig;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.IdleStrategySpec;
import io.otaprio.engine.IntervalLogReporter;
import io.otaprio.engine.PrometheusEndpoint;
import io.otaprio.gateway.GatewayConfig;
import io.otaprio.gateway.GatewayRunner;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.scheduler.CompletionListener;
import io.otaprio.scheduler.CompletionRelay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio engine}: the engine as a standalone process with its TCP gateway, journal and simulated DSP.
 * SIGTERM or SIGINT stops it cleanly: stop accepting, answer what can be answered, close the journals, exit 0.
 */
@Command(
    name = "engine",
    mixinStandardHelpOptions = true,
    description = {
        "Run the engine as a standalone process with its TCP gateway.",
        "Gateway (docs/protocol.md), strict-priority scheduler, simulated DSP and journals. An existing journal's",
        "backlog is recovered and replayed, level 1 first. Stop it with SIGTERM (kill PID) or Ctrl-C." },
    sortOptions = false)
public final class EngineCommand implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration (default: conf/otaprio.yaml).")
    private Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Override gateway.listen.")
    private String listen;

    @Option(names = "--metrics", paramLabel = "HOST:PORT|off",
        description = "Override metrics.listen: where the Prometheus endpoint serves /metrics (port 0: any free).")
    private String metrics;

    @Option(names = "--hlog", paramLabel = "DIR",
        description = "Write each level's latency intervals (HdrHistogram .hlog, one per level) into DIR every second.")
    private Path hlog;

    @Option(names = "--journal", paramLabel = "DIR", description = "Override journal.dir.")
    private Path journal;

    @Option(names = "--policy", paramLabel = "FILE|fifo", description = "Override the policy file.")
    private String policy;

    @Option(names = "--idle", paramLabel = "STRATEGY", description = "Override scheduler.idle.")
    private String idle;

    @Option(names = "--status-interval", defaultValue = "5", paramLabel = "S",
        description = "Seconds between status lines, 0 for none (default: ${DEFAULT-VALUE}).")
    private double statusIntervalSeconds;

    public Integer call() throws Exception
    {
        final EngineConfig engineConfig = EngineConfig.load(null != config ? config : Home.shipped("conf/otaprio.yaml"));
        final PriorityPolicy priorityPolicy = engineConfig.loadPolicy(policy);
        final EngineConfig.GatewaySettings gatewaySettings = engineConfig.gateway();
        String host = gatewaySettings.host();
        int port = gatewaySettings.port();
        if (null != listen)
        {
            final HostPort endpoint = HostPort.parse("--listen", listen, 0);
            host = endpoint.host();
            port = endpoint.port();
        }
        final Path journalDir = null != journal ? journal : Path.of(
            null != engineConfig.journal().dir() ? engineConfig.journal().dir() : "journal-data");
        if (!(statusIntervalSeconds >= 0))
        {
            throw new IllegalArgumentException("--status-interval must be >= 0");
        }

        final CompletionRelay relay = new CompletionRelay(65_536, CompletionListener.NONE);
        final EngineContext ctx = engineConfig.newContext(priorityPolicy, idle)
            .dispatcher(engineConfig.newSimulatedDsp())
            .journal(engineConfig.journal().configFor(journalDir))
            .completionListener(relay)
            .dedup(engineConfig.dedup().windowNs(), engineConfig.dedup().maxEntries());
        final Engine engine = Engine.launch(ctx);
        final GatewayRunner gateway;
        try
        {
            gateway = GatewayRunner.start(engine.gateway(new GatewayConfig()
                .bindAddress(host)
                .port(port)
                .maxConnections(gatewaySettings.maxConnections())
                .maxFrameBytes(gatewaySettings.maxFrameBytes())
                .outboundBufferBytes(gatewaySettings.outboundBufferBytes())
                .idleTimeoutNs(gatewaySettings.idleTimeoutNs())
                .idleStrategy(IdleStrategySpec.parse(gatewaySettings.idle())), relay));
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }

        final String metricsListen = null != metrics ? metrics : engineConfig.metricsListen();
        PrometheusEndpoint endpoint = null;
        if (!EngineConfig.METRICS_OFF.equals(metricsListen))
        {
            final HostPort at = HostPort.parse("--metrics", metricsListen, 0);
            try
            {
                endpoint = PrometheusEndpoint.start(at.host(), at.port(), engine, gateway.gateway().counters());
            }
            catch (final RuntimeException ex)
            {
                gateway.close();
                engine.close();
                throw ex;
            }
        }
        final IntervalLogReporter reporter = null == hlog ? null : IntervalLogReporter.start(engine, hlog, 1000);
        printSummary(engineConfig, priorityPolicy, ctx, engine, journalDir, host, gateway.gateway().boundPort());
        if (null != reporter)
        {
            System.out.printf("%s latency interval logs in %s (./otaprio report --hlog %s --out DIR)%n", stamp(), hlog,
                hlog);
        }
        if (null != endpoint)
        {
            System.out.printf("%s metrics on http://%s:%d/metrics%n", stamp(),
                HostPort.parse("--metrics", metricsListen, 0).host(), endpoint.port());
        }

        final CountDownLatch stop = new CountDownLatch(1);
        final SignalHandler onSignal = signal -> stop.countDown();
        Signal.handle(new Signal("TERM"), onSignal);
        Signal.handle(new Signal("INT"), onSignal);

        final long intervalMs = (long)(statusIntervalSeconds * 1000);
        while (!stop.await(intervalMs > 0 ? intervalMs : Long.MAX_VALUE, TimeUnit.MILLISECONDS))
        {
            printStatus(engine);
        }

        System.out.println(stamp() + " stopping: no new connections, answering in-flight clients, closing journals");
        if (null != endpoint)
        {
            endpoint.close();
        }
        gateway.close();
        engine.close();
        if (null != reporter)
        {
            reporter.close();
        }
        final MetricsSnapshot snapshot = engine.snapshot();
        System.out.print(snapshot.table());
        System.out.println(stamp() + " stopped cleanly");
        return 0;
    }

    private static void printSummary(
        final EngineConfig config,
        final PriorityPolicy policy,
        final EngineContext ctx,
        final Engine engine,
        final Path journalDir,
        final String host,
        final int port)
    {
        final int[] lanes = ctx.laneSizes();
        final StringBuilder rings = new StringBuilder();
        for (int lane = 0; lane < lanes.length; lane++)
        {
            rings.append(lane == 0 ? "" : ", ").append(lanes[lane]);
        }
        final double capacity = config.newSimulatedDsp().capacityPerSecond(config.serviceTimes().defaultMeanNs());
        System.out.printf(Locale.ROOT, "%s otaprio engine pid %d%n", stamp(), ProcessHandle.current().pid());
        System.out.printf(Locale.ROOT, "  policy %s (%s), %d lane(s) of %s slots%n", policy.name(),
            config.source(), lanes.length, rings);
        System.out.printf(Locale.ROOT, "  TRT budgets: level 1 %s, level 2 %s, level 3 %s, level 4 %s%n",
            secs(policy.levelTrtNs(1)), secs(policy.levelTrtNs(2)), secs(policy.levelTrtNs(3)),
            secs(policy.levelTrtNs(4)));
        System.out.printf(Locale.ROOT, "  simulated DSP: %d slots, %s mean %s: capacity %.0f msgs/s at that mean " +
            "(per-SRV overrides lower it for a given mix)%n",
            config.dspSlots(), config.serviceTimes().distribution().name().toLowerCase(Locale.ROOT),
            secs(config.serviceTimes().defaultMeanNs()), capacity);
        final Recovered recovered = engine.recovered();
        System.out.printf(Locale.ROOT, "  journal %s (sync %s): %d accepted before, next message id %d%n",
            journalDir, config.journal().sync().name().toLowerCase(Locale.ROOT), recovered.acceptedCount(),
            engine.admission().nextMessageId());
        System.out.printf(Locale.ROOT, "  recovered backlog: %d pending (level 1 %d, 2 %d, 3 %d, 4 %d), " +
            "%d of them re-dispatched%n", recovered.pendingCount(), recovered.pendingCount(1),
            recovered.pendingCount(2), recovered.pendingCount(3), recovered.pendingCount(4),
            recovered.redispatched());
        System.out.printf(Locale.ROOT, "%s listening on %s:%d%n", stamp(), host, port);
        System.out.flush();
    }

    private static void printStatus(final Engine engine)
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
            "level-1 p99 %dus%n", stamp(), accepted, completed, s.rejectedTotal(), depth,
            s.level(1).latency().p99Us());
        System.out.flush();
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
