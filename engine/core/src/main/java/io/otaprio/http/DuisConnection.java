package io.otaprio.http;

import io.otaprio.identity.ClientIdentity;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.tls.TlsChannel;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One HTTP connection to the DUIS endpoint: its bytes in, its answer out, and where its current request is.
 * <pre>
 *   HEAD ──head read──► BODY ──body read──► (parse) ──► SUBMITTING ──queued──► AWAITING ──answer──► HEAD ...
 *     └── any refusal: the answer is written, then HEAD again, or the connection closes when the body is unread
 * </pre>
 * One request at a time: the next is not read until the current one is answered, so answers go out in request order
 * and a connection has at most one submission in the admission thread's hands.
 * <p>
 * Threading: the endpoint's thread.
 */
final class DuisConnection
{
    static final int HEAD = 0;
    static final int BODY = 1;
    static final int SUBMITTING = 2;
    static final int AWAITING = 3;

    final long id;
    final SocketChannel channel;
    final SelectionKey key;
    final byte[] in;
    final ByteBuffer inBuffer;
    final ByteBuffer out;
    final HttpRequestHead head;
    final UnsafeBuffer submittedHeader = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]);
    int state = HEAD;
    int held;
    int headLength;
    int bodyLength;
    boolean closeAfterAnswer;
    boolean closeWhenWritten;
    long executionTimeNs;
    boolean cancellation;
    long lastReadNs;
    long requestStartNs;
    /** When it was accepted: a TLS handshake not done by the timeout is closed. */
    long openedNs;
    /** Who it is: {@link ClientIdentity#ANYONE} without TLS; known once a TLS handshake is done. */
    ClientIdentity client = ClientIdentity.NOBODY;
    /** TLS between the socket and {@link #inBuffer}/{@link #out}; null for a plaintext connection. */
    TlsChannel tls;

    DuisConnection(
        final long id,
        final SocketChannel channel,
        final SelectionKey key,
        final int inCapacity,
        final int outCapacity,
        final int maxHeadBytes)
    {
        this.id = id;
        this.channel = channel;
        this.key = key;
        this.in = new byte[inCapacity];
        this.inBuffer = ByteBuffer.wrap(in);
        this.out = ByteBuffer.allocate(outCapacity);
        this.head = new HttpRequestHead(maxHeadBytes);
    }

    /** @return true while a TLS handshake is under way. */
    boolean handshaking()
    {
        return null != tls && !tls.isHandshakeDone();
    }

    /** @return true while an answer or TLS records wait for the socket. */
    boolean hasUnsent()
    {
        return out.position() > 0 || (null != tls && tls.hasPendingOutput());
    }

    /** @return bytes of the current request, head and body. */
    int requestLength()
    {
        return headLength + bodyLength;
    }

    /** Drop the current request's bytes, keeping any that a pipelining client sent after it. */
    void consumeRequest()
    {
        final int consumed = Math.min(held, requestLength());
        System.arraycopy(in, consumed, in, 0, held - consumed);
        held -= consumed;
        headLength = 0;
        bodyLength = 0;
        state = HEAD;
    }
}
