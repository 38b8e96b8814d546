package io.otaprio.perf;

import io.otaprio.config.HostPort;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.loadgen.Arrivals;
import io.otaprio.loadgen.EngineConfigText;
import io.otaprio.loadgen.EngineProcess;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.LoadRun;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.TcpLoadGenerator;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.tls.TlsContexts;
import org.agrona.IoUtil;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The load generator against the engine process over TCP, at a sweep of steady rates: one engine child process
 * (its own JVM, both journals on, in a temporary directory), this process as the one load generator, latency per
 * level from each message's intended send time to its Completed frame.
 * <p>
 * Warm-ups, not reported: one at {@value #WARM_UP_RATE}/s before the first rate, then before each rate up to
 * {@value #RATE_WARM_UP_MS} ms of that rate's own load, on connections of its own. The JIT was still compiling (and
 * deoptimising) the engine's gateway, admission and completion paths during the first rate measured without it, and a
 * higher rate takes paths (fuller batches, back-pressure) the rate before did not.
 * <p>
 * A rate is sustained when every message was sent, accepted and answered and the backlog left when the load stopped
 * cleared within {@value #SUSTAINED_DRAIN_SECONDS} s; the sweep stops at the first rate that is not.
 * <p>
 * Over mutual TLS 1.3 (given a directory with {@code ca.pem}, {@code server.pem}/{@code .key} and the client
 * {@value #TLS_CLIENT}'s {@code .pem}/{@code .key}): the same engine configuration with a {@code tls:} section and a
 * {@code clients:} entry naming the originators the load's seed draws, written into that directory; the messages are
 * the same as over plain TCP. Each rate's generator connects afresh, so its connections' handshakes are part of the
 * start of its load (and of its first messages' latency).
 */
public final class TcpSweep
{
    /** Rates of the full sweep, messages per second. */
    public static final long[] RATES = { 50_000, 100_000, 200_000, 300_000, 400_000, 600_000 };

    /** The rate the TCP performance target is set at. */
    public static final long TARGET_RATE = 300_000;

    /** The rate the level-1 p99 over TLS is compared with plain TCP's at: below the knee of either. */
    public static final long TLS_COMPARED_RATE = 50_000;

    static final double SUSTAINED_DRAIN_SECONDS = 1.0;

    /** The TLS client's name: its certificate's CN and the files {@code NAME.pem} and {@code NAME.key}. */
    public static final String TLS_CLIENT = "bench";

    /** The engine configuration of a sweep over TLS, written into the certificates' directory. */
    static final String TLS_CONFIG = "tls-engine.yaml";

    private static final long WARM_UP_RATE = 100_000;
    /** The longest warm-up before each rate, at that rate. */
    static final long RATE_WARM_UP_MS = 1_000;
    private static final int CONNECTIONS = 4;
    private static final long SEED = 1;

    private TcpSweep()
    {
    }

    /**
     * One rate's run.
     *
     * @param rate         offered messages per second.
     * @param achievedRate completed messages per second over the load and the drain.
     * @param sustained    whether the engine kept up (see the class comment).
     * @param result       the load generator's report.
     */
    public record Point(long rate, double achievedRate, boolean sustained, SimulationResult result)
    {
    }

    /**
     * Run the sweep, over plain TCP or mutual TLS 1.3.
     *
     * @param config        engine configuration (the DSP in it sets what "downstream" costs).
     * @param mixFile       traffic mix.
     * @param workDir       for the engine's journal and log; the journal is deleted at the end.
     * @param rates         ascending messages per second.
     * @param warmUpNs      load at {@value #WARM_UP_RATE}/s before the first rate, not reported; each rate's own
     *                      warm-up is the shorter of this and {@value #RATE_WARM_UP_MS} ms.
     * @param measureNs     load per rate.
     * @param schedulerIdle the engine scheduler's idle strategy (the load generator needs a core too).
     * @param threading     the engine's threading mode: {@code dedicated} or {@code shared}.
     * @param tlsDir        the certificates (see the class comment) for mutual TLS 1.3, or null for plain TCP.
     * @param progress      where a line per rate goes.
     * @return one point per rate run.
     * @throws IOException if the engine cannot start, a certificate cannot be read, or the load generator fails.
     */
    public static List<Point> run(
        final Path config,
        final Path mixFile,
        final Path workDir,
        final long[] rates,
        final long warmUpNs,
        final long measureNs,
        final String schedulerIdle,
        final String threading,
        final Path tlsDir,
        final PrintStream progress) throws IOException
    {
        final PriorityPolicy policy = ConfigurationFile.read(config).policy();
        final TrafficMix mix = TrafficMix.load(mixFile);
        final boolean tls = null != tlsDir;
        final Path engineConfig = tls ? writeTlsConfig(config, tlsDir) : config;
        final SSLContext context = tls ? TlsContexts.client(tlsDir, TLS_CLIENT) : null;
        final Path journal = workDir.resolve("tcp-journal");
        IoUtil.delete(journal.toFile(), false);
        final int port = EngineProcess.freePort();
        final List<Point> points = new ArrayList<>();
        final Path log = workDir.resolve(engineLogName(threading, tls));
        try (EngineProcess engine = EngineProcess.start(List.of("--config", engineConfig.toString(), "--journal",
            journal.toString(), "--listen", "127.0.0.1:" + port, "--duis", "off", "--idle", schedulerIdle,
            "--threading", threading, "--status-interval", "0"), log, 60_000))
        {
            final long rateWarmUpNs = rateWarmUpNs(warmUpNs);
            progress.printf(Locale.ROOT, "  engine pid %d on 127.0.0.1:%d (threading %s, scheduler idle %s%s); " +
                "warm-up %.1f s at %,d/s, then %.1f s of each rate's load before it%n", engine.pid(), port, threading,
                schedulerIdle, tls ? ", mutual TLS 1.3" : "", warmUpNs / 1e9, WARM_UP_RATE, rateWarmUpNs / 1e9);
            generator(port, policy, mix, WARM_UP_RATE, warmUpNs, context).run();
            for (final long rate : rates)
            {
                generator(port, policy, mix, rate, rateWarmUpNs, context).run();
                final TcpLoadGenerator generator = generator(port, policy, mix, rate, measureNs, context);
                final SimulationResult result = generator.run();
                final LoadRun run = result.run();
                final double achieved = result.completed() / (run.durationSeconds() + run.drainSeconds());
                // A message the generator could not send before the load ended counts against the rate too.
                final boolean sustained = result.pending() == 0 && result.offered() == result.accepted() &&
                    0 == generator.openLoop().unsent() && run.drainSeconds() <= SUSTAINED_DRAIN_SECONDS;
                final Point point = new Point(rate, achieved, sustained, result);
                points.add(point);
                progress.printf(Locale.ROOT, "  %s %,9d/s: completed %,9.0f/s  level 1 p50 %s p99 %s p99.9 %s" +
                    "  level 4 p99 %s  drain %.2fs%s%n", prefix(tls), rate, achieved,
                    ms(run.level(1).latency().p50Us()), ms(run.level(1).latency().p99Us()),
                    ms(run.level(1).latency().p999Us()), ms(run.level(4).latency().p99Us()), run.drainSeconds(),
                    sustained ? "" : "  SATURATED");
                if (!sustained)
                {
                    break;
                }
            }
            final int exit = engine.stop();
            if (0 != exit)
            {
                throw new IOException("the engine exited with code " + exit + " on SIGTERM; see " + log);
            }
        }
        finally
        {
            IoUtil.delete(journal.toFile(), false);
        }
        return points;
    }

    /**
     * @param warmUpNs the warm-up before the first rate.
     * @return the warm-up before each rate, at that rate.
     */
    static long rateWarmUpNs(final long warmUpNs)
    {
        return Math.min(warmUpNs, TimeUnit.MILLISECONDS.toNanos(RATE_WARM_UP_MS));
    }

    /**
     * @param threading the engine's threading mode.
     * @param tls       whether the sweep is over TLS.
     * @return the name of the engine's log in the run folder.
     */
    static String engineLogName(final String threading, final boolean tls)
    {
        return prefix(tls) + "-engine-" + threading + ".log";
    }

    /**
     * @param threading the engine's threading mode.
     * @param tls       whether the sweep is over TLS.
     * @return the name of the sweep's JSON in the run folder.
     */
    static String jsonName(final String threading, final boolean tls)
    {
        return prefix(tls) + "-sweep-" + threading + ".json";
    }

    private static String prefix(final boolean tls)
    {
        return tls ? "tcp-tls" : "tcp";
    }

    /**
     * The engine configuration over TLS: the given one, its policy path made absolute (the copy lives elsewhere),
     * with a {@code tls:} section and the {@value #TLS_CLIENT} client allowed the originators the load's seed draws.
     *
     * @param config the plain configuration.
     * @param tlsDir the certificates' directory, where the copy goes.
     * @return the copy.
     * @throws IOException if it cannot be written.
     * @throws IllegalArgumentException if it cannot be read, or already has TLS sections.
     */
    static Path writeTlsConfig(final Path config, final Path tlsDir) throws IOException
    {
        final StringBuilder originators = new StringBuilder();
        for (final long originator : Arrivals.originators(SEED))
        {
            originators.append(originators.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "\"%016X\"", originator));
        }
        final String text = EngineConfigText.withAbsolutePolicy(config, "the TCP sweep's configuration") +
            String.join(System.lineSeparator(), "",
            "tls:",
            "  keyStore: { certificate: server.pem, key: server.key }",
            "  trustStore: " + TlsContexts.CA_FILE,
            "clients:",
            "  - { name: " + TLS_CLIENT + ", subject: \"CN=" + TLS_CLIENT + "\", originators: [" + originators + "] }",
            "");
        final Path file = tlsDir.resolve(TLS_CONFIG);
        Files.writeString(file, text);
        return file;
    }

    private static TcpLoadGenerator generator(
        final int port,
        final PriorityPolicy policy,
        final TrafficMix mix,
        final long rate,
        final long durationNs,
        final SSLContext tls)
    {
        return TcpLoadGenerator.create(new TcpLoadGenerator.Settings(List.of(new HostPort("127.0.0.1", port)),
            CONNECTIONS, new OpenLoop.Settings(policy, mix, LoadProfile.steady(rate, durationNs), SEED, 0,
            TimeUnit.SECONDS.toNanos(60), null), false, tls));
    }

    /**
     * @param points a sweep.
     * @return JSON: per rate the achieved rate, sustained, and the load generator's report.
     */
    public static String json(final List<Point> points)
    {
        final JsonWriter json = new JsonWriter().beginArray();
        for (final Point point : points)
        {
            json.beginObject()
                .field("rate", point.rate())
                .field("achievedRate", Math.round(point.achievedRate()))
                .name("sustained").rawValue(Boolean.toString(point.sustained()))
                .name("result").rawValue(point.result().json(null))
                .endObject();
        }
        return json.endArray().toString();
    }

    /**
     * Write the JSON.
     *
     * @param file   where.
     * @param points a sweep.
     * @throws IOException if it cannot be written.
     */
    public static void write(final Path file, final List<Point> points) throws IOException
    {
        Files.writeString(file, json(points) + System.lineSeparator());
    }

    /**
     * @param points a sweep.
     * @return level rows of every point, for tables: rate, then the level's report.
     */
    static List<String> levelRows(final List<Point> points)
    {
        final List<String> rows = new ArrayList<>();
        for (final Point point : points)
        {
            for (final LevelReport level : point.result().run().levels())
            {
                rows.add(String.format(Locale.ROOT, "| %,d | %d | %,d | %s | %s | %s | %s | %.2f%% |", point.rate(),
                    level.level(), level.completed(), ms(level.latency().p50Us()), ms(level.latency().p99Us()),
                    ms(level.latency().p999Us()), ms(level.latency().maxUs()), level.withinTrtPct()));
            }
        }
        return rows;
    }

    static String ms(final long micros)
    {
        return micros >= 10_000 ? String.format(Locale.ROOT, "%.0f ms", micros / 1e3) :
            String.format(Locale.ROOT, "%.3f ms", micros / 1e3);
    }
}
