package io.otaprio.http;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.duis.DuisMessage;
import io.otaprio.identity.ClientIdentity;
import io.otaprio.identity.ListenerSecurity;
import io.otaprio.identity.TlsServer;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.tls.TlsChannel;
import org.agrona.CloseHelper;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;

/**
 * {@code POST /duis}: DUIS XML documents over HTTP/1.1, read, parsed and answered on a thread of their own, admitted
 * on the admission thread through {@link DuisHandover}. Every request gets one JSON answer:
 * <pre>
 *   202 {"messageId":n,"level":l,"kind":"...","srv":"2.2"|null,"alertCode":null|"0x8F1C"|"N24","requestId":"...",
 *        "commandVariant":n,"demotedFrom":0,"dueAt":null|"2030-01-15T09:00:00Z"}, plus "cancelled":n for a
 *        cancellation (a request dated 3000-12-31T00:00:00Z: how many held requests it removed)
 *   400 MALFORMED   403 NOT_AUTHORISED   409 DUPLICATE   413 TOO_LARGE   429 FULL | THROTTLED   503 UNAVAILABLE
 *   400 BAD_REQUEST   404 NOT_FOUND   405 METHOD_NOT_ALLOWED   408 REQUEST_TIMEOUT   411 LENGTH_REQUIRED
 *   431 HEADERS_TOO_LARGE                            all refusals: {"reason":"...","detail":"..."}
 * </pre>
 * A body over the limit is refused on its declared length, before any of it is read; the connection then closes, as
 * it does after any refusal that leaves a body unread. Nothing refused is journaled. With TLS ({@code tls:}), a
 * connection is HTTPS with a client certificate: a document whose RequestID originator is not one of that client's
 * is answered 403 NOT_AUTHORISED before it reaches admission.
 * <p>
 * Threading: one thread (the {@code otaprio-duis} agent's, or the shared one); sockets, connections and the parser
 * are its own. It produces into the submissions queue and consumes the answers queue.
 */
public final class DuisEndpoint implements Agent
{
    /** The one path served. */
    public static final String PATH = "/duis";

    private static final System.Logger LOG = System.getLogger(DuisEndpoint.class.getName());
    private static final byte[] PATH_BYTES = PATH.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEAD_BYTES = 8192;
    private static final int OUT_BYTES = 4096;
    private static final long CHECK_INTERVAL_NS = 1_000_000_000L;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final int boundPort;
    private final int maxConnections;
    private final int maxBodyBytes;
    private final long idleTimeoutNs;
    private final DocumentReader reader;
    private final RingBuffer submissions;
    private final RingBuffer answers;
    private final DuisCounters counters;
    private final ListenerSecurity security;
    private final TlsServer tls;
    private final ArrayDeque<TlsChannel> tlsPool = new ArrayDeque<>();
    private final EpochNanoClock clock;
    private final Long2ObjectHashMap<DuisConnection> connections = new Long2ObjectHashMap<>();
    private final List<DuisConnection> waitingForRoom = new ArrayList<>();
    private final List<DuisConnection> scratch = new ArrayList<>();
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
    private final AcceptedMessageFlyweight submitted = new AcceptedMessageFlyweight();
    private final AdmissionResult result = new AdmissionResult();
    private final RequestId requestId = new RequestId();
    private final StringBuilder text = new StringBuilder(512);
    private final Consumer<SelectionKey> onSelectedKey = this::onSelectedKey;
    private final MessageHandler onAnswer = this::onAnswer;
    private long nextConnectionId;
    private long nowNs;
    private long nextCheckNs;

