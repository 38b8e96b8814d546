package io.otaprio.server;

import io.otaprio.engine.Configuration;
import io.otaprio.status.ErrorReport;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code otaprio errors}: the distinct error log of an engine, read from its status file by another process, as
 * Aeron's {@code ErrorStat} reads a media driver's.
 */
@Command(
    name = "errors",
    mixinStandardHelpOptions = true,
    description = {
        "Print each distinct error the engine on a journal directory caught and carried on from, with how often and",
        "when it was first and last seen, read from DIR/" + StatusFileDescriptor.FILE_NAME + ".",
        "Errors of an engine that ran there before are kept in DIR/otaprio-errors-START.log." })
public final class ErrorsCommand implements Callable<Integer>
{
    @Option(names = "--journal", defaultValue = Configuration.JOURNAL_DIR_DEFAULT, paramLabel = "DIR",
        description = "Journal directory of the engine (default: ${DEFAULT-VALUE}).")
    private Path journal;

    public Integer call()
    {
        final StatusFileReader status = StatusFileReader.open(journal.resolve(StatusFileDescriptor.FILE_NAME));
        System.out.println("engine pid " + status.pid() + (status.engineRunning() ? " running" : " not running") +
            ", started " + Instant.ofEpochMilli(status.startTimeMs()) + ", " + status.file());
        ErrorReport.print(status.errorLogBuffer(), System.out);
        return 0;
    }
}
