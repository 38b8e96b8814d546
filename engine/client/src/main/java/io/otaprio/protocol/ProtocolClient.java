package io.otaprio.protocol;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking client of the gateway over one socket, plain or TLS 1.3, for tests and simple tools: {@link #submit}
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

    /** The only TLS version offered. */
    private static final String TLS_PROTOCOL = "TLSv1.3";

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final ClientCodec codec = new ClientCodec(MAX_FRAME_BYTES_DEFAULT);
    private final ProtocolEvent event = new ProtocolEvent();
    private final byte[] sendBytes = new byte[128 * 1024];
    private final UnsafeBuffer sendBuffer = new UnsafeBuffer(sendBytes);
    private final byte[] receiveBytes = new byte[64 * 1024];
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(receiveBytes);
    private int receiveOffset;
    private int receiveLimit;

    private ProtocolClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
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
        return connectAny(endpoints, (address) -> connect(address, 0));
    }

    /**
     * As {@link #connectAny(String)}, over TLS 1.3.
     *
     * @param endpoints {@code host:port[,host:port...]}, tried in order.
     * @param tls       this client's context.
     * @return a client connected to the first that accepted, handshake done.
     * @throws IOException naming every endpoint tried when none accepted.
     */
    public static ProtocolClient connectAny(final String endpoints, final SSLContext tls) throws IOException
    {
        return connectAny(endpoints, (address) -> connect(address, 0, tls));
    }

    private interface Connector
    {
        ProtocolClient connect(InetSocketAddress address) throws IOException;
    }

    private static ProtocolClient connectAny(final String endpoints, final Connector connector) throws IOException
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
                return connector.connect(new InetSocketAddress(trimmed.substring(0, colon), port));
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
        return new ProtocolClient(open(address, receiveBufferBytes));
    }

    /**
     * Connect over TLS 1.3: the gateway's certificate must be valid for {@code address}'s host name and lead to a CA
     * the context trusts; the context's certificate is presented as this client's identity.
     *
     * @param address            gateway address.
     * @param receiveBufferBytes as {@link #connect(InetSocketAddress, int)}.
     * @param tls                this client's context (e.g. {@code io.otaprio.tls.TlsContexts.client(dir, name)}).
     * @return a connected client, handshake done.
     * @throws IOException if the connection or the handshake fails (the gateway refused the certificate, say).
     */
    public static ProtocolClient connect(
        final InetSocketAddress address,
        final int receiveBufferBytes,
        final SSLContext tls) throws IOException
    {
        final Socket plain = open(address, receiveBufferBytes);
        try
        {
            final SSLSocket socket = (SSLSocket)tls.getSocketFactory()
                .createSocket(plain, address.getHostString(), address.getPort(), true);
            socket.setEnabledProtocols(new String[]{TLS_PROTOCOL});
            final SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new ProtocolClient(socket);
        }
        catch (final IOException | RuntimeException ex)
        {
            plain.close();
            throw ex;
        }
    }

    private static Socket open(final InetSocketAddress address, final int receiveBufferBytes) throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            if (receiveBufferBytes > 0)
            {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            socket.setTcpNoDelay(true);
            socket.connect(address);
            return socket;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
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
            socket.setSoTimeout((int)Math.min(Integer.MAX_VALUE, waitMs));
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
        socket.shutdownOutput();
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
            socket.close();
        }
        catch (final IOException ignore)
        {
            // Nothing useful to do: the connection is gone either way.
        }
    }

    private void write(final int length) throws IOException
    {
        output.write(sendBytes, 0, length);
        output.flush();
    }
}
