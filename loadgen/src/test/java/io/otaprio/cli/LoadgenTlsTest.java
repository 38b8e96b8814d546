package io.otaprio.cli;

import io.otaprio.config.HostPort;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.loadgen.Arrivals;
import io.otaprio.loadgen.DuisLoadGenerator;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.SimulationResult;
import io.otaprio.loadgen.TcpLoadGenerator;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import io.otaprio.tls.TlsContexts;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generators over mutual TLS 1.3 against a real engine in this process on 127.0.0.1, its certificates and
 * engine configuration those {@code ./otaprio certs} wrote: the TCP generator under the originators
 * its seed draws (admitted when the client's entry names them, refused NOT_AUTHORISED when it does not), the DUIS
 * generator over HTTPS under given originators, and {@code ./otaprio loadgen --tls-dir DIR --client NAME}, which reads
 * the client's originators from the directory.
 */
class LoadgenTlsTest
{
    private static final Path CONFIG = Path.of("../conf/otaprio.yaml");
    private static final PriorityPolicy POLICY = ConfigurationFile.read(CONFIG).policy();
    private static final long SEED = 3;
    private static final long[] LOADER = { 0x90B3D51F30010000L, 0x90B3D51F30010001L };

    @TempDir
    static Path dir;

    private static Engine engine;

    @BeforeAll
    static void startEngine()
    {
        final StringBuilder seeded = new StringBuilder("seeded=");
        for (final long originator : Arrivals.originators(SEED))
        {
            seeded.append(seeded.length() > "seeded=".length() ? "," : "").append(hex(originator));
        }
        final String out = captureOut(() -> assertEquals(0, Otaprio.execute("certs", "--out", dir.toString(),
            "--config", CONFIG.toString(), "--client", "loader=" + hex(LOADER[0]) + "," + hex(LOADER[1]),
            "--client", seeded.toString(), "--client", "other=90B3D51F30020000")));
        assertTrue(out.contains("seeded.pem"), out);
        // The engine configuration certs writes, as the engine reads it.
        engine = Engine.launch(ConfigurationFile.read(dir.resolve(CertsCommand.CONFIG_YAML))
            .ringSizes(4096, 4096, 4096, 4096)
            .payloadStoreBytes(1 << 22, 1 << 22, 1 << 22, 1 << 22)
            .gatewayListen("127.0.0.1:0")
            .duisListen("127.0.0.1:0")
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .journal(null)
            .schedulerIdleStrategy(new YieldingIdleStrategy())
            .admissionIdleStrategy(new BackoffIdleStrategy()));
    }

    @AfterAll
    static void stopEngine()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldHaveEveryMessageAdmittedOverTlsUnderTheOriginatorsTheSeedDrawsWhenTheClientsEntryNamesThem()
        throws Exception
    {
        final long refusedBefore = engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED);
        final long handshakesBefore = engine.context().gatewaySecurity().handshakes().completed();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final TcpLoadGenerator generator = tcp("seeded", progress);

        final SimulationResult result = generator.run();

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(generator.hasConnected(), text);
        assertTrue(result.offered() > 1_000, "offered " + result.offered() + ": " + text);
        assertEquals(result.offered(), result.accepted(), "every message acknowledged: " + text);
        assertEquals(result.offered(), result.completed(), text);
        assertEquals(0, generator.openLoop().unsent(), text);
        assertEquals(0, generator.disconnects());
        assertEquals(refusedBefore, engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED));
        assertEquals(handshakesBefore + 4, engine.context().gatewaySecurity().handshakes().completed(),
            "one handshake per connection");
    }

    @Test
    void shouldBeRefusedNotAuthorisedOverTlsAsAClientWhoseEntryNamesOtherOriginators() throws Exception
    {
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final TcpLoadGenerator generator = tcp("other", progress);

        final SimulationResult result = generator.run();

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(result.offered() > 1_000, "offered " + result.offered() + ": " + text);
        assertEquals(0, result.accepted(), text);
        assertEquals(result.offered(), result.rejected(RejectReason.NOT_AUTHORISED), text);
    }

    @Test
    void shouldPostEveryDocumentOverHttpsUnderTheClientsOriginators() throws Exception
    {
        final int port = engine.context().duisEndpoint().boundPort();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final DuisLoadGenerator generator = DuisLoadGenerator.create(new DuisLoadGenerator.Settings(
            new HostPort("127.0.0.1", port), 4, 1, new OpenLoop.Settings(POLICY,
            TrafficMix.load(Path.of("../conf/duis-mix.yaml")), LoadProfile.steady(300, TimeUnit.SECONDS.toNanos(2)),
            SEED, 0, TimeUnit.SECONDS.toNanos(30), new PrintStream(progress, true, StandardCharsets.UTF_8), LOADER),
            TlsContexts.client(dir, "loader")));

        final SimulationResult result = generator.run();

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(generator.hasConnected(), text);
        // Four connections each wait for their answer: on a loaded machine far fewer than 600 go in 2 s.
        assertTrue(result.offered() > 100, "offered " + result.offered() + ": " + text);
        final long[] statuses = generator.answersByStatus();
        assertEquals(result.offered(), statuses[202], "every document admitted: " + statuses[403] + " 403s, " +
            statuses[0] + " unanswered; " + text);
        assertEquals(0, generator.disconnects());
    }

    @Test
    void shouldRunTheLoadgenCommandAsTheClientUnderItsOriginatorsFromTheCertificatesDirectory()
    {
        final long refusedBefore = engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED);
        final long acceptedBefore = accepted();
        final long handshakesBefore = engine.context().gatewaySecurity().handshakes().completed();
        final int port = engine.context().gateway().boundPort();
        final String out = captureOut(() -> assertEquals(0, Otaprio.execute("loadgen", "--connect",
            "127.0.0.1:" + port, "--tls-dir", dir.toString(), "--client", "loader", "--scenario", "steady", "--rate",
            "500", "--duration", "1", "--quiet", "--config", CONFIG.toString(), "--mix",
            "../conf/traffic-mix.yaml")));

        assertTrue(out.contains("over 4 connections with mutual TLS 1.3 as client loader"), out);
        assertEquals(refusedBefore, engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED), out);
        assertEquals(handshakesBefore + 4, engine.context().gatewaySecurity().handshakes().completed(), out);
        assertTrue(accepted() - acceptedBefore > 300, "about 500 acknowledged: " + (accepted() - acceptedBefore));
    }

    @Test
    void shouldRefuseATlsDirectoryWithoutAClientAndSayWhereTheOriginatorsComeFrom() throws Exception
    {
        final String err = captureErr(() -> assertEquals(2, Otaprio.execute("loadgen", "--tls-dir", dir.toString(),
            "--duration", "1")));
        assertTrue(err.contains("--tls-dir and --client go together"), err);

        final String missing = captureErr(() -> assertEquals(2, Otaprio.execute("loadgen", "--tls-dir",
            dir.resolve("nowhere").toString(), "--client", "loader", "--duration", "1")));
        assertTrue(missing.contains("--client loader: no file " + dir.resolve("nowhere").resolve("loader.pem")),
            missing);

        final Path withoutYaml = Files.createDirectories(dir.resolve("without-yaml"));
        for (final String file : List.of("ca.pem", "loader.pem", "loader.key"))
        {
            Files.copy(dir.resolve(file), withoutYaml.resolve(file));
        }
        final String noOriginators = captureErr(() -> assertEquals(2, Otaprio.execute("loadgen", "--tls-dir",
            withoutYaml.toString(), "--client", "loader", "--duration", "1")));
        assertTrue(noOriginators.contains("--client loader: no " + withoutYaml.resolve(CertsCommand.CONFIG_YAML) +
            " to read its originators from (./otaprio certs writes it): give them with --originators"),
            noOriginators);

        final String help = captureOut(() -> assertEquals(0, Otaprio.execute("loadgen", "--help")));
        for (final String option : List.of("--tls-dir", "--client", "--originators", "otaprio-tls.yaml"))
        {
            assertTrue(help.contains(option), option + " in: " + help);
        }
    }

    private static TcpLoadGenerator tcp(final String client, final ByteArrayOutputStream progress) throws Exception
    {
        final int port = engine.context().gateway().boundPort();
        return TcpLoadGenerator.create(new TcpLoadGenerator.Settings(List.of(new HostPort("127.0.0.1", port)), 4,
            new OpenLoop.Settings(POLICY, TrafficMix.load(Path.of("../conf/traffic-mix.yaml")),
            LoadProfile.steady(1_000, TimeUnit.SECONDS.toNanos(2)), SEED, 0, TimeUnit.SECONDS.toNanos(30),
            new PrintStream(progress, true, StandardCharsets.UTF_8)), false, TlsContexts.client(dir, client)));
    }

    private static long accepted()
    {
        long accepted = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            accepted += engine.context().metrics().accepted(level);
        }
        return accepted;
    }

    private static String hex(final long originator)
    {
        return String.format(Locale.ROOT, "%016X", originator);
    }

    private static String captureOut(final Runnable action)
    {
        final PrintStream original = System.out;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String captureErr(final Runnable action)
    {
        final PrintStream original = System.err;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try
        {
            action.run();
        }
        finally
        {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
