package io.otaprio.engine;

import io.otaprio.config.HostPort;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One context, its defaults from {@link Configuration}, and a conclusion that refuses a bad value naming the setting
 * and the value before anything is opened.
 */
class EngineContextTest
{
    @Test
    void shouldStartFromTheConfigurationDefaults()
    {
        final EngineContext ctx = new EngineContext();
        assertArrayEquals(Configuration.ringSizesDefault(), ctx.ringSizes());
        assertEquals(Configuration.GATEWAY_LISTEN_DEFAULT, ctx.gatewayListen());
        assertEquals("127.0.0.1:7400", ctx.gatewayListen(), "loopback unless told otherwise");
        assertEquals("127.0.0.1:9400", ctx.metricsListen());
        assertEquals(256, ctx.maxConnections());
        assertEquals(65_580, ctx.maxFrameBytes(), "a Submit of 65534 payload bytes, the wire's largest");
        assertEquals(128 * 1024, ctx.readBufferBytes());
        assertEquals(64 * 1024, ctx.maxPayloadBytes());
        assertEquals(512, ctx.inlinePayloadBytes());
        assertEquals(256 * 1024, ctx.outboundBufferBytes());
        assertEquals(ThreadingMode.DEDICATED, ctx.threadingMode());
        assertEquals(Configuration.DEDUP_MAX_ENTRIES_DEFAULT, ctx.dedupMaxEntries());
        assertEquals(Configuration.JOURNAL_DIR_DEFAULT, ctx.journal().directory().toString());

        final int[] sizes = Configuration.ringSizesDefault();
        sizes[0] = 2;
        assertEquals(Configuration.RING_SIZE_LEVEL_1_DEFAULT, Configuration.ringSizesDefault()[0],
            "the defaults cannot be changed through the array a caller got");
    }

    @Test
    void shouldConcludeOnceFillingWhatIsLeftOpenWithNoOpPartsForWhatIsOff()
    {
        final EngineContext ctx = TestEngines.context().conclude();
        assertSame(ctx, ctx.conclude(), "conclude runs once");
        assertNotNull(ctx.clock());
        assertNotNull(ctx.errorHandler());
        assertNotNull(ctx.schedulerIdleStrategy());
        assertNotNull(ctx.admissionIdleStrategy());
        assertNotNull(ctx.sharedIdleStrategy());
        assertNotNull(ctx.dispatcher(), "the simulated DSP by default");
        assertSame(io.otaprio.admission.ResendDetection.NONE, ctx.resendDetection());
        assertSame(io.otaprio.admission.OriginatorQuota.NONE, ctx.originatorQuota());
        assertSame(io.otaprio.admission.AlertThrottle.NONE, ctx.alertThrottle());
        assertSame(io.otaprio.admission.LevelOneAlertGuard.NONE, ctx.levelOneAlertGuard());
        assertEquals(0, ctx.recovered().pendingCount(), "no journal: nothing to recover");
        assertTrue(ctx.replayFeeder().isDone());
        assertNull(ctx.gateway(), "the gateway is off");
        assertTrue(ctx.transports().isEmpty());
        ctx.close();
    }

