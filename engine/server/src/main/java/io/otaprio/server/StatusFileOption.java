package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The {@code --journal DIR} of the commands that read a running engine's status file ({@code stat}, {@code errors}).
 */
final class StatusFileOption
{
    @Option(names = "--journal", defaultValue = Configuration.JOURNAL_DIR_DEFAULT, paramLabel = "DIR",
        description = "Journal directory of the engine (default: ${DEFAULT-VALUE}).")
    private Path journal;

    /**
     * @return the engine's status file, mapped for reading.
     * @throws IllegalArgumentException naming the file when there is none, or it is not one.
     */
    StatusFileReader open()
    {
        return StatusFileReader.open(journal.resolve(StatusFileDescriptor.FILE_NAME));
    }

    /**
     * @param status the file read.
     * @param out    where to say which engine it belongs to.
     */
    static void printHeader(final StatusFileReader status, final PrintStream out)
    {
        out.println(Instant.now() + " - engine pid " + status.pid() + (status.engineRunning() ? " running" :
            " not running (last values)") + ", started " + Instant.ofEpochMilli(status.startTimeMs()) + ", " +
            status.file());
    }
}
