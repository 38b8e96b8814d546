package io.otaprio.server;

import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio stat}: the counters of a running engine, read from its status file by another process, as Aeron's
 * {@code AeronStat} reads a media driver's.
 */
@Command(
    name = "stat",
    description = {
        "Print the counters of the engine running on a journal directory (or the last values of one that stopped),",
        "read from DIR/" + StatusFileDescriptor.FILE_NAME + " without disturbing the engine.",
        "With --watch, print them again every --interval until interrupted (Ctrl-C)." })
public final class StatCommand extends StatusFileCommand
{
    @Option(names = "--watch", description = "Keep printing, every --interval, until interrupted.")
    private boolean watch;

    @Option(names = "--interval", defaultValue = "1", paramLabel = "SECONDS",
        description = "Seconds between prints with --watch, 1..3600 (default: ${DEFAULT-VALUE}).")
    private int intervalSeconds;

    int report(final StatusFileReader status, final PrintStream out) throws InterruptedException
    {
        if (intervalSeconds < 1 || intervalSeconds > 3600)
        {
            throw new IllegalArgumentException("--interval must be 1..3600 seconds, got " + intervalSeconds);
        }
        print(status, out);
        while (watch)
        {
            TimeUnit.SECONDS.sleep(intervalSeconds);
            out.println();
            print(status, out);
        }
        return 0;
    }

    private static void print(final StatusFileReader status, final PrintStream out)
    {
        printHeader(status, out);
        status.counters().forEach((value, counterId, label) ->
            out.format("%3d: %,20d - %s%n", counterId, value, label));
    }
}
