package io.otaprio.status;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.errors.ErrorLogReader;

import java.io.PrintStream;
import java.time.Instant;

/**
 * The text form of a distinct error log, as {@code ./otaprio errors} prints it and as a restarted engine saves its
 * predecessor's: each distinct error once, with how often and when it was seen first and last.
 */
public final class ErrorReport
{
    private ErrorReport()
    {
    }

    /**
     * @param errorLog a {@link org.agrona.concurrent.errors.DistinctErrorLog}'s buffer.
     * @param out      where to print.
     * @return the number of distinct errors printed.
     */
    public static int print(final AtomicBuffer errorLog, final PrintStream out)
    {
        final int distinct = ErrorLogReader.read(errorLog, (count, firstMs, lastMs, encoded) ->
        {
            out.println(count + " observation" + (1 == count ? "" : "s") + " from " + Instant.ofEpochMilli(firstMs) +
                " to " + Instant.ofEpochMilli(lastMs) + ":");
            out.println(encoded.stripTrailing());
            out.println();
        });
        out.println(distinct + " distinct error" + (1 == distinct ? "" : "s"));
        return distinct;
    }
}
