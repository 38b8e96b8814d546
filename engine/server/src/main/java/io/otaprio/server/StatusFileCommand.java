package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A command that reads a running engine's status file from another process ({@code stat}, {@code errors}): it finds
 * the file from {@code --journal DIR}, maps it, says which engine it belongs to, and hands it to the report.
 */
@Command(mixinStandardHelpOptions = true)
abstract class StatusFileCommand implements Callable<Integer>
{
    @Option(names = "--journal", defaultValue = Configuration.JOURNAL_DIR_DEFAULT, paramLabel = "DIR",
        description = "Journal directory of the engine (default: ${DEFAULT-VALUE}).")
    private Path journal;

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the file when there is none, or it is not one.
     */
    public final Integer call() throws Exception
    {
        return report(StatusFileReader.open(journal.resolve(StatusFileDescriptor.FILE_NAME)), System.out);
    }

    /**
     * @param status the engine's status file, mapped for reading.
     * @param out    standard output.
     * @return the exit code.
     * @throws Exception if the report is interrupted or fails.
     */
    abstract int report(StatusFileReader status, PrintStream out) throws Exception;

    /**
     * @param status the file read.
     * @param out    where to say which engine it belongs to, and when.
     */
    static void printHeader(final StatusFileReader status, final PrintStream out)
    {
        out.println(Instant.now() + " - engine pid " + status.pid() + (status.engineRunning() ? " running" :
            " not running (last values)") + ", started " + Instant.ofEpochMilli(status.startTimeMs()) + ", " +
            status.file());
    }
}
