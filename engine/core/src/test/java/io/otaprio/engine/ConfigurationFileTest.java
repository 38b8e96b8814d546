package io.otaprio.engine;

import io.otaprio.config.ConfigException;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationFileTest
{
    private static final Path CONF = Path.of("../../conf");

    @Test
    void shouldLoadTheShippedConfigurationAndItsPolicy()
    {
        final EngineContext ctx = ConfigurationFile.read(CONF.resolve("otaprio.yaml"));

        assertArrayEquals(new int[]{ 8192, 8192, 32768, 131072 }, ctx.ringSizes());
        assertEquals(65_536, ctx.maxPayloadBytes());
        assertEquals(512, ctx.inlinePayloadBytes());
        assertArrayEquals(new int[]{ 16 << 20, 16 << 20, 64 << 20, 256 << 20 }, ctx.payloadStoreBytes());
        assertEquals(65_580, ctx.maxFrameBytes());
        assertInstanceOf(BusySpinIdleStrategy.class, ctx.schedulerIdleStrategy());
        assertEquals(ThreadingMode.DEDICATED, ctx.threadingMode());
        assertEquals(32, ctx.dspSlots());
        assertEquals(ServiceTimes.Distribution.EXPONENTIAL, ctx.serviceTimes().distribution());
        assertEquals(20_000_000L, ctx.serviceTimes().meanNs(MessageKind.SERVICE_REQUEST.value(),
            SrvCode.parse("11.1")));
        assertEquals(2, ctx.reservedSlots(), "the shipped file keeps two slots for the top levels");
        assertEquals(2, ctx.reservedLevels());

        final PriorityPolicy policy = ctx.policy();
        assertEquals("default", policy.name());
        assertEquals(1, policy.level(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"))));
        assertTrue(ConfigurationFile.policyOverride("fifo", CONF.resolve("otaprio.yaml")).policy().isFifo());
        assertEquals("127.0.0.1:7400", ctx.gatewayListen(), "loopback unless configured otherwise");
        assertEquals("127.0.0.1:9400", ctx.metricsListen(), "loopback unless configured otherwise");
        assertEquals(Path.of("journal-data"), ctx.journal().directory());
        assertEquals(300_000_000_000L, ctx.idleTimeoutNs());
        assertEquals(0, ConfigurationFile.parse("gateway:\n  idleTimeout: 0\n", "config.yaml", CONF)
            .idleTimeoutNs(), "0 turns it off");
        assertEquals(0, ctx.quotaTokensPerSecond(), "the quota is off unless configured");
        assertEquals(5, ctx.alertMaxPerWindow(), "the shipped file throttles alert storms");
        assertEquals(300_000_000_000L, ctx.dispatchTimeoutNs(), "a lost completion frees its slot after 5m");
        assertEquals(60_000_000_000L, ctx.alertWindowNs());
        assertEquals(100, ctx.alertGuardPerSecond(), "the shipped file guards level-1 alert storms");
        assertEquals(1000, ctx.alertGuardBurst());
        assertEquals(3, ctx.alertGuardDemoteTo());
        assertEquals(1024, ctx.alertGuardMaxCodes());
        final EngineContext guard = ConfigurationFile.parse(
            "alerts:\n  guard: { perSecond: 20, burst: 50, demoteTo: 4, maxCodes: 64 }\n", "config.yaml", CONF);
        assertEquals(20, guard.alertGuardPerSecond());
        assertEquals(50, guard.alertGuardBurst());
        assertEquals(4, guard.alertGuardDemoteTo());
        assertEquals(64, guard.alertGuardMaxCodes());
        assertEquals(0, guard.alertMaxPerWindow(), "the throttle keeps its own default");
        final EngineContext partial = ConfigurationFile.parse("alerts:\n  guard:\n    perSecond: 5\n",
            "config.yaml", CONF);
        assertEquals(5, partial.alertGuardPerSecond());
        assertEquals(Configuration.ALERT_GUARD_BURST_DEFAULT, partial.alertGuardBurst());
        assertEquals(Configuration.ALERT_GUARD_DEMOTE_TO_DEFAULT, partial.alertGuardDemoteTo());
        assertEquals(Configuration.ALERT_GUARD_MAX_CODES_DEFAULT, partial.alertGuardMaxCodes());
        final EngineContext quota = ConfigurationFile.parse(
            "quota: { levels: 1, tokensPerSecond: 20, burst: 50 }\n", "config.yaml", CONF);
        assertEquals(1, quota.quotaLevels());
        assertEquals(20, quota.quotaTokensPerSecond());
        assertEquals(50, quota.quotaBurst());
        assertEquals(ThreadingMode.SHARED,
            ConfigurationFile.parse("threading: shared\n", "config.yaml", CONF).threadingMode());
        assertEquals(Configuration.OFF,
            ConfigurationFile.parse("gateway: { listen: \"off\" }\n", "config.yaml", CONF).gatewayListen());
    }

    @Test
    void shouldKeepEveryDefaultTheFileLeavesOut()
    {
        final EngineContext fromEmptyFile = ConfigurationFile.parse("", "config.yaml", CONF);
        final EngineContext fresh = new EngineContext();
        assertArrayEquals(fresh.ringSizes(), fromEmptyFile.ringSizes());
        assertEquals(fresh.maxPayloadBytes(), fromEmptyFile.maxPayloadBytes());
        assertEquals(fresh.threadingMode(), fromEmptyFile.threadingMode());
        assertEquals(fresh.gatewayListen(), fromEmptyFile.gatewayListen());
        assertEquals(fresh.metricsListen(), fromEmptyFile.metricsListen());
        assertEquals(fresh.journal().directory(), fromEmptyFile.journal().directory());
        assertEquals(fresh.dedupWindowNs(), fromEmptyFile.dedupWindowNs());
        assertEquals(fresh.dedupMaxEntries(), fromEmptyFile.dedupMaxEntries());
        assertEquals(fresh.dispatchTimeoutNs(), fromEmptyFile.dispatchTimeoutNs());
        assertEquals(fresh.journal().checkpointIntervalNs(), fromEmptyFile.journal().checkpointIntervalNs());
        assertEquals(fresh.idleTimeoutNs(), fromEmptyFile.idleTimeoutNs());
        assertEquals(fresh.maxConnections(), fromEmptyFile.maxConnections());
        assertEquals(fresh.maxFrameBytes(), fromEmptyFile.maxFrameBytes());
        assertEquals(fresh.outboundBufferBytes(), fromEmptyFile.outboundBufferBytes());
        assertEquals(fresh.quotaTokensPerSecond(), fromEmptyFile.quotaTokensPerSecond());
        assertEquals(fresh.alertMaxPerWindow(), fromEmptyFile.alertMaxPerWindow());
        assertEquals(fresh.alertGuardPerSecond(), fromEmptyFile.alertGuardPerSecond());
        assertEquals(0, fresh.alertGuardPerSecond(), "an embedded engine has no guard unless configured");
        assertEquals(fresh.alertGuardBurst(), fromEmptyFile.alertGuardBurst());
        assertEquals(fresh.alertGuardDemoteTo(), fromEmptyFile.alertGuardDemoteTo());
        assertEquals(fresh.alertGuardMaxCodes(), fromEmptyFile.alertGuardMaxCodes());
        assertEquals(fresh.dspSlots(), fromEmptyFile.dspSlots());
        assertEquals("default", fromEmptyFile.policy().name(), "the policy file next to the configuration");
    }

    @Test
    void shouldNameLineAndRuleForEachBadValue()
    {
        assertError("rings: [8, 8, 8]\n", "config.yaml:1:", "expected 4 ring sizes");
        assertError("rings: [8, 8, 8, 12]\n", "config.yaml:1:", "power of two");
        assertError("ringz: [8, 8, 8, 8]\n", "config.yaml:1:", "ringz");
        assertError("scheduler:\n  idle: spinning\n", "config.yaml:2:", "unknown idle strategy");
        assertError("dsp:\n  slots: 0\n", "config.yaml:2:", "dsp.slots");
        assertError("dsp:\n  distribution: normal\n", "config.yaml:2:", "expected one of [fixed, exponential]");
        assertError("dsp:\n  overrides:\n    - { srv: \"2..2\", mean: 1ms }\n", "config.yaml:3:",
            "malformed SRV code");
        assertError("dsp:\n  overrides:\n    - { srv: \"2.2\", alert: 1, mean: 1ms }\n", "config.yaml:3:",
            "exactly one of srv or alert");
        assertError("maxPayloadBytes: -1\n", "config.yaml:1:", "maxPayloadBytes");
        assertError("payloadStore: [8, 8]\n", "config.yaml:1:", "expected 4 payload store sizes");
        assertError("payloadStore: [1048576, 1048576, 1048576, 1048580]\n", "config.yaml:1:", "multiple of 8");
        assertError("gateway:\n  idleTimeout: -5s\n", "config.yaml:2:", "idleTimeout");
        assertError("gateway:\n  idleTimeout: soon\n", "config.yaml:2:", "idleTimeout");
        assertError("quota:\n  levels: 3\n", "config.yaml:2:", "levels");
        assertError("alerts:\n  exclude: [0x1FFFF]\n", "config.yaml:2:", "");
        assertError("alerts:\n  guard:\n    perSecond: -1\n", "config.yaml:3:", "alerts.guard.perSecond");
        assertError("alerts:\n  guard:\n    burst: 0\n", "config.yaml:3:", "alerts.guard.burst");
        assertError("alerts:\n  guard:\n    demoteTo: 1\n", "config.yaml:3:", "alerts.guard.demoteTo");
        assertError("alerts:\n  guard:\n    demoteTo: 5\n", "config.yaml:3:", "alerts.guard.demoteTo");
        assertError("alerts:\n  guard:\n    maxCodes: 0\n", "config.yaml:3:", "alerts.guard.maxCodes");
        assertError("alerts:\n  guard:\n    rate: 100\n", "config.yaml:3:", "rate");
        assertError("alerts:\n  guard: 100\n", "config.yaml:2:", "alerts.guard");
        assertError("threading: invoker\n", "config.yaml:1:", "expected dedicated or shared");
        assertError("shared:\n  idle: spinning\n", "config.yaml:2:", "unknown idle strategy");
        assertError("admin:\n  insecure: maybe\n", "config.yaml:2:", "insecure");
        assertError("metrics:\n  listen: 127.0.0.1:9400\n  tls: on\n", "config.yaml:3:", "tls");
    }

    @Test
    void shouldReadTheReservationOfTheProtectedFastLane()
    {
        final EngineContext reserved = ConfigurationFile.parse(
            "dsp:\n  slots: 8\n  reserved:\n    slots: 3\n    levels: 1\n", "config.yaml", CONF);
        assertEquals(3, reserved.reservedSlots());
        assertEquals(1, reserved.reservedLevels());
        final EngineContext upToK = ConfigurationFile.parse(
            "dsp:\n  slots: 8\n  reserved: { slots: 7, levels: 3 }\n", "config.yaml", CONF);
        assertEquals(7, upToK.reservedSlots(), "all but one slot");
        assertEquals(3, upToK.reservedLevels());
        final EngineContext levelsOnly = ConfigurationFile.parse("dsp:\n  reserved: { levels: 1 }\n",
            "config.yaml", CONF);
        assertEquals(Configuration.DSP_RESERVED_SLOTS_DEFAULT, levelsOnly.reservedSlots());
        final EngineContext none = ConfigurationFile.parse("dsp:\n  slots: 8\n", "config.yaml", CONF);
        assertEquals(0, none.reservedSlots(), "none unless configured");
        assertEquals(Configuration.DSP_RESERVED_LEVELS_DEFAULT, none.reservedLevels());
    }

    @Test
    void shouldNameLineAndRuleForEachBadReservation()
    {
        assertError("dsp:\n  slots: 8\n  reserved:\n    slots: 8\n", "config.yaml:4: dsp.reserved.slots",
            "must be less than dsp.slots (8): the reserved slots are part of the K, and levels 3 to 4 need at " +
            "least one");
        assertError("dsp:\n  reserved: { slots: 32, levels: 1 }\n", "config.yaml:2: dsp.reserved.slots",
            "must be less than dsp.slots (32)");
        assertError("dsp:\n  reserved:\n    slots: -1\n", "config.yaml:3: dsp.reserved.slots",
            "out of range: expected an integer from 0 to");
        assertError("dsp:\n  reserved:\n    slots: some\n", "config.yaml:3: dsp.reserved.slots", "not an integer");
        assertError("dsp:\n  reserved:\n    levels: 4\n", "config.yaml:3: dsp.reserved.levels",
            "out of range: expected an integer from 1 to 3");
        assertError("dsp:\n  reserved:\n    levels: 0\n", "config.yaml:3: dsp.reserved.levels",
            "out of range: expected an integer from 1 to 3");
        assertError("dsp:\n  reserved:\n    lanes: 2\n", "config.yaml:3:", "lanes");
        assertError("dsp:\n  reserved: 4\n", "config.yaml:2: dsp.reserved", "expected a mapping");
    }

    @Test
    void shouldRefuseToStartWhenThePolicyFileIsMissing()
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> ConfigurationFile.parse("policy: nowhere.yaml\n", "config.yaml", CONF));
        assertTrue(ex.getMessage().contains("nowhere.yaml"), ex.getMessage());
        assertTrue(ex.getMessage().contains("not found"), ex.getMessage());
    }

    private static void assertError(final String yaml, final String where, final String rule)
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> ConfigurationFile.parse(yaml, "config.yaml", CONF));
        assertTrue(ex.getMessage().startsWith(where), ex.getMessage());
        assertTrue(ex.getMessage().contains(rule), ex.getMessage());
    }
}
