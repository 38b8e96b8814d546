package io.otaprio.loadgen;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCP load generator against real sockets on 127.0.0.1: a port nobody listens on, and an engine that starts
 * listening only after the load has begun.
 */
class TcpLoadGeneratorTest
{
    private static final Path CONFIG = Path.of("../conf/otaprio.yaml");
    private static final PriorityPolicy POLICY = ConfigurationFile.read(CONFIG).policy();
    private static final TrafficMix MIX = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));

    @Test
    void shouldSayItCannotConnectAndEndAtTheDurationWithoutBusyingACoreWhenNothingListens() throws Exception
    {
        final int port = closedPort();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final TcpLoadGenerator generator = TcpLoadGenerator.create(new TcpLoadGenerator.Settings("127.0.0.1", port, 4,
            new OpenLoop.Settings(POLICY, MIX, LoadProfile.steady(2_000, TimeUnit.SECONDS.toNanos(1)), 1, 0,
            TimeUnit.SECONDS.toNanos(60), new PrintStream(progress, true, StandardCharsets.UTF_8))));
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        final long cpuStartNs = threads.getCurrentThreadCpuTime();
        final long startNs = System.nanoTime();
        final SimulationResult result = generator.run();
        final long wallNs = System.nanoTime() - startNs;
        final long cpuNs = threads.getCurrentThreadCpuTime() - cpuStartNs;

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(wallNs < TimeUnit.SECONDS.toNanos(3), "ends at the 1 s duration, not later: " + wallNs);
        assertTrue(wallNs >= TimeUnit.SECONDS.toNanos(1), "keeps trying until the duration: " + wallNs);
        assertTrue(cpuNs < wallNs / 4, "waits rather than spins: " + cpuNs + " ns of CPU in " + wallNs + " ns");
        assertFalse(generator.hasConnected());
        assertTrue(generator.connectFailure().contains("refused"), generator.connectFailure());
        assertEquals(1, text.split("cannot connect to 127.0.0.1:" + port + " \\(", -1).length - 1,
            "said once: " + text);
        assertTrue(text.contains("Start it with ./otaprio engine in another terminal"), text);
        assertTrue(text.contains("connections 0/4"), "the progress line shows it: " + text);
        assertEquals(0, result.offered());
        assertTrue(generator.openLoop().unsent() > 1_000, "what fell due is counted: " + generator.openLoop().unsent());
        assertEquals(0.0, result.run().drainSeconds(), 0.1, "nothing sent, nothing to wait for");
    }

    @Test
    void shouldSendWhatFellDueBeforeTheEngineListenedLateAndCountTheWait() throws Exception
    {
        final int port = closedPort();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final TcpLoadGenerator generator = TcpLoadGenerator.create(new TcpLoadGenerator.Settings("127.0.0.1", port, 2,
            new OpenLoop.Settings(POLICY, MIX, LoadProfile.steady(1_000, TimeUnit.SECONDS.toNanos(3)), 1,
            0, TimeUnit.SECONDS.toNanos(30), new PrintStream(progress, true, StandardCharsets.UTF_8))));
        final AtomicReference<Object> outcome = new AtomicReference<>();
        final Thread load = new Thread(() ->
        {
            try
            {
                outcome.set(generator.run());
            }
            catch (final Throwable t)
            {
                outcome.set(t);
            }
        }, "test-loadgen");

        // The engine starts listening only once the load has been going for 600 ms.
        load.start();
        Thread.sleep(600);
        // Small lanes and payload stores: the shipped ones (180k slots, 352 MiB) take seconds to allocate on a loaded
        // machine, and the engine must listen well within the 3-second load (this test is about the generator).
        final Engine engine = Engine.launch(ConfigurationFile.read(CONFIG)
            .ringSizes(4096, 4096, 4096, 4096)
            .payloadStoreBytes(1 << 20, 1 << 20, 1 << 20, 1 << 20)
            .gatewayListen("127.0.0.1:" + port)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .journal(null)
            .schedulerIdleStrategy(new YieldingIdleStrategy())
            .admissionIdleStrategy(new BackoffIdleStrategy()));
        try
        {
            load.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(load.isAlive(), "the generator ends after the drain");
            assertEquals(0, engine.context().gatewayCounters().errors());
        }
        finally
        {
            generator.stop();
            load.join();
            engine.close();
        }

        final String text = progress.toString(StandardCharsets.UTF_8);
        assertTrue(outcome.get() instanceof SimulationResult, String.valueOf(outcome.get()));
        final SimulationResult result = (SimulationResult)outcome.get();
        assertTrue(generator.hasConnected(), text);
        assertTrue(text.contains("cannot connect to 127.0.0.1:" + port), text);
        assertEquals(0, generator.openLoop().unsent(), text);
        assertTrue(result.offered() > 2_000, text);
        assertEquals(result.offered(), result.accepted(), text);
        assertEquals(result.offered(), result.completed(), text);
        assertEquals(result.offered(), generator.ackedIds().size());
        long maxUs = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            maxUs = Math.max(maxUs, result.run().level(level).latency().maxUs());
        }
        assertTrue(maxUs >= 400_000, "messages due while nothing listened count their wait: " + maxUs + " us");
        assertEquals(0, generator.disconnects());
    }

    private static int closedPort() throws Exception
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
