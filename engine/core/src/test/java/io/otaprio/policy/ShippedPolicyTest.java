package io.otaprio.policy;

import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decisions of the shipped policy, as its file argues them, checked against the shipped SRV catalogue.
 */
class ShippedPolicyTest
{
    private static final Path POLICY_FILE = Path.of("../../conf/priority-policy.yaml");
    private static final Pattern RULE_LINE = Pattern.compile("^\\s*- \\{ srvs?: .*level: \\d");

    private static PriorityPolicy policy;
    private static SrvCatalogue catalogue;

    @BeforeAll
    static void load()
    {
        policy = PriorityPolicy.load(POLICY_FILE);
        catalogue = policy.catalogue();
    }

    @Test
    void shouldBeCheckedAgainstTheShippedCatalogueOfAllSrvs()
    {
        assertTrue(catalogue.isGiven());
        assertEquals(Path.of("../../conf/duis-srvs.yaml").toString(), catalogue.source());
        assertEquals(129, catalogue.srvs().size());
    }

    @Test
    void shouldPlaceEveryCatalogueSrvByARuleAsTheFileSays() throws IOException
    {
        final List<String> defaulted = catalogue.srvs().stream()
            .filter(srv -> policy.isDefault(policy.classify(MessageKind.SERVICE_REQUEST, srv.code())))
            .map(SrvCatalogue.Srv::text)
            .toList();

        assertEquals(List.of(), defaulted);
        assertTrue(Files.readString(POLICY_FILE).contains("0 fall to defaultLevel"), "the header says how many");
    }

    @Test
    void shouldGiveEveryRuleAReason() throws IOException
    {
        final List<String> lines = Files.readAllLines(POLICY_FILE);
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (RULE_LINE.matcher(line).find())
            {
                final boolean commented = line.contains("#") || lines.get(i - 1).trim().startsWith("#");
                assertTrue(commented, "line " + (i + 1) + " has no reason: " + line);
            }
        }
        final Matcher version = Pattern.compile("duisVersion: \"([^\"]+)\"").matcher(
            Files.readString(Path.of("../../conf/duis-srvs.yaml")));
        assertTrue(version.find());
        assertTrue(Files.readString(POLICY_FILE).contains("129 SRVs of the DUIS Service Request matrix"));
    }

    @ParameterizedTest(name = "srv {0} -> level {1}: {2}")
    @CsvSource({
        "6.15.1, 4, the working group decided not to prioritise 6.15",
        "6.15.2, 4, the working group decided not to prioritise 6.15",
        "9.1, 3, Request Customer Identification Number: a consumer waits at the display",
        "12.1, 3, Request WAN Matrix: its label was swapped with 9.1",
        "7.2, 1, Disable Supply: the named safety exception to criterion 1",
        "6.7, 3, Gas Flow: the setting behind a level-1 alert is an indirect impact on supply",
        "6.14.1, 3, auxiliary load schedulers agree with the auxiliary load switches",
        "6.14.2, 3, auxiliary load schedulers agree with the auxiliary load switches",
        "6.14.3, 3, auxiliary load schedulers agree with the auxiliary load switches",
        "7.13, 3, auxiliary load switches",
        "8.14.1, 2, Non-Device: an installer reports the hub installed",
        "8.14.2, 2, Non-Device: an installer reports the hub installed without WAN",
        "8.14.3, 4, Non-Device: a returned hub",
        "8.14.4, 4, Non-Device: a returned hub",
        "8.2, 3, Non-Device: also sent in bulk",
        "8.13, 3, Non-Device: no one waits on site",
        "12.2, 3, Non-Device: mostly sent ahead in batches",
        "8.7.2, 2, Join Service (Non-Critical)",
        "2.2, 1, Top Up Device",
    })
    void shouldHoldTheReviewedDecisions(final String srv, final int level, final String reason)
    {
        assertEquals(level, policy.level(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse(srv))), reason);
    }

    @Test
    void shouldKeepSixFifteenAndItsOutcomeAlertsOutOfLevelsOneAndTwo()
    {
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            if (srv.text().startsWith("6.15."))
            {
                assertTrue(policy.level(policy.classify(MessageKind.SERVICE_REQUEST, srv.code())) > 2, srv.text());
            }
        }
        assertEquals(4, policy.level(policy.classify(MessageKind.ALERT, 0x8F70)));
        assertEquals(1, policy.level(policy.classify(MessageKind.ALERT, 0x81BF)), "gas flow cut-off: off supply");
    }

    @Test
    void shouldPlaceNonDeviceSrvsOnlyWhereTheFileArguesFor()
    {
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            final int level = policy.level(policy.classify(MessageKind.SERVICE_REQUEST, srv.code()));
            if (srv.nonDevice() && level <= 2)
            {
                assertTrue(srv.text().equals("8.14.1") || srv.text().equals("8.14.2"), srv.text() + " at " + level);
            }
        }
    }

    @Test
    void shouldNotKeepRulesForCodesThatAreNotDuisSrvs()
    {
        assertFalse(catalogue.hasCodeUnder(SrvCode.parse("4.5")));
        assertFalse(policy.ruleSource(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("4.5")))
            .contains(":"), "no rule for 4.5.*");
        assertEquals("default", policy.ruleSource(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("4.7"))));
        assertEquals("default", policy.ruleSource(policy.classify(MessageKind.SERVICE_REQUEST, SrvCode.parse("4.9"))));
    }
}