    @Test
    void shouldNameTheSettingAndValueAtFault()
    {
        assertMessage(c -> c.gatewayListen("127.0.0.1:70000"), "gateway listen", "70000");
        assertMessage(c -> c.gatewayListen("127.0.0.1:0").maxConnections(0), "maxConnections", "0");
        assertMessage(c -> c.gatewayListen("127.0.0.1:0").maxFrameBytes(10), "maxFrameBytes", "10");
        assertMessage(c -> c.gatewayListen("127.0.0.1:0").maxFrameBytes(8192).readBufferBytes(4096),
            "readBufferBytes", "4096");
        assertMessage(c -> c.gatewayListen("127.0.0.1:0").outboundBufferBytes(16), "outboundBufferBytes", "16");
        assertMessage(c -> c.gatewayListen("127.0.0.1:0").socketSendBufferBytes(-1), "socketSendBufferBytes", "-1");
        assertMessage(c -> c.gatewayListen(" :7400"), "gateway listen", "");
        assertMessage(c -> c.metricsListen("nowhere"), "metrics listen", "nowhere");
        assertMessage(c -> c.ringSizes(8, 8, 8), "ringSizes", "[8, 8, 8]");
        assertMessage(c -> c.ringSizes(8, 8, 8, 12), "ring size of level 4", "12");
        assertMessage(c -> c.maxPayloadBytes(-1), "maxPayloadBytes", "-1");
        assertMessage(c -> c.maxPayloadBytes(65_537), "maxPayloadBytes", "65537");
        assertMessage(c -> c.inlinePayloadBytes(-1), "inlinePayloadBytes", "-1");
        assertMessage(c -> c.payloadStoreBytes(1 << 20, 1 << 20, 1 << 20), "payloadStore", "[1048576, 1048576");
        assertMessage(c -> c.payloadStoreBytes(1 << 20, 1 << 20, 1 << 20, 65_592), "payload store of level 4",
            "65592");
        assertMessage(c -> c.payloadStoreBytes(1 << 20, 1 << 20, (1 << 20) + 4, 1 << 20), "multiple of 8",
            "1048580");
        assertMessage(c -> c.dedup(-1, 8), "dedupWindowNs", "-1");
        assertMessage(c -> c.dispatchTimeoutNs(-5), "dispatchTimeoutNs", "-5");
        assertMessage(c -> c.quota(2, -1, 0, 8), "tokensPerSecond", "-1");
        assertMessage(c -> c.alertGuard(-1, 1000, 3, 8), "alerts guard perSecond", "-1");
        assertMessage(c -> c.alertGuard(100, 0, 3, 8), "alerts guard burst", "0");
        assertMessage(c -> c.alertGuard(100, 1000, 1, 8), "alerts guard demoteTo must be 2..4", "1");
        assertMessage(c -> c.alertGuard(100, 1000, 3, 0), "alerts guard maxCodes", "0");
        assertMessage(c -> c.completionRelayCapacity(0), "completionRelayCapacity", "0");
        assertMessage(c -> c.reservedSlots(32, 2), "dsp reserved slots must be 0..31 (fewer than the dispatcher's 32 " +
            "slots)", "got 32");
        assertMessage(c -> c.reservedSlots(-1, 2), "dsp reserved slots", "got -1");
        assertMessage(c -> c.dispatcher(new ManualDispatcher(4)).reservedSlots(4, 2), "dispatcher's 4 slots", "got 4");
        assertMessage(c -> c.reservedSlots(1, 4), "dsp reserved levels must be 1..3", "got 4");
        assertMessage(c -> c.reservedSlots(1, 0), "dsp reserved levels must be 1..3", "got 0");
        assertMessage(c -> c.policy(null), "policy", "");
        assertMessage(c -> c.policy(TestPolicies.fourLevels()).threadingMode(null), "threadingMode", "null");
    }

    @Test
    void shouldRefuseAListenerBeyondLoopbackWithoutTlsUnlessTheConfigurationSaysInsecure()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TestEngines.context().metricsListen("0.0.0.0:0").conclude());
        assertEquals("engine: metrics.listen 0.0.0.0:0 is not a loopback address and metrics has no TLS: anyone " +
            "who can reach it could read the engine's figures, originator and device ids included. Bind it to " +
            "127.0.0.1 (--metrics 127.0.0.1:PORT), or set metrics.insecure: true in the configuration to accept " +
            "that (warned at every start)", ex.getMessage());
        for (final Listener listener : Listener.values())
        {
            assertFalse(new EngineContext().insecure(listener), "refused unless configured: " + listener);
        }
        assertMessage(c -> c.gatewayListen("0.0.0.0:0"), "gateway.listen 0.0.0.0:0", "--listen 127.0.0.1:PORT");
        assertMessage(c -> c.gatewayListen("0.0.0.0:0"), "gateway has no TLS (no tls: section)",
            "configure tls: and clients:, or set gateway.insecure: true");
        assertMessage(c -> c.adminListen("[::]:0"), "admin.listen [::]:0", "reload the engine's priority policy");

        try (Engine engine = Engine.launch(TestEngines.context().metricsListen("0.0.0.0:0")
            .insecure(Listener.METRICS, true)))
        {
            assertTrue(engine.metricsEndpoint().port() > 0, "insecure: true lets it bind, with a warning");
        }
        assertTrue(HostPort.parse("localhost:1", 0).isLoopback());
        assertTrue(HostPort.parse("127.0.0.2:1", 0).isLoopback());
        assertFalse(HostPort.parse("0.0.0.0:1", 0).isLoopback());
    }

    private static void assertMessage(
        final UnaryOperator<EngineContext> setting, final String name, final String value)
    {
        final EngineContext ctx = setting.apply(TestEngines.context());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, ctx::conclude);
        assertTrue(ex.getMessage().contains(name) && ex.getMessage().contains(value), ex.getMessage());
    }
}
