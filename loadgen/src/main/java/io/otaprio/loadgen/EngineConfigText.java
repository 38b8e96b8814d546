package io.otaprio.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An engine configuration file as text to which a tool appends the TLS sections (`./otaprio certs`, the bench's TLS
 * sweep) and writes elsewhere: its policy path made absolute, so that the copy works from any directory.
 */
public final class EngineConfigText
{
    private EngineConfigText()
    {
    }

    /**
     * @param file  the engine configuration.
     * @param label how the file was given, for messages (e.g. {@code --config}).
     * @return its text, the {@code policy:} line naming an absolute path (or {@code fifo}); a file without one gets
     * the shipped policy beside it.
     * @throws IllegalArgumentException if it cannot be read, or already has a {@code tls:} or {@code clients:}
     *                                  section (the result would name it twice).
     */
    public static String withAbsolutePolicy(final Path file, final String label)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException(label + " " + file + ": cannot read it: " + ex.getMessage(), ex);
        }
        final Path directory = file.toAbsolutePath().normalize().getParent();
        final StringBuilder result = new StringBuilder(text.length() + 256);
        boolean policy = false;
        for (final String line : text.split("\n", -1))
        {
            if (line.startsWith("tls:") || line.startsWith("clients:"))
            {
                throw new IllegalArgumentException(label + " " + file + " already has a " +
                    line.substring(0, line.indexOf(':') + 1) + " section");
            }
            if (line.startsWith("policy:"))
            {
                policy = true;
                final String value = line.substring("policy:".length()).replaceFirst("#.*", "").strip()
                    .replace("\"", "");
                result.append("policy: ").append("fifo".equals(value) ? value :
                    '"' + directory.resolve(value).toString() + '"').append('\n');
                continue;
            }
            result.append(line).append('\n');
        }
        if (!policy)
        {
            result.append("policy: \"").append(directory.resolve("priority-policy.yaml")).append("\"\n");
        }
        return result.toString();
    }
}
