package io.otaprio.gateway;

import io.otaprio.admission.Admission;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.sbe.AckEncoder;
import io.otaprio.protocol.sbe.Bool;
import io.otaprio.protocol.sbe.CompletedEncoder;
import io.otaprio.protocol.sbe.MessageHeaderDecoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.Reason;
import io.otaprio.protocol.sbe.RejectEncoder;
import io.otaprio.protocol.sbe.SubmitDecoder;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.scheduler.CompletionRelay;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
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
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The engine's TCP front end: one NIO selector in non-blocking mode, polled with {@code selectNow()} from
 * {@link #doWork()} so that the configured idle strategy, not the selector, decides how the thread waits.
 * <pre>
 *   socket ──read──► read buffer ──SubmitDecoder──► Admission.submit ──► Ack | Reject ─┐
 *                    (per connection,              (payload passed as a view            │
 *                     preallocated)                 over the read buffer)               ▼
 *   socket ◄─write── outbound buffer (per connection, bounded) ◄── Completed ◄── CompletionRelay.drain
 * </pre>
 * Each duty cycle: feed the recovery backlog (while a replay runs), handle ready sockets, drain completions, then
 * write each connection that has new replies. A write that is partial registers OP_WRITE until the socket drains.
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
 * primitive maps for messageId to connection id (ids are never reused, so a late completion cannot reach a newer
 * connection). The map grows (once, amortised) only if more messages are in flight than its initial capacity.
 * <p>
 * Threading: the gateway thread is THE admission thread: {@link #doWork()} calls {@link Admission#submit} and the
 * replay feeder, so nothing else may submit to the same engine while the gateway runs. Construct on any thread
 * (the listening socket is bound in the constructor, so {@link #boundPort()} is known before the thread starts),
 * then run with {@link GatewayRunner}. {@link #counters()} may be read from any thread.
 */
public final class Gateway implements Agent
{
    /** Bytes of the RequestID at the start of a Submit block: what a MALFORMED reply needs to be correlated. */
    private static final int REQUEST_ID_LENGTH = 24;
    /** Idle connections are looked for at half the timeout, at least once a second. */
    private static final long IDLE_CHECK_INTERVAL_MAX_NS = 1_000_000_000L;

    private static final int MISSING = -1;
    private static final int PENDING_COMPLETIONS_INITIAL_CAPACITY = 64 * 1024;
    private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

    private final GatewayConfig config;
    private final Admission admission;
    private final ReplayFeeder replayFeeder;
    private final CompletionRelay relay;
    private final PriorityPolicy policy;
    private final GatewayCounters counters = new GatewayCounters();
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

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final SubmitDecoder submitDecoder = new SubmitDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final RejectEncoder rejectEncoder = new RejectEncoder();
    private final CompletedEncoder completedEncoder = new CompletedEncoder();

    private final UnsafeBuffer[] fullDetailByLevel = new UnsafeBuffer[PriorityPolicy.LEVELS + 1];
    private final UnsafeBuffer[] detailByReason = new UnsafeBuffer[RejectReason.values().length + 1];
    private final UnsafeBuffer fifoFullDetail = ascii("the single fifo ring is full");
    private final UnsafeBuffer duplicatePendingDetail =
        ascii("RequestID is already pending as originalMessageId: its Completed now comes on this connection");
    private final UnsafeBuffer truncatedSubmitDetail = ascii("Submit block shorter than the schema's");
    private final UnsafeBuffer payloadPastFrameDetail = ascii("payload length runs past the end of the frame");

    private final Consumer<SelectionKey> onSelectedKey = this::onSelectedKey;
    private final CompletionRelay.Handler onCompleted = this::onCompleted;

    /**
     * Open the selector and bind the listening socket.
     *
     * @param config       settings; concluded here.
     * @param admission    the engine's admission; the gateway thread becomes its only admission thread.
     * @param replayFeeder the engine's recovery backlog feeder, or null when it has none.
     * @param policy       the engine's policy (to name the full lane in a FULL reject).
     * @param relay        the relay installed as the engine's completion listener, or null to push no Completed
     *                     frames.
     * @throws IllegalArgumentException if a frame of {@code maxFrameBytes} cannot carry the engine's largest payload.
     * @throws UncheckedIOException     if the address cannot be bound.
     */
    public Gateway(
        final GatewayConfig config,
        final Admission admission,
        final ReplayFeeder replayFeeder,
        final PriorityPolicy policy,
        final CompletionRelay relay)
    {
        this.config = config.conclude();
        this.admission = admission;
        this.replayFeeder = replayFeeder;
        this.relay = relay;
        this.policy = policy;

        final int largestSubmit = Framing.SUBMIT_FRAME_BASE_LENGTH + admission.maxPayloadBytes();
        if (config.maxFrameBytes() < largestSubmit)
        {
            throw new IllegalArgumentException("gateway: maxFrameBytes " + config.maxFrameBytes() +
                " cannot carry the engine's maxPayloadBytes " + admission.maxPayloadBytes() + "; need >= " +
                largestSubmit);
        }

        connectionsById = new Long2ObjectHashMap<>(config.maxConnections() * 2, 0.65f);
        pool = new Connection[config.maxConnections()];
        idleScratch = new Connection[config.maxConnections()];
        flushList = new Connection[config.maxConnections()];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            fullDetailByLevel[level] = ascii("ring of level " + level + " is full");
        }
        detailByReason[RejectReason.FULL.code()] = ascii("ring is full");
        detailByReason[RejectReason.DUPLICATE.code()] =
            ascii("RequestID completed within the dedup window: originalMessageId names it");
        detailByReason[RejectReason.MALFORMED.code()] =
            ascii("invalid code: SRV must be 1-4 components of 1..255, alert code 0..65535");
        detailByReason[RejectReason.TOO_LARGE.code()] =
            ascii("payload above maxPayloadBytes " + admission.maxPayloadBytes());
        detailByReason[RejectReason.UNAVAILABLE.code()] =
            ascii("engine is not accepting: shutting down or journal unavailable");
        detailByReason[RejectReason.THROTTLED.code()] =
            ascii("identical alerts from this device above the throttle's limit per window: counted, not queued");
        detailByReason[RejectReason.UNKNOWN_KIND.code()] =
            ascii("kind must be 1 SERVICE_REQUEST, 2 ALERT or 3 RESPONSE");

        Selector openedSelector = null;
        ServerSocketChannel openedServer = null;
        try
        {
            openedSelector = Selector.open();
            openedServer = ServerSocketChannel.open();
            openedServer.configureBlocking(false);
            openedServer.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            openedServer.bind(new InetSocketAddress(config.bindAddress(), config.port()), config.maxConnections());
            openedServer.register(openedSelector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(openedServer);
            CloseHelper.quietClose(openedSelector);
            throw new UncheckedIOException("gateway: cannot listen on " + config.bindAddress() + ":" +
                config.port() + ": " + ex.getMessage(), ex);
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

    /** @return the configuration, concluded. */
    public GatewayConfig config()
    {
        return config;
    }

    /** @return live counters; any thread may read them. */
    public GatewayCounters counters()
    {
        return counters;
    }

    public String roleName()
    {
        return "otaprio-gateway";
    }

    /**
     * One duty cycle. Gateway thread only.
     *
     * @return units of work done; 0 lets the idle strategy wait.
     */
    public int doWork() throws IOException
    {
        int work = 0;
        nowNs = System.nanoTime();
        if (null != replayFeeder && !replayFeeder.isDone())
        {
            work += replayFeeder.feed(config.replayFeedLimit());
        }
        work += selector.selectNow(onSelectedKey);
        if (null != relay)
        {
            work += relay.drain(onCompleted, config.completionDrainLimit());
        }
        work += flushAll();
        work += admission.poll(admission.clock().nanoTime());
        if (config.idleTimeoutNs() > 0 && nowNs - nextIdleCheckNs >= 0)
        {
            nextIdleCheckNs = nowNs + Math.min(config.idleTimeoutNs() / 2, IDLE_CHECK_INTERVAL_MAX_NS);
            work += closeIdle();
        }
        return work;
    }

    private int closeIdle()
    {
        // Collected first: closing removes from the map being walked.
        int idle = 0;
        for (final Connection connection : connectionsById.values())
        {
            if (connection.owedCompletions == 0 && nowNs - connection.lastInboundNs > config.idleTimeoutNs())
            {
                idleScratch[idle++] = connection;
            }
        }
        for (int i = 0; i < idle; i++)
        {
            final Connection connection = idleScratch[i];
            idleScratch[i] = null;
            counters.onIdleDisconnect();
            log(connection, "closed after sending nothing for " + (nowNs - connection.lastInboundNs) / 1_000_000 +
                " ms with no Completed owed (gateway idleTimeout)");
            close(connection);
        }
        return idle;
    }

    /**
     * Stop accepting, try once to write what each connection is owed, then close every socket and the selector.
     * Gateway thread (the runner calls it as the thread exits).
     */
    public void onClose()
    {
        accepting = false;
        CloseHelper.quietClose(server);
        final Connection[] open = connectionsById.values().toArray(new Connection[0]);
        for (final Connection connection : open)
        {
            if (connection.open && connection.pendingBytes() > 0)
            {
                flush(connection);
            }
            close(connection);
        }
        CloseHelper.quietClose(selector);
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
            if ((ready & SelectionKey.OP_READ) != 0)
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
            config.errorHandler().onError(ex);
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
            if (openConnections >= config.maxConnections())
            {
                counters.onRefused();
                CloseHelper.quietClose(channel);
                continue;
            }
            try
            {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (config.socketSendBufferBytes() > 0)
                {
                    channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
                }
                final Connection connection;
                if (pooled > 0)
                {
                    connection = pool[--pooled];
                    pool[pooled] = null;
                }
                else
                {
                    connection = new Connection(config.readBufferBytes(), config.outboundBufferBytes());
                }
                final SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
                final long id = nextConnectionId++;
                connection.open(id, channel, key, String.valueOf(channel.getRemoteAddress()), nowNs);
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
        final int read;
        try
        {
            connection.readByteBuffer.limit(connection.readByteBuffer.capacity()).position(connection.readLimit);
            read = connection.channel.read(connection.readByteBuffer);
        }
        catch (final IOException ex)
        {
            close(connection);
            return;
        }
        if (read < 0)
        {
            if (connection.readLimit > 0)
            {
                counters.onMalformed();
                log(connection, "closed mid-frame with " + connection.readLimit + " bytes of a partial frame");
            }
            close(connection);
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
            if (frameLength > config.maxFrameBytes() || frameLength < Framing.MIN_FRAME_LENGTH)
            {
                protocolError(connection, "frame length " + frameLength + " outside " + Framing.MIN_FRAME_LENGTH +
                    ".." + config.maxFrameBytes());
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
        headerDecoder.wrap(buffer, offset + Framing.HEADER_LENGTH);
        final int templateId = headerDecoder.templateId();
        final int schemaId = headerDecoder.schemaId();
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || templateId != SubmitDecoder.TEMPLATE_ID)
        {
            protocolError(connection, "schema " + schemaId + " template " + templateId + " is not a Submit of schema " +
                MessageHeaderDecoder.SCHEMA_ID);
            return;
        }
        final int blockLength = headerDecoder.blockLength();
        final int blockOffset = offset + Framing.MIN_FRAME_LENGTH;
        final int frameEnd = offset + length;
        if (blockLength < REQUEST_ID_LENGTH || blockOffset + REQUEST_ID_LENGTH > frameEnd)
        {
            protocolError(connection, "Submit too short to carry a RequestID (block " + blockLength + ", frame " +
                length + ")");
            return;
        }

        submitDecoder.wrap(buffer, blockOffset, blockLength, headerDecoder.version());
        final long originator = submitDecoder.originator();
        final long target = submitDecoder.target();
        final long counter = submitDecoder.counter();
        final int payloadHeaderOffset = blockOffset + blockLength;
        if (blockLength < SubmitDecoder.BLOCK_LENGTH ||
            payloadHeaderOffset + SubmitDecoder.payloadHeaderLength() > frameEnd)
        {
            counters.onMalformed();
            sendReject(connection, originator, target, counter, RejectReason.MALFORMED, truncatedSubmitDetail);
            return;
        }
        final int payloadLength = submitDecoder.payloadLength();
        final int payloadOffset = payloadHeaderOffset + SubmitDecoder.payloadHeaderLength();
        if (payloadOffset + payloadLength > frameEnd)
        {
            counters.onMalformed();
            sendReject(connection, originator, target, counter, RejectReason.MALFORMED, payloadPastFrameDetail);
            return;
        }

        // The raw kind, not the generated enum: an unknown value must become UNKNOWN_KIND, not an exception.
        final int kind = submitDecoder.kindRaw();
        final int code = (int)submitDecoder.code();
        final long result = admission.submit(kind, code, originator, target, counter, buffer, payloadOffset,
            payloadLength);
        if (result >= 0)
        {
            connectionIdByMessageId.put(result, connection.id);
            connection.owedCompletions++;
            sendAck(connection, originator, target, counter, result, admission.lastLevel(),
                admission.lastDemotedFrom());
        }
        else if (-RejectReason.DUPLICATE.code() == result)
        {
            final long original = admission.lastDuplicateOf();
            if (admission.lastDuplicatePending())
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
                sendReject(connection, originator, target, counter, RejectReason.DUPLICATE, duplicatePendingDetail,
                    original);
            }
            else
            {
                sendReject(connection, originator, target, counter, RejectReason.DUPLICATE,
                    detailByReason[RejectReason.DUPLICATE.code()], original);
            }
        }
        else
        {
            final RejectReason reason = RejectReason.fromCode(result);
            sendReject(connection, originator, target, counter, reason, detail(reason, kind, code));
        }
    }

    private DirectBuffer detail(final RejectReason reason, final int kind, final int code)
    {
        if (RejectReason.FULL == reason)
        {
            // FULL only follows validation, so the kind and code classify; the answer names the lane to back off.
            final MessageKind messageKind = MessageKind.fromValue(kind);
            if (policy.isFifo())
            {
                return fifoFullDetail;
            }
            if (null != messageKind)
            {
                return fullDetailByLevel[policy.level(policy.classify(messageKind, code))];
            }
        }
        return detailByReason[reason.code()];
    }

    private void onCompleted(
        final long messageId,
        final long originator,
        final long target,
        final long counter,
        final int level,
        final long acceptTimeNs,
        final long completedNs,
        final long trtNs,
        final int outcome)
    {
        // Resend detection hears of every completion, whoever (if anyone) is waiting for it.
        admission.onCompleted(originator, target, counter, messageId, completedNs);
        final long connectionId = connectionIdByMessageId.remove(messageId);
        final Connection connection = MISSING == connectionId ? null : connectionsById.get(connectionId);
        if (null == connection)
        {
            // Its connection has gone, or it was submitted before a restart and replayed from the journal.
            counters.onCompletionDropped();
            return;
        }
        connection.owedCompletions--;
        final int offset = connection.claim(Framing.COMPLETED_FRAME_LENGTH);
        if (offset < 0)
        {
            counters.onCompletionDropped();
            slowReader(connection);
            return;
        }
        final long latencyNs = completedNs - acceptTimeNs;
        Framing.putHeader(connection.outboundBuffer, offset, Framing.COMPLETED_FRAME_LENGTH);
        completedEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(originator)
            .target(target)
            .counter(counter)
            .messageId(messageId)
            .engineLatencyUs(latencyNs / 1000)
            .level((short)level)
            .outcome((short)outcome)
            .trtMet(latencyNs <= trtNs ? Bool.TRUE : Bool.FALSE);
        queued(connection);
    }

    private void sendAck(
        final Connection connection,
        final long originator,
        final long target,
        final long counter,
        final long messageId,
        final int level,
        final int demotedFrom)
    {
        final int offset = connection.claim(Framing.ACK_FRAME_LENGTH);
        if (offset < 0)
        {
            slowReader(connection);
            return;
        }
        Framing.putHeader(connection.outboundBuffer, offset, Framing.ACK_FRAME_LENGTH);
        ackEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(originator)
            .target(target)
            .counter(counter)
            .messageId(messageId)
            .level((short)level)
            .demotedFrom((short)demotedFrom);
        queued(connection);
    }

    private void sendReject(
        final Connection connection,
        final long originator,
        final long target,
        final long counter,
        final RejectReason reason,
        final DirectBuffer detail)
    {
        sendReject(connection, originator, target, counter, reason, detail, -1);
    }

    private void sendReject(
        final Connection connection,
        final long originator,
        final long target,
        final long counter,
        final RejectReason reason,
        final DirectBuffer detail,
        final long originalMessageId)
    {
        final int detailLength = Math.min(detail.capacity(), Framing.MAX_DETAIL_LENGTH);
        final int frameLength = Framing.MIN_FRAME_LENGTH + RejectEncoder.BLOCK_LENGTH +
            RejectEncoder.detailHeaderLength() + detailLength;
        final int offset = connection.claim(frameLength);
        if (offset < 0)
        {
            slowReader(connection);
            return;
        }
        Framing.putHeader(connection.outboundBuffer, offset, frameLength);
        rejectEncoder.wrapAndApplyHeader(connection.outboundBuffer, offset + Framing.HEADER_LENGTH, headerEncoder)
            .originator(originator)
            .target(target)
            .counter(counter)
            .reason(Reason.get((short)reason.code()))
            .originalMessageId(originalMessageId)
            .putDetail(detail, 0, detailLength);
        queued(connection);
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
            if (connection.open && !connection.writeBlocked && connection.pendingBytes() > 0)
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
            connection.channel.write(connection.outboundByteBuffer);
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
            if (connection.writeBlocked)
            {
                connection.writeBlocked = false;
                connection.key.interestOps(SelectionKey.OP_READ);
            }
        }
        else if (!connection.writeBlocked)
        {
            connection.writeBlocked = true;
            connection.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
        return true;
    }

    private void slowReader(final Connection connection)
    {
        counters.onSlowReader();
        log(connection, "disconnected as a slow reader: " + connection.pendingBytes() +
            " bytes unsent, outbound buffer of " + config.outboundBufferBytes() + " bytes cannot take the next reply");
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

    private static UnsafeBuffer ascii(final String text)
    {
        return new UnsafeBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
