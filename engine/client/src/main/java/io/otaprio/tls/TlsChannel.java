package io.otaprio.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * TLS over one non-blocking {@link SocketChannel} with the JDK's {@link SSLEngine}: application bytes in and out,
 * ciphertext on the socket, and the handshake driven by whichever of {@link #read} and {@link #write} the selector
 * calls, so a caller keeps its own read and outbound buffers and its own selector loop.
 * <pre>
 *   socket ──read──► netIn ──unwrap──► appIn ──copy──► caller's read buffer
 *   socket ◄─write── netOut ◄──wrap─── caller's outbound buffer
 * </pre>
 * Application bytes go through {@code appIn} so that the caller's buffer may have any room left (a partly received
 * frame at its front): an unwrap needs room for a whole record. What {@code appIn} still holds when the caller's buffer
 * is full is kept for the next {@link #read} ({@link #hasBufferedInput()} says so: the selector will not, since those
 * bytes have already left the socket). Ciphertext the socket would not take stays in {@code netOut}
 * ({@link #hasPendingOutput()}): the caller waits for OP_WRITE and calls {@link #write} again.
 * <p>
 * The three buffers are allocated once and reused by {@link #open} for later connections; only the {@link SSLEngine}
 * is new per connection. The handshake's delegated tasks (certificate checks, key agreement) run on the calling thread:
 * a connection handshakes once, then carries messages for hours.
 * <p>
 * Threading: one thread at a time (the caller's selector thread).
 */
public final class TlsChannel
{
    /** What {@link #read} returns once the peer has closed (TCP end of stream or a TLS close_notify). */
    public static final int END_OF_STREAM = -1;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ByteBuffer netIn;
    private final ByteBuffer appIn;
    private final ByteBuffer netOut;
    private SSLEngine engine;
    private SocketChannel channel;
    private boolean handshakeDone;
    private boolean inputEnded;

    /**
     * Buffers for connections whose sessions have at most these sizes (the JDK's are the same for every TLS 1.3
     * session: 16,709 and 16,384 bytes by default).
     *
     * @param session any session of the context the engines come from, for its buffer sizes.
     */
    public TlsChannel(final SSLSession session)
    {
        netIn = ByteBuffer.allocateDirect(session.getPacketBufferSize());
        appIn = ByteBuffer.allocateDirect(session.getApplicationBufferSize());
        // Room for several records, so one socket write carries what several wraps produced.
        netOut = ByteBuffer.allocateDirect(4 * session.getPacketBufferSize());
    }

    /**
     * Begin a connection: its engine (client or server mode set, not yet handshaking) and its socket.
     *
     * @param engine  the connection's engine.
     * @param channel its socket, connected, blocking or not.
     * @throws SSLException if the engine cannot begin its handshake.
     */
    public void open(final SSLEngine engine, final SocketChannel channel) throws SSLException
    {
        this.engine = engine;
        this.channel = channel;
        handshakeDone = false;
        inputEnded = false;
        netIn.clear();
        appIn.clear().flip();
        netOut.clear();
        engine.beginHandshake();
    }

    /** Forget the connection; the buffers stay for the next. */
    public void release()
    {
        engine = null;
        channel = null;
    }

    /** @return the connection's engine: its session names the peer once {@link #isHandshakeDone()}. */
    public SSLEngine engine()
    {
        return engine;
    }

    /** @return true once the handshake has finished: application bytes flow. */
    public boolean isHandshakeDone()
    {
        return handshakeDone;
    }

    /** @return true when application bytes already read from the socket wait for room in the caller's buffer. */
    public boolean hasBufferedInput()
    {
        return appIn.hasRemaining();
    }

    /** @return true when ciphertext waits for the socket to take it (wait for OP_WRITE, then {@link #write}). */
    public boolean hasPendingOutput()
    {
        return netOut.position() > 0;
    }

    /**
     * Read what the socket has, take the handshake as far as it goes, and put application bytes into {@code dst}.
     *
     * @param dst the caller's buffer, in write mode.
     * @return application bytes put into {@code dst}; 0 when none yet; {@link #END_OF_STREAM} once the peer has
     *         closed and everything it sent has been delivered.
     * @throws IOException  if the socket fails.
     * @throws SSLException if the peer breaks TLS or the handshake fails (an alert has been queued for it).
     */
    public int read(final ByteBuffer dst) throws IOException
    {
        int delivered = drainAppIn(dst);
        if (!dst.hasRemaining())
        {
            return delivered;
        }
        if (!inputEnded && channel.read(netIn) < 0)
        {
            inputEnded = true;
        }
        delivered += pump(dst);
        flushNetOut();
        if (0 == delivered && inputEnded && !appIn.hasRemaining())
        {
            return END_OF_STREAM;
        }
        return delivered;
    }

    /**
     * Encrypt as much of {@code src} as there is room for and write it; drives the handshake too (call it with an
     * empty buffer on OP_WRITE while {@link #hasPendingOutput()}).
     *
     * @param src application bytes, in read mode; its position advances past what was taken.
     * @return application bytes taken from {@code src}.
     * @throws IOException if the socket fails or the connection is closed.
     */
    public int write(final ByteBuffer src) throws IOException
    {
        if (!flushNetOut())
        {
            return 0;
        }
        if (!handshakeDone)
        {
            // Whatever the handshake still has to send, and then any application bytes the engine's state allows.
            pump(null);
            if (!flushNetOut() || !handshakeDone)
            {
                return 0;
            }
        }
        final int start = src.position();
        while (src.hasRemaining())
        {
            final SSLEngineResult result = engine.wrap(src, netOut);
            if (SSLEngineResult.Status.CLOSED == result.getStatus())
            {
                throw new EOFException("TLS connection closed");
            }
            if (SSLEngineResult.Status.BUFFER_OVERFLOW == result.getStatus() && !flushNetOut())
            {
                break;
            }
            runTasks(result);
        }
        flushNetOut();
        return src.position() - start;
    }

    /**
     * Send close_notify if the socket takes it at once; the caller closes the socket after.
     */
    public void closeOutbound()
    {
        if (null == engine)
        {
            return;
        }
        try
        {
            engine.closeOutbound();
            while (!engine.isOutboundDone())
            {
                final SSLEngineResult result = engine.wrap(EMPTY, netOut);
                if (0 == result.bytesProduced())
                {
                    break;
                }
            }
            flushNetOut();
        }
        catch (final IOException ignore)
        {
            // Closing anyway: the peer sees the TCP close instead of a close_notify.
        }
    }

    /**
     * Unwrap and wrap until neither the socket's bytes nor the engine's state allow more.
     *
     * @param dst where application bytes go; null while only the handshake may move.
     * @return application bytes put into {@code dst}.
     */
    private int pump(final ByteBuffer dst) throws IOException
    {
        int delivered = 0;
        while (true)
        {
            final SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
            if (SSLEngineResult.HandshakeStatus.NEED_TASK == status)
            {
                runDelegatedTasks();
            }
            else if (SSLEngineResult.HandshakeStatus.NEED_WRAP == status)
            {
                final SSLEngineResult result = engine.wrap(EMPTY, netOut);
                noteFinished(result);
                if (SSLEngineResult.Status.BUFFER_OVERFLOW == result.getStatus() && !flushNetOut())
                {
                    return delivered;
                }
                if (SSLEngineResult.Status.CLOSED == result.getStatus())
                {
                    return delivered;
                }
            }
            else
            {
                if (!handshakeDone && SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING == status)
                {
                    handshakeDone = true;
                }
                if (null == dst)
                {
                    // Called to write: unwrapping is left to the next read, which the caller makes.
                    return delivered;
                }
                delivered += drainAppIn(dst);
                if (appIn.hasRemaining() || netIn.position() == 0)
                {
                    // The caller's buffer is full, or there is nothing left to unwrap.
                    return delivered;
                }
                appIn.compact();
                netIn.flip();
                final SSLEngineResult result;
                try
                {
                    result = engine.unwrap(netIn, appIn);
                }
                finally
                {
                    netIn.compact();
                    appIn.flip();
                }
                noteFinished(result);
                if (SSLEngineResult.Status.CLOSED == result.getStatus())
                {
                    inputEnded = true;
                    delivered += drainAppIn(dst);
                    if (engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP)
                    {
                        return delivered;
                    }
                }
                else if (SSLEngineResult.Status.BUFFER_UNDERFLOW == result.getStatus())
                {
                    // Not a whole record yet: the socket has to bring more.
                    return delivered;
                }
                else if (0 == result.bytesConsumed() && 0 == result.bytesProduced() &&
                    result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK &&
                    result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP)
                {
                    return delivered;
                }
            }
        }
    }

    private void noteFinished(final SSLEngineResult result)
    {
        if (SSLEngineResult.HandshakeStatus.FINISHED == result.getHandshakeStatus())
        {
            handshakeDone = true;
        }
        runTasks(result);
    }

    private void runTasks(final SSLEngineResult result)
    {
        if (SSLEngineResult.HandshakeStatus.NEED_TASK == result.getHandshakeStatus())
        {
            runDelegatedTasks();
        }
    }

    private void runDelegatedTasks()
    {
        Runnable task;
        while (null != (task = engine.getDelegatedTask()))
        {
            task.run();
        }
    }

    private int drainAppIn(final ByteBuffer dst)
    {
        final int count = Math.min(appIn.remaining(), dst.remaining());
        if (count > 0)
        {
            final int limit = appIn.limit();
            appIn.limit(appIn.position() + count);
            dst.put(appIn);
            appIn.limit(limit);
        }
        return count;
    }

    /**
     * @return true when {@code netOut} is empty: everything wrapped so far is on the socket.
     */
    private boolean flushNetOut() throws IOException
    {
        if (netOut.position() == 0)
        {
            return true;
        }
        netOut.flip();
        try
        {
            channel.write(netOut);
        }
        finally
        {
            netOut.compact();
        }
        return netOut.position() == 0;
    }
}
