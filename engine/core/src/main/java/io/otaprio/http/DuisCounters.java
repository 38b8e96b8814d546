package io.otaprio.http;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * What the DUIS endpoint counts, in the engine's status file (so {@code ./otaprio stat} shows it) and on
 * {@code /metrics}: connections, and answers by HTTP status.
 * <p>
 * Threading: written by the endpoint's thread only; read from any thread.
 */
public final class DuisCounters
{
    /** The statuses the endpoint answers with, in the order {@link #answered(int)} reports them. */
    public static final int[] STATUSES = { 202, 400, 403, 404, 405, 408, 409, 411, 413, 429, 431, 503 };

    private final AtomicCounter connectionsAccepted;
    private final AtomicCounter connectionsRefused;
    private final AtomicCounter connectionsClosed;
    private final AtomicCounter timeouts;
    private final AtomicCounter[] answered = new AtomicCounter[STATUSES.length];

    /**
     * @param countersManager the engine's status file counters.
     */
    public DuisCounters(final CountersManager countersManager)
    {
        connectionsAccepted = countersManager.newCounter("duis connections accepted");
        connectionsRefused = countersManager.newCounter("duis connections refused (maxConnections reached)");
        connectionsClosed = countersManager.newCounter("duis connections closed");
        timeouts = countersManager.newCounter("duis requests timed out before their body arrived");
        for (int i = 0; i < STATUSES.length; i++)
        {
            answered[i] = countersManager.newCounter("duis answers status=" + STATUSES[i]);
        }
    }

    /**
     * @param status an HTTP status in {@link #STATUSES}.
     * @return answers sent with it.
     */
    public long answered(final int status)
    {
        final int index = indexOf(status);
        return index < 0 ? 0 : answered[index].get();
    }

    /** @return connections accepted. */
    public long connectionsAccepted()
    {
        return connectionsAccepted.get();
    }

    /** @return connections refused because maxConnections were open. */
    public long connectionsRefused()
    {
        return connectionsRefused.get();
    }

    /** @return connections closed, by either side. */
    public long connectionsClosed()
    {
        return connectionsClosed.get();
    }

    /** @return requests whose head or body did not arrive within the request timeout. */
    public long timeouts()
    {
        return timeouts.get();
    }

    void onAnswered(final int status)
    {
        final int index = indexOf(status);
        if (index >= 0)
        {
            answered[index].incrementRelease();
        }
    }

    void onAccepted()
    {
        connectionsAccepted.incrementRelease();
    }

    void onRefused()
    {
        connectionsRefused.incrementRelease();
    }

    void onClosed()
    {
        connectionsClosed.incrementRelease();
    }

    void onTimeout()
    {
        timeouts.incrementRelease();
    }

    private static int indexOf(final int status)
    {
        for (int i = 0; i < STATUSES.length; i++)
        {
            if (STATUSES[i] == status)
            {
                return i;
            }
        }
        return -1;
    }
}
