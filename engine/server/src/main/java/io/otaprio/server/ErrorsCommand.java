package io.otaprio.server;

import io.otaprio.status.ErrorReport;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    @Mixin
    private StatusFileOption statusFile;

    public Integer call()
    {
        final StatusFileReader status = statusFile.open();
        StatusFileOption.printHeader(status, System.out);
        ErrorReport.print(status.errorLogBuffer(), System.out);
        return 0;
    }
}
