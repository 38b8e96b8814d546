package io.otaprio.server;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The server jar's command line ({@code otaprio-server.jar}): the engine process and the tools an operator runs beside
 * it on the same machine. {@code ./otaprio} sends these subcommands here and every other one to the tools jar.
 */
@Command(
    name = "otaprio",
    mixinStandardHelpOptions = true,
    version = "otaprio 0.1.0",
    description = {
        "Strict-priority lanes for smart-metering over-the-air messages: the engine process and its operator tools." },
    subcommands = {
        EngineCommand.class, JournalCommand.class, StatCommand.class, ErrorsCommand.class, CommandLine.HelpCommand.class })
public final class OtaprioServer implements Runnable
{
    /** Subcommands this jar serves; the launcher routes them here. */
    public static final String[] SUBCOMMANDS = { "engine", "journal", "stat", "errors" };

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

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
        return new CommandLine(new OtaprioServer())
            .setExecutionExceptionHandler(new CommandErrors())
            .execute(args);
    }

    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