    /**
     * Bind the listening socket (so the port is known, and a clash fails, before any thread starts).
     *
     * @param host           to bind, such as {@code 127.0.0.1}.
     * @param port           to bind; 0 for an ephemeral port.
     * @param maxConnections connections served at once; more are accepted and closed.
     * @param maxBodyBytes   the largest document.
     * @param idleTimeoutNs  a connection that sends nothing this long is closed; a request not all there by then is
     *                       answered 408 first.
     * @param reader         reads a document into a submission.
     * @param handover       the queues to and from the admission thread.
     * @param counters       where connections and answers are counted.
     * @param security       TLS (or plaintext) and where handshakes and NOT_AUTHORISED refusals are counted.
     * @param clock          the engine's clock.
     * @throws UncheckedIOException when the socket cannot be bound.
     */
    public DuisEndpoint(
        final String host,
        final int port,
        final int maxConnections,
        final int maxBodyBytes,
        final long idleTimeoutNs,
        final DocumentReader reader,
        final DuisHandover handover,
        final DuisCounters counters,
        final ListenerSecurity security,
        final EpochNanoClock clock)
    {
        this.maxConnections = maxConnections;
        this.maxBodyBytes = maxBodyBytes;
        this.idleTimeoutNs = idleTimeoutNs;
        this.reader = reader;
        this.submissions = handover.submissions();
        this.answers = handover.answers();
        this.counters = counters;
        this.security = security;
        this.tls = security.tls();
        this.clock = clock;
        Selector openedSelector = null;
        ServerSocketChannel openedServer = null;
        try
        {
            openedSelector = Selector.open();
            openedServer = ServerSocketChannel.open();
            openedServer.configureBlocking(false);
            openedServer.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            openedServer.bind(new InetSocketAddress(host, port), maxConnections);
            openedServer.register(openedSelector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietCloseAll(openedServer, openedSelector);
            throw new UncheckedIOException("DUIS endpoint: cannot listen on " + host + ":" + port + ": " +
                ex.getMessage(), ex);
        }
        selector = openedSelector;
        server = openedServer;
        boundPort = server.socket().getLocalPort();
    }

    /** @return the port listened on (the ephemeral one when configured with 0). Any thread. */
    public int boundPort()
    {
        return boundPort;
    }

    public String roleName()
    {
        return "otaprio-duis";
    }

    public int doWork()
    {
        nowNs = clock.nanoTime();
        int work;
        try
        {
            work = selector.selectNow(onSelectedKey);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("DUIS endpoint selector failed: " + ex.getMessage(), ex);
        }
        // At most one answer per connection per cycle: an answer can free a pipelined request that admission answers
        // at once, and a read batch releases its space only at its end, so an unbounded batch could keep reading new
        // answers while the queue fills behind it.
        work += answers.read(onAnswer, maxConnections);
        if (!waitingForRoom.isEmpty())
        {
            work += retrySubmissions();
        }
        if (nowNs - nextCheckNs >= 0)
        {
            nextCheckNs = nowNs + CHECK_INTERVAL_NS;
            work += closeIdle();
        }
        return work;
    }

    public void onClose()
    {
        CloseHelper.quietClose(server);
        for (final DuisConnection connection : new ArrayList<>(connections.values()))
        {
            close(connection);
        }
        CloseHelper.quietClose(selector);
    }

    private void onSelectedKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        if (key.isAcceptable())
        {
            accept();
            return;
        }
        final DuisConnection connection = (DuisConnection)key.attachment();
        try
        {
            if (key.isWritable())
            {
                write(connection);
            }
            // A handshake that waited to write may have a peer's record already read and waiting to be unwrapped.
            if (connection.channel.isOpen() && key.isValid() && (key.isReadable() || connection.handshaking()))
            {
                read(connection);
            }
        }
        catch (final SSLException ex)
        {
            if (connection.handshaking())
            {
                security.handshakes().onFailed();
                LOG.log(System.Logger.Level.WARNING, "DUIS connection " + connection.id + ": TLS handshake failed: " +
                    ex.getMessage());
            }
            close(connection);
        }
        catch (final IOException ex)
        {
            close(connection);
        }
    }

