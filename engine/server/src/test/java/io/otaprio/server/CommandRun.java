package io.otaprio.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * A command run as an operator runs it, with what it printed: standard output and standard error are captured for
 * the duration of the run and restored after it.
 *
 * @param exit the exit code.
 * @param out  standard output.
 * @param err  standard error.
 */
record CommandRun(int exit, String out, String err)
{
    /**
     * @param args the command line of the server jar.
     * @return the run.
     */
    static CommandRun of(final String... args)
    {
        return of(() -> OtaprioServer.execute(args));
    }

    /**
     * @param command runs a command line and returns its exit code.
     * @return the run.
     */
    static CommandRun of(final IntSupplier command)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream stdout = System.out;
        final PrintStream stderr = System.err;
        try
        {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int exit = command.getAsInt();
            return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
