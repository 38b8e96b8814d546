package io.otaprio.loadgen;

import io.otaprio.config.ConfigException;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.AlertCode;
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
        final double[] drawn = drawnShares(mix);
        assertEquals(0.1, drawn[0], 0.01);
        assertEquals(0.3, drawn[1], 0.01);
        assertEquals(0.6, drawn[2], 0.01);
        assertEquals(new TrafficMix.Type(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"), 64, "srv 2.2"),
            mix.type(0));
        assertEquals(new TrafficMix.Type(MessageKind.SERVICE_REQUEST, SrvCode.parse("4.8.1"), 96, "srv 4.8.1"),
            mix.type(1));
        assertEquals(new TrafficMix.Type(MessageKind.ALERT, 0x8F0F, 64, "alert 0x8F0F"), mix.type(2));
        assertEquals(96, mix.maxPayloadBytes());
    }

    @Test
    void shouldDrawOneSrvAtAnotherShareKeepingTheRestInProportion()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"2.2\", weight: 1 }",
            "  - { srv: \"11.1\", weight: 1 }",
            "  - { srv: \"11.1\", weight: 1, executeIn: 10m }",
            "  - { srv: \"4.8.1\", weight: 7 }",
            ""), "mix.yaml");
        final TrafficMix campaign = mix.withShare(MessageKind.SERVICE_REQUEST, SrvCode.parse("11.1"), 0.5, "SRV 11.1");
        assertEquals("mix.yaml, SRV 11.1 at 50.0%", campaign.source());
        final double[] drawn = drawnShares(campaign);
        assertEquals(0.25, drawn[1], 0.01, "both 11.1 entries, as they were to each other");
        assertEquals(0.25, drawn[2], 0.01);
        assertEquals(0.5 / 8, drawn[0], 0.01, "the rest scaled from 0.8 to 0.5 of the draws");
        assertEquals(0.5 * 7 / 8, drawn[3], 0.01);
        assertEquals(mix.type(3), campaign.type(3));

        final IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
            () -> mix.withShare(MessageKind.SERVICE_REQUEST, SrvCode.parse("11.3"), 0.5, "SRV 11.3"));
        assertEquals("the mix mix.yaml has no SRV 11.3 to draw at another share", none.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> mix.withShare(MessageKind.SERVICE_REQUEST, SrvCode.parse("11.1"), 1, "SRV 11.1"));
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
        assertTrue(both.getMessage().contains("exactly one of srv, alert or dccAlert"), both.getMessage());

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

    @Test
    void shouldReadResponsesCriticalPairsFutureDatedRequestsAndDccAlerts()
    {
        final TrafficMix mix = TrafficMix.parse(String.join("\n",
            "messages:",
            "  - { srv: \"7.2\", secondStepAfter: 2s, weight: 1, payloadBytes: 1800 }",
            "  - { srv: \"4.6.1\", executeIn: 10m, weight: 1 }",
            "  - { srv: \"7.2\", kind: response, weight: 1 }",
            "  - { dccAlert: \"N24\", weight: 1 }",
            ""), "mix.yaml");
        assertTrue(mix.type(0).isTwoStep());
        assertEquals(2_000_000_000L, mix.type(0).secondStepAfterNs());
        assertEquals("srv 7.2 critical", mix.type(0).label());
        assertEquals(600_000_000_000L, mix.type(1).executeInNs());
        assertTrue(mix.type(1).isFutureDated());
        assertEquals(MessageKind.RESPONSE, mix.type(2).kind());
        assertEquals(0, mix.answers(2), "a response answers the requests of its SRV");
        assertEquals(-1, mix.answers(0));
        assertEquals(new TrafficMix.Type(MessageKind.ALERT, AlertCode.packDccAlert("N24"), 64,
            "alert N24"), mix.type(3));
        assertEquals(0.25, mix.twoStepShare(), 1e-9);

        assertTrue(TrafficMix.load(CONF.resolve("duis-mix.yaml")).twoStepShare() > 0, "the shipped DUIS mix");
    }

    @Test
    void shouldRefuseTheNewShapesWhereTheyDoNotApply()
    {
        assertRefused("  - { srv: \"2.2\", kind: response, secondStepAfter: 1s, weight: 1 }",
            "secondStepAfter and executeIn are for service requests, not responses");
        assertRefused("  - { alert: 0x8F35, executeIn: 1m, weight: 1 }",
            "an alert entry takes no kind, secondStepAfter or executeIn");
        assertRefused("  - { dccAlert: \"n-24\", weight: 1 }", "a DCC alert code is 1 to 5 characters of 0-9 and A-Z");
        assertRefused("  - { dccAlert: \"N24\", alert: 0x8F35, weight: 1 }",
            "give exactly one of srv, alert or dccAlert");
        assertRefused("  - { srv: \"7.2\", secondStepAfter: 0s, weight: 1 }", "secondStepAfter");
        assertRefused("  - { srv: \"4.6.1\", executeIn: soon, weight: 1 }", "executeIn");
    }

    private static void assertRefused(final String entry, final String expected)
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> TrafficMix.parse(
            "messages:\n" + entry + "\n", "mix.yaml"));
        assertTrue(ex.getMessage().startsWith("mix.yaml:2:"), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    /** @return the share of 100,000 seeded draws that fell on each type. */
    private static double[] drawnShares(final TrafficMix mix)
    {
        final SplittableRandom random = new SplittableRandom(1);
        final double[] shares = new double[mix.size()];
        final int n = 100_000;
        for (int i = 0; i < n; i++)
        {
            shares[mix.sample(random)] += 1.0 / n;
        }
        return shares;
    }
}
