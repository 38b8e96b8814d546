package io.otaprio.status;

import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells an operator of each kind of error once, on one line, with where to read the whole log: a storm of one error
 * costs one line instead of a stack trace per message. A kind is the exception's class and message and where it was
 * thrown; after {@value #MAX_KINDS} kinds, one last line says that further kinds are only in the log.
 * <p>
 * Threading: any thread (it takes a lock; errors are off the hot path).
 */
public final class FirstErrorPrinter implements ErrorHandler
{
    /** Kinds told before it falls silent. */
    public static final int MAX_KINDS = 100;

    private final PrintStream out;
    private final String whereToRead;
    private final Set<String> told = new HashSet<>();

    /**
     * @param out         standard error, or where a test wants the lines.
     * @param whereToRead how an operator reads the whole log, e.g. {@code ./otaprio errors --journal DIR}.
     */
    public FirstErrorPrinter(final PrintStream out, final String whereToRead)
    {
        this.out = out;
        this.whereToRead = whereToRead;
    }

    /**
     * {@inheritDoc}
     */
    public synchronized void onError(final Throwable throwable)
    {
        if (told.size() > MAX_KINDS || !told.add(kind(throwable)))
        {
            return;
        }
        if (told.size() > MAX_KINDS)
        {
            out.println("otaprio: " + MAX_KINDS + " kinds of error told; further kinds are only in the error log (" +
                whereToRead + ")");
            return;
        }
        out.println("otaprio: error on thread " + Thread.currentThread().getName() + ": " + throwable +
            " (told once per kind; the stack traces and counts are in the error log: " + whereToRead + ")");
    }

    private static String kind(final Throwable throwable)
    {
        final StackTraceElement[] stack = throwable.getStackTrace();
        return throwable.getClass().getName() + ':' + throwable.getMessage() + '@' +
            (stack.length > 0 ? stack[0].toString() : "");
    }
}
