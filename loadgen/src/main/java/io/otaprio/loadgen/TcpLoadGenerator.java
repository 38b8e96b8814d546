package io.otaprio.loadgen;

import io.otaprio.config.HostPort;
import io.otaprio.protocol.ClientCodec;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The load generator as a separate process: N non-blocking TCP connections to the engine's gateway, driven from one
 * thread by an {@link OpenLoop}, which sends each message at its intended time (or as soon after as a connection
 * can take it) and measures its end-to-end latency from that time to the receipt of its Completed frame. Frames
 * are encoded and decoded by the client library's {@link ClientCodec} into preallocated buffers. With a client's TLS
 * context each connection is mutual TLS 1.3 ({@link Wire}): the same frames, encrypted from and decrypted into the
 * same buffers; a connection counts as made once its handshake has finished.
 * <p>
 * If the engine goes away (a DR event), the schedule keeps running: the generator reconnects every 100 ms and
 * sends what fell due while it was down, late, and the lateness counts in
 * the latency, as it would for real DCC Users. If no connection can be made at all, it says so once (on the
 * progress stream), keeps trying until the load ends at the profile's duration, and ends then: nothing was sent,
 * so there is nothing to wait for ({@link #hasConnected()} tells the caller). It never blocks on a connect and never
 * spins a core while it has nothing to do ({@link OpenLoopIdleStrategy}).
 * <p>
 * RequestIDs: the counter of message number {@code n} is {@code base + n}, with a base different for every run
 * (24 bits of the wall clock in milliseconds, 8 of the process's run number, then 31 bits of message number), so
 * that a second run against the same engine is not answered DUPLICATE for the first run's RequestIDs.
 * <p>
 * Follow-ups ({@link TrafficMix}): the second step of a Critical command is sent with the first step's RequestID and
 * commandVariant 5 (the first with 4), and a response with the RequestID of the request it answers. Their Acks and
 * Completed frames name that shared RequestID, so the first answer of each kind for a RequestID is the earlier
 * message's and the next is its follow-up's (should the two complete in the other order, their latencies are
 * swapped; every message is still answered once). A future-dated request is sent as an ordinary one: the Submit has
 * no due time. With {@code resend} (a cluster's client) every message, follow-ups too, has a RequestID of its own.
 * <p>
 * Threading: one thread calls {@link #run()} and does everything; any thread may call {@link #stop()},
 * {@link #elapsedSeconds()} and {@link #openLoop()}{@code .splitAt}; the rest is read after {@link #run()} returns.
 */
public final class TcpLoadGenerator
{
    private static final long RECONNECT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BUFFER_BYTES = 1 << 20;
    private static final long QUIET_NS = TimeUnit.SECONDS.toNanos(3);
    private static final int SEND_LIMIT = 1024;
    private static final AtomicLong RUNS = new AtomicLong();
    private static final long RESENDS_PER_SECOND = 5_000;
    private static final double RESEND_BURST = 500;
    /** After a resend is refused (no leader this instant, a log behind), resends pause this long. */
    private static final long RESEND_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(250);
    /** The start of a DUPLICATE's detail when its original has completed (docs/protocol.md). */
    private static final String DUPLICATE_COMPLETED_DETAIL = "RequestID completed";

    /**
     * What to run.
     *
     * @param endpoints   the engine's gateways: one engine, or every node of a cluster (any node takes submissions).
     *                    Connection {@code i} starts at endpoint {@code i mod n} and moves to the next when its node
     *                    cannot be reached.
     * @param connections TCP connections to spread the load over, at least 1.
     * @param load        the open-loop load: policy (for each level's TRT budget in the report; the engine
     *                    classifies, not the generator), mix, profile, seed, capacity, drain timeout, progress.
     * @param resend      when a connection is lost, send its messages without a final answer again on another
     *                    (a cluster's client: nothing acknowledged, or sent, is given up); otherwise they are lost
     *                    to this client, as they are to a client of a single engine that restarts.
     * @param tls         a client's TLS context (mutual TLS 1.3: its certificate, the engine's CA), or null for plain
     *                    TCP. The engine admits its Submits only under the originators its {@code clients:} entry
     *                    names: give the load those ({@link OpenLoop.Settings#originators()}).
     */
    public record Settings(
        List<HostPort> endpoints,
        int connections,
        OpenLoop.Settings load,
        boolean resend,
        SSLContext tls)
    {
        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the setting and the value it refuses.
         */
        public Settings
        {
            endpoints = List.copyOf(endpoints);
            if (endpoints.isEmpty())
            {
                throw new IllegalArgumentException("at least one engine address is required");
            }
            for (final HostPort endpoint : endpoints)
            {
                if (null == endpoint.host() || endpoint.host().isBlank() || endpoint.port() < 1 ||
                    endpoint.port() > 65_535)
                {
                    throw new IllegalArgumentException("the engine's address must be a host and a port 1..65535, " +
                        "got " + endpoint.host() + ":" + endpoint.port());
                }
            }
            if (connections < 1)
            {
                throw new IllegalArgumentException("connections must be >= 1, got " + connections);
            }
            if (null == load)
            {
                throw new IllegalArgumentException("a load is required");
            }
        }

        /**
         * Plain TCP.
         *
         * @param endpoints   the engine's gateways.
         * @param connections TCP connections to spread the load over, at least 1.
         * @param load        the open-loop load.
         * @param resend      send again what a lost connection left without a final answer.
         */
        public Settings(
            final List<HostPort> endpoints,
            final int connections,
            final OpenLoop.Settings load,
            final boolean resend)
        {
            this(endpoints, connections, load, resend, null);
        }

        /**
         * One engine, no resends, plain TCP.
         *
         * @param host        engine gateway host.
         * @param port        engine gateway port.
         * @param connections TCP connections to spread the load over, at least 1.
         * @param load        the open-loop load.
         */
        public Settings(final String host, final int port, final int connections, final OpenLoop.Settings load)
        {
            this(List.of(new HostPort(host, port)), connections, load, false, null);
        }
    }

    private final Settings settings;
    private final OpenLoop load;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final Connection[] connections;
    private final ClientCodec codec = new ClientCodec(BUFFER_BYTES);
    private final ProtocolEvent event = new ProtocolEvent();
    private final RequestId requestId = new RequestId();
    private final UnsafeBuffer payload;
    private final LongHashSet ackedIds;
    /** The follow-up sent with an earlier message's RequestID: that message's number to the follow-up's. */
    private final Long2LongHashMap followUps = new Long2LongHashMap(-1);
    /** Per message number, whether its Ack (bit 0 of a pair) and its Completed (bit 1) have arrived. */
    private final long[] answered;
    private final OpenLoop.Sender sender = this::send;
    private final ResendLedger ledger;
    private final InetSocketAddress[] addresses;
    private final long counterBase = nextCounterBase();
    private volatile boolean stop;
    private volatile long startNs;
    private long nextResendNs;
    private double resendTokens = RESEND_BURST;
    private long lastResendNs;
    private volatile long markNumber = Long.MAX_VALUE;
    private volatile long firstAckAfterMarkNs;
    private boolean everConnected;
    private boolean noticePrinted;
    private String connectFailure;
    private long disconnects;
    private long lastFrameNs;
    private int nextConnection;

    private TcpLoadGenerator(final Settings settings)
    {
        this.settings = settings;
        this.load = new OpenLoop(settings.load(), this::appendProgress);
        this.connections = new Connection[settings.connections()];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new Connection(i, i % settings.endpoints().size());
        }
        addresses = new InetSocketAddress[settings.endpoints().size()];
        ledger = new ResendLedger(settings.resend() ? load.capacity() : 0);
        // Presized for every message the run can send: growing a set of millions rehashes all of it in one go,
        // which stalled this thread for tens of milliseconds and showed up as latency at every level.
        ackedIds = new LongHashSet((int)Math.min(1 << 28, settings.load().profile().expectedMessages() * 1.2 + 10_000));
        answered = new long[settings.resend() ? 0 : load.capacity() / 32 + 1];
        final int largest = settings.load().mix().maxPayloadBytes();
        if (largest > Framing.MAX_SUBMIT_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("traffic mix: a TCP Submit carries at most " +
                Framing.MAX_SUBMIT_PAYLOAD_LENGTH + " payload bytes (a uint16 length), the mix has " + largest);
        }
        payload = new UnsafeBuffer(new byte[Math.max(64, largest)]);
        for (int i = 0; i < payload.capacity(); i++)
        {
            payload.putByte(i, (byte)i);
        }
    }

    /**
     * @param settings what to run.
     * @return the generator; call {@link #run()}.
     */
    public static TcpLoadGenerator create(final Settings settings)
    {
        return new TcpLoadGenerator(settings);
    }

    private static long nextCounterBase()
    {
        // 24 bits of the wall clock in milliseconds (runs one after another differ, across processes too), 8 bits
        // of this process's run number (runs started in the same millisecond differ), 31 bits of message number.
        return (((System.currentTimeMillis() & 0xFF_FFFFL) << 8) | (RUNS.getAndIncrement() & 0xFF)) << 31;
    }

    /** Ask {@link #run()} to finish early: the load ends and the wait for answers with it; any thread. */
    public void stop()
    {
        stop = true;
    }

    /**
     * @return the open loop this generator drives: {@code splitAt} from any thread; its figures after
     * {@link #run()} returns.
     */
    public OpenLoop openLoop()
    {
        return load;
    }

    /** @return seconds since the schedule started (negative before it starts); any thread. */
    public double elapsedSeconds()
    {
        final long start = startNs;
        return 0 == start ? -1 : (clock.nanoTime() - start) / 1e9;
    }

    /** @return ids of every message the engine acknowledged. Read after {@link #run()} returns. */
    public LongHashSet ackedIds()
    {
        return ackedIds;
    }

    /** @return times an established connection was lost. Read after {@link #run()} returns. */
    public long disconnects()
    {
        return disconnects;
    }

    /** @return whether any connection to the engine was ever established. Read after {@link #run()} returns. */
    public boolean hasConnected()
    {
        return everConnected;
    }

    /** @return why the last connection attempt failed, or null if none did. Read after {@link #run()} returns. */
    public String connectFailure()
    {
        return connectFailure;
    }

    /** @return the engine's addresses as given, {@code host:port[,host:port...]}. */
    public String endpoint()
    {
        final StringBuilder text = new StringBuilder();
        for (final HostPort endpoint : settings.endpoints())
        {
            text.append(text.length() == 0 ? "" : ",").append(endpoint.host()).append(':').append(endpoint.port());
        }
        return text.toString();
    }

    /**
     * Note the time of the first Ack for a message sent from now on: after a DR event, when the cluster
     * acknowledges new messages again. Any thread.
     *
     * @return the generator's clock now (the time the mark was set).
     */
    public long markAcks()
    {
        firstAckAfterMarkNs = 0;
        markNumber = load.sent();
        return clock.nanoTime();
    }

    /** @return when the first Ack after {@link #markAcks()} arrived on the generator's clock, 0 until one has. */
    public long firstAckAfterMarkNs()
    {
        return firstAckAfterMarkNs;
    }

    /** @return messages sent again after their connection was lost. Read after {@link #run()} returns. */
    public long resent()
    {
        return ledger.resent();
    }

    /**
     * Offer the load until the profile's duration, then wait for outstanding answers: until every sent message is
     * answered, the drain timeout passes, or nothing has arrived for 3 s (after a DR event the answers to messages
     * in flight at the kill never come on the new connections).
     *
     * @return what was measured.
     */
    public SimulationResult run()
    {
        for (int i = 0; i < addresses.length; i++)
        {
            final HostPort endpoint = settings.endpoints().get(i);
            addresses[i] = new InetSocketAddress(endpoint.host(), endpoint.port());
        }
        final OpenLoopIdleStrategy idle = new OpenLoopIdleStrategy();
        long nowNs = clock.nanoTime();
        for (final Connection connection : connections)
        {
            connection.connect(nowNs);
        }
        load.start(nowNs);
        startNs = load.startNs();
        long drainStartNs = 0;
        try
        {
            while (!stop)
            {
                nowNs = clock.nanoTime();
                int work = ledger.hasResend() && nowNs - nextResendNs >= 0 ? resendDue(nowNs) : 0;
                work += load.sendDue(nowNs, sender, SEND_LIMIT);
                for (final Connection connection : connections)
                {
                    work += connection.poll(nowNs);
                }
                load.reportProgress(nowNs);
                if (!load.isLoading())
                {
                    if (0 == drainStartNs)
                    {
                        drainStartNs = nowNs;
                    }
                    if (load.isDrained(nowNs) || nowNs - Math.max(lastFrameNs, drainStartNs) > QUIET_NS)
                    {
                        break;
                    }
                }
                idle.idle(work, load.nanosUntilNextDue(nowNs));
            }
        }
        finally
        {
            for (final Connection connection : connections)
            {
                connection.close();
            }
        }
        nowNs = clock.nanoTime();
        load.endLoad(nowNs);
        return load.result(nowNs, 0);
    }

    private boolean send(final ScheduledMessage message)
    {
        final Connection connection = nextWithRoom();
        if (null == connection)
        {
            return false;
        }
        if (settings.resend())
        {
            connection.encode(message.type(), message.originator(), message.target(), message.number(),
                message.commandVariant());
        }
        else
        {
            connection.encode(message.type(), message.originator(), message.target(), message.requestNumber(),
                message.commandVariant());
            if (message.isFollowUp())
            {
                followUps.put(message.requestNumber(), message.number());
            }
        }
        if (settings.resend())
        {
            ledger.sent(message, connection.index);
        }
        return true;
    }

    private int resendDue(final long nowNs)
    {
        // Paced: after a node is lost its clients may owe tens of thousands of resends, and sent all at once they
        // would be the burst that stalls everything else.
        final long sinceNs = 0 == lastResendNs ? 0 : nowNs - lastResendNs;
        resendTokens = Math.min(RESEND_BURST, resendTokens + sinceNs / 1e9 * RESENDS_PER_SECOND);
        lastResendNs = nowNs;
        int resent = 0;
        while (ledger.hasResend() && resent < SEND_LIMIT && resendTokens >= 1)
        {
            final Connection connection = nextWithRoom();
            if (null == connection)
            {
                break;
            }
            final int number = ledger.peekResend();
            ledger.pollResend();
            connection.encode(ledger.type(number), ledger.originator(number), ledger.target(number), number,
                ledger.commandVariant(number));
            ledger.resentVia(number, connection.index);
            resendTokens--;
            resent++;
        }
        return resent;
    }

    private Connection nextWithRoom()
    {
        for (int i = 0; i < connections.length; i++)
        {
            final Connection connection = connections[nextConnection];
            nextConnection = nextConnection + 1 == connections.length ? 0 : nextConnection + 1;
            if (connection.hasRoom())
            {
                return connection;
            }
        }
        return null;
    }

    private void appendProgress(final StringBuilder line)
    {
        int connected = 0;
        for (final Connection connection : connections)
        {
            connected += connection.isConnected() ? 1 : 0;
        }
        line.append("accepted ").append(load.accepted())
            .append("  rejected ").append(load.rejected())
            .append("  connections ").append(connected).append('/').append(connections.length);
        if (settings.resend())
        {
            line.append("  resent ").append(ledger.resent());
        }
    }

    private void onConnectFailed(final Exception ex)
    {
        connectFailure = ex instanceof UnresolvedAddressException ? "unknown host" :
            null != ex.getMessage() ? ex.getMessage() : ex.getClass().getSimpleName();
        final PrintStream out = settings.load().progress();
        if (!everConnected && !noticePrinted && null != out)
        {
            noticePrinted = true;
            out.println("cannot connect to " + endpoint() + " (" + connectFailure + "): is the engine running? " +
                "Start it with ./otaprio engine in another terminal; retrying until the load ends");
            out.flush();
        }
    }

    private void onEvent(final long readNs)
    {
        if (settings.resend())
        {
            onEventOnce(readNs);
            return;
        }
        switch (event.type())
        {
            case ACK ->
            {
                ackedIds.add(event.messageId());
                load.onAccepted();
                onAck(answering(event.requestId().counter() - counterBase, 0, false), readNs);
            }
            case REJECT -> load.onRejected(event.reasonCode());
            case COMPLETED ->
                load.onCompleted(answering(event.requestId().counter() - counterBase, 1, true), event.level(), readNs);
            default ->
            {
                // Nothing else reaches here: the codec answers a protocol error for any other template.
            }
        }
    }

    /**
     * @param number   the number the answer's RequestID counter names.
     * @param bit      0 for an Ack, 1 for a Completed.
     * @param finished whether this answer is the message's last (a follow-up is forgotten after it).
     * @return the message the answer is for: {@code number}'s own the first time, its follow-up's after.
     */
    private long answering(final long number, final int bit, final boolean finished)
    {
        if (number < 0 || number >= (long)answered.length * 32)
        {
            return number;
        }
        final int word = (int)(number >>> 5);
        final long mask = 1L << (((number & 31) << 1) + bit);
        if ((answered[word] & mask) == 0)
        {
            answered[word] |= mask;
            return number;
        }
        final long followUp = finished ? followUps.remove(number) : followUps.get(number);
        return -1 == followUp ? number : followUp;
    }

    /**
     * With resends, a message may be answered more than once (on the lost connection and on the new one): each
     * message counts once, at its first final answer.
     */
    private void onEventOnce(final long readNs)
    {
        final long number = event.requestId().counter() - counterBase;
        final byte state = ledger.state(number);
        switch (event.type())
        {
            case ACK ->
            {
                if (ResendLedger.SENT == state)
                {
                    ledger.state(number, ResendLedger.ACKED);
                    ackedIds.add(event.messageId());
                    load.onAccepted();
                }
                onAck(number, readNs);
            }
            case REJECT -> onRejectOnce(number, state, readNs);
            case COMPLETED ->
            {
                if (ResendLedger.DONE != state)
                {
                    if (ResendLedger.SENT == state)
                    {
                        ackedIds.add(event.messageId());
                        load.onAccepted();
                    }
                    ledger.state(number, ResendLedger.DONE);
                    load.onCompleted(number, event.level(), readNs);
                }
            }
            default ->
            {
                // Nothing else reaches here.
            }
        }
    }

    private void onRejectOnce(final long number, final byte state, final long readNs)
    {
        if (ResendLedger.NONE == state || ResendLedger.DONE == state)
        {
            return;
        }
        if (RejectReason.DUPLICATE == event.reason())
        {
            if (ResendLedger.SENT == state)
            {
                ledger.state(number, ResendLedger.ACKED);
                ackedIds.add(event.messageId());
                load.onAccepted();
            }
            if (startsWith(event.detail(), DUPLICATE_COMPLETED_DETAIL))
            {
                // It completed while its Completed was on the lost connection: done, its latency as seen from here.
                ledger.state(number, ResendLedger.DONE);
                load.onCompletedUnmeasured();
            }
            return;
        }
        if (ResendLedger.SENT == state && RejectReason.UNAVAILABLE != event.reason() && !ledger.wasResent(number))
        {
            ledger.state(number, ResendLedger.DONE);
            load.onRejected(event.reasonCode());
        }
        else
        {
            // UNAVAILABLE (whether the cluster has it is unknown: it may have committed it as its leader died), or a
            // resend refused for now (its first submission may be in the cluster): ask again shortly rather than give
            // it up; the answer will be an Ack or a DUPLICATE naming it.
            ledger.retry(number);
            nextResendNs = readNs + RESEND_BACKOFF_NS;
        }
    }

    private void onAck(final long number, final long readNs)
    {
        load.onAcked(number, readNs);
        if (number >= markNumber && 0 == firstAckAfterMarkNs)
        {
            firstAckAfterMarkNs = readNs;
        }
    }

    private static boolean startsWith(final CharSequence text, final String prefix)
    {
        if (text.length() < prefix.length())
        {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++)
        {
            if (text.charAt(i) != prefix.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * One non-blocking TCP connection with preallocated send and receive buffers: unconnected, connecting, or
     * connected.
     */
    private final class Connection
    {
        private final int index;
        private int endpoint;
        private final ByteBuffer outBytes = ByteBuffer.allocateDirect(BUFFER_BYTES);
        private final UnsafeBuffer out = new UnsafeBuffer(outBytes);
        private final ByteBuffer inBytes = ByteBuffer.allocateDirect(BUFFER_BYTES);
        private final UnsafeBuffer in = new UnsafeBuffer(inBytes);
        private final Wire wire = new Wire(settings.tls());
        private SocketChannel channel;
        private boolean connected;
        private int outLimit;
        private long nextConnectNs;

        Connection(final int index, final int endpoint)
        {
            this.index = index;
            this.endpoint = endpoint;
        }

        boolean isConnected()
        {
            return connected;
        }

        boolean hasRoom()
        {
            return connected && outLimit + Framing.SUBMIT_FRAME_BASE_LENGTH + payload.capacity() <= out.capacity();
        }

        void encode(
            final TrafficMix.Type type,
            final long originator,
            final long target,
            final long number,
            final int commandVariant)
        {
            requestId.set(originator, target, counterBase + number);
            outLimit += codec.encodeSubmit(out, outLimit, type.kind().value(), type.code(), commandVariant, requestId,
                payload, 0, type.payloadBytes());
        }

        void connect(final long nowNs)
        {
            try
            {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(addresses[endpoint]))
                {
                    onConnected();
                }
            }
            catch (final IOException | UnresolvedAddressException ex)
            {
                onFailed(nowNs, ex);
            }
        }

        /**
         * @param nowNs the generator's clock.
         * @return work done: bytes written and read, a connection made.
         */
        int poll(final long nowNs)
        {
            if (null == channel)
            {
                if (nowNs >= nextConnectNs)
                {
                    connect(nowNs);
                }
                return 0;
            }
            if (!connected)
            {
                try
                {
                    if (channel.finishConnect())
                    {
                        onConnected();
                        return 1;
                    }
                }
                catch (final IOException ex)
                {
                    onFailed(nowNs, ex);
                }
                return 0;
            }
            try
            {
                final int work = flush() + read();
                everConnected |= wire.finishedHandshake();
                return work;
            }
            catch (final IOException ex)
            {
                if (wire.isHandshaking())
                {
                    // Refused at the handshake (a certificate the engine does not accept, or one not for its name).
                    onFailed(nowNs, new IOException("TLS handshake failed: " + ex.getMessage(), ex));
                    if (settings.resend())
                    {
                        ledger.connectionLost(index, load.sent());
                    }
                    return 0;
                }
                // The engine went away (or broke the protocol): what was unsent or unanswered on this connection
                // is lost from this client's point of view; reconnect and carry on with the schedule.
                disconnects++;
                close();
                nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
                moveOn();
                if (settings.resend())
                {
                    ledger.connectionLost(index, load.sent());
                }
                return 0;
            }
        }

        private int flush() throws IOException
        {
            if (0 == outLimit && !wire.hasPendingOutput())
            {
                return 0;
            }
            outBytes.limit(outLimit).position(0);
            final int written = wire.write(outBytes);
            final int remaining = outBytes.remaining();
            if (remaining > 0)
            {
                out.putBytes(0, out, outBytes.position(), remaining);
            }
            outLimit = remaining;
            outBytes.clear();
            return written;
        }

        private int read() throws IOException
        {
            final int read = wire.read(inBytes);
            if (read < 0)
            {
                throw new IOException("closed by the engine");
            }
            if (0 == read)
            {
                return 0;
            }
            // The time the bytes arrived, not the start of the duty cycle: a Completed frame's latency ends here.
            final long readNs = clock.nanoTime();
            lastFrameNs = readNs;
            final int limit = inBytes.position();
            int offset = 0;
            int length;
            while ((length = codec.decode(in, offset, limit - offset, event)) > 0)
            {
                onEvent(readNs);
                offset += length;
            }
            if (ClientCodec.PROTOCOL_ERROR == length)
            {
                throw new IOException("the engine sent bytes that are not a frame of the protocol");
            }
            if (offset > 0)
            {
                in.putBytes(0, in, offset, limit - offset);
                inBytes.position(limit - offset);
            }
            return read;
        }

        private void onConnected() throws IOException
        {
            final HostPort address = settings.endpoints().get(endpoint);
            wire.open(channel, address.host(), address.port());
            connected = true;
            everConnected |= !wire.isHandshaking();
            outLimit = 0;
            inBytes.clear();
        }

        private void onFailed(final long nowNs, final Exception ex)
        {
            close();
            nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
            moveOn();
            onConnectFailed(ex);
        }

        /** The next endpoint, for the next attempt: a node that went away may be the only one that did. */
        private void moveOn()
        {
            endpoint = endpoint + 1 == addresses.length ? 0 : endpoint + 1;
        }

        void close()
        {
            connected = false;
            wire.end();
            if (null != channel)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // Closing a broken connection: nothing more to learn from it.
                }
                channel = null;
            }
        }
    }
}
