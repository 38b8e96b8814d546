package io.otaprio.gateway;

import io.otaprio.identity.ClientIdentity;
import io.otaprio.tls.TlsChannel;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection's state and its two preallocated buffers. Objects are pooled by the gateway and reused for
 * later connections (with a new id), so accepting a connection after warm-up allocates no buffers.
 * <pre>
 *   read buffer:      [0, readLimit)                   received, not yet decoded (at most one partial frame
 *                                                      after a decode pass, moved to the front)
 *   outbound buffer:  [0, sendPosition)                already written to the socket
 *                     [sendPosition, outboundLimit)    encoded replies waiting for the socket
 *                     [outboundLimit, capacity)        free; compacted to the front when a reply does not fit
 * </pre>
 * Threading: the admission thread only (the gateway is a transport of the admission agent).
 */
final class Connection
{
    final ByteBuffer readByteBuffer;
    final UnsafeBuffer readBuffer;
    final ByteBuffer outboundByteBuffer;
    final UnsafeBuffer outboundBuffer;

    long id;
    SocketChannel channel;
    SelectionKey key;
    String remoteAddress;
    boolean open;
    int readLimit;
    int sendPosition;
    int outboundLimit;
    /** OP_WRITE is registered: a write was partial and the selector says when the socket can take more. */
    boolean writeBlocked;
    /** In the gateway's list of connections to flush at the end of the duty cycle; cleared only by that flush. */
    boolean inFlushList;
    /** When the last bytes arrived (or the connection opened), gateway clock. */
    long lastInboundNs;
    /** Accepted messages of this connection whose Completed has not been queued yet. */
    long owedCompletions;
    /** Submissions handed to a sink that answers later (a cluster), not yet answered. */
    long owedAnswers;
    /** The client closed its sending side: nothing more is read; closed once every answer owed is written. */
    boolean inputClosed;
    /** When the connection was accepted, gateway clock: a TLS handshake not done by its timeout is closed. */
    long openedNs;
    /** Who the connection is: {@link ClientIdentity#ANYONE} without TLS, known once a TLS handshake is done. */
    ClientIdentity client = ClientIdentity.NOBODY;
    /** TLS between the socket and the two buffers; kept with the pooled connection, null until TLS first needs it. */
    TlsChannel tls;
    /** This connection is TLS (its {@link #tls} is in use). */
    boolean secure;

    Connection(final int readBufferBytes, final int outboundBufferBytes)
    {
        readByteBuffer = ByteBuffer.allocateDirect(readBufferBytes);
        readBuffer = new UnsafeBuffer(readByteBuffer);
        outboundByteBuffer = ByteBuffer.allocateDirect(outboundBufferBytes);
        outboundBuffer = new UnsafeBuffer(outboundByteBuffer);
    }

    void open(
        final long id,
        final SocketChannel channel,
        final SelectionKey key,
        final String remoteAddress,
        final ClientIdentity client,
        final long nowNs)
    {
        this.id = id;
        this.client = client;
        lastInboundNs = nowNs;
        openedNs = nowNs;
        owedCompletions = 0;
        owedAnswers = 0;
        inputClosed = false;
        this.channel = channel;
        this.key = key;
        this.remoteAddress = remoteAddress;
        open = true;
        readLimit = 0;
        sendPosition = 0;
        outboundLimit = 0;
        writeBlocked = false;
    }

    void release()
    {
        open = false;
        client = ClientIdentity.NOBODY;
        if (secure)
        {
            tls.release();
            secure = false;
        }
        channel = null;
        key = null;
        readLimit = 0;
        sendPosition = 0;
        outboundLimit = 0;
        writeBlocked = false;
    }

    /**
     * Make room for a reply of {@code length} bytes, moving unsent bytes to the front if that is what it takes.
     *
     * @param length reply length.
     * @return offset to encode at, or -1 when the buffer cannot take it (the reader is too slow).
     */
    int claim(final int length)
    {
        final int capacity = outboundBuffer.capacity();
        if (outboundLimit + length > capacity)
        {
            final int pending = outboundLimit - sendPosition;
            if (pending + length > capacity)
            {
                return -1;
            }
            outboundBuffer.putBytes(0, outboundBuffer, sendPosition, pending);
            sendPosition = 0;
            outboundLimit = pending;
        }
        final int offset = outboundLimit;
        outboundLimit += length;
        return offset;
    }

    int pendingBytes()
    {
        return outboundLimit - sendPosition;
    }

    /** @return true while replies or TLS records wait for the socket. */
    boolean hasUnsent()
    {
        return outboundLimit > sendPosition || (secure && tls.hasPendingOutput());
    }

    /** @return true while a TLS handshake is still under way: no frame may be read yet. */
    boolean handshaking()
    {
        return secure && !tls.isHandshakeDone();
    }
}
