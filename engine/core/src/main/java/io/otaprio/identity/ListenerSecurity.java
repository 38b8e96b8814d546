package io.otaprio.identity;

import org.agrona.concurrent.status.CountersManager;

/**
 * What one listener (the TCP gateway, the DUIS endpoint) needs to know who its connections are and to count what it
 * refuses: the engine's TLS (or {@link TlsServer#PLAINTEXT}), its handshake counters and its NOT_AUTHORISED counts.
 * Each listener has its own counters, so each has one writer: its own thread.
 */
public final class ListenerSecurity
{
    private final String listener;
    private final TlsServer tls;
    private final TlsCounters handshakes;
    private final NotAuthorisedCounters refusals;

    /**
     * @param listener        the listener's name, such as {@code gateway}: in counter labels and log lines.
     * @param tls             the engine's TLS, or {@link TlsServer#PLAINTEXT}.
     * @param countersManager where the handshake counters are allocated.
     */
    public ListenerSecurity(final String listener, final TlsServer tls, final CountersManager countersManager)
    {
        this.listener = listener;
        this.tls = tls;
        this.handshakes = new TlsCounters(countersManager, listener);
        this.refusals = new NotAuthorisedCounters(tls.clients().size());
    }

    /** @return the listener's name. */
    public String listener()
    {
        return listener;
    }

    /** @return the engine's TLS, or {@link TlsServer#PLAINTEXT}. */
    public TlsServer tls()
    {
        return tls;
    }

    /** @return the listener's handshake counters. */
    public TlsCounters handshakes()
    {
        return handshakes;
    }

    /** @return the listener's NOT_AUTHORISED counts. */
    public NotAuthorisedCounters refusals()
    {
        return refusals;
    }

    /**
     * @param client     a connection's client.
     * @param originator the originator its submission claims.
     * @return true when it may submit under it; otherwise the refusal is counted. Allocation-free.
     */
    public boolean authorise(final ClientIdentity client, final long originator)
    {
        if (client.mayUse(originator))
        {
            return true;
        }
        refusals.onRefused(client, originator);
        return false;
    }
}
