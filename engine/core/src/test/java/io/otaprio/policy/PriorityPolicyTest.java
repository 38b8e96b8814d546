package io.otaprio.policy;

import io.otaprio.config.ConfigException;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PriorityPolicyTest
{
    /**
     * Tests run with the module directory as working directory.
     */
    private static final Path SHIPPED = Path.of("../../conf/priority-policy.yaml");
    private static final String SOURCE = "test-policy.yaml";
    private static final String HEADER = "defaultLevel: 4\ntrt: {1: 1s, 2: 5s, 3: 10s, 4: 30s}\n";

    private static PriorityPolicy shipped;

    @BeforeAll
    static void loadShipped()
    {
        shipped = PriorityPolicy.load(SHIPPED);
    }

    @Test
    void shouldLoadShippedPolicyWithItsNameDefaultLevelAndBudgets()
    {
        assertEquals("default", shipped.name());
        assertFalse(shipped.isFifo());
        assertEquals(4, shipped.defaultLevel());
        assertEquals(1_000_000_000L, shipped.levelTrtNs(1));
        assertEquals(5_000_000_000L, shipped.levelTrtNs(2));
        assertEquals(10_000_000_000L, shipped.levelTrtNs(3));
        assertEquals(30_000_000_000L, shipped.levelTrtNs(4));
    }

    @ParameterizedTest(name = "srv {0} -> level {1}")
    @CsvSource({
        "2.2, 1",
        "2.5, 1",
        "7.1, 1",
        "7.4, 1",
        "8.1.1, 2",
        "8.7.2, 2",
        "8.8.1, 2",
        "8.14.1, 2",
        "4.11.1, 3",
        "4.11, 3",
        "4.1.2, 3",
        "4.18, 3",
        "7.10, 3",
        "7.16, 3",
        "4.8, 4",
        "4.8.1, 4",
        "4.17, 4",
        "5.1, 4",
        "11.1, 4",
        "14.1, 4",
        "99.1, 4",
        "200.200.200.200, 4",
    })
    void shouldClassifyAgreedSrvExamplesInShippedPolicy(final String srv, final int level)
    {
        final int code = SrvCode.parse(srv);
        final int request = shipped.classify(MessageKind.SERVICE_REQUEST, code);
        final int response = shipped.classify(MessageKind.RESPONSE, code);

        assertEquals(level, shipped.level(request), () -> shipped.describeRule(request));
        assertEquals(level, shipped.level(response), "a response shares the level of its request");
        assertEquals(level - 1, shipped.lane(request));
    }

    @Test
    void shouldClassifyListedSupplyAlertsAtLevelOneAndUnknownAlertsAtDefault()
    {
        assertEquals(1, shipped.level(shipped.classify(MessageKind.ALERT, 0x8F0F)));   // credit below disablement
        assertEquals(1, shipped.level(shipped.classify(MessageKind.ALERT, 0x8F32)));   // supply armed
        assertEquals(1, shipped.level(shipped.classify(MessageKind.ALERT, 0x8F57)));   // supply interrupted
        assertEquals(2, shipped.level(shipped.classify(MessageKind.ALERT, 0x8F69)));   // device commissioned
        assertEquals(4, shipped.level(shipped.classify(MessageKind.ALERT, 0x8F1C)));   // firmware verification failed
        assertEquals(4, shipped.level(shipped.classify(MessageKind.ALERT, 0x0001)));
        assertEquals("default alert -> level 4", shipped.describeRule(shipped.classify(MessageKind.ALERT, 0x0001)));
    }

    @Test
    void shouldNotMatchAlertRulesForServiceRequestsWithTheSameNumber()
    {
        final PriorityPolicy policy =
            PriorityPolicy.parse(HEADER + "rules:\n  - { alert: 0x0202, level: 1 }\n", SOURCE);

        assertEquals(1, policy.level(policy.classify(MessageKind.ALERT, 0x0202)));
        assertEquals(4, policy.level(policy.classify(MessageKind.SERVICE_REQUEST, 0x0202_0000)));
    }

    @Test
    void shouldLetTheMostSpecificRuleWin()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n" +
            "  - { srv: \"4.*\", level: 4 }\n" +
            "  - { srv: \"4.11.*\", level: 3 }\n" +
            "  - { srv: \"4.11\", level: 2 }\n" +
            "  - { srv: \"4.11.2\", level: 1 }\n" +
            "  - { srv: \"8.1.*\", level: 2 }\n",
            SOURCE);

        assertEquals(4, level(policy, "4"), "a prefix rule matches its own code");
        assertEquals(4, level(policy, "4.5"));
        assertEquals(2, level(policy, "4.11"), "an exact rule beats a prefix rule on the same code");
        assertEquals(3, level(policy, "4.11.1"), "a longer prefix beats a shorter one");
        assertEquals(1, level(policy, "4.11.2"));
        assertEquals(3, level(policy, "4.11.2.7"), "an exact rule does not match codes below it");
        assertEquals(2, level(policy, "8.1.1"));
        assertEquals(4, level(policy, "8.11"), "8.1.* matches by component, not by text: 8.11 is not below 8.1");
        assertEquals(4, level(policy, "5.1"));
    }

    @Test
    void shouldGiveUnmatchedAndInvalidCodesTheDefaultRuleOfTheirKindWithoutThrowing()
    {
        final int request = shipped.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("99.1"));
        final int response = shipped.classify(MessageKind.RESPONSE, SrvCode.parse("99.1"));
        final int alert = shipped.classify(MessageKind.ALERT, 0x0001);
        assertEquals("default service request -> level 4", shipped.describeRule(request));
        assertEquals("default response -> level 4", shipped.describeRule(response));
        assertNotEquals(request, alert);

        // 0 and 8.0.1 are not valid codes; 2.2 with a stray low byte would otherwise look like a child of 2.*
        assertEquals(request, shipped.classify(MessageKind.SERVICE_REQUEST, 0));
        assertEquals(request, shipped.classify(MessageKind.SERVICE_REQUEST, 0x0800_0100));
        assertEquals(request, shipped.classify(MessageKind.SERVICE_REQUEST, -1 & 0x00FF_FFFF));
        assertEquals(alert, shipped.classify(MessageKind.ALERT, 0x1_0000));
        assertEquals(alert, shipped.classify(MessageKind.ALERT, -1));
        assertEquals(request, shipped.classify(null, SrvCode.parse("99.1")));
    }

    @Test
    void shouldKeepLevelsButUseLaneZeroForEveryRuleUnderFifo()
    {
        final PriorityPolicy fifo = shipped.fifo();

        assertTrue(fifo.isFifo());
        assertEquals(PriorityPolicy.FIFO, fifo.name());
        assertSame(fifo, fifo.fifo());
        assertEquals(shipped.ruleCount(), fifo.ruleCount());
        for (int rule = 0; rule < fifo.ruleCount(); rule++)
        {
            assertEquals(0, fifo.lane(rule));
            assertEquals(shipped.level(rule), fifo.level(rule));
            assertEquals(shipped.trtNs(rule), fifo.trtNs(rule));
        }
        final int topUp = fifo.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"));
        assertEquals(1, fifo.level(topUp));
        assertEquals(0, fifo.lane(topUp));
        assertEquals(0, shipped.lane(shipped.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"))));
        assertEquals(3, shipped.lane(shipped.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("11.1"))));
    }

    @Test
    void shouldUseRuleTrtOverrideOtherwiseTheLevelBudget()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n" +
            "  - { srv: \"7.4\", level: 1, trt: 500ms }\n" +
            "  - { srv: \"7.1\", level: 1 }\n" +
            "  - { srvs: [\"7.5\", \"7.6\"], level: 3, trt: 2s }\n" +
            "  - { alert: 0x8F0F, level: 1, trt: 250 }\n",
            SOURCE);

        final int readSupplyStatus = policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("7.4"));
        assertEquals(500_000_000L, policy.trtNs(readSupplyStatus));
        assertEquals("srv 7.4 -> level 1, trt 500ms", policy.describeRule(readSupplyStatus));
        assertEquals(1_000_000_000L, policy.trtNs(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("7.1"))));
        assertEquals(2_000_000_000L, policy.trtNs(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("7.6"))));
        assertEquals(250_000_000L, policy.trtNs(policy.classify(MessageKind.ALERT, 0x8F0F)), "bare number is ms");
        assertEquals(30_000_000_000L, policy.trtNs(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("9.9"))));
        assertEquals(1_000_000_000L, policy.levelTrtNs(1));
    }

    @Test
    void shouldDescribeRulesForTablesAndLogs()
    {
        assertEquals("srv 8.7.* -> level 2",
            shipped.describeRule(shipped.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("8.7.1"))));
        assertEquals("srv 2.2 -> level 1",
            shipped.describeRule(shipped.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"))));
        assertEquals("alert 0x8F32 -> level 1", shipped.describeRule(shipped.classify(MessageKind.ALERT, 0x8F32)));
    }

    @Test
    void shouldResolveFifoSpecToTheBaselineOverTheDefaultFileAndAnyOtherSpecToAFile()
    {
        final PriorityPolicy fifo = PolicyFile.fromSpec("fifo", SHIPPED).policy();
        assertTrue(fifo.isFifo());
        assertEquals(1, fifo.level(fifo.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("2.2"))));

        final PriorityPolicy file = PolicyFile.fromSpec(SHIPPED.toString(), Path.of("unused.yaml")).policy();
        assertFalse(file.isFifo());
        assertEquals("default", file.name());
    }

    @Test
    void shouldNameThePolicyAfterTheFileWhenTheFileGivesNoName()
    {
        assertEquals("test-policy", PriorityPolicy.parse(HEADER + "rules: []\n", "conf/test-policy.yaml").name());
        assertEquals("mine", PriorityPolicy.parse("name: mine\n" + HEADER + "rules: []\n", SOURCE).name());
    }

    @Test
    void shouldAllowAnExactAndAPrefixRuleOnTheSameCode()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER +
            "rules:\n  - { srv: \"8.7\", level: 1 }\n  - { srv: \"8.7.*\", level: 2 }\n", SOURCE);

        assertEquals(1, level(policy, "8.7"));
        assertEquals(2, level(policy, "8.7.1"));
    }

    @Test
    void shouldRejectMissingFileNamingIt()
    {
        final ConfigException ex = assertThrows(
            ConfigException.class, () -> PriorityPolicy.load(Path.of("../../conf/no-such-policy.yaml")));

        assertEquals("../../conf/no-such-policy.yaml: file not found", ex.getMessage());
        assertEquals(0, ex.line());
    }

    @Test
    void shouldRejectYamlSyntaxErrorWithItsLine()
    {
        final ConfigException ex = parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 1\n  - { srv: \"2.5\" }\n");

        assertEquals(SOURCE, ex.source());
        assertTrue(ex.line() >= 4, ex.getMessage());
        assertMessage(ex, ex.line(), "malformed YAML");
    }

    @Test
    void shouldRejectUnknownLevelInRuleDefaultLevelAndTrt()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 5 }\n"), 4,
            "rules[0].level \"5\": unknown level 5: expected 1 (highest) to 4");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 0 }\n"), 4, "unknown level 0");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: high }\n"), 4, "unknown level \"high\"");
        assertMessage(parseError("defaultLevel: 7\ntrt: {1: 1s, 2: 5s, 3: 10s, 4: 30s}\nrules: []\n"), 1,
            "defaultLevel \"7\": unknown level 7");
        assertMessage(
            parseError("defaultLevel: 4\ntrt:\n  1: 1s\n  2: 5s\n  3: 10s\n  4: 30s\n  5: 60s\nrules: []\n"), 7,
            "trt.5 \"60s\": unknown level 5");
    }

    @Test
    void shouldRejectDuplicateSrvRuleNamingBothLines()
    {
        final ConfigException ex = parseError(HEADER +
            "rules:\n" +
            "  - { srv: \"2.2\", level: 1 }\n" +
            "  - { srv: \"7.1\", level: 1 }\n" +
            "  - { srvs: [\"7.5\", \"2.2\"], level: 3 }\n");

        assertMessage(ex, 6, "rules[2].srvs[1] \"2.2\": duplicate rule: srv 2.2 is already given level 1 at line 4");
        assertTrue(ex.getMessage().contains("rules[0].srv"), ex.getMessage());
    }

    @Test
    void shouldRejectDuplicatePrefixRuleAndDuplicateAlertWrittenDifferently()
    {
        assertMessage(
            parseError(HEADER + "rules:\n  - { srv: \"8.7.*\", level: 2 }\n  - { srv: \"8.7.*\", level: 3 }\n"),
            5, "duplicate rule: srv 8.7.* is already given level 2 at line 4");
        assertMessage(parseError(HEADER + "rules:\n  - { alert: 0x8F0F, level: 1 }\n  - { alert: 36623, level: 2 }\n"),
            5, "duplicate rule: alert 0x8F0F is already given level 1 at line 4");
    }

    @Test
    void shouldRejectMalformedSrvCode()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2..2\", level: 1 }\n"), 4,
            "rules[0].srv \"2..2\": malformed SRV code \"2..2\": expected 1 to 4 dot-separated numbers from 1 to 255");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.256\", level: 1 }\n"), 4, "component above 255");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"1.2.3.4.5\", level: 1 }\n"), 4, "more than 4");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"\", level: 1 }\n"), 4, "malformed SRV code");
    }

    @Test
    void shouldRejectWildcardAnywhereButAtTheEnd()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"8.*.1\", level: 1 }\n"), 4,
            "rules[0].srv \"8.*.1\": bad wildcard");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"8.7*\", level: 1 }\n"), 4, "bad wildcard");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"*\", level: 1 }\n"), 4, "use defaultLevel");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \".*\", level: 1 }\n"), 4, "malformed SRV code");
    }

    @Test
    void shouldRejectAlertCodeOutsideSixteenBits()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { alert: 0x10000, level: 1 }\n"), 4,
            "rules[0].alert \"0x10000\": alert code 0x10000 out of range: expected 0x0000 to 0xFFFF");
        assertMessage(parseError(HEADER + "rules:\n  - { alert: -1, level: 1 }\n"), 4, "out of range");
        assertMessage(parseError(HEADER + "rules:\n  - { alerts: [1, 0xZZ], level: 1 }\n"), 4,
            "rules[0].alerts[1] \"0xZZ\": malformed alert code");
    }

    @Test
    void shouldClassifyDccAlertsByTheirRulesAndRefuseMalformedCodes()
    {
        final PriorityPolicy policy = PriorityPolicy.parse(HEADER + "rules:\n" +
            "  - { dccAlerts: [N24, AD1], level: 1 }\n" +
            "  - { dccAlert: N4, level: 3, trt: 2s }\n" +
            "  - { alert: 0x8F1C, level: 2 }\n", SOURCE);
        assertEquals(1, policy.level(policy.classify(MessageKind.ALERT, AlertCode.packDccAlert("N24"))));
        assertEquals(1, policy.level(policy.classify(MessageKind.ALERT, AlertCode.packDccAlert("AD1"))));
        final int n4 = policy.classify(MessageKind.ALERT, AlertCode.packDccAlert("N4"));
        assertEquals(3, policy.level(n4));
        assertEquals("dccAlert N4 -> level 3, trt 2s", policy.describeRule(n4));
        assertEquals(2, policy.level(policy.classify(MessageKind.ALERT, 0x8F1C)));
        assertEquals(policy.defaultLevel(), policy.level(policy.classify(MessageKind.ALERT,
            AlertCode.packDccAlert("N25"))), "no rule");
        assertEquals(policy.defaultLevel(), policy.level(policy.classify(MessageKind.SERVICE_REQUEST,
            AlertCode.packDccAlert("N24"))), "a DCC alert's rule never matches another kind");

        assertMessage(parseError(HEADER + "rules:\n  - { dccAlert: n24, level: 1 }\n"), 4,
            "rules[0].dccAlert \"n24\": malformed DCC alert code \"n24\"");
        assertMessage(parseError(HEADER + "rules:\n  - { dccAlerts: [N1, N123456], level: 1 }\n"), 4,
            "rules[0].dccAlerts[1] \"N123456\": malformed DCC alert code");
        assertMessage(parseError(HEADER + "rules:\n  - { dccAlert: N1, level: 1 }\n  - { dccAlert: N1, level: 2 }\n"),
            5, "duplicate rule: dccAlert N1 is already given level 1 at line 4");
    }

    @Test
    void shouldRejectRuleWithNeitherOrBothOfSrvAndAlert()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { level: 1 }\n"), 4,
            "rules[0]: a rule needs exactly one of srv, srvs, alert, alerts, dccAlert, dccAlerts");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", alert: 5, level: 1 }\n"), 4,
            "found both srv and alert");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", srvs: [\"2.5\"], level: 1 }\n"), 4,
            "found both srv and srvs");
        assertMessage(parseError(HEADER + "rules:\n  - { srvs: [], level: 1 }\n"), 4, "rules[0].srvs: empty list");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\" }\n"), 4,
            "rules[0]: missing required key \"level\"");
    }

    @Test
    void shouldRejectUnknownKeysListingTheAllowedOnes()
    {
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", lvl: 1 }\n"), 4,
            "rules[0]: unknown key \"lvl\": expected one of " +
            "[alert, alerts, dccAlert, dccAlerts, level, srv, srvs, trt]");
        assertMessage(parseError(HEADER + "rule: []\n"), 3,
            "unknown key \"rule\": expected one of [catalogue, defaultLevel, name, rules, trt]");
    }

    @Test
    void shouldRejectMissingOrInvalidTrt()
    {
        assertMessage(parseError("defaultLevel: 4\ntrt:\n  1: 1s\n  2: 5s\n  4: 30s\nrules: []\n"), 3,
            "trt: missing TRT budget for level 3");
        assertMessage(parseError("defaultLevel: 4\ntrt: {1: 1s, 2: 0ms, 3: 10s, 4: 30s}\nrules: []\n"), 2,
            "trt.2 \"0ms\": invalid TRT budget: must be more than 0");
        assertMessage(parseError("defaultLevel: 4\ntrt: {1: soon, 2: 5s, 3: 10s, 4: 30s}\nrules: []\n"), 2,
            "trt.1 \"soon\": malformed duration");
        assertMessage(parseError("defaultLevel: 4\nrules: []\n"), 1, "missing required key \"trt\"");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 1, trt: 0s }\n"), 4,
            "rules[0].trt \"0s\": invalid TRT budget: must be more than 0");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 1, trt: -5ms }\n"), 4,
            "negative duration");
    }

    @Test
    void shouldRejectDuplicateYamlKeyWithBothLines()
    {
        assertMessage(parseError(HEADER + "defaultLevel: 3\nrules: []\n"), 3,
            "defaultLevel: duplicate key \"defaultLevel\": first defined at line 1");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: \"2.2\", level: 1, level: 2 }\n"), 4,
            "rules[0].level: duplicate key \"level\"");
    }

    @Test
    void shouldRejectWrongShapes()
    {
        assertMessage(parseError(HEADER + "rules: { srv: \"2.2\" }\n"), 3, "rules: expected a list, found a mapping");
        assertMessage(parseError(HEADER + "rules:\n  - \"2.2\"\n"), 4, "rules[0] \"2.2\": a rule is a mapping");
        assertMessage(parseError(HEADER + "rules:\n  - { srv: [\"2.2\"], level: 1 }\n"), 4,
            "rules[0].srv: expected a single value, found a list");
        assertMessage(parseError("name: fifo\n" + HEADER + "rules: []\n"), 1, "kept for the one-lane baseline");
    }

    @Test
    void shouldRejectAFileThatIsNotAPolicyNamingIt()
    {
        final ConfigException ex = assertThrows(
            ConfigException.class, () -> PriorityPolicy.load(Path.of("pom.xml")));

        assertEquals("pom.xml", ex.source());
        assertTrue(ex.getMessage().startsWith("pom.xml:"), ex.getMessage());
    }


    private static int level(final PriorityPolicy policy, final String srv)
    {
        return policy.level(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse(srv)));
    }

    private static ConfigException parseError(final String yaml)
    {
        return assertThrows(ConfigException.class, () -> PriorityPolicy.parse(yaml, SOURCE));
    }

    private static void assertMessage(final ConfigException ex, final int line, final String rule)
    {
        final String message = ex.getMessage();
        assertEquals(SOURCE, ex.source(), message);
        assertEquals(line, ex.line(), message);
        assertTrue(message.startsWith(SOURCE + ":" + line + ": "), message);
        assertTrue(message.contains(rule), () -> "expected \"" + rule + "\" in: " + message);
    }
}
