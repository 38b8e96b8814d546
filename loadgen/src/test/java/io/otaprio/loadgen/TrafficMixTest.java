package io.otaprio.loadgen;

import io.otaprio.config.ConfigException;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrafficMixTest
{
    private static final Path CONF = Path.of("../conf");

    @Test
    void shouldShipAMixThatIsMostlyLevelFourWithAFewPercentLevelOne()
    {
        final TrafficMix mix = TrafficMix.load(CONF.resolve("traffic-mix.yaml"));
        final PriorityPolicy policy = PriorityPolicy.load(CONF.resolve("priority-policy.yaml"));
        final double[] shares = mix.levelShares(policy);

        assertEquals(1.0, shares[1] + shares[2] + shares[3] + shares[4], 1e-9);
        assertTrue(shares[1] > 0.02 && shares[1] < 0.10, "level 1 share " + shares[1]);
        assertTrue(shares[2] > 0.02 && shares[2] < 0.15, "level 2 share " + shares[2]);
        assertTrue(shares[3] > 0.05 && shares[3] < 0.25, "level 3 share " + shares[3]);
        assertTrue(shares[4] > 0.6, "level 4 share " + shares[4]);
    }

    @Test
    void shouldSampleEachTypeInProportionToItsWeight()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"2.2\", weight: 1 }",
            "  - { srv: \"4.8.1\", weight: 3, payloadBytes: 96 }",
            "  - { alert: 0x8F0F, weight: 6 }",
            ""), "mix.yaml");
        final SplittableRandom random = new SplittableRandom(1);
        final int[] counts = new int[mix.size()];
        final int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            counts[mix.sample(random)]++;
        }
        assertEquals(0.1, counts[0] / (double)n, 0.01);
        assertEquals(0.3, counts[1] / (double)n, 0.01);
        assertEquals(0.6, counts[2] / (double)n, 0.01);
        assertEquals(new TrafficMix.Type(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"), 64, "srv 2.2"),
            mix.type(0));
        assertEquals(new TrafficMix.Type(MessageKind.SERVICE_REQUEST, SrvCode.parse("4.8.1"), 96, "srv 4.8.1"),
            mix.type(1));
        assertEquals(new TrafficMix.Type(MessageKind.ALERT, 0x8F0F, 64, "alert 0x8F0F"), mix.type(2));
        assertEquals(96, mix.maxPayloadBytes());
    }

    @Test
    void shouldNameFileLineAndRuleOfABadEntry()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"2.2\", weight: 1 }",
            "  - { srv: \"2..2\", weight: 1 }",
            ""), "mix.yaml"));
        assertTrue(ex.getMessage().startsWith("mix.yaml:3:"), ex.getMessage());
        assertTrue(ex.getMessage().contains("malformed SRV code"), ex.getMessage());

        final ConfigException noWeight = assertThrows(ConfigException.class, () -> TrafficMix.parse(
            "messages:\n  - { srv: \"2.2\", weight: 0 }\n", "mix.yaml"));
        assertTrue(noWeight.getMessage().contains("weight must be > 0"), noWeight.getMessage());

        final ConfigException both = assertThrows(ConfigException.class, () -> TrafficMix.parse(
            "messages:\n  - { srv: \"2.2\", alert: 1, weight: 1 }\n", "mix.yaml"));
        assertTrue(both.getMessage().contains("exactly one of srv or alert"), both.getMessage());

        final ConfigException tooLarge = assertThrows(ConfigException.class, () -> TrafficMix.parse(
            "messages:\n  - { srv: \"2.2\", weight: 1, payloadBytes: 65537 }\n", "mix.yaml"));
        assertTrue(tooLarge.getMessage().contains("payloadBytes"), tooLarge.getMessage());
    }

    @Test
    void shouldTakePayloadsUpToSixtyFourKibibytes()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"2.2\", weight: 1, payloadBytes: 1600 }",
            "  - { srv: \"6.15.1\", weight: 1, payloadBytes: 27000 }",
            "  - { srv: \"8.1.1\", weight: 1, payloadBytes: 65536 }",
            ""), "mix.yaml");
        assertEquals(65_536, mix.maxPayloadBytes());
    }
}
