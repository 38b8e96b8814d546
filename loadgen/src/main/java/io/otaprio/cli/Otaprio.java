package io.otaprio.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code otaprio} command line: one entry point, one subcommand per task.
 */
@Command(
    name = "otaprio",
    mixinStandardHelpOptions = true,
    version = "otaprio 0.1.0",
    description = {
        "Strict-priority lanes for smart-metering over-the-air messages.",
        "The messages that keep a consumer's energy supply on are processed first when the system is overloaded." },
    subcommands = { DemoCommand.class, EngineCommand.class, SimulateCommand.class, LoadgenCommand.class, JournalCommand.class,
        BenchCommand.class, ReportCommand.class, PeerRabbitMqCommand.class, CommandLine.HelpCommand.class })
public final class Otaprio implements Runnable
{
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
        return new CommandLine(new Otaprio())
            .setExecutionExceptionHandler(new ErrorReporter())
            .execute(args);
    }

    public void run()
    {
        spec.commandLine().usage(System.out);
    }

    /**
     * Turns a configuration or input error into one clear line and exit code 2; anything else is a bug and keeps its
     * stack trace.
     */
    static final class ErrorReporter implements CommandLine.IExecutionExceptionHandler
    {
        public int handleExecutionException(
            final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
        {
            if (ex instanceof io.otaprio.config.ConfigException || ex instanceof IllegalArgumentException ||
                ex instanceof io.otaprio.journal.JournalException)
            {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": error: " + ex.getMessage());
                return 2;
            }
            throw new RuntimeException(ex);
        }
    }
}
