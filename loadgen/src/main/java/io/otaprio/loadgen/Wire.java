package io.otaprio.loadgen;

import io.otaprio.tls.TlsChannel;
import io.otaprio.tls.TlsContexts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * One load generator connection's bytes to the engine: straight on its non-blocking socket, or through mutual TLS 1.3
 * ({@link TlsChannel}) when the generator has a client's {@link SSLContext}. The generators call {@link #write} and
 * {@link #read} on every poll, as they call the socket's own: the TLS handshake runs inside those calls, and until it
 * has finished they move no application bytes (what is queued meanwhile waits in the generator's buffer, its wait
 * counted in its latency, as a DCC User's would be).
 * <p>
 * The TLS buffers are allocated once per connection and reused when it reconnects; only the {@link
 * javax.net.ssl.SSLEngine} is new per connection. Threading: the generator's one thread.
 */
final class Wire
{
    private final SSLContext tls;
    private final TlsChannel tlsChannel;
    private SocketChannel channel;
    /** Connected over TLS, the handshake not finished yet: a failure now is a failure to connect. */
    private boolean handshaking;

    /**
     * @param tls the client's TLS context, or null for plain TCP.
     */
    Wire(final SSLContext tls)
    {
        this.tls = tls;
        this.tlsChannel = null == tls ? null : new TlsChannel(tls.createSSLEngine().getSession());
    }

    /**
     * Begin a connection.
     *
     * @param socket connected, non-blocking.
     * @param host   the engine's host as given, which its certificate must name (TLS only).
     * @param port   the engine's port.
     * @throws IOException if the TLS handshake cannot begin.
     */
    void open(final SocketChannel socket, final String host, final int port) throws IOException
    {
        channel = socket;
        if (null != tls)
        {
            tlsChannel.open(TlsContexts.clientEngine(tls, host, port), socket);
            handshaking = true;
        }
    }

    /** @return true from {@link #open} until the TLS handshake has finished (never over plain TCP). */
    boolean isHandshaking()
    {
        return handshaking;
    }

    /**
     * @return true once per connection, on the first call after its TLS handshake has finished: from then on it is a
     *         connection made.
     */
    boolean finishedHandshake()
    {
        if (handshaking && tlsChannel.isHandshakeDone())
        {
            handshaking = false;
            return true;
        }
        return false;
    }

    /**
     * @param src bytes to send, in read mode; its position advances past what was taken.
     * @return bytes taken (0 while the TLS handshake runs).
     * @throws IOException if the connection fails.
     */
    int write(final ByteBuffer src) throws IOException
    {
        return null == tls ? channel.write(src) : tlsChannel.write(src);
    }

    /**
     * @param dst where received bytes go, in write mode.
     * @return bytes put into {@code dst}; -1 once the engine has closed.
     * @throws IOException if the connection fails (over TLS: the handshake too).
     */
    int read(final ByteBuffer dst) throws IOException
    {
        return null == tls ? channel.read(dst) : tlsChannel.read(dst);
    }

    /**
     * @return true while bytes already taken wait for the socket (TLS records the socket would not take yet): the
     * caller calls {@link #write} again even with nothing new to send.
     */
    boolean hasPendingOutput()
    {
        return null != tls && tlsChannel.hasPendingOutput();
    }

    /** End its TLS, if any (a close_notify if the socket takes it at once); the caller closes the socket. */
    void end()
    {
        if (null != tls && null != channel)
        {
            tlsChannel.closeOutbound();
            tlsChannel.release();
        }
        channel = null;
        handshaking = false;
    }
}
