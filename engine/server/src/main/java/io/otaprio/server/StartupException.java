package io.otaprio.server;

import io.otaprio.journal.JournalException;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.FileSystemException;

/**
 * An engine could not start for a reason the operator can fix, not a bug: a port another process listens on, a
 * journal or interval-log directory that cannot be created or written. The message is one line saying what failed,
 * where (HOST:PORT or path) and what to do; {@link CommandErrors} prints it and ends the command with
 * {@link CommandErrors#EXIT_CONFIGURATION}, as it does a configuration error. (A journal another engine holds is
 * already such a line: {@link io.otaprio.journal.JournalLock} names the holder's pid and the way out.)
 */
public final class StartupException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, where, and what to do, on one line.
     * @param cause   the underlying failure.
     */
    public StartupException(final String message, final Throwable cause)
    {
        super(message, cause);
    }

    /**
     * A listener that could not bind: its address is taken or not this machine's.
     *
     * @param ex     the failure, whose message names the listener and its HOST:PORT.
     * @param option the option that chooses the address, e.g. {@code --listen HOST:PORT}.
     * @return the failure with what to do, or {@code ex} itself when no socket failed (then it is not the operator's
     * to fix and keeps its stack trace).
     */
    public static RuntimeException bind(final UncheckedIOException ex, final String option)
    {
        if (!(ex.getCause() instanceof SocketException))
        {
            return ex;
        }
        return new StartupException(ex.getMessage() + "; choose another address with " + option +
            ", or stop the process using it", ex);
    }

    /**
     * A journal directory that could not be created or locked by the file system (not writable, a file in its
     * place, a read-only file system).
     *
     * @param ex the failure, whose message names the directory.
     * @return the failure with what to do, or {@code ex} itself when the file system did not refuse (another engine
     * holding the journal, a layout this build does not read: those messages already say what to do).
     */
    public static RuntimeException journal(final JournalException ex)
    {
        return ex.getCause() instanceof FileSystemException ? directory(ex.getMessage(), ex, "--journal DIR") : ex;
    }

    /**
     * A directory that could not be created or written.
     *
     * @param failure what failed, naming the directory.
     * @param cause   the underlying failure.
     * @param option  the option that chooses the directory, e.g. {@code --hlog DIR}.
     * @return the failure with what to do.
     */
    public static StartupException directory(final String failure, final Throwable cause, final String option)
    {
        return new StartupException(failure + "; choose a writable directory with " + option, cause);
    }
}
