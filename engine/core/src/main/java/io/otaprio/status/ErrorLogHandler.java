package io.otaprio.status;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The engine's error handler: every error caught at a loop boundary is counted, recorded in the distinct error log
 * (one entry per distinct stack trace, with its count and first and last time) and then passed on, by default to a
 * {@link FirstErrorPrinter}. When the log is full the stack trace goes to standard error, so nothing is lost.
 * <p>
 * Threading: any thread; {@link DistinctErrorLog} is thread safe and errors are off the hot path.
 *
 * @param log    the distinct error log.
 * @param errors counts every error.
 * @param next   told of every error after it is logged.
 */
public record ErrorLogHandler(DistinctErrorLog log, AtomicCounter errors, ErrorHandler next) implements ErrorHandler
{
    /**
     * {@inheritDoc}
     */
    public void onError(final Throwable throwable)
    {
        errors.increment();
        if (!log.record(throwable))
        {
            synchronized (System.err)
            {
                System.err.println("otaprio: the error log is full; this error is not in it:");
                throwable.printStackTrace(System.err);
            }
        }
        next.onError(throwable);
    }
}
