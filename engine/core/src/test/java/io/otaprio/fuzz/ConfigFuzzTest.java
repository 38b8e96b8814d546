package io.otaprio.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.otaprio.config.ConfigException;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.policy.PriorityPolicy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Any text given as a configuration or policy file either loads or is refused with a {@link ConfigException}
 * naming the file and line: never another exception, never a hang. Jazzer: under {@code mvn test} each method runs
 * its regression corpus (src/test/resources/io/otaprio/fuzz/ConfigFuzzTestInputs/METHOD/); with {@code JAZZER_FUZZ=1}
 * it fuzzes (see the README).
 */
class ConfigFuzzTest
{
    private static final Path CONF = Path.of("../../conf");

    @FuzzTest(maxDuration = "30s")
    void engineConfigLoadsOrExplains(final @NotNull byte[] data)
    {
        final String yaml = new String(data, StandardCharsets.UTF_8);
        try
        {
            final EngineContext config = ConfigurationFile.parse(yaml, "fuzz.yaml", CONF);
            config.ringSizes();
        }
        catch (final ConfigException expected)
        {
            assertNamesTheFile(expected);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void policyLoadsOrExplains(final @NotNull byte[] data)
    {
        final String yaml = new String(data, StandardCharsets.UTF_8);
        try
        {
            PriorityPolicy.parse(yaml, "fuzz-policy.yaml");
        }
        catch (final ConfigException expected)
        {
            assertNamesTheFile(expected);
        }
    }

    private static void assertNamesTheFile(final ConfigException ex)
    {
        if (null == ex.getMessage() || !ex.getMessage().startsWith("fuzz"))
        {
            throw new AssertionError("a configuration error must start with the file name: " + ex.getMessage(), ex);
        }
    }
}
