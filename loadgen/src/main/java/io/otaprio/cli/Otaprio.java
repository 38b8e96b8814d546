package io.otaprio.cli;

import io.otaprio.server.DuisCommand;
import io.otaprio.server.EngineCommand;
import io.otaprio.server.ErrorsCommand;
import io.otaprio.server.JournalCommand;
import io.otaprio.server.PolicyCommand;
import io.otaprio.server.RootCommand;
import io.otaprio.server.StatCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code otaprio} command line: one entry point, one subcommand per task.
 */
@Command(
    description = {
        "Strict-priority lanes for smart-metering over-the-air messages.",
        "The messages that keep a consumer's energy supply on are processed first when the system is overloaded." },
    subcommands = {
        DemoCommand.class, EngineCommand.class, SimulateCommand.class, LoadgenCommand.class, JournalCommand.class,
        StatCommand.class, ErrorsCommand.class, DuisCommand.class, PolicyCommand.class, BenchCommand.class,
        ReportCommand.class, PeerRabbitMqCommand.class, ShardsCommand.class, CertsCommand.class,
        CommandLine.HelpCommand.class })
public final class Otaprio extends RootCommand
{
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
        return execute(new Otaprio(), args);
    }
}
