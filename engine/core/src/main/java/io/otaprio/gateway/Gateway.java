package io.otaprio.gateway;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.SubmissionSink;
import io.otaprio.admission.Transport;
import io.otaprio.identity.ClientIdentity;
import io.otaprio.identity.ListenerSecurity;
import io.otaprio.identity.TlsServer;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.sbe.OriginalState;
import io.otaprio.scheduler.CompletedMessage;
import io.otaprio.tls.TlsChannel;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * The engine's TCP transport: one NIO selector in non-blocking mode, polled with {@code selectNow()} from the
 * admission agent's duty cycle, so that the agent's idle strategy, not the selector, decides how the thread waits.
 * <pre>
 *   socket ──read──► read buffer ──SubmitAdapter──► Admission.submit ──► ResponseProxy: Ack | Reject ─┐
 *                    (per connection,  (submission                                                  │
 *                     preallocated)     in the message layout)                                      ▼
 *   socket ◄─write── outbound buffer (per connection, bounded) ◄── ResponseProxy: Completed ◄── onCompleted
 * </pre>
 * Each duty cycle: handle ready sockets ({@link #doWork}), hear of completions ({@link #onCompleted}), then write each
 * connection that has new replies ({@link #flush}). A write that is partial registers OP_WRITE until the socket drains.
 * <p>
 * What a connection gets for misbehaving:
 * <ul>
 *   <li>a Submit whose RequestID could be read but whose block or payload runs past its frame: Reject MALFORMED;</li>
 *   <li>a declared length above {@code maxFrameBytes} or below the header size, another encoding type, another
 *       schema, an unknown template id, or a partial frame at end of stream: the connection is closed (oversized
 *       lengths before a byte of the body is read: the read buffer is fixed, nothing is allocated);</li>
 *   <li>a reply that does not fit its outbound buffer (the client does not read): disconnected as a slow reader,
 *       logged once with its remote address.</li>
 * </ul>
 * Every other connection is unaffected; an unexpected exception closes only the connection it happened on.
 * <p>
 * Nothing is allocated per message: flyweight codecs, per-connection buffers pooled across connections, Agrona
 * primitive maps for message id to connection id (ids are never reused, so a late completion cannot reach a newer
 * connection). The map grows (once, amortised) only if more messages are in flight than its initial capacity.
 * <p>
 * Threading: the listening socket is bound in the constructor (on the thread that concludes the engine's context, so
 * {@link #boundPort()} is known and a busy port is reported before anything starts); everything else runs on the
 * admission thread. Its counters ({@link GatewayCounters}, from the context) may be read from any thread.
 */
public final class Gateway implements Transport
{
    /** Idle connections are looked for at half the timeout, at least once a second. */
    private static final long IDLE_CHECK_INTERVAL_MAX_NS = 1_000_000_000L;

    private static final int MISSING = -1;
    private static final int PENDING_COMPLETIONS_INITIAL_CAPACITY = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayCounters counters;
    private final ErrorHandler errorHandler;
    private final PriorityPolicy policy;
    private final int maxConnections;
    private final int maxFrameBytes;
    private final int readBufferBytes;
    private final int outboundBufferBytes;
    private final int socketSendBufferBytes;
    private final long idleTimeoutNs;
    private final EngineMetrics metrics;
    private final ListenerSecurity security;
    private final TlsServer tls;
    private final long checkIntervalNs;
    private final Selector selector;
    private final ServerSocketChannel server;
    private final int boundPort;

    private final Long2ObjectHashMap<Connection> connectionsById;
    private final Long2LongHashMap connectionIdByMessageId =
        new Long2LongHashMap(PENDING_COMPLETIONS_INITIAL_CAPACITY, 0.65f, MISSING);
    private final Connection[] pool;
    private final Connection[] flushList;
    private int pooled;
    private final Connection[] idleScratch;
    private long nowNs;
    private long nextIdleCheckNs;
    private int flushCount;
    private int openConnections;
    private long nextConnectionId = 1;
    private boolean accepting = true;
    private SubmissionSink sink;

    private final SubmitAdapter adapter = new SubmitAdapter();
    private final ResponseProxy proxy = new ResponseProxy();
    private final UnsafeBuffer submissionBuffer;
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
    private final RequestId requestId = new RequestId();
    private final AdmissionResult result = new AdmissionResult();

    private final UnsafeBuffer[] fullDetailByLevel = new UnsafeBuffer[PriorityPolicy.LEVELS + 1];
    private final UnsafeBuffer[] detailByReason = new UnsafeBuffer[RejectReason.values().length + 1];
    private final UnsafeBuffer fifoFullDetail = ResponseProxy.ascii("the single fifo ring is full");
    private final UnsafeBuffer duplicatePendingDetail = ResponseProxy.ascii(
        "RequestID is already pending as originalMessageId: its Completed now comes on this connection");
    private final UnsafeBuffer truncatedSubmitDetail = ResponseProxy.ascii("Submit block shorter than the schema's");
    private final UnsafeBuffer payloadPastFrameDetail =
        ResponseProxy.ascii("payload length runs past the end of the frame");

    private final Consumer<SelectionKey> onSelectedKey = this::onSelectedKey;

    /**
     * Open the selector and bind the listening socket.
     *
     * @param ctx the concluded context: address, limits, buffers, idle timeout, counters, error handler.
     * @throws IllegalArgumentException if a frame of {@code maxFrameBytes} cannot carry the largest payload.
     * @throws UncheckedIOException     naming the address if it cannot be bound.
     */
    public Gateway(final GatewayContext ctx)
    {
        this.counters = ctx.gatewayCounters();
        this.errorHandler = ctx.errorHandler();
        this.policy = ctx.policy();
        this.maxConnections = ctx.maxConnections();
        this.maxFrameBytes = ctx.maxFrameBytes();
        this.readBufferBytes = ctx.readBufferBytes();
        this.outboundBufferBytes = ctx.outboundBufferBytes();
        this.socketSendBufferBytes = ctx.socketSendBufferBytes();
        this.idleTimeoutNs = ctx.idleTimeoutNs();
        this.metrics = ctx.metrics();
        this.security = ctx.gatewaySecurity();
        this.tls = security.tls();
        long interval = IDLE_CHECK_INTERVAL_MAX_NS;
        if (idleTimeoutNs > 0)
        {
            interval = Math.min(interval, idleTimeoutNs / 2);
        }
        if (tls.enabled())
        {
            interval = Math.min(interval, tls.handshakeTimeoutNs() / 2);
        }
        this.checkIntervalNs = Math.max(1, interval);

        // A Submit carries at most MAX_SUBMIT_PAYLOAD_LENGTH bytes (a uint16 length), whatever the engine admits.
        final int largestSubmit = Framing.SUBMIT_FRAME_BASE_LENGTH +
            Math.min(ctx.maxPayloadBytes(), Framing.MAX_SUBMIT_PAYLOAD_LENGTH);
        if (maxFrameBytes < largestSubmit)
        {
            throw new IllegalArgumentException("gateway: maxFrameBytes " + maxFrameBytes +
                " cannot carry the largest Submit the engine admits (payload " +
                Math.min(ctx.maxPayloadBytes(), Framing.MAX_SUBMIT_PAYLOAD_LENGTH) + "); need >= " + largestSubmit);
        }
        // A frame bounds its payload, so the submission buffer never has to grow.
        submissionBuffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(maxFrameBytes)]);
        submission.wrap(submissionBuffer, 0);

        connectionsById = new Long2ObjectHashMap<>(maxConnections * 2, 0.65f);
        pool = new Connection[maxConnections];
        idleScratch = new Connection[maxConnections];
        flushList = new Connection[maxConnections];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            fullDetailByLevel[level] = ResponseProxy.ascii("level " + level + " is full (its ring or payload store)");
        }
        detailByReason[RejectReason.FULL.code()] = ResponseProxy.ascii("ring is full");
        detailByReason[RejectReason.DUPLICATE.code()] =
            ResponseProxy.ascii("RequestID completed within the dedup window: originalMessageId names it");
        detailByReason[RejectReason.MALFORMED.code()] =
            ResponseProxy.ascii("invalid code: SRV must be 1-4 components of 1..255, alert code 0..65535");
        detailByReason[RejectReason.TOO_LARGE.code()] =
            ResponseProxy.ascii("payload above maxPayloadBytes " + ctx.maxPayloadBytes());
        detailByReason[RejectReason.UNAVAILABLE.code()] =
            ResponseProxy.ascii("not accepting: shutting down, journal unavailable, or no cluster leader reachable");
        detailByReason[RejectReason.THROTTLED.code()] = ResponseProxy.ascii(
            "identical alerts from this device above the throttle's limit per window: counted, not queued");
        detailByReason[RejectReason.NOT_AUTHORISED.code()] = ResponseProxy.ascii(
            "originator is not one this connection's client certificate may use (clients: in the configuration)");
        detailByReason[RejectReason.UNKNOWN_KIND.code()] =
            ResponseProxy.ascii("kind must be 1 SERVICE_REQUEST, 2 ALERT or 3 RESPONSE");

        Selector openedSelector = null;
        ServerSocketChannel openedServer = null;
        try
        {
            openedSelector = Selector.open();
            openedServer = ServerSocketChannel.open();
            openedServer.configureBlocking(false);
            openedServer.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            openedServer.bind(new InetSocketAddress(ctx.gatewayHost(), ctx.gatewayPort()), maxConnections);
            openedServer.register(openedSelector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(openedServer);
            CloseHelper.quietClose(openedSelector);
            throw new UncheckedIOException("gateway: cannot listen on " + ctx.gatewayHost() + ":" +
                ctx.gatewayPort() + ": " + ex.getMessage(), ex);
        }
        catch (final UnresolvedAddressException ex)
        {
            CloseHelper.quietClose(openedServer);
            CloseHelper.quietClose(openedSelector);
            throw new IllegalArgumentException("gateway: cannot listen on " + ctx.gatewayHost() + ":" +
                ctx.gatewayPort() + ": no such address on this machine", ex);
        }
        selector = openedSelector;
        server = openedServer;
        boundPort = server.socket().getLocalPort();
    }

    /** @return the port actually listened on (the ephemeral one when configured with 0). Any thread. */
    public int boundPort()
    {
        return boundPort;
    }

    public void onStart(final Admission admission)
    {
        this.sink = admission;
    }

    /**
     * Hand submissions to another sink than the engine's admission: a cluster node's front end, which answers
     * through {@link #onAnswer}. Admission thread, after {@link #onStart}.
     *
     * @param sink where submissions go from now on.
     */
    public void submitTo(final SubmissionSink sink)
    {
        this.sink = sink;
    }

    /**
     * Accept, read and submit what the sockets have. Admission thread.
     *
     * @param nowNs the engine's epoch time.
     * @return units of work done; 0 lets the idle strategy wait.
     */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int work;
        // Every socket read of the cycle is one batch: one clock read, each lane published once; the answers are
        // written by flush, after the batch has ended.
        sink.beginBatch();
        try
        {
            work = selector.selectNow(onSelectedKey);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("gateway selector failed: " + ex.getMessage(), ex);
        }
        finally
        {
            sink.endBatch();
        }
        if ((idleTimeoutNs > 0 || tls.enabled()) && nowNs - nextIdleCheckNs >= 0)
        {
            nextIdleCheckNs = nowNs + checkIntervalNs;
            work += closeIdle();
        }
        return work;
    }

    public int flush(final long nowNs)
    {
        return flushAll();
    }

    private int closeIdle()
    {
        // Collected first: closing removes from the map being walked.
        int idle = 0;
        for (final Connection connection : connectionsById.values())
        {
            if (connection.handshaking() ? nowNs - connection.openedNs > tls.handshakeTimeoutNs() :
                idleTimeoutNs > 0 && connection.owedCompletions == 0 && connection.owedAnswers == 0 &&
                nowNs - connection.lastInboundNs > idleTimeoutNs)
            {
                idleScratch[idle++] = connection;
            }
        }
        for (int i = 0; i < idle; i++)
        {
            final Connection connection = idleScratch[i];
            idleScratch[i] = null;
            if (connection.handshaking())
            {
                security.handshakes().onTimedOut();
                log(connection, "closed: TLS handshake not done within " + tls.handshakeTimeoutNs() / 1_000_000 +
                    " ms (tls handshakeTimeout)");
            }
            else
            {
                counters.onIdleDisconnect();
                log(connection, "closed after sending nothing for " + (nowNs - connection.lastInboundNs) / 1_000_000 +
                    " ms with no Completed owed (gateway idleTimeout)");
            }
            close(connection);
        }
        return idle;
    }

    /**
     * Stop accepting, try once to write what each connection is owed, then close every socket and the selector.
     * Admission thread, as the agent stops.
     */
    public void onClose()
    {
        accepting = false;
        CloseHelper.quietClose(server);
        final Connection[] open = connectionsById.values().toArray(new Connection[0]);
        for (final Connection connection : open)
        {
            if (connection.open && connection.hasUnsent())
            {
                flush(connection);
            }
            close(connection);
        }
        CloseHelper.quietClose(selector);
    }

    /**
     * A completion: a Completed frame to the connection that submitted the message (or resent it last), if it is
     * still open. Admission thread.
     *
     * @param completed the completed message.
     */
    public void onCompleted(final CompletedMessage completed)
    {
        final long connectionId = connectionIdByMessageId.remove(completed.message().messageId());
        final Connection connection = MISSING == connectionId ? null : connectionsById.get(connectionId);
        if (null == connection)
        {
            // Its connection has gone, or it was submitted before a restart and replayed from the journal, or by
            // another transport.
            counters.onCompletionDropped();
            return;
        }
        connection.owedCompletions--;
        if (!proxy.completed(connection, completed))
        {
            counters.onCompletionDropped();
            slowReader(connection);
            return;
        }
        queued(connection);
    }

    private void onSelectedKey(final SelectionKey key)
    {
        Connection connection = null;
        try
        {
            if (!key.isValid())
            {
                return;
            }
            final int ready = key.readyOps();
            if ((ready & SelectionKey.OP_ACCEPT) != 0)
            {
                acceptAll();
                return;
            }
            connection = (Connection)key.attachment();
            if ((ready & SelectionKey.OP_WRITE) != 0 && !flush(connection))
            {
                return;
            }
            // A handshake that waited to write may have a peer's record already read and waiting to be unwrapped.
            if ((ready & SelectionKey.OP_READ) != 0 || connection.handshaking())
            {
                read(connection);
            }
        }
        catch (final CancelledKeyException ignore)
        {
            // Closed earlier in this cycle; its events no longer matter.
        }
        catch (final Exception ex)
        {
            // The loop boundary for one connection: count, report, drop that connection, keep serving the rest.
            counters.onError();
            errorHandler.onError(ex);
            if (null != connection)
            {
                close(connection);
            }
        }
    }

    private void acceptAll() throws IOException
    {
        SocketChannel channel;
        while (accepting && null != (channel = server.accept()))
        {
            if (openConnections >= maxConnections)
            {
                counters.onRefused();
                CloseHelper.quietClose(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (socketSendBufferBytes > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, socketSendBufferBytes);
                }
                final Connection connection;
                if (pooled > 0)
                {
                    connection = pool[--pooled];
                    pool[pooled] = null;
                }
                else
                {
                    connection = new Connection(readBufferBytes, outboundBufferBytes);
                }
                final SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
                final long id = nextConnectionId++;
                if (tls.enabled())
                {
                    if (null == connection.tls)
                    {
                        connection.tls = new TlsChannel(tls.sizes());
                    }
                    connection.tls.open(tls.newEngine(), channel);
                    connection.secure = true;
                }
                connection.open(id, channel, key, String.valueOf(channel.getRemoteAddress()),
                    tls.enabled() ? ClientIdentity.NOBODY : ClientIdentity.ANYONE, nowNs);
                connectionsById.put(id, connection);
                openConnections++;
                counters.onAccepted();
            }
            catch (final IOException ex)
            {
                // The client went away between connect and accept: nothing to serve.
                CloseHelper.quietClose(channel);
            }
        }
    }

    private void read(final Connection connection)
    {
        do
        {
            readOnce(connection);
        }
        while (connection.open && connection.secure && connection.tls.hasBufferedInput() && !connection.inputClosed);
    }

    private void readOnce(final Connection connection)
    {
        final int read;
        try
        {
            connection.readByteBuffer.limit(connection.readByteBuffer.capacity()).position(connection.readLimit);
            read = connection.secure ? readTls(connection) : connection.channel.read(connection.readByteBuffer);
        }
        catch (final SSLException ex)
        {
            tlsFailed(connection, ex);
            return;
        }
        catch (final IOException ex)
        {
            close(connection);
            return;
        }
        if (!connection.open)
        {
            return;
        }
        if (read < 0)
        {
            if (connection.handshaking())
            {
                security.handshakes().onFailed();
                log(connection, "closed by the client during the TLS handshake");
                close(connection);
                return;
            }
            if (connection.readLimit > 0)
            {
                counters.onMalformed();
                log(connection, "closed mid-frame with " + connection.readLimit + " bytes of a partial frame");
                close(connection);
                return;
            }
            // A half-close after whole frames: the client has sent its last Submit. Every Submit read is answered
            // before the connection is closed; Completed frames still to come are not waited for.
            connection.inputClosed = true;
            interest(connection);
            closeIfAnswered(connection);
            return;
        }
        if (0 == read)
        {
            return;
        }
        connection.readLimit += read;
        connection.lastInboundNs = nowNs;

        final UnsafeBuffer buffer = connection.readBuffer;
        int offset = 0;
        while (connection.open)
        {
            final int available = connection.readLimit - offset;
            if (available < Framing.HEADER_LENGTH)
            {
                break;
            }
            final long frameLength = Framing.frameLength(buffer, offset);
            if (frameLength > maxFrameBytes || frameLength < Framing.MIN_FRAME_LENGTH)
            {
                protocolError(connection, "frame length " + frameLength + " outside " + Framing.MIN_FRAME_LENGTH +
                    ".." + maxFrameBytes);
                return;
            }
            final int encodingType = Framing.encodingType(buffer, offset);
            if (encodingType != Framing.SBE_LITTLE_ENDIAN_ENCODING)
            {
                protocolError(connection, "encoding type 0x" + Integer.toHexString(encodingType) + " is not 0x" +
                    Integer.toHexString(Framing.SBE_LITTLE_ENDIAN_ENCODING));
                return;
            }
            if (available < frameLength)
            {
                break;
            }
            onFrame(connection, buffer, offset, (int)frameLength);
            offset += (int)frameLength;
        }

        if (connection.open && offset > 0)
        {
            // At most one partial frame remains, and it fits: readBufferBytes >= maxFrameBytes.
            final int remaining = connection.readLimit - offset;
            if (remaining > 0)
            {
                buffer.putBytes(0, buffer, offset, remaining);
            }
            connection.readLimit = remaining;
        }
    }

    private void onFrame(final Connection connection, final UnsafeBuffer buffer, final int offset, final int length)
    {
        counters.onFrameIn();
        switch (adapter.decode(buffer, offset, length, submission, requestId))
        {
            case SubmitAdapter.PROTOCOL_ERROR:
                protocolError(connection, adapter.protocolError());
                return;

            case SubmitAdapter.TRUNCATED_BLOCK:
                malformed(connection, truncatedSubmitDetail);
                return;

            case SubmitAdapter.PAYLOAD_PAST_FRAME:
                malformed(connection, payloadPastFrameDetail);
                return;

            default:
                break;
        }

        if (!security.authorise(connection.client, requestId.originator()))
        {
            // Refused before admission: never journaled, never in the resend index, so it cannot make the real
            // originator's requests DUPLICATE.
            metrics.onRejected(RejectReason.NOT_AUTHORISED);
            reply(connection, proxy.reject(connection, requestId, RejectReason.NOT_AUTHORISED,
                detailByReason[RejectReason.NOT_AUTHORISED.code()], -1, OriginalState.NONE));
            return;
        }
        if (sink.submit(submission, connection.id, result))
        {
            answer(connection, requestId, result);
        }
        else
        {
            connection.owedAnswers++;
        }
    }

    private void malformed(final Connection connection, final DirectBuffer detail)
    {
        counters.onMalformed();
        metrics.onRejected(RejectReason.MALFORMED);
        reply(connection, proxy.reject(connection, requestId, RejectReason.MALFORMED, detail, -1, OriginalState.NONE));
    }

    /**
     * The answer to a submission that was not answered at once (a cluster node's gateway hears it once the cluster
     * has decided): Ack or Reject to the connection that submitted it, if it is still open. Admission thread.
     *
     * @param connectionId the correlation id the submission was handed over with: its connection's id.
     * @param id           the submission's RequestID.
     * @param answer       what was decided.
     */
    public void onAnswer(final long connectionId, final RequestId id, final AdmissionResult answer)
    {
        final Connection connection = connectionsById.get(connectionId);
        if (null == connection)
        {
            // Gone before its answer came: an accepted message still completes, and a resend finds it.
            counters.onCompletionDropped();
            return;
        }
        connection.owedAnswers--;
        answer(connection, id, answer);
    }

    private void answer(final Connection connection, final RequestId id, final AdmissionResult result)
    {
        if (result.isAccepted())
        {
            connectionIdByMessageId.put(result.messageId(), connection.id);
            connection.owedCompletions++;
            reply(connection, proxy.ack(connection, id, result));
        }
        else if (RejectReason.DUPLICATE == result.reason())
        {
            final long original = result.originalMessageId();
            if (result.originalPending())
            {
                // The client resent because it is still waiting (perhaps on a new connection after a reconnect, or
                // after a restart, when no connection had it): the answer goes to whoever asked last.
                final long previous = connectionIdByMessageId.put(original, connection.id);
                if (previous != connection.id)
                {
                    connection.owedCompletions++;
                    final Connection earlier = MISSING == previous ? null : connectionsById.get(previous);
                    if (null != earlier)
                    {
                        earlier.owedCompletions--;
                    }
                }
                reply(connection, proxy.reject(connection, id, RejectReason.DUPLICATE, duplicatePendingDetail,
                    original, OriginalState.PENDING));
            }
            else
            {
                reply(connection, proxy.reject(connection, id, RejectReason.DUPLICATE,
                    detailByReason[RejectReason.DUPLICATE.code()], original, OriginalState.COMPLETED));
            }
        }
        else
        {
            reply(connection, proxy.reject(connection, id, result.reason(), detail(result), -1, OriginalState.NONE));
        }
    }

    private DirectBuffer detail(final AdmissionResult result)
    {
        if (RejectReason.FULL == result.reason())
        {
            // The answer names the lane to back off from.
            return policy.isFifo() ? fifoFullDetail : fullDetailByLevel[result.level()];
        }
        return detailByReason[result.reason().code()];
    }

    private void reply(final Connection connection, final boolean encoded)
    {
        if (encoded)
        {
            queued(connection);
        }
        else
        {
            slowReader(connection);
        }
    }

    private void queued(final Connection connection)
    {
        counters.onFrameOut();
        if (!connection.inFlushList && !connection.writeBlocked)
        {
            connection.inFlushList = true;
            flushList[flushCount++] = connection;
        }
    }

    private int flushAll()
    {
        final int count = flushCount;
        for (int i = 0; i < count; i++)
        {
            final Connection connection = flushList[i];
            flushList[i] = null;
            connection.inFlushList = false;
            if (connection.open && !connection.writeBlocked && connection.hasUnsent())
            {
                flush(connection);
            }
        }
        flushCount = 0;
        return count;
    }

    /**
     * Write what the socket takes without blocking.
     *
     * @return false if the connection was closed.
     */
    private boolean flush(final Connection connection)
    {
        try
        {
            connection.outboundByteBuffer.limit(connection.outboundLimit).position(connection.sendPosition);
            if (connection.secure)
            {
                connection.tls.write(connection.outboundByteBuffer);
            }
            else
            {
                connection.channel.write(connection.outboundByteBuffer);
            }
            connection.sendPosition = connection.outboundByteBuffer.position();
        }
        catch (final IOException ex)
        {
            close(connection);
            return false;
        }

        if (connection.sendPosition == connection.outboundLimit)
        {
            connection.sendPosition = 0;
            connection.outboundLimit = 0;
        }
        if (!connection.hasUnsent())
        {
            if (connection.writeBlocked)
            {
                connection.writeBlocked = false;
                interest(connection);
            }
            return !closeIfAnswered(connection);
        }
        else if (!connection.writeBlocked)
        {
            connection.writeBlocked = true;
            interest(connection);
        }
        return true;
    }

    private static void interest(final Connection connection)
    {
        connection.key.interestOps((connection.inputClosed ? 0 : SelectionKey.OP_READ) |
            (connection.writeBlocked ? SelectionKey.OP_WRITE : 0));
    }

    /**
     * @return true when the connection was closed: its client half-closed and every answer it is owed is written.
     */
    private boolean closeIfAnswered(final Connection connection)
    {
        if (connection.inputClosed && 0 == connection.owedAnswers && !connection.hasUnsent())
        {
            close(connection);
            return true;
        }
        return false;
    }

    /**
     * @return application bytes read, as {@link TlsChannel#read}; names the client once its handshake is done.
     */
    private int readTls(final Connection connection) throws IOException
    {
        final TlsChannel channel = connection.tls;
        final int read = channel.read(connection.readByteBuffer);
        if (ClientIdentity.NOBODY == connection.client && channel.isHandshakeDone())
        {
            connection.client = tls.identify(channel.engine().getSession());
            if (ClientIdentity.NOBODY == connection.client)
            {
                security.handshakes().onFailed();
                log(connection, "closed: its certificate names no client");
                close(connection);
                return 0;
            }
            security.handshakes().onCompleted();
        }
        if (channel.hasPendingOutput() && !connection.writeBlocked)
        {
            // The handshake's next flight did not all fit the socket: finish it when the socket can take more.
            connection.writeBlocked = true;
            interest(connection);
        }
        return read;
    }

    private void tlsFailed(final Connection connection, final SSLException ex)
    {
        if (connection.handshaking())
        {
            security.handshakes().onFailed();
            log(connection, "closed: TLS handshake failed: " + ex.getMessage());
        }
        else
        {
            log(connection, "closed: TLS failed: " + ex.getMessage());
        }
        close(connection);
    }

    private void slowReader(final Connection connection)
    {
        counters.onSlowReader();
        log(connection, "disconnected as a slow reader: " + connection.pendingBytes() +
            " bytes unsent, outbound buffer of " + outboundBufferBytes + " bytes cannot take the next reply");
        close(connection);
    }

    private void protocolError(final Connection connection, final String why)
    {
        counters.onMalformed();
        log(connection, "closed on a protocol error: " + why);
        close(connection);
    }

    private void close(final Connection connection)
    {
        if (!connection.open)
        {
            return;
        }
        connectionsById.remove(connection.id);
        if (null != connection.key)
        {
            connection.key.cancel();
        }
        if (connection.secure)
        {
            connection.tls.closeOutbound();
        }
        CloseHelper.quietClose(connection.channel);
        connection.release();
        openConnections--;
        counters.onClosed();
        pool[pooled++] = connection;
    }

    private static void log(final Connection connection, final String message)
    {
        LOG.log(System.Logger.Level.WARNING, "gateway connection " + connection.id + " " +
            connection.remoteAddress + " " + message);
    }

}
