package io.otaprio.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The root of an otaprio command line, the server jar's ({@link OtaprioServer}) and the tools jar's alike: the name,
 * {@code --help} and {@code --version}, the usage when no subcommand is given, and one way to run a command line
 * that ends every command as {@link CommandErrors} says. A subclass adds its description and subcommands.
 */
@Command(name = "otaprio", mixinStandardHelpOptions = true, version = "otaprio 0.1.0")
public abstract class RootCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    /**
     * Run a command line without exiting.
     *
     * @param root the root command.
     * @param args the command line.
     * @return the exit code: 0, what the command returned, or {@link CommandErrors#EXIT_CONFIGURATION}.
     */
    protected static int execute(final RootCommand root, final String... args)
    {
        return new CommandLine(root)
            .setExecutionExceptionHandler(new CommandErrors())
            .execute(args);
    }

    /** No subcommand: print the usage. */
    public void run()
    {
        spec.commandLine().usage(System.out);
    }
}
