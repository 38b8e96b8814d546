package io.otaprio.engine;

import io.otaprio.config.ConfigException;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigTest
{
    private static final Path CONF = Path.of("../../conf");

    @Test
    void shouldLoadTheShippedConfigurationAndItsPolicy()
    {
        final EngineConfig config = EngineConfig.load(CONF.resolve("otaprio.yaml"));

        assertArrayEquals(new int[]{ 8192, 8192, 32768, 131072 }, config.ringSizes());
        assertEquals(512, config.maxPayloadBytes());
        assertEquals("busy-spin", config.schedulerIdle());
        assertEquals(32, config.dspSlots());
        assertEquals(ServiceTimes.Distribution.EXPONENTIAL, config.serviceTimes().distribution());
        assertEquals(20_000_000L, config.serviceTimes().meanNs(MessageKind.SERVICE_REQUEST.value(),
            SrvCode.parse("11.1")));

        final PriorityPolicy policy = config.loadPolicy(null);
        assertEquals("default", policy.name());
        assertEquals(1, policy.level(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"))));
        assertTrue(config.loadPolicy("fifo").isFifo());
        assertEquals("127.0.0.1", config.gateway().host(), "loopback unless configured otherwise");
        assertEquals(300_000_000_000L, config.gateway().idleTimeoutNs());
        assertEquals(0, EngineConfig.parse("gateway:\n  idleTimeout: 0\n", "config.yaml", CONF).gateway()
            .idleTimeoutNs(), "0 turns it off");
        assertEquals(0, config.quota().tokensPerSecond(), "the quota is off unless configured");
        assertEquals(5, config.alerts().maxPerWindow(), "the shipped file throttles alert storms");
        assertEquals(300_000_000_000L, config.dispatchTimeoutNs(), "a lost completion frees its slot after 5m");
        assertEquals(60_000_000_000L, config.alerts().windowNs());
        final EngineConfig.QuotaSettings quota = EngineConfig.parse(
            "quota: { levels: 1, tokensPerSecond: 20, burst: 50 }\n", "config.yaml", CONF).quota();
        assertEquals(1, quota.levels());
        assertEquals(20, quota.tokensPerSecond());
        assertEquals(50, quota.burst());
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
        assertError("gateway:\n  idleTimeout: -5s\n", "config.yaml:2:", "idleTimeout");
        assertError("gateway:\n  idleTimeout: soon\n", "config.yaml:2:", "idleTimeout");
        assertError("quota:\n  levels: 3\n", "config.yaml:2:", "levels");
        assertError("alerts:\n  exclude: [0x1FFFF]\n", "config.yaml:2:", "");
    }

    @Test
    void shouldRefuseToStartWhenThePolicyFileIsMissing()
    {
        final EngineConfig config = EngineConfig.parse("policy: nowhere.yaml\n", "config.yaml", CONF);
        final ConfigException ex = assertThrows(ConfigException.class, () -> config.loadPolicy(null));
        assertTrue(ex.getMessage().contains("nowhere.yaml"), ex.getMessage());
        assertTrue(ex.getMessage().contains("not found"), ex.getMessage());
    }

    private static void assertError(final String yaml, final String where, final String rule)
    {
        final ConfigException ex = assertThrows(ConfigException.class,
            () -> EngineConfig.parse(yaml, "config.yaml", CONF));
        assertTrue(ex.getMessage().startsWith(where), ex.getMessage());
        assertTrue(ex.getMessage().contains(rule), ex.getMessage());
    }
}
