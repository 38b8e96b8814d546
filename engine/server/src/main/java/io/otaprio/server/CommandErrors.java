package io.otaprio.server;

import io.otaprio.config.ConfigException;
import io.otaprio.journal.JournalException;
import picocli.CommandLine;

/**
 * How every otaprio command ends on a configuration or input error, or on a start-up failure the operator can fix
 * ({@link StartupException}: a port in use, a directory that cannot be written): one line naming the command and the
 * problem, exit code 2. Anything else is a bug and keeps its stack trace.
 */
public final class CommandErrors implements CommandLine.IExecutionExceptionHandler
{
    /** Exit code of a command stopped by bad configuration or input, or unable to start. */
    public static final int EXIT_CONFIGURATION = 2;

    /**
     * @param ex          what the command threw.
     * @param commandLine the command that threw it.
     * @param parseResult what was parsed.
     * @return {@link #EXIT_CONFIGURATION} for a configuration or input error or a start-up failure.
     */
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        if (ex instanceof ConfigException || ex instanceof IllegalArgumentException || ex instanceof JournalException ||
            ex instanceof StartupException)
        {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
            return EXIT_CONFIGURATION;
        }
        throw new RuntimeException(ex);
    }
}
