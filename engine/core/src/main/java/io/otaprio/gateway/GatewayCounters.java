package io.otaprio.gateway;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The gateway's live figures as Agrona counters in the engine's status file, each on its own cache line, so that
 * {@code ./otaprio stat} reads them from another process.
 * <p>
 * Threading: written by the admission thread only (single writer, release stores); any thread may read them.
 */
public final class GatewayCounters
{
    private final AtomicCounter connectionsAccepted;
    private final AtomicCounter connectionsRefused;
    private final AtomicCounter connectionsClosed;
    private final AtomicCounter slowReaderDisconnects;
    private final AtomicCounter idleDisconnects;
    private final AtomicCounter malformedFrames;
    private final AtomicCounter framesIn;
    private final AtomicCounter framesOut;
    private final AtomicCounter completionsDropped;
    private final AtomicCounter errors;

    /**
     * Counters of a new gateway, all zero.
     *
     * @param countersManager where the counters are allocated: the engine's status file.
     */
    public GatewayCounters(final CountersManager countersManager)
    {
        connectionsAccepted = countersManager.newCounter("gateway connections accepted");
        connectionsRefused = countersManager.newCounter("gateway connections refused (maxConnections reached)");
        connectionsClosed = countersManager.newCounter("gateway connections closed");
        slowReaderDisconnects = countersManager.newCounter("gateway slow-reader disconnects");
        idleDisconnects = countersManager.newCounter("gateway idle disconnects (idleTimeout, nothing owed)");
        malformedFrames = countersManager.newCounter("gateway malformed frames");
        framesIn = countersManager.newCounter("gateway frames in");
        framesOut = countersManager.newCounter("gateway frames out");
        completionsDropped = countersManager.newCounter("gateway completions dropped (connection gone)");
        errors = countersManager.newCounter("gateway unexpected errors");
    }

    /** @return connections accepted and served. */
    public long connectionsAccepted()
    {
        return connectionsAccepted.get();
    }

    /** @return connections closed on arrival because {@code maxConnections} were open. */
    public long connectionsRefused()
    {
        return connectionsRefused.get();
    }

    /** @return served connections closed, for any reason. */
    public long connectionsClosed()
    {
        return connectionsClosed.get();
    }

    /** @return connections closed because their outbound buffer could not take the next reply. */
    public long slowReaderDisconnects()
    {
        return slowReaderDisconnects.get();
    }

    /** @return connections closed because they sent nothing for idleTimeout and were owed nothing. */
    public long idleDisconnects()
    {
        return idleDisconnects.get();
    }

    /** @return frames that broke the protocol (answered MALFORMED or closed the connection). */
    public long malformedFrames()
    {
        return malformedFrames.get();
    }

    /** @return whole frames received. */
    public long framesIn()
    {
        return framesIn.get();
    }

    /** @return frames queued for sending (Ack, Reject, Completed). */
    public long framesOut()
    {
        return framesOut.get();
    }

    /** @return completions not pushed because their connection had gone (or was never known, after recovery). */
    public long completionsDropped()
    {
        return completionsDropped.get();
    }

    /** @return unexpected exceptions caught at the loop boundary (each closed the connection it happened on). */
    public long errors()
    {
        return errors.get();
    }

    void onAccepted()
    {
        connectionsAccepted.incrementRelease();
    }

    void onRefused()
    {
        connectionsRefused.incrementRelease();
    }

    void onIdleDisconnect()
    {
        idleDisconnects.incrementRelease();
    }

    void onClosed()
    {
        connectionsClosed.incrementRelease();
    }

    void onSlowReader()
    {
        slowReaderDisconnects.incrementRelease();
    }

    void onMalformed()
    {
        malformedFrames.incrementRelease();
    }

    void onFrameIn()
    {
        framesIn.incrementRelease();
    }

    void onFrameOut()
    {
        framesOut.incrementRelease();
    }

    void onCompletionDropped()
    {
        completionsDropped.incrementRelease();
    }

    void onError()
    {
        errors.incrementRelease();
    }
}
