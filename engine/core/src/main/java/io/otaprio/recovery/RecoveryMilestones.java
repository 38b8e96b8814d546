package io.otaprio.recovery;

import io.otaprio.journal.Recovered;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How long the engine took to recover its journal after a start, measured by the engine itself from the moment its
 * JVM started ({@code RuntimeMXBean.getStartTime()}): the journal scan done, the first replayed level-1 message
 * dispatched, the whole backlog handed to the rings. Each milestone is a counter in the status file (microseconds after
 * the JVM started, -1 until reached), so another process reads it with {@code ./otaprio stat} or
 * {@code StatusFileReader}; {@code /metrics} shows them; a log line says each once it is reached.
 * <p>
 * Cost on the hot paths: the scheduler checks one boolean of its own per dispatch until the first replayed level-1
 * message goes out, then never again; the admission agent stamps the end of the replay once. Each stamp is one ordered
 * store.
 * <p>
 * Threading: {@link #scanned} on the thread that concludes the engine, before any agent runs;
 * {@link #firstLevelOneDispatched} on the scheduler thread; {@link #backlogQueued} on the admission thread;
 * {@link #logReached} on the reporter thread; the counters may be read from any thread or process.
 */
public final class RecoveryMilestones
{
    /** A milestone's value until it is reached. */
    public static final long NOT_YET = -1;

    /** Label of the counter of the scan's end, microseconds after the JVM started. */
    public static final String SCANNED_LABEL = "recovery: scan done, us after JVM start";
    /** Label of the counter of the first replayed level-1 dispatch, microseconds after the JVM started. */
    public static final String FIRST_LEVEL_ONE_LABEL = "recovery: first replayed level-1 dispatch, us after JVM start";
    /** Label of the counter of the last replayed message handed to the rings, microseconds after the JVM started. */
    public static final String BACKLOG_QUEUED_LABEL = "recovery: backlog queued, us after JVM start";
    /** Label of the counter of the scan's own duration, microseconds. */
    public static final String SCAN_DURATION_LABEL = "recovery: scan took, us";
    /** Label of the counter of the JVM's start, epoch milliseconds: where every milestone is measured from. */
    public static final String JVM_START_LABEL = "recovery: JVM start, epoch ms";
    /** Label of the counter of the pending messages found, all levels. */
    public static final String PENDING_LABEL = "recovery: pending found";
    /** Label of the counter of the accepted queue's bytes scanned. */
    public static final String ACCEPTED_BYTES_LABEL = "recovery: accepted journal bytes scanned";
    /** Label of the counter of the outcomes queue's bytes scanned. */
    public static final String OUTCOME_BYTES_LABEL = "recovery: outcome journal bytes scanned";

    private static final System.Logger LOG = System.getLogger(RecoveryMilestones.class.getName());
    private static final int LEVELS = Recovered.LEVELS;

    private final AtomicCounter scannedUs;
    private final AtomicCounter firstLevelOneUs;
    private final AtomicCounter backlogQueuedUs;
    private final AtomicCounter scanDurationUs;
    private final AtomicCounter jvmStartMs;
    private final AtomicCounter pending;
    private final AtomicCounter[] pendingByLevel = new AtomicCounter[LEVELS + 1];
    private final AtomicCounter acceptedBytes;
    private final AtomicCounter outcomeBytes;
    private long jvmStartNs;
    private long replayedIdsBelow;
    private boolean awaitsReplayedLevelOne;
    private String scanStart = "";
    private boolean scanLogged;
    private boolean firstLevelOneLogged;
    private boolean backlogQueuedLogged;

    /**
     * @param counters where the milestones' counters are allocated: the status file's.
     */
    public RecoveryMilestones(final CountersManager counters)
    {
        scannedUs = counters.newCounter(SCANNED_LABEL);
        firstLevelOneUs = counters.newCounter(FIRST_LEVEL_ONE_LABEL);
        backlogQueuedUs = counters.newCounter(BACKLOG_QUEUED_LABEL);
        scanDurationUs = counters.newCounter(SCAN_DURATION_LABEL);
        jvmStartMs = counters.newCounter(JVM_START_LABEL);
        pending = counters.newCounter(PENDING_LABEL);
        for (int level = 1; level <= LEVELS; level++)
        {
            pendingByLevel[level] = counters.newCounter("recovery: pending found level=" + level);
        }
        acceptedBytes = counters.newCounter(ACCEPTED_BYTES_LABEL);
        outcomeBytes = counters.newCounter(OUTCOME_BYTES_LABEL);
        scannedUs.setOrdered(NOT_YET);
        firstLevelOneUs.setOrdered(NOT_YET);
        backlogQueuedUs.setOrdered(NOT_YET);
    }

    /**
     * @return milestones of an engine that recovers nothing (no journal of its own): counters in private memory,
     * never reached.
     */
    public static RecoveryMilestones none()
    {
        final int capacity = 16;
        return new RecoveryMilestones(new CountersManager(
            new UnsafeBuffer(new byte[capacity * CountersReader.METADATA_LENGTH]),
            new UnsafeBuffer(new byte[capacity * CountersReader.COUNTER_LENGTH])));
    }

    /**
     * The journal has been scanned: note what was found and when, and log it. With nothing pending the backlog is
     * queued at once.
     *
     * @param recovered what the scan found.
     * @param startNs   when the scan started, epoch nanoseconds.
     * @param endNs     when it ended (the backlog known, before the journals opened for writing), epoch nanoseconds.
     * @param replayedIdsBelow every replayed message has an id below this (the first id the engine gives).
     */
    public void scanned(final Recovered recovered, final long startNs, final long endNs, final long replayedIdsBelow)
    {
        // Chronicle's own start-up has loaded the management classes by now: this costs nothing more.
        final long startMs = ManagementFactory.getRuntimeMXBean().getStartTime();
        jvmStartNs = startMs * 1_000_000L;
        jvmStartMs.setOrdered(startMs);
        this.replayedIdsBelow = replayedIdsBelow;
        awaitsReplayedLevelOne = recovered.pendingCount(1) > 0;
        scanStart = recovered.checkpointAcceptedIndex() >= 0 ? "from the checkpoint" :
            recovered.checkpointWatermark() < 0 ? "from the start (no checkpoint yet)" :
            "from the start (the checkpoint has no accepted index)";
        for (int level = 1; level <= LEVELS; level++)
        {
            pendingByLevel[level].setOrdered(recovered.pendingCount(level));
        }
        pending.setOrdered(recovered.pendingCount());
        acceptedBytes.setOrdered(recovered.acceptedBytesScanned());
        outcomeBytes.setOrdered(recovered.outcomeBytesScanned());
        scanDurationUs.setOrdered((endNs - startNs) / 1000);
        scannedUs.setOrdered(sinceJvmStartUs(endNs));
        if (0 == recovered.pendingCount())
        {
            backlogQueuedUs.setOrdered(sinceJvmStartUs(endNs));
            backlogQueuedLogged = true;
        }
        logReached();
    }

    /**
     * @return whether the scheduler should look for the first replayed level-1 dispatch: some level-1 message is
     * pending and it has not gone out yet. Read once, when the scheduler is built.
     */
    public boolean awaitsReplayedLevelOne()
    {
        return awaitsReplayedLevelOne;
    }

    /** @return every replayed message has an id below this. */
    public long replayedIdsBelow()
    {
        return replayedIdsBelow;
    }

    /**
     * The first replayed level-1 message has been handed to the dispatcher. Scheduler thread, once.
     *
     * @param nowNs epoch nanoseconds.
     */
    public void firstLevelOneDispatched(final long nowNs)
    {
        firstLevelOneUs.setOrdered(sinceJvmStartUs(nowNs));
    }

    /**
     * The replay feeder has handed the last pending message to the rings. Admission thread, once.
     *
     * @param nowNs epoch nanoseconds.
     */
    public void backlogQueued(final long nowNs)
    {
        backlogQueuedUs.setOrdered(sinceJvmStartUs(nowNs));
    }

    /**
     * Log each milestone reached since the last call, once. Reporter thread (and the concluding thread for the
     * scan); allocates only when it logs.
     *
     * @return lines logged.
     */
    public int logReached()
    {
        int logged = 0;
        if (!scanLogged && scannedUs.get() >= 0)
        {
            scanLogged = true;
            logged++;
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "recovery: %,d pending (level 1 %,d, " +
                "2 %,d, 3 %,d, 4 %,d) found in %,d ms, %s of the accepted journal scanned %s, %s of outcomes; " +
                "%,d ms after the JVM started", pending.get(), pendingByLevel[1].get(), pendingByLevel[2].get(),
                pendingByLevel[3].get(), pendingByLevel[4].get(), scanDurationUs.get() / 1000,
                bytes(acceptedBytes.get()), scanStart, bytes(outcomeBytes.get()), scannedUs.get() / 1000));
        }
        if (!firstLevelOneLogged && firstLevelOneUs.get() >= 0)
        {
            firstLevelOneLogged = true;
            logged++;
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "recovery: first replayed level-1 message " +
                "dispatched %,d ms after the JVM started", firstLevelOneUs.get() / 1000));
        }
        if (!backlogQueuedLogged && backlogQueuedUs.get() >= 0)
        {
            backlogQueuedLogged = true;
            logged++;
            LOG.log(System.Logger.Level.INFO, String.format(Locale.ROOT, "recovery: whole backlog of %,d queued " +
                "%,d ms after the JVM started", pending.get(), backlogQueuedUs.get() / 1000));
        }
        return logged;
    }

    /** @return microseconds after the JVM started that the scan ended, or {@link #NOT_YET}. */
    public long scannedUs()
    {
        return scannedUs.get();
    }

    /** @return microseconds after the JVM started that the first replayed level-1 message was dispatched, or -1. */
    public long firstLevelOneDispatchUs()
    {
        return firstLevelOneUs.get();
    }

    /** @return microseconds after the JVM started that the whole backlog was in the rings, or {@link #NOT_YET}. */
    public long backlogQueuedUs()
    {
        return backlogQueuedUs.get();
    }

    /** @return how long the scan took, microseconds. */
    public long scanDurationUs()
    {
        return scanDurationUs.get();
    }

    /**
     * @param level 1..4, or 0 for all levels.
     * @return pending messages the scan found.
     */
    public long pending(final int level)
    {
        return 0 == level ? pending.get() : pendingByLevel[level].get();
    }

    /** @return bytes of the accepted queue the scan read. */
    public long acceptedBytesScanned()
    {
        return acceptedBytes.get();
    }

    /** @return bytes of the outcomes queue the scan read. */
    public long outcomeBytesScanned()
    {
        return outcomeBytes.get();
    }

    private long sinceJvmStartUs(final long epochNs)
    {
        return Math.max(0, epochNs - jvmStartNs) / 1000;
    }

    private static String bytes(final long bytes)
    {
        return bytes >= 10_000_000 ? String.format(Locale.ROOT, "%,d MB", bytes / 1_000_000) :
            String.format(Locale.ROOT, "%,d kB", bytes / 1000);
    }
}
