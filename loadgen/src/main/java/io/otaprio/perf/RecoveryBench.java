package io.otaprio.perf;

import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.loadgen.EngineProcess;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RequestId;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.status.StatusFileDescriptor;
import io.otaprio.status.StatusFileReader;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * DR recovery time against the size of the backlog. For each size, a journal is written with the engine's own
 * journal writers as a crashed engine leaves it after a 10-minute downstream outage: as many messages completed
 * (DISPATCHED and COMPLETED records) in the 10 minutes before the outage, and checkpointed (the watermark and the
 * accepted-queue index of its message), as are then left pending by the outage, all drawn from
 * the shipped traffic mix and classified by the shipped policy into the accepted layout admission writes, with no
 * clean stop after them. Then {@code ./otaprio engine} starts on it as its own JVM (as the TCP sweep starts it, on
 * {@code conf/bench-tcp.yaml}: the simulated DSP answers at once, so the backlog drains at the engine's own speed) and
 * reports its recovery milestones in its status file ({@link RecoveryMilestones}): the scan done, the first
 * replayed level-1 message dispatched, the whole backlog in the rings, each after its JVM started, and the journal
 * bytes the scan read. The engine is then killed ({@code kill -9}) and the journal deleted.
 */
public final class RecoveryBench
{
    /** Backlogs of the full run, pending messages. */
    public static final long[] BACKLOGS = { 100_000, 1_000_000, 5_000_000 };

    /** Backlogs of a quick run. */
    public static final long[] QUICK_BACKLOGS = { 100_000, 1_000_000 };

    /** The backlog the first level-1 dispatch target is set at. */
    public static final long TARGET_BACKLOG = 1_000_000;

    /** The first level-1 dispatch target, microseconds after the JVM started. */
    public static final long TARGET_FIRST_LEVEL_ONE_US = 1_000_000;

    /** Linear growth: time per pending message at the largest backlog over that at the target backlog, at most. */
    public static final double LINEAR_RATIO_MAX = 1.2;

    private static final long SEED = 15;
    private static final long OUTAGE_NS = TimeUnit.MINUTES.toNanos(10);
    /** How long a backlog may take to be queued: generous, the engine drains far faster than 1 every 60 us. */
    private static final long WAIT_US_PER_MESSAGE = 60;
    private static final long WAIT_MS_MIN = 120_000;

    private RecoveryBench()
    {
    }

    /**
     * One backlog's recovery.
     *
     * @param backlog            pending messages in the journal.
     * @param pendingByLevel     of them per level (index 1..4; the engine's count).
     * @param completedBefore    messages completed and checkpointed before the backlog.
     * @param acceptedBytes      bytes of the accepted queue written (both the completed and the pending messages).
     * @param acceptedScanned    bytes of the accepted queue the engine's scan read.
     * @param outcomesScanned    bytes of the outcomes queue the engine's scan read.
     * @param scanUs             how long the scan took.
     * @param scannedUs          scan done, after the JVM started.
     * @param firstLevelOneUs    first replayed level-1 message dispatched, after the JVM started.
     * @param backlogQueuedUs    the whole backlog in the rings, after the JVM started.
     * @param spawnToJvmStartMs  from this process starting the engine to the engine's JVM start.
     * @param buildSeconds       writing the journal.
     */
    public record Point(
        long backlog,
        long[] pendingByLevel,
        long completedBefore,
        long acceptedBytes,
        long acceptedScanned,
        long outcomesScanned,
        long scanUs,
        long scannedUs,
        long firstLevelOneUs,
        long backlogQueuedUs,
        long spawnToJvmStartMs,
        double buildSeconds)
    {
        /** @return from the JVM's start to the scan's: the same whatever the backlog. */
        public long startUpUs()
        {
            return scannedUs - scanUs;
        }

        /**
         * @return microseconds per pending message from the scan's start to the whole backlog queued: what the backlog
         * costs, without the start-up before the scan, which does not depend on it.
         */
        public double recoveryUsPerMessage()
        {
            return (backlogQueuedUs - startUpUs()) / (double)backlog;
        }
    }

    /**
     * Run every backlog size.
     *
     * @param config   engine configuration (conf/bench-tcp.yaml): its journal settings, policy, rings and DSP.
     * @param mixFile  traffic mix the messages are drawn from.
     * @param workDir  for the journal (deleted after each size) and the engine's logs.
     * @param backlogs pending messages, ascending.
     * @param progress a line per size.
     * @return one point per size.
     * @throws IOException if a journal cannot be written, the engine does not start, or it does not recover in time.
     */
    public static List<Point> run(
        final Path config, final Path mixFile, final Path workDir, final long[] backlogs, final PrintStream progress)
        throws IOException
    {
        final List<Point> points = new ArrayList<>();
        for (final long backlog : backlogs)
        {
            points.add(runOne(config, mixFile, workDir, backlog, progress));
        }
        return points;
    }

    private static Point runOne(
        final Path config, final Path mixFile, final Path workDir, final long backlog, final PrintStream progress)
        throws IOException
    {
        final Path journalDir = workDir.resolve("recovery-journal");
        IoUtil.delete(journalDir.toFile(), false);
        try
        {
            final long buildStartNs = System.nanoTime();
            final long acceptedBytes = writeJournal(config, mixFile, journalDir, backlog, backlog);
            final double buildSeconds = (System.nanoTime() - buildStartNs) / 1e9;
            final Path log = workDir.resolve(engineLogName(backlog));
            final long spawnMs = System.currentTimeMillis();
            final Point point;
            try (EngineProcess engine = EngineProcess.start(List.of("--config", config.toString(), "--journal",
                journalDir.toString(), "--listen", "127.0.0.1:" + EngineProcess.freePort(), "--duis", "off",
                "--status-interval", "0"), log, WAIT_MS_MIN))
            {
                final Map<String, Long> counters = awaitBacklogQueued(journalDir, engine, waitMs(backlog));
                engine.kill();
                final long[] byLevel = new long[5];
                for (int level = 1; level <= 4; level++)
                {
                    byLevel[level] = counters.get("recovery: pending found level=" + level);
                }
                point = new Point(backlog, byLevel, backlog, acceptedBytes,
                    counters.get(RecoveryMilestones.ACCEPTED_BYTES_LABEL),
                    counters.get(RecoveryMilestones.OUTCOME_BYTES_LABEL),
                    counters.get(RecoveryMilestones.SCAN_DURATION_LABEL),
                    counters.get(RecoveryMilestones.SCANNED_LABEL),
                    counters.get(RecoveryMilestones.FIRST_LEVEL_ONE_LABEL),
                    counters.get(RecoveryMilestones.BACKLOG_QUEUED_LABEL),
                    counters.get(RecoveryMilestones.JVM_START_LABEL) - spawnMs, buildSeconds);
            }
            final long pending = pendingTotal(point);
            if (pending != backlog)
            {
                throw new IOException("the engine found " + pending + " pending, the journal holds " + backlog +
                    "; see " + log);
            }
            progress.printf(Locale.ROOT, "  %,9d pending: scan %s (%s of %s accepted, %s outcomes), first level-1 " +
                "dispatch %s, backlog queued %s after the JVM started (journal written in %.1f s)%n", backlog,
                seconds(point.scanUs()), megabytes(point.acceptedScanned()), megabytes(point.acceptedBytes()),
                megabytes(point.outcomesScanned()), seconds(point.firstLevelOneUs()),
                seconds(point.backlogQueuedUs()), buildSeconds);
            return point;
        }
        finally
        {
            IoUtil.delete(journalDir.toFile(), false);
        }
    }

    private static long pendingTotal(final Point point)
    {
        long sum = 0;
        for (int level = 1; level <= 4; level++)
        {
            sum += point.pendingByLevel()[level];
        }
        return sum;
    }

    /**
     * Write the journal a crashed engine leaves: {@code completed} messages, each DISPATCHED and COMPLETED, a
     * checkpoint at the first pending one, then {@code pending} messages with no outcome.
     *
     * @param config     engine configuration: journal settings, policy, largest payload.
     * @param mixFile    traffic mix.
     * @param journalDir where.
     * @param completed  messages completed before the checkpoint.
     * @param pending    messages pending after it.
     * @return bytes of the accepted queue written (each document and its 4-byte header).
     * @throws IOException if the configuration or the mix cannot be read.
     */
    public static long writeJournal(
        final Path config, final Path mixFile, final Path journalDir, final long completed, final long pending)
        throws IOException
    {
        final EngineContext engine = ConfigurationFile.read(config);
        final PriorityPolicy policy = engine.policy();
        final TrafficMix mix = TrafficMix.load(mixFile);
        final JournalConfig journal = engine.journal().directory(journalDir).payloadCapacity(
            Math.max(1, engine.maxPayloadBytes()));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(
            Math.max(1, mix.maxPayloadBytes()))]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[Math.max(1, mix.maxPayloadBytes())]);
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight().wrap(buffer, 0);
        final RequestId requestId = new RequestId();
        final SplittableRandom random = new SplittableRandom(SEED);
        final long total = completed + pending;
        // The downstream went down OUTAGE before the crash: the completed messages were accepted (and answered at once)
        // in the OUTAGE before that, the backlog during it. Their completions are older than resend detection's
        // window, as after any outage longer than it.
        final long crashNs = System.currentTimeMillis() * 1_000_000L;
        final long completedSpacingNs = OUTAGE_NS / Math.max(1, completed);
        final long pendingSpacingNs = OUTAGE_NS / Math.max(1, pending);
        long bytes = 0;
        long checkpointIndex = -1;
        try (AcceptedJournal accepted = AcceptedJournal.open(journal);
            OutcomeJournal outcomes = OutcomeJournal.open(journal))
        {
            for (long id = 0; id < total; id++)
            {
                final TrafficMix.Type type = mix.type(mix.sample(random));
                final int rule = policy.classify(type.kind(), type.code());
                final long acceptNs = id < completed ? crashNs - 2 * OUTAGE_NS + id * completedSpacingNs :
                    crashNs - OUTAGE_NS + (id - completed) * pendingSpacingNs;
                requestId.set(0x0100000000000000L | (id & 0xFFFF), 0x0200000000000000L | id, id);
                message.clear().kind(type.kind().value()).level(policy.level(rule)).code(type.code()).messageId(id)
                    .requestId(requestId).acceptTimeNs(acceptNs).trtNs(policy.trtNs(rule))
                    .payload(payload, 0, type.payloadBytes());
                final long index = accepted.append(buffer, 0, message.encodedLength());
                if (index < 0)
                {
                    throw new IOException("cannot write " + journalDir + ": " + accepted.lastFailure());
                }
                bytes += message.encodedLength() + 4;
                if (id < completed)
                {
                    outcomes.dispatched(id, acceptNs + 100);
                    outcomes.completed(id, acceptNs + 100, acceptNs + 200, 0);
                    if (outcomes.bufferedRecords() >= 1024)
                    {
                        outcomes.flush();
                    }
                }
                else if (id == completed)
                {
                    checkpointIndex = index;
                }
            }
            outcomes.flush();
            if (pending > 0 && outcomes.checkpoint(completed, checkpointIndex) < 0)
            {
                throw new IOException("cannot write " + journalDir + ": " + outcomes.lastFailure());
            }
        }
        return bytes;
    }

    /**
     * Wait until the engine's status file says the whole backlog is queued.
     *
     * @return every counter of the status file by label.
     */
    private static Map<String, Long> awaitBacklogQueued(
        final Path journalDir, final EngineProcess engine, final long timeoutMs) throws IOException
    {
        final Path file = journalDir.resolve(StatusFileDescriptor.FILE_NAME);
        final StatusFileReader status = StatusFileReader.open(file);
        if (status.pid() != engine.pid())
        {
            throw new IOException(file + " is of pid " + status.pid() + ", not of the engine started, " + engine.pid());
        }
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (true)
        {
            final Map<String, Long> counters = read(status.counters());
            final Long queued = counters.get(RecoveryMilestones.BACKLOG_QUEUED_LABEL);
            final Long firstLevelOne = counters.get(RecoveryMilestones.FIRST_LEVEL_ONE_LABEL);
            if (null != queued && queued >= 0 && null != firstLevelOne && firstLevelOne >= 0)
            {
                return counters;
            }
            if (System.currentTimeMillis() > deadline)
            {
                throw new IOException("the engine did not queue its backlog within " + timeoutMs + " ms");
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the engine's recovery", ex);
            }
        }
    }

    private static Map<String, Long> read(final CountersReader counters)
    {
        final Map<String, Long> values = new HashMap<>();
        counters.forEach((value, id, label) -> values.put(label, value));
        return values;
    }

    /**
     * @param backlog pending messages.
     * @return the name of the engine's log for that backlog in the run folder.
     */
    static String engineLogName(final long backlog)
    {
        return "recovery-engine-" + backlog + ".log";
    }

    /**
     * @param points the run.
     * @return JSON: per backlog every figure, times in microseconds after the engine's JVM started.
     */
    public static String json(final List<Point> points)
    {
        final JsonWriter json = new JsonWriter().beginArray();
        for (final Point point : points)
        {
            json.beginObject()
                .field("backlog", point.backlog())
                .field("pendingLevel1", point.pendingByLevel()[1])
                .field("pendingLevel2", point.pendingByLevel()[2])
                .field("pendingLevel3", point.pendingByLevel()[3])
                .field("pendingLevel4", point.pendingByLevel()[4])
                .field("completedBeforeCheckpoint", point.completedBefore())
                .field("acceptedBytesWritten", point.acceptedBytes())
                .field("acceptedBytesScanned", point.acceptedScanned())
                .field("outcomeBytesScanned", point.outcomesScanned())
                .field("scanUs", point.scanUs())
                .field("scannedUs", point.scannedUs())
                .field("firstLevel1DispatchUs", point.firstLevelOneUs())
                .field("backlogQueuedUs", point.backlogQueuedUs())
                .field("spawnToJvmStartMs", point.spawnToJvmStartMs())
                .field("journalWriteMs", Math.round(point.buildSeconds() * 1000))
                .endObject();
        }
        return json.endArray().toString();
    }

    /**
     * Write the JSON.
     *
     * @param file   where.
     * @param points the run.
     * @throws IOException if it cannot be written.
     */
    public static void write(final Path file, final List<Point> points) throws IOException
    {
        Files.writeString(file, json(points) + System.lineSeparator());
    }

    static String seconds(final long micros)
    {
        return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f s", micros / 1e6);
    }

    static String megabytes(final long bytes)
    {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static long waitMs(final long backlog)
    {
        return Math.max(WAIT_MS_MIN, TimeUnit.MICROSECONDS.toMillis(backlog * WAIT_US_PER_MESSAGE));
    }
}
