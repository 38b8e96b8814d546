package io.otaprio.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real child JVM for the journal's tests: this JVM's java, the build's JVM flags (Chronicle's exports and opens),
 * its class path, a main class and its arguments; standard error inherited, standard output for the test to read.
 */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param main the child's main class.
     * @param args its arguments.
     * @return the started child.
     * @throws IOException if it cannot be started.
     */
    static Process start(final Class<?> main, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        final String flags = System.getProperty("otaprio.jvm.flags", "").trim();
        if (!flags.isEmpty())
        {
            command.addAll(Arrays.asList(flags.split("\\s+")));
        }
        command.add("-Xmx64m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .directory(new File("."))
            .start();
    }
}
