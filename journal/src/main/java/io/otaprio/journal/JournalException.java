package io.otaprio.journal;

/**
 * A journal cannot be opened or recovered: the directory is missing, unreadable or unwritable, it holds data in a
 * layout this build does not support, or a live engine holds it ({@link JournalLock}). Thrown only at open and
 * recovery time, never from an append, a flush or a read on the hot path. Whatever raises it has not modified or
 * deleted any journal data.
 */
public final class JournalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message names the path and the rule broken.
     */
    public JournalException(final String message)
    {
        super(message);
    }

    /**
     * @param message names the path and the rule broken.
     * @param cause   the underlying failure.
     */
    public JournalException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
