package io.otaprio.identity;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * One listener's TLS handshakes as Agrona counters in the engine's status file ({@code ./otaprio stat} reads them
 * from another process): completed, failed (no certificate, an expired one or one another CA signed, one no client
 * entry names, or bytes that are not TLS at all) and timed out (nothing or too little sent within the handshake
 * timeout).
 * <p>
 * Threading: written by the listener's thread only; any thread may read them.
 */
public final class TlsCounters
{
    private final AtomicCounter completed;
    private final AtomicCounter failed;
    private final AtomicCounter timedOut;

    /**
     * @param countersManager where the counters are allocated: the engine's status file.
     * @param listener        the listener's name in the counters' labels, such as {@code gateway}.
     */
    public TlsCounters(final CountersManager countersManager, final String listener)
    {
        completed = countersManager.newCounter(listener + " TLS handshakes completed");
        failed = countersManager.newCounter(listener + " TLS handshakes failed (certificate refused, or not TLS)");
        timedOut = countersManager.newCounter(listener + " TLS handshakes timed out");
    }

    /** A handshake finished and the client is one of {@code clients:}. */
    public void onCompleted()
    {
        completed.incrementRelease();
    }

    /** A handshake failed. */
    public void onFailed()
    {
        failed.incrementRelease();
    }

    /** A connection was closed still handshaking after the timeout. */
    public void onTimedOut()
    {
        timedOut.incrementRelease();
    }

    /** @return handshakes completed. */
    public long completed()
    {
        return completed.get();
    }

    /** @return handshakes failed. */
    public long failed()
    {
        return failed.get();
    }

    /** @return handshakes timed out. */
    public long timedOut()
    {
        return timedOut.get();
    }
}
