package io.otaprio.loadgen;

import io.otaprio.config.HostPort;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DUIS load generator against a real engine in this process, its {@code POST /duis} on a real socket on
 * 127.0.0.1, with the DUIS-shaped mix (responses, Critical two-step pairs, future-dated requests, device and DCC
 * alerts); and against a port nobody listens on.
 */
class DuisLoadGeneratorTest
{
    private static final Path CONFIG = Path.of("../conf/otaprio.yaml");
    private static final PriorityPolicy POLICY = ConfigurationFile.read(CONFIG).policy();
    private static final TrafficMix MIX = TrafficMix.load(Path.of("../conf/duis-mix.yaml"));

    @ParameterizedTest(name = "pipeline {0}")
    @ValueSource(ints = { 1, 4 })
    void shouldPostEveryMessageAsADuisDocumentAndCountEveryAnswerByStatusAndLevel(final int pipeline) throws Exception
    {
        final Engine engine = Engine.launch(ConfigurationFile.read(CONFIG)
            .gatewayListen("127.0.0.1:0")
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen("127.0.0.1:0")
            .journal(null)
            .schedulerIdleStrategy(new YieldingIdleStrategy())
            .admissionIdleStrategy(new BackoffIdleStrategy()));
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final DuisLoadGenerator generator;
        final SimulationResult result;
        try
        {
            final int port = engine.context().duisEndpoint().boundPort();
            generator = DuisLoadGenerator.create(new DuisLoadGenerator.Settings(new HostPort("127.0.0.1", port), 8,
                pipeline, new OpenLoop.Settings(POLICY, MIX, LoadProfile.steady(600, TimeUnit.SECONDS.toNanos(3)), 7, 0,
                TimeUnit.SECONDS.toNanos(30), new PrintStream(progress, true, StandardCharsets.UTF_8))));
            result = generator.run();
            assertEquals(result.offered(), engine.context().duisCounters().answered(202),
                "the engine answered 202 to every document");
        }
        finally
        {
            engine.close();
        }

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(generator.hasConnected(), text);
        assertTrue(text.contains("answered 202 "), text);
        // On a machine this busy a message may still wait for a free connection when the load ends (unsent); every
        // one sent is answered.
        assertTrue(result.offered() > 1_000, "offered " + result.offered() + ": " + text);
        final long[] statuses = generator.answersByStatus();
        assertEquals(result.offered(), statuses[202], "every document admitted, follow-ups too (no 409): " +
            statuses[409] + " 409s, " + statuses[400] + " 400s, " + statuses[0] + " unanswered");
        assertEquals(result.offered(), result.accepted());
        assertEquals(result.offered(), result.completed(), "a 202 is the message's answer");
        assertEquals(result.offered(), generator.answerLatency().count());
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            assertTrue(result.run().level(level).latency().count() > 0, "level " + level + " measured");
        }
        assertTrue(generator.largestRequestBytes() > 27_000, "the firmware update's document is 27 KB");
        assertEquals(0, generator.disconnects());
        assertTrue(generator.json(result).contains("\"duis\":{\"answersByStatus\":{\"202\":" + result.offered() + "}"),
            generator.json(result));
    }

    @Test
    void shouldSayItCannotConnectWhenNothingListens() throws Exception
    {
        final int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = socket.getLocalPort();
        }
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final DuisLoadGenerator generator = DuisLoadGenerator.create(new DuisLoadGenerator.Settings(
            new HostPort("127.0.0.1", port), 2, new OpenLoop.Settings(POLICY, MIX,
            LoadProfile.steady(500, TimeUnit.SECONDS.toNanos(1)), 1, 0, TimeUnit.SECONDS.toNanos(60),
            new PrintStream(progress, true, StandardCharsets.UTF_8))));

        final SimulationResult result = generator.run();

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertFalse(generator.hasConnected());
        assertTrue(text.contains("cannot connect to 127.0.0.1:" + port + " ("), text);
        assertEquals(0, result.offered());
        assertTrue(generator.openLoop().unsent() > 200, "what fell due is counted: " + generator.openLoop().unsent());
    }
}
