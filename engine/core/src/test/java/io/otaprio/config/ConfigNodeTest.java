package io.otaprio.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigNodeTest
{
    private static final String SOURCE = "conf/test.yaml";

    @Test
    void shouldKeepLinesPathsAndRawTextOfScalars()
    {
        final ConfigNode root = ConfigNode.parse(
            "name: x\n" +
            "rules:\n" +
            "  - { srv: 7.10, level: 1 }\n" +
            "  - srv: \"8.7.*\"\n" +
            "    level: 2\n",
            SOURCE);

        final List<ConfigNode> rules = root.child("rules").elements();
        final ConfigNode srv = rules.get(0).child("srv");
        assertEquals("7.10", srv.asString(), "read as written, not as the float 7.1");
        assertEquals(3, srv.line());
        assertEquals("rules[0].srv", srv.path());
        assertEquals("rules[0].srv \"7.10\"", srv.entry());
        assertEquals(5, rules.get(1).child("level").line());
        assertEquals(List.of("name", "rules"), root.keys());
        assertEquals(SOURCE, srv.source());
    }

    @Test
    void shouldBuildErrorsNamingSourceLineEntryAndRule()
    {
        final ConfigNode root = ConfigNode.parse("dsp:\n  slots: 3\n", SOURCE);

        final ConfigException ex = root.child("dsp").child("slots").error("slots must be even");

        assertEquals("conf/test.yaml:2: dsp.slots \"3\": slots must be even", ex.getMessage());
        assertEquals(SOURCE, ex.source());
        assertEquals(2, ex.line());
        assertEquals("dsp.slots \"3\"", ex.entry());
        assertEquals("slots must be even", ex.rule());
    }

    @Test
    void shouldRejectDuplicateKeysAnywhereInTheDocumentWithBothLines()
    {
        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigNode.parse(
            "a:\n  list:\n    - { x: 1, y: 2 }\n    - x: 1\n      x: 2\n", SOURCE));

        assertEquals("conf/test.yaml:5: a.list[1].x: duplicate key \"x\": first defined at line 4", ex.getMessage());
    }

    @Test
    void shouldRejectUnknownKeysNamingTheKeyItsLineAndTheAllowedOnes()
    {
        final ConfigNode root = ConfigNode.parse("dsp:\n  slots: 3\n  slot: 4\n", SOURCE);

        final ConfigException ex = assertThrows(
            ConfigException.class, () -> root.child("dsp").rejectUnknownKeys(Set.of("slots", "seed")));

        assertEquals("conf/test.yaml:3: dsp: unknown key \"slot\": expected one of [seed, slots]", ex.getMessage());
    }

    @Test
    void shouldReportMissingRequiredKeyAtItsMapping()
    {
        final ConfigNode root = ConfigNode.parse("a: 1\ndsp:\n  seed: 3\n", SOURCE);

        final ConfigException ex = assertThrows(ConfigException.class, () -> root.child("dsp").child("slots"));

        assertEquals("conf/test.yaml:3: dsp: missing required key \"slots\"", ex.getMessage());
        assertNull(root.optionalChild("nothing"));
        assertFalse(root.has("nothing"));
    }

    @Test
    void shouldReadNumbersWithRangeChecks()
    {
        final ConfigNode root = ConfigNode.parse("a: 42\nb: 0x8F0F\nc: -3\nd: 1.5\ne: true\nf: 9\ng: x\n", SOURCE);

        assertEquals(42, root.child("a").asInt());
        assertEquals(0x8F0F, root.child("b").asInt(0, 0xFFFF));
        assertEquals(-3L, root.child("c").asLong(-5, 5));
        assertEquals(1.5, root.child("d").asDouble(0, 2));
        assertTrue(root.child("e").asBoolean());
        assertEquals(7, root.intValue("missing", 7, 0, 10));
        assertEquals("conf/test.yaml:6: f \"9\": out of range: expected an integer from 1 to 4",
            assertThrows(ConfigException.class, () -> root.child("f").asInt(1, 4)).getMessage());
        assertEquals("conf/test.yaml:7: g \"x\": not an integer: expected an integer",
            assertThrows(ConfigException.class, () -> root.child("g").asInt()).getMessage());
        assertEquals("conf/test.yaml:7: g \"x\": expected true or false",
            assertThrows(ConfigException.class, () -> root.child("g").asBoolean()).getMessage());
        assertThrows(ConfigException.class, () -> root.child("a").asDouble(0, 10));
    }

    @Test
    void shouldReadDurationsInNanoseconds()
    {
        final ConfigNode root = ConfigNode.parse("a: 250ms\nb: 30s\nc: 2m\nd: 1500us\ne: 40\nf: 1s\n", SOURCE);

        assertEquals(250_000_000L, root.child("a").asDurationNs());
        assertEquals(30_000_000_000L, root.child("b").asDurationNs());
        assertEquals(120_000_000_000L, root.child("c").asDurationNs());
        assertEquals(1_500_000L, root.child("d").asDurationNs());
        assertEquals(40_000_000L, root.child("e").asDurationNs(), "a plain number is milliseconds");
        assertEquals(5L, root.durationNs("missing", 5L, 0, 10));
        assertEquals("conf/test.yaml:6: f \"1s\": out of range: expected a duration from 1ms to 500ms",
            assertThrows(ConfigException.class, () -> root.child("f").asDurationNs(1_000_000L, 500_000_000L))
                .getMessage());
    }

    @Test
    void shouldTreatAnEmptyValueAsAnErrorRatherThanTheDefault()
    {
        final ConfigNode root = ConfigNode.parse("a:\nb: ~\n", SOURCE);

        assertTrue(root.child("a").isNull());
        assertEquals("conf/test.yaml:2: b: missing value",
            assertThrows(ConfigException.class, () -> root.intValue("b", 1, 0, 9)).getMessage());
    }

    @Test
    void shouldNameTheShapeWhenItIsWrong()
    {
        final ConfigNode root = ConfigNode.parse("a: [1, 2]\nb: 3\n", SOURCE);

        assertEquals("conf/test.yaml:1: a: expected a single value, found a list",
            assertThrows(ConfigException.class, () -> root.child("a").asString()).getMessage());
        assertEquals("conf/test.yaml:2: b \"3\": expected a list, found a single value",
            assertThrows(ConfigException.class, () -> root.child("b").elements()).getMessage());
        assertEquals("conf/test.yaml:2: b \"3\": expected a mapping of key: value entries, found a single value",
            assertThrows(ConfigException.class, () -> root.child("b").child("c")).getMessage());
    }

    @Test
    void shouldReportMalformedYamlWithTheLineOfTheProblem()
    {
        final ConfigException ex = assertThrows(
            ConfigException.class, () -> ConfigNode.parse("a: 1\nb: [1, 2\nc: 3\n", SOURCE));

        assertEquals(SOURCE, ex.source());
        assertEquals(3, ex.line());
        assertTrue(ex.getMessage().startsWith("conf/test.yaml:3: malformed YAML: "), ex.getMessage());
    }

    @Test
    void shouldReadAnEmptyDocumentAsAnEmptyMapping()
    {
        final ConfigNode root = ConfigNode.parse("# nothing but a comment\n", SOURCE);

        assertTrue(root.isMapping());
        assertTrue(root.keys().isEmpty());
        assertEquals(3, root.intValue("x", 3, 0, 9));
    }

    @Test
    void shouldSurviveRecursiveAliasesWhenCheckingKeys()
    {
        final ConfigNode root = ConfigNode.parse("a: &x [1, *x]\n", SOURCE);

        assertEquals(2, root.child("a").elements().size());
    }

    @Test
    void shouldReportMissingFileByItsPath(@TempDir final Path dir)
    {
        final Path file = dir.resolve("absent.yaml");

        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigNode.load(file));

        assertEquals(file + ": file not found", ex.getMessage());
        assertEquals(0, ex.line());
    }

    @Test
    void shouldLoadAFileNamingItInErrors(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("engine.yaml");
        Files.writeString(file, "slots: 8\nseed: x\n", StandardCharsets.UTF_8);

        final ConfigNode root = ConfigNode.load(file);

        assertEquals(8, root.child("slots").asInt());
        assertEquals(file + ":2: seed \"x\": not an integer: expected an integer",
            assertThrows(ConfigException.class, () -> root.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE))
                .getMessage());
    }
}
