package io.otaprio.policy;

import io.otaprio.config.ConfigException;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrvCatalogueTest
{
    private static final Path SHIPPED = Path.of("../../conf/duis-srvs.yaml");
    private static final String SOURCE = "test-srvs.yaml";

    @Test
    void shouldLoadTheShippedCatalogueOfTheDuisRequestMatrix()
    {
        final SrvCatalogue catalogue = SrvCatalogue.load(SHIPPED);

        assertTrue(catalogue.isGiven());
        assertEquals(129, catalogue.srvs().size(), "the DUIS request matrix lists 129 SRVs");
        assertTrue(catalogue.duisVersion().contains("129 SRVs"), catalogue.duisVersion());
        final Set<Integer> codes = new HashSet<>();
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            assertTrue(codes.add(srv.code()), srv.text());
        }
        assertEquals(16, catalogue.srvs().stream().filter(SrvCatalogue.Srv::nonDevice).count());
        assertEquals(37, catalogue.srvs().stream().filter(SrvCatalogue.Srv::critical).count());
    }

    @Test
    void shouldKnowTheNamesFlagsAndFutureDatingOfWellKnownSrvs()
    {
        final SrvCatalogue catalogue = SrvCatalogue.load(SHIPPED);

        assertEquals("Request Customer Identification Number", find(catalogue, "9.1").name());
        assertEquals("Request WAN Matrix", find(catalogue, "12.1").name());
        assertTrue(find(catalogue, "12.1").nonDevice());
        assertFalse(find(catalogue, "2.2").critical(), "Top Up Device is not a Critical command");
        assertTrue(find(catalogue, "7.2").critical());
        assertEquals(SrvCatalogue.FutureDated.DSP, find(catalogue, "4.1.1").futureDated());
        assertEquals(SrvCatalogue.FutureDated.DEVICE, find(catalogue, "1.1.1").futureDated());
        assertEquals(SrvCatalogue.FutureDated.DSP_AND_DEVICE, find(catalogue, "6.23").futureDated());
        assertEquals(SrvCatalogue.FutureDated.NO, find(catalogue, "2.2").futureDated());
        assertNull(catalogue.find(SrvCode.parse("8.7.3")), "8.7.3 is not a DUIS SRV");
        assertNull(catalogue.find(SrvCode.parse("4.5")));
    }

    @Test
    void shouldMatchPrefixesAndNameTheNearestCodes()
    {
        final SrvCatalogue catalogue = SrvCatalogue.load(SHIPPED);

        assertTrue(catalogue.hasCodeUnder(SrvCode.parse("8.7")));
        assertTrue(catalogue.hasCodeUnder(SrvCode.parse("4.10")), "a prefix matches its own code");
        assertFalse(catalogue.hasCodeUnder(SrvCode.parse("4.5")));
        assertFalse(catalogue.hasCodeUnder(SrvCode.parse("4.1.1.1")));
        assertEquals(List.of("8.7.2", "8.7.1", "8.6"), catalogue.nearest(SrvCode.parse("8.7.3")));
        assertEquals(List.of("4.4.2", "4.6.1", "4.3"), catalogue.nearest(SrvCode.parse("4.5")));
    }

    @Test
    void shouldRefuseABadCatalogueNamingFileLineAndEntry()
    {
        final String header = "duisVersion: test\nsrvs:\n";
        final String good = "  - { srv: \"2.2\", name: Top Up Device, critical: false, nonDevice: false, " +
            "futureDated: no }\n";

        assertEquals("test-srvs.yaml:4: srvs[1].srv \"2.2\": duplicate SRV 2.2: already listed at line 3",
            error(header + good + good).getMessage());
        assertEquals("test-srvs.yaml:3: srvs[0].futureDated \"later\": unknown futureDated \"later\": expected " +
            "device, dsp, dsp-and-device or no", error(header + good.replace("futureDated: no", "futureDated: later"))
            .getMessage());
        assertTrue(error(header + good.replace("\"2.2\"", "\"2..2\"")).getMessage()
            .startsWith("test-srvs.yaml:3: srvs[0].srv \"2..2\": malformed SRV code"));
        assertTrue(error(header + good.replace("critical", "critcal")).getMessage()
            .contains("unknown key \"critcal\""));
        assertTrue(error(header + good.replace(", nonDevice: false", "")).getMessage()
            .endsWith("missing required key \"nonDevice\""));
        assertEquals("test-srvs.yaml:3: srvs: empty list: a catalogue lists at least one SRV",
            error(header + "  []\n").getMessage());
        assertEquals("../../conf/no-such-srvs.yaml: file not found",
            assertThrows(ConfigException.class, () -> SrvCatalogue.load(Path.of("../../conf/no-such-srvs.yaml")))
                .getMessage());
    }

    private static SrvCatalogue.Srv find(final SrvCatalogue catalogue, final String code)
    {
        return catalogue.find(SrvCode.parse(code));
    }

    private static ConfigException error(final String yaml)
    {
        return assertThrows(ConfigException.class, () -> SrvCatalogue.parse(yaml, SOURCE));
    }
}
