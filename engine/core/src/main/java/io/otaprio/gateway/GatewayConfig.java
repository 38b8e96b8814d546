package io.otaprio.gateway;

import io.otaprio.protocol.Framing;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Everything a {@link Gateway} is built from, with defaults, validated by {@link #conclude()} before a socket is
 * opened so that a bad value is reported up front, naming the setting and the value.
 * <p>
 * Threading: configure on one thread, then hand it to the gateway; not changed afterwards.
 */
public final class GatewayConfig
{
    /** Loopback only by default: the engine is not meant to face a network without a proxy in front of it. */
    public static final String BIND_ADDRESS_DEFAULT = "127.0.0.1";

    /** Default listen port. */
    public static final int PORT_DEFAULT = 7400;

    /** Connections served at once; more are accepted and closed immediately (counted as refused). */
    public static final int MAX_CONNECTIONS_DEFAULT = 256;

    /** Largest inbound frame, framing header included; a larger declared length closes the connection. */
    public static final int MAX_FRAME_BYTES_DEFAULT = 4096;

    /** Upper bound on {@link #maxFrameBytes(int)}. */
    public static final int MAX_FRAME_BYTES_LIMIT = 16 * 1024 * 1024;

    /** Replies held per connection before a reader that does not keep up is disconnected. */
    public static final int OUTBOUND_BUFFER_BYTES_DEFAULT = 256 * 1024;

    /** Bytes read from a socket at a time; also the most buffered for a partly received frame. */
    public static final int READ_BUFFER_BYTES_DEFAULT = 64 * 1024;

    /** Upper bound on the per-connection buffers, so that a typo cannot reserve gigabytes per connection. */
    public static final int BUFFER_BYTES_LIMIT = 64 * 1024 * 1024;

    /** 0 leaves SO_SNDBUF to the operating system. */
    public static final int SOCKET_SEND_BUFFER_BYTES_DEFAULT = 0;

    /** Completions taken from the relay per duty cycle, so that a completion burst cannot starve the sockets. */
    public static final int COMPLETION_DRAIN_LIMIT_DEFAULT = 256;

    /** A connection that sends nothing for this long and is owed no Completed is closed; 0 = never. */
    public static final long IDLE_TIMEOUT_NS_DEFAULT = java.util.concurrent.TimeUnit.MINUTES.toNanos(5);

    /** Recovered messages put back into the rings per duty cycle while a replay is running. */
    public static final int REPLAY_FEED_LIMIT_DEFAULT = 256;

    private String bindAddress = BIND_ADDRESS_DEFAULT;
    private int port = PORT_DEFAULT;
    private int maxConnections = MAX_CONNECTIONS_DEFAULT;
    private int maxFrameBytes = MAX_FRAME_BYTES_DEFAULT;
    private int outboundBufferBytes = OUTBOUND_BUFFER_BYTES_DEFAULT;
    private int readBufferBytes = READ_BUFFER_BYTES_DEFAULT;
    private int socketSendBufferBytes = SOCKET_SEND_BUFFER_BYTES_DEFAULT;
    private int completionDrainLimit = COMPLETION_DRAIN_LIMIT_DEFAULT;
    private int replayFeedLimit = REPLAY_FEED_LIMIT_DEFAULT;
    private long idleTimeoutNs = IDLE_TIMEOUT_NS_DEFAULT;
    private IdleStrategy idleStrategy;
    private ErrorHandler errorHandler;
    private boolean concluded;

    /**
     * Validate and fill defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and value at fault.
     */
    public GatewayConfig conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (null == bindAddress || bindAddress.isBlank())
        {
            throw new IllegalArgumentException("gateway: bindAddress is required");
        }
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("gateway: port must be 0..65535 (0 = ephemeral), got " + port);
        }
        if (maxConnections < 1 || maxConnections > 65536)
        {
            throw new IllegalArgumentException("gateway: maxConnections must be 1..65536, got " + maxConnections);
        }
        if (maxFrameBytes < Framing.SUBMIT_FRAME_BASE_LENGTH || maxFrameBytes > MAX_FRAME_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("gateway: maxFrameBytes must be " + Framing.SUBMIT_FRAME_BASE_LENGTH +
                ".." + MAX_FRAME_BYTES_LIMIT + ", got " + maxFrameBytes);
        }
        if (readBufferBytes < maxFrameBytes || readBufferBytes > BUFFER_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("gateway: readBufferBytes must be maxFrameBytes (" + maxFrameBytes +
                ").." + BUFFER_BYTES_LIMIT + " so that a whole frame fits, got " + readBufferBytes);
        }
        final int largestReply = Math.max(Framing.MAX_REJECT_FRAME_LENGTH, Framing.COMPLETED_FRAME_LENGTH);
        if (outboundBufferBytes < largestReply || outboundBufferBytes > BUFFER_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("gateway: outboundBufferBytes must be " + largestReply + ".." +
                BUFFER_BYTES_LIMIT + " so that the largest reply fits, got " + outboundBufferBytes);
        }
        if (socketSendBufferBytes < 0)
        {
            throw new IllegalArgumentException(
                "gateway: socketSendBufferBytes must be >= 0 (0 = OS default), got " + socketSendBufferBytes);
        }
        if (completionDrainLimit < 1)
        {
            throw new IllegalArgumentException("gateway: completionDrainLimit must be >= 1, got " +
                completionDrainLimit);
        }
        if (idleTimeoutNs < 0)
        {
            throw new IllegalArgumentException("gateway: idleTimeout must be >= 0 (0 = never), got " + idleTimeoutNs +
                " ns");
        }
        if (replayFeedLimit < 1)
        {
            throw new IllegalArgumentException("gateway: replayFeedLimit must be >= 1, got " + replayFeedLimit);
        }
        if (null == idleStrategy)
        {
            // Backs off to parking: the scheduler already busy-spins one of the two cores.
            idleStrategy = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
        }
        if (null == errorHandler)
        {
            errorHandler = Throwable::printStackTrace;
        }
        concluded = true;
        return this;
    }

    /** @param bindAddress interface to listen on. @return this. */
    public GatewayConfig bindAddress(final String bindAddress)
    {
        this.bindAddress = bindAddress;
        return this;
    }

    /** @return interface to listen on. */
    public String bindAddress()
    {
        return bindAddress;
    }

    /** @param port listen port, 0 for an ephemeral one (see {@link Gateway#boundPort()}). @return this. */
    public GatewayConfig port(final int port)
    {
        this.port = port;
        return this;
    }

    /** @return listen port as configured (0 = ephemeral). */
    public int port()
    {
        return port;
    }

    /** @param maxConnections connections served at once. @return this. */
    public GatewayConfig maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    /** @return connections served at once. */
    public int maxConnections()
    {
        return maxConnections;
    }

    /** @param maxFrameBytes largest inbound frame, header included. @return this. */
    public GatewayConfig maxFrameBytes(final int maxFrameBytes)
    {
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    /** @return largest inbound frame, header included. */
    public int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    /** @param outboundBufferBytes replies held per connection. @return this. */
    public GatewayConfig outboundBufferBytes(final int outboundBufferBytes)
    {
        this.outboundBufferBytes = outboundBufferBytes;
        return this;
    }

    /** @return replies held per connection. */
    public int outboundBufferBytes()
    {
        return outboundBufferBytes;
    }

    /** @param readBufferBytes per-connection read buffer, at least {@link #maxFrameBytes()}. @return this. */
    public GatewayConfig readBufferBytes(final int readBufferBytes)
    {
        this.readBufferBytes = readBufferBytes;
        return this;
    }

    /** @return per-connection read buffer. */
    public int readBufferBytes()
    {
        return readBufferBytes;
    }

    /** @param socketSendBufferBytes SO_SNDBUF of accepted sockets, 0 = OS default. @return this. */
    public GatewayConfig socketSendBufferBytes(final int socketSendBufferBytes)
    {
        this.socketSendBufferBytes = socketSendBufferBytes;
        return this;
    }

    /** @return SO_SNDBUF of accepted sockets, 0 = OS default. */
    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /** @param completionDrainLimit completions taken per duty cycle. @return this. */
    public GatewayConfig completionDrainLimit(final int completionDrainLimit)
    {
        this.completionDrainLimit = completionDrainLimit;
        return this;
    }

    /** @return completions taken per duty cycle. */
    public int completionDrainLimit()
    {
        return completionDrainLimit;
    }

    /** @param replayFeedLimit recovered messages fed per duty cycle. @return this. */
    public GatewayConfig replayFeedLimit(final int replayFeedLimit)
    {
        this.replayFeedLimit = replayFeedLimit;
        return this;
    }

    /** @return recovered messages fed per duty cycle. */
    public int replayFeedLimit()
    {
        return replayFeedLimit;
    }

    /**
     * @param idleTimeoutNs close a connection that has sent nothing for this long and is owed no Completed frame
     *                      (0 = never); a client waiting for answers in an overload is never closed for waiting.
     * @return this.
     */
    public GatewayConfig idleTimeoutNs(final long idleTimeoutNs)
    {
        this.idleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /** @return the idle timeout in ns, 0 = never. */
    public long idleTimeoutNs()
    {
        return idleTimeoutNs;
    }

    /** @param idleStrategy how the gateway thread waits when a duty cycle found nothing to do. @return this. */
    public GatewayConfig idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = idleStrategy;
        return this;
    }

    /** @return the gateway thread's idle strategy. */
    public IdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /** @param errorHandler told of unexpected errors caught at the loop boundary. @return this. */
    public GatewayConfig errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return error handler. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
