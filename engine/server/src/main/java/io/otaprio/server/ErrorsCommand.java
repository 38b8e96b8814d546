package io.otaprio.server;

import io.otaprio.status.ErrorReport;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import picocli.CommandLine.Command;

import java.io.PrintStream;

/**
 * {@code otaprio errors}: the distinct error log of an engine, read from its status file by another process, as
 * Aeron's {@code ErrorStat} reads a media driver's.
 */
@Command(
    name = "errors",
    description = {
        "Print each distinct error the engine on a journal directory caught and carried on from, with how often and",
        "when it was first and last seen, read from DIR/" + StatusFileDescriptor.FILE_NAME + ".",
        "Errors of an engine that ran there before are kept in DIR/otaprio-errors-START.log." })
public final class ErrorsCommand extends StatusFileCommand
{
    int report(final StatusFileReader status, final PrintStream out)
    {
        printHeader(status, out);
        ErrorReport.print(status.errorLogBuffer(), out);
        return 0;
    }
}
