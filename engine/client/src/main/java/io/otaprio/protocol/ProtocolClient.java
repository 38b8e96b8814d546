package io.otaprio.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A blocking client of the gateway over one {@link SocketChannel}, for tests and simple tools: {@link #submit}
 * writes a Submit frame and returns once the bytes are handed to the kernel; {@link #poll} waits (up to a timeout)
 * for the next Ack, Reject or Completed and decodes it into the reusable {@link #event()}. Replies arrive in the
 * order the gateway sent them: Acks and Rejects in submit order, Completed frames as messages complete, always
 * after their Ack.
 * <p>
 * A load generator that drives many connections should use {@link ClientCodec} over non-blocking channels instead.
 * <p>
 * Threading: one thread at a time; not thread-safe.
 */
public final class ProtocolClient implements AutoCloseable
{
    /** Largest frame the client accepts from the gateway. */
    public static final int MAX_FRAME_BYTES_DEFAULT = 4096;

    private final SocketChannel channel;
    private final InputStream input;
    private final ClientCodec codec = new ClientCodec(MAX_FRAME_BYTES_DEFAULT);
    private final ProtocolEvent event = new ProtocolEvent();
    private final ByteBuffer sendByteBuffer = ByteBuffer.allocateDirect(128 * 1024);
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(sendByteBuffer);
    private final byte[] receiveBytes = new byte[64 * 1024];
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(receiveBytes);
    private int receiveOffset;
    private int receiveLimit;

    private ProtocolClient(final SocketChannel channel) throws IOException
    {
        this.channel = channel;
        this.input = channel.socket().getInputStream();
    }

    /**
     * @param host gateway host, e.g. "127.0.0.1".
     * @param port gateway port.
     * @return a connected client.
     * @throws IOException if the connection fails.
     */
    public static ProtocolClient connect(final String host, final int port) throws IOException
    {
        return connect(new InetSocketAddress(host, port), 0);
    }

    /**
     * Connect to the first of several gateways that answers: the nodes of a cluster, any of which takes submissions.
     * After losing a node, connect again the same way (the dead one is skipped) and resend with the same RequestIDs
     * whatever had no final answer (docs/protocol.md, section 5).
     *
     * @param endpoints {@code host:port[,host:port...]}, tried in order.
     * @return a client connected to the first that accepted.
     * @throws IOException naming every endpoint tried when none accepted.
     */
    public static ProtocolClient connectAny(final String endpoints) throws IOException
    {
        final StringBuilder failures = new StringBuilder();
        for (final String endpoint : endpoints.split(",", -1))
        {
            final String trimmed = endpoint.trim();
            final int colon = trimmed.lastIndexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1)
            {
                throw new IllegalArgumentException("endpoint \"" + trimmed + "\" is not host:port");
            }
            final int port;
            try
            {
                port = Integer.parseInt(trimmed.substring(colon + 1));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("endpoint \"" + trimmed + "\" has no numeric port", ex);
            }
            try
            {
                return connect(trimmed.substring(0, colon), port);
            }
            catch (final IOException ex)
            {
                failures.append(failures.length() == 0 ? "" : "; ").append(trimmed).append(": ")
                    .append(ex.getMessage());
            }
        }
        throw new IOException("no gateway accepted a connection (" + failures + ")");
    }

    /**
     * @param address            gateway address.
     * @param receiveBufferBytes socket receive buffer (SO_RCVBUF) to ask for before connecting, 0 for the OS default;
     *                           small values make a reader that never reads back up the gateway quickly.
     * @return a connected client.
     * @throws IOException if the connection fails.
     */
    public static ProtocolClient connect(final InetSocketAddress address, final int receiveBufferBytes)
        throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            if (receiveBufferBytes > 0)
            {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address);
            return new ProtocolClient(channel);
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Send one Submit; blocks until the bytes are written.
     *
     * @param kind          1 SERVICE_REQUEST, 2 ALERT, 3 RESPONSE (any 0..255 is sent as given).
     * @param code          packed SRV or 16-bit alert code.
     * @param requestId     the message's RequestID.
     * @param payload       payload bytes.
     * @param offset        where they start.
     * @param length        how many.
     * @throws IOException if the connection fails.
     */
    public void submit(
        final int kind,
        final int code,
        final RequestId requestId,
        final DirectBuffer payload,
        final int offset,
        final int length) throws IOException
    {
        submit(kind, code, CommandVariant.NOT_GIVEN, requestId, payload, offset, length);
    }

    /**
     * Send one Submit with a DUIS CommandVariant; blocks until the bytes are written.
     *
     * @param kind           1 SERVICE_REQUEST, 2 ALERT, 3 RESPONSE (any 0..255 is sent as given).
     * @param code           packed SRV or alert code ({@link AlertCode}).
     * @param commandVariant the DUIS CommandVariant: {@link CommandVariant#CRITICAL_TRANSFORM} for a Critical
     *                       command's first step, 5 to 7 for its signed second step, 0 when not given.
     * @param requestId      the message's RequestID.
     * @param payload        payload bytes.
     * @param offset         where they start.
     * @param length         how many.
     * @throws IOException if the connection fails.
     */
    public void submit(
        final int kind,
        final int code,
        final int commandVariant,
        final RequestId requestId,
        final DirectBuffer payload,
        final int offset,
        final int length) throws IOException
    {
        final int frameLength =
            codec.encodeSubmit(sendBuffer, 0, kind, code, commandVariant, requestId, payload, offset, length);
        write(frameLength);
    }

    /**
     * Send bytes as they are: for tests that send broken frames.
     *
     * @param bytes  to send.
     * @param offset where they start.
     * @param length how many.
     * @throws IOException if the connection fails.
     */
    public void sendRaw(final DirectBuffer bytes, final int offset, final int length) throws IOException
    {
        sendBuffer.putBytes(0, bytes, offset, length);
        write(length);
    }

    /**
     * Wait for the next frame from the gateway.
     *
     * @param timeoutMs most milliseconds to wait; 0 waits forever.
     * @return true with {@link #event()} filled in, false if nothing whole arrived in time.
     * @throws EOFException if the gateway closed the connection.
     * @throws IOException  if the connection fails or the gateway sent something that is not a frame.
     */
    public boolean poll(final long timeoutMs) throws IOException
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            final int consumed = codec.decode(receiveBuffer, receiveOffset, receiveLimit - receiveOffset, event);
            if (consumed > 0)
            {
                receiveOffset += consumed;
                return true;
            }
            if (consumed == ClientCodec.PROTOCOL_ERROR)
            {
                throw new IOException("gateway sent bytes that are not a frame at offset " + receiveOffset);
            }
            if (receiveOffset > 0)
            {
                receiveBuffer.putBytes(0, receiveBuffer, receiveOffset, receiveLimit - receiveOffset);
                receiveLimit -= receiveOffset;
                receiveOffset = 0;
            }
            final long waitMs = timeoutMs == 0 ? 0 : deadlineMs - System.currentTimeMillis();
            if (timeoutMs != 0 && waitMs <= 0)
            {
                return false;
            }
            channel.socket().setSoTimeout((int)Math.min(Integer.MAX_VALUE, waitMs));
            final int read;
            try
            {
                read = input.read(receiveBytes, receiveLimit, receiveBytes.length - receiveLimit);
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
            if (read < 0)
            {
                throw new EOFException("gateway closed the connection");
            }
            receiveLimit += read;
        }
    }

    /**
     * Like {@link #poll} but a timeout is an error.
     *
     * @param timeoutMs most milliseconds to wait.
     * @return the event view, filled in.
     * @throws SocketTimeoutException if nothing arrived in time.
     * @throws IOException            as {@link #poll}.
     */
    public ProtocolEvent read(final long timeoutMs) throws IOException
    {
        if (!poll(timeoutMs))
        {
            throw new SocketTimeoutException("no frame from the gateway within " + timeoutMs + " ms");
        }
        return event;
    }

    /**
     * Read and discard frames until the gateway closes the connection.
     *
     * @param timeoutMs most milliseconds to wait.
     * @return true if the gateway closed (or reset) the connection in time.
     */
    public boolean awaitClosedByPeer(final long timeoutMs)
    {
        final long deadlineMs = System.currentTimeMillis() + timeoutMs;
        try
        {
            while (System.currentTimeMillis() < deadlineMs)
            {
                final long waitMs = Math.max(1, deadlineMs - System.currentTimeMillis());
                if (!poll(waitMs))
                {
                    return false;
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    /**
     * Close the sending side (a TCP half-close): the gateway still answers every Submit it has read, then closes the
     * connection; Completed frames not yet sent by then are not (resend after reconnecting to get them).
     *
     * @throws IOException if the connection fails.
     */
    public void finishSending() throws IOException
    {
        channel.shutdownOutput();
    }

    /** @return the last decoded event; reused by the next {@link #poll}. */
    public ProtocolEvent event()
    {
        return event;
    }

    /** Close the connection. */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Nothing useful to do: the connection is gone either way.
        }
    }

    private void write(final int length) throws IOException
    {
        sendByteBuffer.clear().limit(length);
        while (sendByteBuffer.hasRemaining())
        {
            channel.write(sendByteBuffer);
        }
    }
}
