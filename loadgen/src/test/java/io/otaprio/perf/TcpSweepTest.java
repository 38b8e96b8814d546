package io.otaprio.perf;

import io.otaprio.cli.Otaprio;
import io.otaprio.protocol.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCP sweep end to end at rates any machine sustains: a real engine child process with both journals, the
 * load generator over real sockets on 127.0.0.1, every message answered at every rate, the engine stopped cleanly
 * and its journal removed; and the same over mutual TLS 1.3.
 */
class TcpSweepTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRunEachRateAgainstAnEngineProcessInTheGivenThreadingModeAndAnswerEveryMessage() throws Exception
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final List<TcpSweep.Point> points = TcpSweep.run(Path.of("../conf/bench-tcp.yaml").toAbsolutePath(),
            Path.of("../conf/traffic-mix.yaml"), dir, new long[]{ 2_000, 5_000 }, TimeUnit.MILLISECONDS.toNanos(500),
            TimeUnit.SECONDS.toNanos(1), "backoff", "shared", null,
            new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertTrue(progress.toString(StandardCharsets.UTF_8).contains(
            "warm-up 0.5 s at 100,000/s, then 0.5 s of each rate's load before it"), progress.toString());

        final String engineLog = Files.readString(dir.resolve(TcpSweep.engineLogName("shared", false)));
        assertTrue(engineLog.contains("threading shared"), engineLog);

        assertEquals(2, points.size());
        for (final TcpSweep.Point point : points)
        {
            assertTrue(point.sustained(), "rate " + point.rate());
            assertEquals(point.result().offered(), point.result().completed());
            assertTrue(point.result().offered() > point.rate() / 2, "Poisson arrivals over one second");
            long perLevel = 0;
            for (int level = 1; level <= 4; level++)
            {
                perLevel += point.result().run().level(level).completed();
            }
            assertEquals(point.result().completed(), perLevel);
        }
        assertFalse(Files.exists(dir.resolve("tcp-journal")), "the sweep's journal is removed");
        TcpSweep.write(dir.resolve("tcp.json"), points);
        assertTrue(Files.readString(dir.resolve("tcp.json")).contains("\"rate\":5000"));
    }

    @Test
    void shouldWarmUpEachRateForASecondAtMostAndNeverLongerThanTheFirstWarmUp()
    {
        assertEquals(TimeUnit.SECONDS.toNanos(1), TcpSweep.rateWarmUpNs(TimeUnit.SECONDS.toNanos(5)));
        assertEquals(TimeUnit.SECONDS.toNanos(1), TcpSweep.rateWarmUpNs(TimeUnit.SECONDS.toNanos(1)));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(500), TcpSweep.rateWarmUpNs(TimeUnit.MILLISECONDS.toNanos(500)));
    }

    @Test
    void shouldRunTheSameSweepOverMutualTlsWithTheClientAllowedTheOriginatorsTheLoadDraws() throws Exception
    {
        final Path certs = dir.resolve("certs");
        // Its originator here is not the load's: the sweep's own configuration names those for the client.
        final PrintStream original = System.out;
        System.setOut(new PrintStream(PrintStream.nullOutputStream()));
        try
        {
            assertEquals(0, Otaprio.execute("certs", "--out", certs.toString(), "--config", "../conf/otaprio.yaml",
                "--client", TcpSweep.TLS_CLIENT + "=0000000000000001"));
        }
        finally
        {
            System.setOut(original);
        }

        final List<TcpSweep.Point> points = TcpSweep.run(Path.of("../conf/bench-tcp.yaml").toAbsolutePath(),
            Path.of("../conf/traffic-mix.yaml"), dir, new long[]{ 2_000 }, TimeUnit.MILLISECONDS.toNanos(500),
            TimeUnit.SECONDS.toNanos(1), "backoff", "shared", certs, new PrintStream(PrintStream.nullOutputStream()));

        assertEquals(1, points.size());
        final TcpSweep.Point point = points.get(0);
        assertTrue(point.sustained(), "every message admitted and answered over TLS: " + point.result().summary());
        assertEquals(0, point.result().rejected(RejectReason.NOT_AUTHORISED));
        assertEquals(point.result().offered(), point.result().completed());
        assertTrue(Files.readString(certs.resolve(TcpSweep.TLS_CONFIG)).contains("subject: \"CN=bench\""));
        assertTrue(Files.exists(dir.resolve(TcpSweep.engineLogName("shared", true))));

        final List<TcpSweep.Point> plain = TcpSweep.run(Path.of("../conf/bench-tcp.yaml").toAbsolutePath(),
            Path.of("../conf/traffic-mix.yaml"), dir, new long[]{ 2_000 }, TimeUnit.MILLISECONDS.toNanos(500),
            TimeUnit.SECONDS.toNanos(1), "backoff", "shared", null, new PrintStream(PrintStream.nullOutputStream()));
        final BenchSummary summary = new BenchSummary(new BenchRun.Settings(dir, true, Set.of("tcp", "tcp-tls"),
            "backoff", List.of("shared"), dir, "./otaprio bench --quick --only tcp,tcp-tls",
            new PrintStream(PrintStream.nullOutputStream()), certs));
        summary.tcp(Map.of("shared", plain));
        summary.tcpTls(Map.of("shared", plain), Map.of("shared", points));
        final String md = summary.markdown("0.1 0.1 0.1");
        assertTrue(md.contains("Warm-up, not reported: load at 100k msgs/s before the first rate, then 1 s of each " +
            "rate's own load before it."), md);
        final String sustainedTls = String.format(Locale.ROOT, "%,.0f msgs/s", point.achievedRate());
        assertTrue(md.contains("| Over mutual TLS 1.3 (shared): what TLS costs the TCP sweep (no target) | TLS: " +
            sustainedTls + " sustained; level-1 p99 at 50,000/s n/a (not run) | plain TCP: "), md);
        assertTrue(md.contains(String.format(Locale.ROOT, "TLS/plain %.2fx sustained",
            point.achievedRate() / plain.get(0).achievedRate())), md);
        assertTrue(md.contains("## TCP sweep over mutual TLS 1.3"), md);
        assertTrue(md.contains("| offered/s | completed/s plain | completed/s TLS | ratio |"), md);
        assertTrue(md.contains("### threading shared, mutual TLS 1.3 (`tcp-tls-sweep-shared.json`, engine log " +
            "`tcp-tls-engine-shared.log`)"), md);
    }
}
