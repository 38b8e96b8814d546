package io.otaprio.journal;

import org.agrona.DirectBuffer;

/**
 * Where admission makes an accepted message durable before it is acknowledged: the {@link AcceptedJournal}, or
 * {@link #NONE} for an engine that runs without a journal (a benchmark, an in-memory embedding). Admission holds one
 * of these, never null, so it has no journal on/off branch.
 * <p>
 * Threading: {@link #append} on the admission thread; the figures may be read from any thread.
 */
public interface AcceptedLog
{
    /** Keeps nothing: every append succeeds at once and nothing survives the process. */
    AcceptedLog NONE = new AcceptedLog()
    {
        public long append(final DirectBuffer message, final int offset, final int length)
        {
            return 0;
        }

        public long failures()
        {
            return 0;
        }

        public String lastFailure()
        {
            return null;
        }

        public boolean isClosed()
        {
            return false;
        }

        public String where()
        {
            return "no journal";
        }
    };

    /**
     * @param message holding one message in the {@link AcceptedMessageDescriptor} layout.
     * @param offset  where it starts.
     * @param length  its encoded length.
     * @return where it was stored (&gt;= 0), or -1 when it could not be: the message must be rejected UNAVAILABLE.
     */
    long append(DirectBuffer message, int offset, int length);

    /** @return appends that returned -1. */
    long failures();

    /** @return why the latest failed append failed, or null if none has. */
    String lastFailure();

    /** @return true once closed: every append fails. */
    boolean isClosed();

    /** @return where messages go, for an operator's log line. */
    String where();
}
