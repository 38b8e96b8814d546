package io.otaprio.loadgen;

import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.sbe.AckDecoder;
import io.otaprio.protocol.sbe.CompletedDecoder;
import io.otaprio.protocol.sbe.Kind;
import io.otaprio.protocol.sbe.MessageHeaderDecoder;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.RejectDecoder;
import io.otaprio.protocol.sbe.SubmitEncoder;
import org.HdrHistogram.Histogram;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator as a separate process: N TCP connections to the engine's gateway, driven open-loop from one
 * thread. Each message is sent at its intended time (or as soon after as possible) and its end-to-end latency is
 * the receipt of its Completed frame minus that intended time. If the engine goes away (a DR event), the schedule
 * keeps running: the generator reconnects and sends what fell due while it was down, late, and the lateness is
 * counted in the latency, as it would be for real DCC Users.
 * <p>
 * Threading: one thread does everything; a second thread may call {@link #stop()}.
 */
public final class TcpLoadGenerator
{
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RECONNECT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int BUFFER_BYTES = 1 << 20;
    private static final int PERIODS = 3;
    private static final long QUIET_NS = TimeUnit.SECONDS.toNanos(3);

    /**
     * What to run.
     *
     * @param host           engine gateway host.
     * @param port           engine gateway port.
     * @param connections    TCP connections to spread the load over.
     * @param policy         for each level's TRT budget in the report (the engine classifies, not the generator).
     * @param mix            traffic mix.
     * @param profile        offered load over time.
     * @param seed           random seed of the arrivals.
     * @param capacityPerSecond the simulated DSP's capacity, for the report.
     * @param drainTimeoutNs how long to wait after the load for outstanding completions.
     * @param progress       where progress lines go, or null.
     */
    public record Settings(
        String host,
        int port,
        int connections,
        PriorityPolicy policy,
        TrafficMix mix,
        LoadProfile profile,
        long seed,
        double capacityPerSecond,
        long drainTimeoutNs,
        PrintStream progress)
    {
    }

    private final Settings settings;
    private final EpochNanoClock clock = new OffsetEpochNanoClock();
    private final Connection[] connections;
    private final long[] intendedNs;
    private final Histogram[] latencyUs = new Histogram[PriorityPolicy.LEVELS + 1];
    private final long[] withinTrt = new long[PriorityPolicy.LEVELS + 1];
    private final Histogram[][] periodLatencyUs = new Histogram[PERIODS][PriorityPolicy.LEVELS + 1];
    private final long[][] periodWithinTrt = new long[PERIODS][PriorityPolicy.LEVELS + 1];
    private volatile long firstSplitNs = Long.MAX_VALUE;
    private volatile long secondSplitNs = Long.MAX_VALUE;
    private long lastFrameNs;
    private volatile long startNs;
    private final long[] rejectedByCode = new long[RejectReason.values().length + 1];
    private final LongHashSet ackedIds;
    /**
     * Added to each message's number to form its RequestID counter, different for every run, so that a second run
     * against the same engine is not answered DUPLICATE for the first run's RequestIDs.
     */
    private final long counterBase = nextCounterBase();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final SubmitEncoder submitEncoder = new SubmitEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final AckDecoder ackDecoder = new AckDecoder();
    private final RejectDecoder rejectDecoder = new RejectDecoder();
    private final CompletedDecoder completedDecoder = new CompletedDecoder();
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[4096]);
    private volatile boolean stop;
    private volatile long offered;
    private volatile long accepted;
    private volatile long completed;
    private long disconnects;
    private long unknownCompletions;
    private int nextConnection;

    private static final AtomicLong RUNS = new AtomicLong();

    private static long nextCounterBase()
    {
        // 24 bits of the wall clock in milliseconds (runs one after another differ, across processes too), 8 bits
        // of this process's run number (runs started in the same millisecond differ), 31 bits of message number.
        return (((System.currentTimeMillis() & 0xFF_FFFFL) << 8) | (RUNS.getAndIncrement() & 0xFF)) << 31;
    }

    private TcpLoadGenerator(final Settings settings)
    {
        this.settings = settings;
        this.connections = new Connection[settings.connections()];
        for (int i = 0; i < connections.length; i++)
        {
            connections[i] = new Connection();
        }
        intendedNs = new long[(int)Math.min(Integer.MAX_VALUE - 8, settings.profile().expectedMessages() * 1.2 + 10_000)];
        // Presized for every message the run can send: growing a set of millions rehashes all of it in one go,
        // which stalled this thread for tens of milliseconds and showed up as latency at every level.
        ackedIds = new LongHashSet(Math.min(1 << 28, intendedNs.length));
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            latencyUs[level] = new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US, EngineMetrics.SIGNIFICANT_DIGITS);
            for (int period = 0; period < PERIODS; period++)
            {
                periodLatencyUs[period][level] = new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US,
                    EngineMetrics.SIGNIFICANT_DIGITS);
            }
        }
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

    /** Ask {@link #run()} to finish early; any thread. */
    public void stop()
    {
        stop = true;
    }

    /**
     * Split the report at points of the schedule: messages intended before the first split are period 0, before the
     * second period 1, the rest period 2 (before a DR event, during the outage, after the restart, say). Call with
     * index 0 then 1; any thread, before or during {@link #run()}.
     *
     * @param index    0 or 1.
     * @param offsetNs time after the start of the schedule.
     */
    public void splitAt(final int index, final long offsetNs)
    {
        if (0 == index)
        {
            firstSplitNs = offsetNs;
        }
        else
        {
            secondSplitNs = offsetNs;
        }
    }

    private int periodOf(final long offsetNs)
    {
        // Two volatile reads per Completed frame, no lock: the splits are written once from the demo's thread.
        return offsetNs < firstSplitNs ? 0 : offsetNs < secondSplitNs ? 1 : 2;
    }

    /**
     * @param period 0, 1 or 2, as split by {@link #splitAt(int, long)}.
     * @return per-level reports of that period. Read after {@link #run()} returns.
     */
    public List<LevelReport> periodLevels(final int period)
    {
        final List<LevelReport> levels = new ArrayList<>();
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final Histogram h = periodLatencyUs[period][level];
            final long count = h.getTotalCount();
            levels.add(new LevelReport(level, count, LatencySummary.of(h), settings.policy().levelTrtNs(level),
                count == 0 ? 100.0 : 100.0 * periodWithinTrt[period][level] / count));
        }
        return levels;
    }

    /** @return seconds since the schedule started (negative before it starts); any thread. */
    public double elapsedSeconds()
    {
        return 0 == startNs ? -1 : (clock.nanoTime() - startNs) / 1e9;
    }

    /** @return ids of every message the engine acknowledged. Read after {@link #run()} returns. */
    public LongHashSet ackedIds()
    {
        return ackedIds;
    }

    /** @return times a connection was lost. Read after {@link #run()} returns. */
    public long disconnects()
    {
        return disconnects;
    }

    /**
     * Offer the load, then wait for outstanding completions until the drain timeout.
     *
     * @return what was measured.
     * @throws IOException if no connection can be made at the start.
     */
    public SimulationResult run() throws IOException
    {
        for (final Connection connection : connections)
        {
            connection.connect();
        }
        final Arrivals arrivals = new Arrivals(settings.profile(), settings.mix(), settings.seed());
        final PrintStream out = settings.progress();
        startNs = clock.nanoTime() + START_DELAY_NS;
        final long wallStartNs = System.nanoTime();
        long nextProgressNs = wallStartNs + TimeUnit.SECONDS.toNanos(1);
        long lastOffered = 0;
        long lastCompleted = 0;
        long lastProgressNs = wallStartNs;
        int counter = 0;
        boolean more = arrivals.next();
        long drainStartNs = 0;

        while (!stop)
        {
            final long nowNs = clock.nanoTime();
            int work = 0;
            while (more && counter < intendedNs.length && startNs + arrivals.intendedOffsetNs() <= nowNs)
            {
                final Connection connection = nextConnected();
                if (null == connection)
                {
                    break;
                }
                intendedNs[counter] = startNs + arrivals.intendedOffsetNs();
                connection.encodeSubmit(arrivals, counter);
                counter++;
                offered = counter;
                more = arrivals.next();
                work++;
            }
            for (final Connection connection : connections)
            {
                work += connection.flushAndRead(nowNs);
            }

            if (!more || counter >= intendedNs.length)
            {
                if (0 == drainStartNs)
                {
                    drainStartNs = System.nanoTime();
                }
                // Done when every message is answered, or when nothing has arrived for a while: after a DR event the
                // answers to messages in flight at the kill never come on the new connections.
                if (completed + rejectedTotal() >= counter ||
                    System.nanoTime() - drainStartNs > settings.drainTimeoutNs() ||
                    System.nanoTime() - Math.max(lastFrameNs, drainStartNs) > QUIET_NS)
                {
                    break;
                }
            }

            final long wallNs = System.nanoTime();
            if (wallNs >= nextProgressNs)
            {
                final double seconds = (wallNs - lastProgressNs) / 1e9;
                if (null != out)
                {
                    out.printf(Locale.ROOT, "[%5.1fs %-5s] offered %7.0f/s  completed %7.0f/s  accepted %d  " +
                        "rejected %d  connections %d/%d%n",
                        (wallNs - wallStartNs) / 1e9, more ? "load" : "drain", (counter - lastOffered) / seconds,
                        (completed - lastCompleted) / seconds, accepted, rejectedTotal(), connectedCount(),
                        connections.length);
                    out.flush();
                }
                lastOffered = counter;
                lastCompleted = completed;
                lastProgressNs = wallNs;
                nextProgressNs = wallNs + TimeUnit.SECONDS.toNanos(1);
            }

            if (0 == work)
            {
                final long untilNextNs = more ? startNs + arrivals.intendedOffsetNs() - clock.nanoTime() : 200_000;
                if (untilNextNs > 100_000)
                {
                    LockSupport.parkNanos(Math.min(untilNextNs - 50_000, 200_000));
                }
                else
                {
                    // Yield rather than spin: on a small machine the engine under test needs this core too.
                    Thread.yield();
                }
            }
        }
        for (final Connection connection : connections)
        {
            connection.close();
        }

        final List<LevelReport> levels = new ArrayList<>();
        long completedCount = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final long count = latencyUs[level].getTotalCount();
            completedCount += count;
            levels.add(new LevelReport(level, count, LatencySummary.of(latencyUs[level]),
                settings.policy().levelTrtNs(level), count == 0 ? 100.0 : 100.0 * withinTrt[level] / count));
        }
        final double drainSeconds = 0 == drainStartNs ? 0 : (System.nanoTime() - drainStartNs) / 1e9;
        return new SimulationResult(settings.profile().scenario(), settings.policy().name(), counter, accepted,
            completedCount, rejectedByCode.clone(), settings.capacityPerSecond(),
            settings.profile().durationNs() / 1e9, drainSeconds, levels, settings.profile().describe(),
            settings.seed(), 0);
    }

    private long rejectedTotal()
    {
        long total = 0;
        for (final long r : rejectedByCode)
        {
            total += r;
        }
        return total;
    }

    private int connectedCount()
    {
        int n = 0;
        for (final Connection connection : connections)
        {
            n += connection.isConnected() ? 1 : 0;
        }
        return n;
    }

    private Connection nextConnected()
    {
        for (int i = 0; i < connections.length; i++)
        {
            final Connection connection = connections[nextConnection];
            nextConnection = (nextConnection + 1) % connections.length;
            if (connection.isConnected() && connection.hasRoom())
            {
                return connection;
            }
        }
        return null;
    }

    private void onFrame(final UnsafeBuffer buffer, final int offset, final int frameLength, final long nowNs)
    {
        lastFrameNs = System.nanoTime();
        final int headerOffset = offset + Framing.HEADER_LENGTH;
        headerDecoder.wrap(buffer, headerOffset);
        final int bodyOffset = headerOffset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();
        switch (headerDecoder.templateId())
        {
            case AckDecoder.TEMPLATE_ID ->
            {
                ackDecoder.wrap(buffer, bodyOffset, blockLength, version);
                ackedIds.add(ackDecoder.messageId());
                accepted = accepted + 1;
            }
            case RejectDecoder.TEMPLATE_ID ->
            {
                rejectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final int code = rejectDecoder.reasonRaw();
                rejectedByCode[code >= 1 && code < rejectedByCode.length ? code : RejectReason.MALFORMED.code()]++;
            }
            case CompletedDecoder.TEMPLATE_ID ->
            {
                completedDecoder.wrap(buffer, bodyOffset, blockLength, version);
                final long counter = completedDecoder.counter() - counterBase;
                final int level = completedDecoder.level();
                if (counter < 0 || counter >= intendedNs.length || 0 == intendedNs[(int)counter] ||
                    level < 1 || level > PriorityPolicy.LEVELS)
                {
                    unknownCompletions++;
                    return;
                }
                final long latencyNs = nowNs - intendedNs[(int)counter];
                final long us = Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000L));
                final int period = periodOf(intendedNs[(int)counter] - startNs);
                latencyUs[level].recordValue(us);
                periodLatencyUs[period][level].recordValue(us);
                if (latencyNs <= settings.policy().levelTrtNs(level))
                {
                    withinTrt[level]++;
                    periodWithinTrt[period][level]++;
                }
                completed = completed + 1;
            }
            default ->
            {
                // Unknown template from a newer engine: skip the frame, the framing says how long it is.
            }
        }
    }

    /**
     * One TCP connection with preallocated send and receive buffers.
     */
    private final class Connection
    {
        private final ByteBuffer outBytes = ByteBuffer.allocateDirect(BUFFER_BYTES);
        private final UnsafeBuffer out = new UnsafeBuffer(outBytes);
        private final ByteBuffer inBytes = ByteBuffer.allocateDirect(BUFFER_BYTES);
        private final UnsafeBuffer in = new UnsafeBuffer(inBytes);
        private SocketChannel channel;
        private int outLimit;
        private long nextReconnectNs;

        void connect()
        {
            try
            {
                final SocketChannel c = SocketChannel.open();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(new InetSocketAddress(settings.host(), settings.port()));
                c.configureBlocking(false);
                channel = c;
                outLimit = 0;
                inBytes.clear();
            }
            catch (final IOException ex)
            {
                channel = null;
                nextReconnectNs = System.nanoTime() + RECONNECT_INTERVAL_NS;
            }
        }

        boolean isConnected()
        {
            return null != channel;
        }

        boolean hasRoom()
        {
            return outLimit + Framing.SUBMIT_FRAME_BASE_LENGTH + payload.capacity() <= out.capacity();
        }

        void encodeSubmit(final Arrivals arrivals, final int counter)
        {
            final int frameOffset = outLimit;
            final int headerOffset = frameOffset + Framing.HEADER_LENGTH;
            submitEncoder.wrapAndApplyHeader(out, headerOffset, headerEncoder)
                .originator(arrivals.originator())
                .target(arrivals.target())
                .counter(counterBase + counter)
                .code(arrivals.code() & 0xFFFF_FFFFL)
                .kind(Kind.get((short)arrivals.kind()))
                .putPayload(payload, 0, arrivals.payloadBytes());
            final int frameLength = Framing.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH +
                submitEncoder.encodedLength();
            Framing.putHeader(out, frameOffset, frameLength);
            outLimit += frameLength;
        }

        int flushAndRead(final long nowNs)
        {
            if (null == channel)
            {
                if (System.nanoTime() >= nextReconnectNs)
                {
                    connect();
                }
                return 0;
            }
            int work = 0;
            try
            {
                if (outLimit > 0)
                {
                    outBytes.limit(outLimit).position(0);
                    work += channel.write(outBytes);
                    final int remaining = outBytes.remaining();
                    if (remaining > 0)
                    {
                        out.putBytes(0, out, outBytes.position(), remaining);
                    }
                    outLimit = remaining;
                    outBytes.clear();
                }
                final int read = channel.read(inBytes);
                if (read < 0)
                {
                    throw new IOException("closed by the engine");
                }
                if (read > 0)
                {
                    work += read;
                    int offset = 0;
                    final int limit = inBytes.position();
                    while (limit - offset >= Framing.HEADER_LENGTH)
                    {
                        final long frameLength = Framing.frameLength(in, offset);
                        if (frameLength < Framing.MIN_FRAME_LENGTH || frameLength > in.capacity())
                        {
                            throw new IOException("bad frame length " + frameLength);
                        }
                        if (limit - offset < frameLength)
                        {
                            break;
                        }
                        onFrame(in, offset, (int)frameLength, nowNs);
                        offset += (int)frameLength;
                    }
                    if (offset > 0)
                    {
                        in.putBytes(0, in, offset, limit - offset);
                        inBytes.position(limit - offset);
                    }
                }
            }
            catch (final IOException ex)
            {
                // The engine went away (or broke the protocol): what was unsent or unanswered on this connection
                // is lost from this client's point of view; reconnect and carry on with the schedule.
                disconnects++;
                close();
                nextReconnectNs = System.nanoTime() + RECONNECT_INTERVAL_NS;
            }
            return work;
        }

        void close()
        {
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
