package io.otaprio.loadgen;

import io.otaprio.config.HostPort;
import io.otaprio.duis.DuisWriter;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The load generator over HTTP: DUIS XML documents posted to the engine's {@code POST /duis} (docs/protocol.md
 * section 9) on N keep-alive HTTP/1.1 connections, driven from one thread by an {@link OpenLoop}. Each connection
 * carries one request at a time, as the endpoint serves them (or up to {@link Settings#pipeline()} pipelined, which
 * it answers in order); a message that falls due while every connection waits for its answers waits too, and its
 * latency still runs from its intended send time (coordinated omission, as in {@link OpenLoop}). The latency
 * measured is <b>intended send to the complete HTTP answer</b>: a 202 counts as the message's completion at the level
 * its JSON names, any other status as a rejection (and in {@link #answerLatency()}, which covers every answer). The
 * engine calls nothing back over HTTP, so the end-to-end latency to completion by the DSP is the TCP generator's to
 * measure ({@link TcpLoadGenerator}).
 * <p>
 * <b>Documents.</b> Each message type of the mix becomes a DUIS document written once, before the load, by
 * {@link DuisWriter}: a Service Request of its SRV padded to the entry's {@code payloadBytes} (CommandVariant 1, or 4
 * and 5 for the two steps of a Critical command, with an {@code ExecutionDateTime} when future-dated), a Response of
 * its SRV, a device alert or a DCC alert. Each send copies the prepared bytes (HTTP head and document) into the
 * connection's buffer and writes the message's RequestID (and a response's ResponseID, and the ExecutionDateTime) over
 * fixed-width placeholders in place: no XML is written during the load. RequestID counters are 19 digits, a base
 * different for every run plus the number of the message whose RequestID it carries (see {@link TrafficMix} for
 * follow-ups). A device alert's ResponseID is (originator, device, counter), so that the engine's storm throttle sees
 * the device as it does over TCP.
 * <p>
 * With a client's TLS context the connections are HTTPS (mutual TLS 1.3, {@link Wire}): the same bytes, encrypted
 * from and decrypted into the same buffers; a connection counts as made once its handshake has finished.
 * <p>
 * If the engine cannot be reached the generator says so once, keeps trying every 100 ms until the load ends, and
 * ends then ({@link #hasConnected()}). A connection lost with a request on it counts that request as rejected
 * {@code UNAVAILABLE} and as answered with status 0 in {@link #answersByStatus()}.
 * <p>
 * Threading: one thread calls {@link #run()} and does everything; any thread may call {@link #stop()}; the rest is
 * read after {@link #run()} returns.
 */
public final class DuisLoadGenerator
{
    /** The HTTP statuses counted, 0 (no answer: the connection was lost) to 599. */
    public static final int STATUSES = 600;

    private static final long RECONNECT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SEND_LIMIT = 1024;
    private static final int ANSWER_BYTES = 64 * 1024;
    private static final AtomicLong RUNS = new AtomicLong();
    private static final long COUNTER_FLOOR = 1_000_000_000_000_000_000L;
    private static final long PLACEHOLDER_ORIGINATOR = 0x0102_0304_0506_0708L;
    private static final long PLACEHOLDER_TARGET = 0x1112_1314_1516_1718L;
    private static final long PLACEHOLDER_COUNTER = COUNTER_FLOOR + 1;
    private static final String PLACEHOLDER_DATE_TIME = "2000-01-01T00:00:00Z";
    private static final int DATE_TIME_LENGTH = PLACEHOLDER_DATE_TIME.length();
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONNECTION_CLOSE = "connection: close".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEVEL = "\"level\":".getBytes(StandardCharsets.US_ASCII);
    /** In a 429's body, as {@link #indexOfIgnoreCase} compares: lower case. */
    private static final byte[] THROTTLED = "throttled".getBytes(StandardCharsets.US_ASCII);

    /**
     * What to run.
     *
     * @param endpoint    the engine's {@code duis.listen} address.
     * @param connections keep-alive HTTP connections; at least 1.
     * @param pipeline    requests each connection may carry before their answers, 1 (one at a time, as the endpoint
     *                    serves them) to 64; the endpoint answers pipelined requests in order.
     * @param load        the open-loop load: policy (for the report), mix (each entry's document and its size),
     *                    profile, seed, capacity, drain timeout, progress.
     * @param tls         a client's TLS context (HTTPS with mutual TLS 1.3), or null for plain HTTP. The engine
     *                    admits its documents only under the originators its {@code clients:} entry names: give the
     *                    load those ({@link OpenLoop.Settings#originators()}).
     */
    public record Settings(HostPort endpoint, int connections, int pipeline, OpenLoop.Settings load, SSLContext tls)
    {
        /** The most requests one connection may carry unanswered. */
        public static final int MAX_PIPELINE = 64;

        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the setting and the value it refuses.
         */
        public Settings
        {
            if (null == endpoint || null == endpoint.host() || endpoint.host().isBlank() || endpoint.port() < 1 ||
                endpoint.port() > 65_535)
            {
                throw new IllegalArgumentException("the engine's DUIS address must be a host and a port 1..65535, " +
                    "got " + endpoint);
            }
            if (connections < 1)
            {
                throw new IllegalArgumentException("connections must be >= 1, got " + connections);
            }
            if (pipeline < 1 || pipeline > MAX_PIPELINE)
            {
                throw new IllegalArgumentException("pipeline must be 1 to " + MAX_PIPELINE + ", got " + pipeline);
            }
            if (null == load)
            {
                throw new IllegalArgumentException("a load is required");
            }
        }

        /**
         * Plain HTTP.
         *
         * @param endpoint    the engine's {@code duis.listen} address.
         * @param connections keep-alive HTTP connections; at least 1.
         * @param pipeline    requests each connection may carry before their answers.
         * @param load        the open-loop load.
         */
        public Settings(final HostPort endpoint, final int connections, final int pipeline,
            final OpenLoop.Settings load)
        {
            this(endpoint, connections, pipeline, load, null);
        }

        /**
         * One request at a time on each connection, plain HTTP.
         *
         * @param endpoint    the engine's {@code duis.listen} address.
         * @param connections keep-alive HTTP connections; at least 1.
         * @param load        the open-loop load.
         */
        public Settings(final HostPort endpoint, final int connections, final OpenLoop.Settings load)
        {
            this(endpoint, connections, 1, load, null);
        }
    }

    private final Settings settings;
    private final OpenLoop load;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final Document[] documents;
    private final Document[] secondSteps;
    private final Connection[] connections;
    private final OpenLoop.Sender sender = this::send;
    private final long[] answersByStatus = new long[STATUSES];
    private final Histogram answerLatencyUs = new Histogram(EngineMetrics.HIGHEST_TRACKABLE_US, 3);
    private final long counterBase = nextCounterBase();
    private final int bufferBytes;
    private InetSocketAddress address;
    private volatile boolean stop;
    private boolean everConnected;
    private boolean noticePrinted;
    private String connectFailure;
    private long disconnects;
    private int nextConnection;

    private DuisLoadGenerator(final Settings settings)
    {
        this.settings = settings;
        this.load = new OpenLoop(settings.load(), this::appendProgress);
        final TrafficMix mix = settings.load().mix();
        final String head = "POST /duis HTTP/1.1\r\nHost: " + settings.endpoint().host() + ":" +
            settings.endpoint().port() + "\r\nContent-Type: application/xml\r\nContent-Length: ";
        final DuisWriter writer = new DuisWriter(settings.load().seed());
        final List<TrafficMix.Type> stormAlerts = settings.load().profile().storm().alerts();
        documents = new Document[mix.size() + stormAlerts.size()];
        secondSteps = new Document[documents.length];
        int largest = 0;
        for (int i = 0; i < documents.length; i++)
        {
            final TrafficMix.Type type = i < mix.size() ? mix.type(i) : stormAlerts.get(i - mix.size());
            documents[i] = new Document(head, document(writer, type, type.isTwoStep() ? 4 : 1), type.executeInNs());
            largest = Math.max(largest, documents[i].bytes.length);
            if (type.isTwoStep())
            {
                secondSteps[i] = new Document(head, document(writer, type, 5), type.executeInNs());
            }
        }
        bufferBytes = largest;
        connections = new Connection[settings.connections()];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new Connection();
        }
    }

    /**
     * @param settings what to run.
     * @return the generator, its documents written; call {@link #run()}.
     */
    public static DuisLoadGenerator create(final Settings settings)
    {
        return new DuisLoadGenerator(settings);
    }

    private static byte[] document(final DuisWriter writer, final TrafficMix.Type type, final int commandVariant)
    {
        final RequestId id = new RequestId(PLACEHOLDER_ORIGINATOR, PLACEHOLDER_TARGET, PLACEHOLDER_COUNTER);
        return switch (type.kind())
        {
            case SERVICE_REQUEST -> writer.request(id, type.code(), commandVariant,
                type.isFutureDated() ? PLACEHOLDER_DATE_TIME : null, type.payloadBytes());
            case RESPONSE -> writer.response(id, type.code(), "I0");
            case ALERT -> AlertCode.isDccAlert(type.code()) ? writer.dccAlert(id, AlertCode.toString(type.code())) :
                writer.deviceAlert(id, type.code());
            default -> throw new IllegalArgumentException("no DUIS document for a " + type.kind());
        };
    }

    private static long nextCounterBase()
    {
        // 22 bits of the wall clock in milliseconds and 8 of the run number, then 31 bits of message number: under
        // 2.4e18, so that with COUNTER_FLOOR every counter has 19 digits and fits its placeholder.
        return (((System.currentTimeMillis() & 0x3F_FFFFL) << 8) | (RUNS.getAndIncrement() & 0xFF)) << 31;
    }

    /** Ask {@link #run()} to finish early: the load ends and the wait for answers with it; any thread. */
    public void stop()
    {
        stop = true;
    }

    /** @return the open loop this generator drives; its figures after {@link #run()} returns. */
    public OpenLoop openLoop()
    {
        return load;
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

    /** @return the engine's address, {@code host:port}. */
    public String endpoint()
    {
        return settings.endpoint().host() + ":" + settings.endpoint().port();
    }

    /** @return times an established connection was lost. Read after {@link #run()} returns. */
    public long disconnects()
    {
        return disconnects;
    }

    /**
     * @return answers counted by HTTP status, indexed by status (0: no answer, the connection was lost); a copy.
     */
    public long[] answersByStatus()
    {
        return answersByStatus.clone();
    }

    /** @return latency of every answer, whatever its status, from the intended send time to the full answer. */
    public LatencySummary answerLatency()
    {
        return LatencySummary.of(answerLatencyUs);
    }

    /** @return the size of the largest document sent, HTTP head included, in bytes. */
    public int largestRequestBytes()
    {
        return bufferBytes;
    }

    /**
     * Offer the load until the profile's duration, then wait for the answers still due: until every sent message is
     * answered or the drain timeout passes.
     *
     * @return what was measured: per level, the latency to the 202.
     */
    public SimulationResult run()
    {
        address = new InetSocketAddress(settings.endpoint().host(), settings.endpoint().port());
        final OpenLoopIdleStrategy idle = new OpenLoopIdleStrategy();
        long nowNs = clock.nanoTime();
        for (final Connection connection : connections)
        {
            connection.connect(nowNs);
        }
        load.start(nowNs);
        try
        {
            while (!stop)
            {
                nowNs = clock.nanoTime();
                int work = 0;
                for (final Connection connection : connections)
                {
                    work += connection.poll(nowNs);
                }
                work += load.sendDue(nowNs, sender, SEND_LIMIT);
                load.reportProgress(nowNs);
                if (!load.isLoading())
                {
                    // Every request on a live connection is answered (408 at worst, after the endpoint's idle
                    // timeout): wait for all of them, up to the drain timeout; a GC pause is not the end.
                    if (load.isDrained(nowNs))
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

    /**
     * @param result what {@link #run()} returned.
     * @return its JSON with a {@code "duis"} object added: answers by status and the latency of every answer.
     */
    public String json(final SimulationResult result)
    {
        final String json = result.json();
        final StringBuilder duis = new StringBuilder(",\"duis\":{\"answersByStatus\":{");
        boolean first = true;
        for (int status = 0; status < STATUSES; status++)
        {
            if (answersByStatus[status] > 0)
            {
                duis.append(first ? "" : ",").append('"').append(status).append("\":").append(answersByStatus[status]);
                first = false;
            }
        }
        final LatencySummary all = answerLatency();
        duis.append("},\"answerLatencyUs\":{\"count\":").append(all.count()).append(",\"p50\":").append(all.p50Us())
            .append(",\"p99\":").append(all.p99Us()).append(",\"p999\":").append(all.p999Us()).append(",\"max\":")
            .append(all.maxUs()).append("},\"largestRequestBytes\":").append(bufferBytes).append('}');
        final int end = json.lastIndexOf('}');
        return json.substring(0, end) + duis + json.substring(end);
    }

    private boolean send(final ScheduledMessage message)
    {
        for (int i = 0; i < connections.length; i++)
        {
            final Connection connection = connections[nextConnection];
            nextConnection = nextConnection + 1 == connections.length ? 0 : nextConnection + 1;
            if (connection.isIdle())
            {
                final Document document = 5 == message.commandVariant() ?
                    secondSteps[message.typeIndex()] : documents[message.typeIndex()];
                connection.send(document, message);
                return true;
            }
        }
        return false;
    }

    private void appendProgress(final StringBuilder line)
    {
        int connected = 0;
        int busy = 0;
        for (final Connection connection : connections)
        {
            connected += connection.connected ? 1 : 0;
            busy += connection.count > 0 ? 1 : 0;
        }
        line.append("answered 202 ").append(answersByStatus[202])
            .append("  other ").append(load.rejected())
            .append("  connections ").append(connected).append('/').append(connections.length)
            .append(" (").append(busy).append(" waiting)");
    }

    private void onConnectFailed(final Exception ex)
    {
        connectFailure = ex instanceof UnresolvedAddressException ? "unknown host" :
            null != ex.getMessage() ? ex.getMessage() : ex.getClass().getSimpleName();
        final PrintStream out = settings.load().progress();
        if (!everConnected && !noticePrinted && null != out)
        {
            noticePrinted = true;
            out.println("cannot connect to " + endpoint() + " (" + connectFailure + "): is the engine running with " +
                "its DUIS endpoint on? Start it with ./otaprio engine in another terminal (duis.listen, " +
                "127.0.0.1:7401 by default); retrying until the load ends");
            out.flush();
        }
    }

    private void onAnswer(
        final long number, final int status, final int level, final int reasonCode, final long readNs)
    {
        answersByStatus[status]++;
        answerLatencyUs.recordValue(Math.min(EngineMetrics.HIGHEST_TRACKABLE_US,
            Math.max(1L, (readNs - load.intendedNs(number)) / 1000L)));
        if (202 == status)
        {
            load.onAccepted();
            load.onCompleted(number, level, readNs);
        }
        else
        {
            load.onRejected(reasonCode);
        }
    }

    private static int reason(final int status)
    {
        return switch (status)
        {
            case 409 -> RejectReason.DUPLICATE.code();
            case 413 -> RejectReason.TOO_LARGE.code();
            case 429 -> RejectReason.FULL.code();
            case 0, 503 -> RejectReason.UNAVAILABLE.code();
            default -> RejectReason.MALFORMED.code();
        };
    }

    /**
     * A document prepared for sending: the HTTP head and the DUIS bytes, and where its placeholders are.
     */
    private static final class Document
    {
        private final byte[] bytes;
        private final int[] requestIdAt;
        private final int[] responseIdAt;
        private final int dateTimeAt;
        private final long executeInNs;
        private final byte[] dateTime = new byte[DATE_TIME_LENGTH];
        private long dateTimeSecond = Long.MIN_VALUE;

        Document(final String head, final byte[] document, final long executeInNs)
        {
            final byte[] headBytes = (head + document.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            bytes = new byte[headBytes.length + document.length];
            System.arraycopy(headBytes, 0, bytes, 0, headBytes.length);
            System.arraycopy(document, 0, bytes, headBytes.length, document.length);
            requestIdAt = find(new RequestId(PLACEHOLDER_ORIGINATOR, PLACEHOLDER_TARGET, PLACEHOLDER_COUNTER));
            responseIdAt = find(new RequestId(PLACEHOLDER_TARGET, PLACEHOLDER_ORIGINATOR, PLACEHOLDER_COUNTER));
            final int[] dateTimes = executeInNs > 0 ? find(PLACEHOLDER_DATE_TIME) : new int[0];
            dateTimeAt = dateTimes.length > 0 ? dateTimes[0] : -1;
            this.executeInNs = executeInNs;
            if (requestIdAt.length + responseIdAt.length == 0 || executeInNs > 0 && dateTimeAt < 0)
            {
                throw new IllegalStateException("a prepared DUIS document lost its placeholders");
            }
        }

        private int[] find(final Object placeholder)
        {
            final byte[] needle = placeholder.toString().getBytes(StandardCharsets.US_ASCII);
            int[] found = new int[0];
            for (int at = indexOf(bytes, 0, bytes.length, needle); at >= 0;
                at = indexOf(bytes, at + needle.length, bytes.length, needle))
            {
                found = Arrays.copyOf(found, found.length + 1);
                found[found.length - 1] = at;
            }
            return found;
        }

        /** The {@code ExecutionDateTime} for a send at {@code epochNs}: rewritten once a second at most. */
        byte[] dateTime(final long epochNs)
        {
            final long second = (epochNs + executeInNs) / 1_000_000_000L;
            if (second != dateTimeSecond)
            {
                dateTimeSecond = second;
                final LocalDateTime time = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
                final String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02dZ", time.getYear(),
                    time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(), time.getSecond());
                System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, dateTime, 0, DATE_TIME_LENGTH);
            }
            return dateTime;
        }
    }

    private static int indexOf(final byte[] haystack, final int from, final int to, final byte[] needle)
    {
        outer:
        for (int i = from, last = to - needle.length; i <= last; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int indexOfIgnoreCase(final ByteBuffer haystack, final int from, final int to, final byte[] needle)
    {
        outer:
        for (int i = from, last = to - needle.length; i <= last; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                final int b = haystack.get(i + j);
                if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Write {@code originator:target:counter} as DUIS writes a RequestID (fixed width for a 19-digit counter). */
    private static void putRequestId(
        final ByteBuffer buffer, final int at, final long first, final long second, final long counter)
    {
        putEui64(buffer, at, first);
        buffer.put(at + 23, (byte)':');
        putEui64(buffer, at + 24, second);
        buffer.put(at + 47, (byte)':');
        long value = counter;
        for (int i = at + 48 + 18; i >= at + 48; i--)
        {
            buffer.put(i, (byte)('0' + value % 10));
            value /= 10;
        }
    }

    private static void putEui64(final ByteBuffer buffer, final int at, final long eui64)
    {
        for (int pair = 0; pair < 8; pair++)
        {
            final int b = (int)(eui64 >>> (56 - 8 * pair)) & 0xFF;
            final int offset = at + pair * 3;
            buffer.put(offset, HEX[b >>> 4]);
            buffer.put(offset + 1, HEX[b & 0xF]);
            if (pair < 7)
            {
                buffer.put(offset + 2, (byte)'-');
            }
        }
    }

    /**
     * One non-blocking keep-alive HTTP connection: unconnected, connecting, or connected with {@link #count}
     * requests waiting for their answers, oldest first in {@link #numbers}.
     */
    private final class Connection
    {
        private final ByteBuffer out = ByteBuffer.allocateDirect(bufferBytes * settings.pipeline());
        private final ByteBuffer in = ByteBuffer.allocateDirect(ANSWER_BYTES);
        private final long[] numbers = new long[settings.pipeline()];
        private final Wire wire = new Wire(settings.tls());
        private SocketChannel channel;
        private boolean connected;
        private int head;
        private int count;
        private long nextConnectNs;

        boolean isIdle()
        {
            return connected && count < numbers.length;
        }

        void send(final Document document, final ScheduledMessage message)
        {
            out.compact();
            final int start = out.position();
            out.put(document.bytes);
            out.flip();
            final long counter = COUNTER_FLOOR + counterBase + message.requestNumber();
            for (final int at : document.requestIdAt)
            {
                putRequestId(out, start + at, message.originator(), message.target(), counter);
            }
            for (final int at : document.responseIdAt)
            {
                putRequestId(out, start + at, message.target(), message.originator(), counter);
            }
            if (document.dateTimeAt >= 0)
            {
                final byte[] dateTime = document.dateTime(clock.nanoTime());
                for (int i = 0; i < DATE_TIME_LENGTH; i++)
                {
                    out.put(start + document.dateTimeAt + i, dateTime[i]);
                }
            }
            numbers[(head + count) % numbers.length] = message.number();
            count++;
            try
            {
                wire.write(out);
            }
            catch (final IOException ex)
            {
                lost(clock.nanoTime());
            }
        }

        void connect(final long nowNs)
        {
            try
            {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(address))
                {
                    onConnected();
                }
            }
            catch (final IOException | UnresolvedAddressException ex)
            {
                close();
                nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
                onConnectFailed(ex);
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
            try
            {
                if (!connected)
                {
                    if (channel.finishConnect())
                    {
                        onConnected();
                        return 1;
                    }
                    return 0;
                }
                int work = 0;
                if (out.hasRemaining() || wire.hasPendingOutput())
                {
                    work += wire.write(out);
                }
                work += read();
                everConnected |= wire.finishedHandshake();
                return work;
            }
            catch (final IOException ex)
            {
                if (wire.isHandshaking())
                {
                    // Refused at the handshake (a certificate the engine does not accept, or one not for its name):
                    // what was queued on it is lost as on any lost connection, but it was never a connection made.
                    lost(nowNs);
                    disconnects--;
                    onConnectFailed(new IOException("TLS handshake failed: " + ex.getMessage(), ex));
                    return 0;
                }
                if (!connected)
                {
                    close();
                    nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
                    onConnectFailed(ex);
                    return 0;
                }
                lost(nowNs);
                return 0;
            }
        }

        private int read() throws IOException
        {
            final int read = wire.read(in);
            if (read < 0)
            {
                throw new IOException("closed by the engine");
            }
            if (0 == read)
            {
                return 0;
            }
            // The time the bytes arrived: an answer's latency ends here.
            final long readNs = clock.nanoTime();
            while (count > 0 && answer(readNs))
            {
                // Every complete answer in the buffer, in order.
            }
            return read;
        }

        /** Take one complete answer from the start of {@link #in}, if there is one. */
        private boolean answer(final long readNs)
        {
            final int limit = in.position();
            final int headEnd = indexOfIgnoreCase(in, 0, limit, HEAD_END);
            if (headEnd < 0)
            {
                return false;
            }
            final int lengthAt = indexOfIgnoreCase(in, 0, headEnd, CONTENT_LENGTH);
            int contentLength = 0;
            if (lengthAt >= 0)
            {
                for (int i = lengthAt + CONTENT_LENGTH.length; i < headEnd; i++)
                {
                    final int b = in.get(i);
                    if (b >= '0' && b <= '9')
                    {
                        contentLength = contentLength * 10 + b - '0';
                    }
                    else if (b != ' ')
                    {
                        break;
                    }
                }
            }
            final int end = headEnd + HEAD_END.length + contentLength;
            if (limit < end)
            {
                return false;
            }
            final int status = (in.get(9) - '0') * 100 + (in.get(10) - '0') * 10 + (in.get(11) - '0');
            final boolean close = indexOfIgnoreCase(in, 0, headEnd, CONNECTION_CLOSE) >= 0;
            int level = 0;
            final int levelAt = indexOfIgnoreCase(in, headEnd, end, LEVEL);
            if (levelAt >= 0)
            {
                level = in.get(levelAt + LEVEL.length) - '0';
            }
            final int reason = 429 == status && indexOfIgnoreCase(in, headEnd, end, THROTTLED) >= 0 ?
                RejectReason.THROTTLED.code() : reason(status);
            in.limit(limit).position(end);
            in.compact();
            final long answered = numbers[head];
            head = head + 1 == numbers.length ? 0 : head + 1;
            count--;
            onAnswer(answered, status >= 100 && status < STATUSES ? status : 0, level, reason, readNs);
            if (close)
            {
                // Whatever else was pipelined on it goes unanswered.
                lost(readNs);
                nextConnectNs = readNs;
                disconnects--;
            }
            return true;
        }

        private void lost(final long nowNs)
        {
            disconnects++;
            close();
            nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
            while (count > 0)
            {
                final long unanswered = numbers[head];
                head = head + 1 == numbers.length ? 0 : head + 1;
                count--;
                onAnswer(unanswered, 0, 0, RejectReason.UNAVAILABLE.code(), nowNs);
            }
        }

        private void onConnected() throws IOException
        {
            wire.open(channel, settings.endpoint().host(), settings.endpoint().port());
            connected = true;
            everConnected |= !wire.isHandshaking();
            head = 0;
            count = 0;
            in.clear();
            out.clear().limit(0);
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
