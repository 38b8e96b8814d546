package io.otaprio.cli;

import io.otaprio.server.CommandErrors;
import io.otaprio.server.EngineCommand;
import io.otaprio.server.ErrorsCommand;
import io.otaprio.server.JournalCommand;
import io.otaprio.server.StatCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

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
        StatCommand.class, ErrorsCommand.class, BenchCommand.class, ReportCommand.class, PeerRabbitMqCommand.class,
        CommandLine.HelpCommand.class })
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
            .setExecutionExceptionHandler(new CommandErrors())
            .execute(args);
    }

    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