    private void accept()
    {
        SocketChannel channel = null;
        try
        {
            while (null != (channel = server.accept()))
            {
                if (connections.size() >= maxConnections)
                {
                    counters.onRefused();
                    CloseHelper.quietClose(channel);
                    continue;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
                final DuisConnection connection = new DuisConnection(
                    nextConnectionId++, channel, key, MAX_HEAD_BYTES + maxBodyBytes, OUT_BYTES, MAX_HEAD_BYTES);
                connection.lastReadNs = nowNs;
                connection.openedNs = nowNs;
                if (tls.enabled())
                {
                    connection.tls = null == tlsPool.peek() ? new TlsChannel(tls.sizes()) : tlsPool.pop();
                    connection.tls.open(tls.newEngine(), channel);
                }
                else
                {
                    connection.client = ClientIdentity.ANYONE;
                }
                key.attach(connection);
                connections.put(connection.id, connection);
                counters.onAccepted();
            }
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            LOG.log(System.Logger.Level.WARNING, "DUIS endpoint: accept failed: " + ex.getMessage());
        }
    }

    private void read(final DuisConnection connection) throws IOException
    {
        do
        {
            readOnce(connection);
        }
        while (connection.channel.isOpen() && null != connection.tls && connection.tls.hasBufferedInput() &&
            connection.held < connection.in.length && (DuisConnection.HEAD == connection.state ||
            DuisConnection.BODY == connection.state));
    }

    private void readOnce(final DuisConnection connection) throws IOException
    {
        final ByteBuffer in = connection.inBuffer;
        in.limit(in.capacity()).position(connection.held);
        final int read = null == connection.tls ? connection.channel.read(in) : readTls(connection, in);
        if (!connection.channel.isOpen())
        {
            return;
        }
        if (read < 0)
        {
            if (connection.handshaking())
            {
                security.handshakes().onFailed();
            }
            close(connection);
            return;
        }
        if (read > 0)
        {
            if (0 == connection.held && DuisConnection.HEAD == connection.state)
            {
                connection.requestStartNs = nowNs;
            }
            connection.held += read;
            connection.lastReadNs = nowNs;
            process(connection);
        }
    }

    private int readTls(final DuisConnection connection, final ByteBuffer in) throws IOException
    {
        final TlsChannel channel = connection.tls;
        final int read = channel.read(in);
        if (ClientIdentity.NOBODY == connection.client && channel.isHandshakeDone())
        {
            connection.client = tls.identify(channel.engine().getSession());
            if (ClientIdentity.NOBODY == connection.client)
            {
                security.handshakes().onFailed();
                close(connection);
                return 0;
            }
            security.handshakes().onCompleted();
        }
        if (channel.hasPendingOutput())
        {
            interest(connection, connection.key.interestOps() | SelectionKey.OP_WRITE);
        }
        return read;
    }

    /** Take the connection's request as far as its bytes allow. */
    private void process(final DuisConnection connection)
    {
        if (DuisConnection.HEAD == connection.state && connection.held > 0)
        {
            readHead(connection);
        }
        if (DuisConnection.BODY == connection.state &&
            connection.held >= connection.headLength + connection.bodyLength)
        {
            submit(connection);
        }
    }

    private void readHead(final DuisConnection connection)
    {
        final HttpRequestHead head = connection.head;
        switch (head.read(connection.in, 0, connection.held, PATH_BYTES))
        {
            case HttpRequestHead.INCOMPLETE:
                return;
            case HttpRequestHead.TOO_LARGE:
                refuse(connection, 431, "HEADERS_TOO_LARGE", "request head above " + MAX_HEAD_BYTES + " bytes", true);
                return;
            case HttpRequestHead.BAD_REQUEST:
                refuse(connection, 400, "BAD_REQUEST", head.error(), true);
                return;
            default:
                break;
        }
        connection.headLength = head.headLength();
        connection.closeAfterAnswer = head.close();
        if (!head.targetIsServed())
        {
            refuse(connection, 404, "NOT_FOUND", "only POST " + PATH + " is served", true);
        }
        else if (!head.isPost())
        {
            refuse(connection, 405, "METHOD_NOT_ALLOWED", "POST a DUIS XML document to " + PATH, true);
        }
        else if (head.chunked() || head.contentLength() < 0)
        {
            refuse(connection, 411, "LENGTH_REQUIRED", "send the document with a Content-Length", true);
        }
        else if (head.contentLength() > maxBodyBytes)
        {
            refuse(connection, 413, RejectReason.TOO_LARGE.name(),
                "document of " + head.contentLength() + " bytes above maxPayloadBytes " + maxBodyBytes, true);
        }
        else
        {
            connection.bodyLength = (int)head.contentLength();
            connection.state = DuisConnection.BODY;
            if (head.expectContinue() && connection.held < connection.requestLength())
            {
                connection.out.put(CONTINUE);
                flush(connection);
            }
        }
    }

    private void submit(final DuisConnection connection)
    {
        final int length = DuisHandover.SUBMISSION_OFFSET +
            AcceptedMessageDescriptor.encodedLength(connection.bodyLength);
        final int index = submissions.tryClaim(DuisHandover.SUBMISSION, length);
        if (index < 0)
        {
            // The admission thread is behind: hold this request (and stop reading its connection) until there is room.
            connection.state = DuisConnection.SUBMITTING;
            interest(connection, 0);
            waitingForRoom.add(connection);
            return;
        }
        final MutableDirectBuffer buffer = submissions.buffer();
        submission.wrap(buffer, index + DuisHandover.SUBMISSION_OFFSET).clear();
        if (!reader.read(connection.in, connection.headLength, connection.bodyLength, submission))
        {
            submissions.abort(index);
            refuse(connection, 400, RejectReason.MALFORMED.name(), reader.detail(), false);
            return;
        }
        if (!security.authorise(connection.client, submission.originator()))
        {
            // Refused before admission: never journaled, never in the resend index.
            submissions.abort(index);
            refuse(connection, 403, RejectReason.NOT_AUTHORISED.name(), "the RequestID's originator is not one " +
                "this connection's client certificate may use (clients: in the configuration)", false);
            return;
        }
        connection.submittedHeader.putBytes(0, buffer, index + DuisHandover.SUBMISSION_OFFSET,
            AcceptedMessageDescriptor.HEADER_LENGTH);
        connection.executionTimeNs = reader.executionTimeNs();
        connection.cancellation = reader.cancellation();
        buffer.putLong(index + DuisHandover.CONNECTION_ID_OFFSET, connection.id, DuisHandover.ORDER);
        buffer.putLong(index + DuisHandover.DUE_AT_OFFSET, connection.cancellation ? Admission.CANCELS_HELD :
            DocumentReader.NOT_FUTURE_DATED == connection.executionTimeNs ? Admission.NOT_FUTURE_DATED :
            Math.min(connection.executionTimeNs, Admission.CANCELS_HELD - 1), DuisHandover.ORDER);
        submissions.commit(index);
        connection.state = DuisConnection.AWAITING;
        interest(connection, 0);
    }

    private int retrySubmissions()
    {
        scratch.clear();
        scratch.addAll(waitingForRoom);
        waitingForRoom.clear();
        for (final DuisConnection connection : scratch)
        {
            if (connection.channel.isOpen())
            {
                connection.state = DuisConnection.BODY;
                submit(connection);
            }
        }
        return scratch.size() - waitingForRoom.size();
    }

    private void onAnswer(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final DuisConnection connection = connections.get(
            buffer.getLong(index + DuisHandover.CONNECTION_ID_OFFSET, DuisHandover.ORDER));
        if (null == connection)
        {
            return;   // the client went away; what was admitted stays admitted
        }
        result.decode(buffer, index + DuisHandover.BODY_OFFSET);
        if (result.isAccepted())
        {
            answer(connection, 202, accepted(connection));
            return;
        }
        final RejectReason reason = result.reason();
        switch (reason)
        {
            case DUPLICATE:
                text.setLength(0);
                text.append("{\"reason\":\"DUPLICATE\",\"detail\":\"")
                    .append(result.originalPending() ? "RequestID is already pending as message " :
                        "RequestID completed within the dedup window as message ")
                    .append(result.originalMessageId())
                    .append("\",\"originalMessageId\":").append(result.originalMessageId())
                    .append(",\"originalPending\":").append(result.originalPending()).append('}');
                answer(connection, 409, text);
                break;
            case FULL:
                refuse(connection, 429, reason.name(), "level " + result.level() + " is full", false);
                break;
            case THROTTLED:
                refuse(connection, 429, reason.name(),
                    "identical alerts from this device above the limit in the window", false);
                break;
            case TOO_LARGE:
                refuse(connection, 413, reason.name(), "document above maxPayloadBytes", false);
                break;
            case UNAVAILABLE:
                refuse(connection, 503, reason.name(),
                    "the engine cannot admit now (closing, or its journal cannot be written)", false);
                break;
            default:
                refuse(connection, 400, reason.name(), "not admitted: " + reason.name(), false);
                break;
        }
    }

    private CharSequence accepted(final DuisConnection connection)
    {
        submitted.wrap(connection.submittedHeader, 0);
        final MessageKind kind = MessageKind.fromValue(submitted.kind());
        text.setLength(0);
        text.append("{\"messageId\":").append(result.messageId())
            .append(",\"level\":").append(result.level())
            .append(",\"kind\":\"").append(null == kind ? "UNKNOWN" : kind.name()).append('"');
        if (MessageKind.ALERT == kind)
        {
            text.append(",\"srv\":null,\"alertCode\":\"").append(AlertCode.toString(submitted.code())).append('"');
        }
        else
        {
            text.append(",\"srv\":\"").append(SrvCode.toString(submitted.code())).append("\",\"alertCode\":null");
        }
        text.append(",\"requestId\":\"");
        submitted.readRequestId(requestId).appendTo(text);
        text.append("\",\"commandVariant\":").append(submitted.commandVariant())
            .append(",\"demotedFrom\":").append(result.demotedFrom())
            .append(",\"dueAt\":");
        if (DocumentReader.NOT_FUTURE_DATED == connection.executionTimeNs)
        {
            text.append("null");
        }
        else if (connection.cancellation)
        {
            text.append('"').append(Instant.ofEpochSecond(DuisMessage.CANCELLATION_EPOCH_SECOND)).append('"');
        }
        else
        {
            text.append('"').append(Instant.ofEpochSecond(0, connection.executionTimeNs)).append('"');
        }
        if (connection.cancellation)
        {
            text.append(",\"cancelled\":").append(result.cancelled());
        }
        return text.append('}');
    }

    private void refuse(
        final DuisConnection connection,
        final int status,
        final String reason,
        final String detail,
        final boolean bodyUnread)
    {
        text.setLength(0);
        text.append("{\"reason\":\"").append(reason).append("\",\"detail\":\"");
        appendEscaped(text, detail);
        text.append("\"}");
        if (bodyUnread)
        {
            connection.closeAfterAnswer = true;
        }
        answer(connection, status, text);
    }

    private void answer(final DuisConnection connection, final int status, final CharSequence json)
    {
        counters.onAnswered(status);
        final ByteBuffer out = connection.out;
        putAscii(out, "HTTP/1.1 ");
        putAscii(out, Integer.toString(status));
        putAscii(out, ' ' + reasonPhrase(status));
        putAscii(out, "\r\nContent-Type: application/json\r\nContent-Length: ");
        putAscii(out, Integer.toString(json.length()));
        if (connection.closeAfterAnswer)
        {
            putAscii(out, "\r\nConnection: close");
        }
        putAscii(out, "\r\n\r\n");
        putAscii(out, json);
        connection.consumeRequest();
        connection.closeWhenWritten = connection.closeAfterAnswer;
        flush(connection);
    }

    private void flush(final DuisConnection connection)
    {
        try
        {
            write(connection);
        }
        catch (final IOException ex)
        {
            close(connection);
        }
    }

    private void write(final DuisConnection connection) throws IOException
    {
        final ByteBuffer out = connection.out;
        out.flip();
        if (null == connection.tls)
        {
            connection.channel.write(out);
        }
        else
        {
            connection.tls.write(out);
        }
        out.compact();
        if (connection.hasUnsent())
        {
            interest(connection, SelectionKey.OP_WRITE);
            return;
        }
        if (connection.handshaking())
        {
            interest(connection, SelectionKey.OP_READ);
            return;
        }
        if (connection.closeWhenWritten)
        {
            close(connection);
            return;
        }
        if (DuisConnection.HEAD == connection.state)
        {
            interest(connection, SelectionKey.OP_READ);
            if (connection.held > 0)
            {
                // A pipelining client's next request is already here.
                connection.requestStartNs = nowNs;
                process(connection);
            }
            if (null != connection.tls && connection.tls.hasBufferedInput() && DuisConnection.HEAD == connection.state)
            {
                // Already out of the socket, so the selector will not say so.
                read(connection);
            }
        }
        else if (DuisConnection.BODY == connection.state)
        {
            interest(connection, SelectionKey.OP_READ);
        }
    }

    private int closeIdle()
    {
        int closed = 0;
        scratch.clear();
        for (final DuisConnection connection : connections.values())
        {
            final boolean midRequest = connection.held > 0 &&
                (DuisConnection.HEAD == connection.state || DuisConnection.BODY == connection.state);
            if (connection.handshaking())
            {
                if (nowNs - connection.openedNs > tls.handshakeTimeoutNs())
                {
                    scratch.add(connection);
                }
            }
            else if (midRequest ? nowNs - connection.requestStartNs > idleTimeoutNs :
                DuisConnection.HEAD == connection.state && nowNs - connection.lastReadNs > idleTimeoutNs)
            {
                scratch.add(connection);
            }
        }
        for (final DuisConnection connection : scratch)
        {
            if (connection.handshaking())
            {
                security.handshakes().onTimedOut();
                LOG.log(System.Logger.Level.WARNING, "DUIS connection " + connection.id + ": closed, TLS handshake " +
                    "not done within " + tls.handshakeTimeoutNs() / 1_000_000 + " ms (tls handshakeTimeout)");
                close(connection);
            }
            else if (connection.held > 0)
            {
                counters.onTimeout();
                refuse(connection, 408, "REQUEST_TIMEOUT", "the request was not all there within the idle timeout",
                    true);
            }
            else
            {
                close(connection);
            }
            closed++;
        }
        scratch.clear();
        return closed;
    }

    private void interest(final DuisConnection connection, final int ops)
    {
        if (connection.key.isValid())
        {
            connection.key.interestOps(ops);
        }
    }

    private void close(final DuisConnection connection)
    {
        if (null != connections.remove(connection.id))
        {
            counters.onClosed();
        }
        connection.key.cancel();
        if (null != connection.tls)
        {
            connection.tls.closeOutbound();
            connection.tls.release();
            tlsPool.push(connection.tls);
            connection.tls = null;
        }
        CloseHelper.quietClose(connection.channel);
    }

    private static String reasonPhrase(final int status)
    {
        switch (status)
        {
            case 202: return "Accepted";
            case 400: return "Bad Request";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 411: return "Length Required";
            case 413: return "Content Too Large";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            default: return "Service Unavailable";
        }
    }

    private static void putAscii(final ByteBuffer out, final CharSequence chars)
    {
        for (int i = 0, n = chars.length(); i < n; i++)
        {
            out.put((byte)chars.charAt(i));
        }
    }

    private static void appendEscaped(final StringBuilder out, final String value)
    {
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else if (c < 0x20 || c > 0x7E)
            {
                out.append('?');
            }
            else
            {
                out.append(c);
            }
        }
    }
}
