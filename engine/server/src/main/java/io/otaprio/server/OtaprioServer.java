package io.otaprio.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The server jar's command line ({@code otaprio-server.jar}): the engine process and the tools an operator runs beside
 * it on the same machine. {@code ./otaprio} sends these subcommands here and every other one to the tools jar.
 */
@Command(
    description = {
        "Strict-priority lanes for smart-metering over-the-air messages: the engine process and its operator tools." },
    subcommands = {
        EngineCommand.class, JournalCommand.class, StatCommand.class, ErrorsCommand.class, DuisCommand.class,
        PolicyCommand.class, CommandLine.HelpCommand.class })
public final class OtaprioServer extends RootCommand
{
    /** Subcommands this jar serves; the launcher routes them here. */
    public static final String[] SUBCOMMANDS = { "engine", "journal", "stat", "errors", "duis", "policy" };

    /**
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        System.exit(execute(args));
    }

    /**
     * Run without exiting, for tests.
     *
     * @param args command line.
     * @return the exit code.
     */
    public static int execute(final String... args)
    {
        return execute(new OtaprioServer(), args);
    }
}
