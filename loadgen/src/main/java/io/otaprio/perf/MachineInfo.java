package io.otaprio.perf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a result was measured on: cores, CPU model, JVM and its arguments, load average.
 */
final class MachineInfo
{
    private MachineInfo()
    {
    }

    /** @return a few lines for machine.txt. */
    static String describe()
    {
        final StringBuilder text = new StringBuilder();
        text.append("cores (available processors): ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        text.append("cpu: ").append(cpuModel()).append('\n');
        text.append("memory (max heap of this JVM): ").append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        text.append("os: ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
            .append(' ').append(System.getProperty("os.arch")).append('\n');
        text.append("jvm: ").append(System.getProperty("java.vm.name")).append(' ')
            .append(System.getProperty("java.vm.version")).append(" (").append(System.getProperty("java.vendor"))
            .append(")\n");
        text.append("jvm arguments: ")
            .append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()))
            .append('\n');
        text.append("load average at start: ").append(loadAverage()).append('\n');
        return text.toString();
    }

    /** @return /proc/loadavg's first three fields, or "unknown". */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux: say so below.
        }
        return "unknown";
    }
}
