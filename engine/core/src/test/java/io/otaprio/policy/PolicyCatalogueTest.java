package io.otaprio.policy;

import io.otaprio.config.ConfigException;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A policy checked against an SRV catalogue: unknown SRVs refused, defaulted SRVs named, rules traced to their lines.
 */
class PolicyCatalogueTest
{
    private static final String SOURCE = "test-policy.yaml";
    private static final String HEADER = "defaultLevel: 4\ntrt: {1: 1s, 2: 5s, 3: 10s, 4: 30s}\n";
    private static final String CATALOGUE = String.join("\n",
        "duisVersion: test matrix",
        "srvs:",
        "  - { srv: \"2.2\", name: Top Up Device, critical: false, nonDevice: false, futureDated: no }",
        "  - { srv: \"4.4.2\", name: Retrieve Billing Data Log, critical: false, nonDevice: false, futureDated: dsp }",
        "  - { srv: \"4.6.1\", name: Retrieve Import Daily Read Log, critical: false, nonDevice: false, " +
            "futureDated: dsp }",
        "  - { srv: \"8.7.1\", name: Join Service (Critical), critical: true, nonDevice: false, futureDated: no }",
        "  - { srv: \"8.7.2\", name: Join Service (Non-Critical), critical: false, nonDevice: false, " +
            "futureDated: no }",
        "");

    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler handler = new Handler()
    {
        public void publish(final LogRecord record)
        {
            if (record.getLevel().intValue() >= Level.WARNING.intValue())
            {
                warnings.add(record);
            }
        }

        public void flush()
        {
        }

        public void close()
        {
        }
    };
    private final Logger logger = Logger.getLogger(PriorityPolicy.class.getName());
    private final SrvCatalogue catalogue = SrvCatalogue.parse(CATALOGUE, "test-srvs.yaml");

    @BeforeEach
    void listen()
    {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening()
    {
        logger.removeHandler(handler);
    }

    @Test
    void shouldRefuseAnExactRuleForAnSrvTheCatalogueDoesNotListNamingTheNearest()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> PriorityPolicy.parse(HEADER +
            "rules:\n  - { srv: \"2.2\", level: 1 }\n  - { srv: \"8.7.3\", level: 2 }\n", SOURCE, catalogue));

        assertEquals(5, ex.line());
        assertEquals("test-policy.yaml:5: rules[1].srv \"8.7.3\": rule srv 8.7.3 -> level 2 matches no SRV of the " +
            "catalogue test-srvs.yaml (test matrix); nearest: 8.7.2, 8.7.1, 4.4.2", ex.getMessage());
    }

    @Test
    void shouldRefuseAPrefixRuleThatMatchesNoSrv()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> PriorityPolicy.parse(HEADER +
            "rules:\n  - { srvs: [\"4.4.*\", \"4.5.*\", \"4.6.*\"], level: 4 }\n", SOURCE, catalogue));

        assertEquals("test-policy.yaml:4: rules[0].srvs[1] \"4.5.*\": rule srv 4.5.* -> level 4 matches no SRV of " +
            "the catalogue test-srvs.yaml (test matrix); nearest: 4.4.2, 4.6.1, 2.2", ex.getMessage());
    }

    @Test
    void shouldWarnOncePerCatalogueSrvThatFallsToTheDefaultLevel()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n  - { srv: \"2.2\", level: 1 }\n  - { srv: \"8.7.*\", level: 2 }\n", SOURCE, catalogue);

        assertSame(catalogue, policy.catalogue());
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals("test-policy.yaml: SRV 4.4.2 Retrieve Billing Data Log matches no rule: it falls to " +
            "defaultLevel 4 (catalogue test-srvs.yaml)", warnings.get(0).getMessage());
        assertTrue(warnings.get(1).getMessage().contains("SRV 4.6.1 Retrieve Import Daily Read Log"));
    }

    @Test
    void shouldNotCheckOrWarnWithoutACatalogue()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER + "rules:\n  - { srv: \"8.7.3\", level: 2 }\n",
            SOURCE);

        assertFalse(policy.catalogue().isGiven());
        assertEquals(2, policy.level(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("8.7.3"))));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void shouldRememberWhereEachRuleIsWritten()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n  - { srv: \"2.2\", level: 1 }\n  - level: 2\n    srvs:\n      - \"8.7.1\"\n      - \"8.7.2\"\n",
            SOURCE, catalogue);

        assertEquals("test-policy.yaml:4", policy.ruleSource(rule(policy, "2.2")));
        assertEquals("test-policy.yaml:8", policy.ruleSource(rule(policy, "8.7.2")));
        assertEquals("default", policy.ruleSource(rule(policy, "4.6.1")));
        assertTrue(policy.isDefault(rule(policy, "4.6.1")));
        assertFalse(policy.isDefault(rule(policy, "2.2")));
        assertEquals("test-policy.yaml:4", policy.fifo().ruleSource(rule(policy, "2.2")));
    }

    @Test
    void shouldLoadTheCatalogueThePolicyFileNamesRelativeToItself(@TempDir final Path dir) throws IOException
    {
        Files.writeString(dir.resolve("srvs.yaml"), CATALOGUE);
        final Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "catalogue: srvs.yaml\n" + HEADER + "rules:\n  - { srv: \"2.2\", level: 1 }\n");

        final PriorityPolicy policy = PriorityPolicy.load(file);
        assertEquals(5, policy.catalogue().srvs().size());
        assertEquals(4, warnings.size(), "every SRV but 2.2 falls to the default");

        Files.writeString(file, "catalogue: srvs.yaml\n" + HEADER + "rules:\n  - { srv: \"9.9\", level: 1 }\n");
        final ConfigException unknown = assertThrows(ConfigException.class, () -> PriorityPolicy.load(file));
        assertEquals(5, unknown.line());
        assertTrue(unknown.getMessage().contains("matches no SRV of the catalogue"), unknown.getMessage());

        Files.writeString(file, "catalogue: missing.yaml\n" + HEADER + "rules: []\n");
        final ConfigException missing = assertThrows(ConfigException.class, () -> PriorityPolicy.load(file));
        assertTrue(missing.getMessage().startsWith(file + ":1: catalogue \"missing.yaml\": cannot load the SRV " +
            "catalogue: " + dir.resolve("missing.yaml") + ": file not found"), missing.getMessage());
    }

    @Test
    void shouldListTheAlertCodesItsRulesName()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n  - { alerts: [0x8F57, 0x8F0F], level: 1 }\n  - { dccAlert: N24, level: 2 }\n", SOURCE);

        final int[] alerts = policy.namedAlerts();
        assertEquals(3, alerts.length);
        assertEquals(0x8F0F, alerts[0]);
        assertEquals(0x8F57, alerts[1]);
        assertEquals(io.otaprio.protocol.AlertCode.packDccAlert("N24"), alerts[2]);
    }

    private static int rule(final PriorityPolicy policy, final String srv)
    {
        return policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse(srv));
    }
}
