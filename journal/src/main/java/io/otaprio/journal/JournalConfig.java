package io.otaprio.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.queue.rollcycles.LegacyRollCycles;
import net.openhft.chronicle.queue.rollcycles.SparseRollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where a journal lives and how it is written. A value: every setter returns a new configuration, validated as it
 * is made, so a bad value fails where it is set with a message naming the rule and the value, and never changes the
 * one it was called on. Building one never touches the file system.
 * <p>
 * Layout on disk: {@code <directory>/otaprio-journal.properties} (the version marker, see {@link JournalDirectory}),
 * {@code <directory>/accepted} and {@code <directory>/outcomes} (two Chronicle Queues).
 * <p>
 * Roll cycle: the name of a Chronicle roll cycle. An existing queue keeps the roll cycle it was created with
 * (Chronicle reads it from the queue's metadata and ignores the builder's), so changing this affects new journals
 * only.
 * <p>
 * Threading: effectively immutable: no instance changes once the setter that made it has returned. Its fields are
 * not final (a setter changes its own copy), so hand it to another thread through a safe publication, as the
 * engine does (a final field, or before starting the thread), never through a data race.
 */
public final class JournalConfig
{
    /** Default roll cycle: one file per hour, up to 2^32 excerpts each. */
    public static final String ROLL_CYCLE_DEFAULT = "FAST_HOURLY";

    /** Default sync policy. */
    public static final JournalSync SYNC_DEFAULT = JournalSync.NONE;

    /** Default number of fully completed cycles kept by retention, per queue. */
    public static final int RETAIN_COMPLETED_CYCLES_DEFAULT = 2;

    /** Default initial capacity of the outcome journal's batch, in records; it grows if a duty cycle needs more. */
    public static final int OUTCOME_BATCH_CAPACITY_DEFAULT = 1024;

    /** Default initial capacity of the accepted journal's encode buffer for payloads; it grows when needed. */
    public static final int PAYLOAD_CAPACITY_DEFAULT = 4096;

    /**
     * Free space below which the journals stop writing (appends fail, outcome records stay buffered) rather than
     * touch a page of a memory-mapped file the file system cannot back: that is a SIGBUS, which the JVM turns into an
     * asynchronous InternalError that can surface anywhere in the writing thread.
     */
    public static final long MIN_FREE_BYTES_DEFAULT = 64L * 1024 * 1024;

    /**
     * How often the engine records "every id below X is complete" in the outcomes journal; recovery and retention
     * start from the latest. Each checkpoint also runs retention (a directory listing), so seconds, not milliseconds.
     */
    public static final long CHECKPOINT_INTERVAL_NS_DEFAULT = 5_000_000_000L;

    private static final Map<String, RollCycle> ROLL_CYCLES = rollCycles();

    private Path directory;
    private String rollCycleName = ROLL_CYCLE_DEFAULT;
    private JournalSync sync = SYNC_DEFAULT;
    private int retainCompletedCycles = RETAIN_COMPLETED_CYCLES_DEFAULT;
    private int outcomeBatchCapacity = OUTCOME_BATCH_CAPACITY_DEFAULT;
    private int payloadCapacity = PAYLOAD_CAPACITY_DEFAULT;
    private long minFreeBytes = MIN_FREE_BYTES_DEFAULT;
    private long checkpointIntervalNs = CHECKPOINT_INTERVAL_NS_DEFAULT;

    /**
     * @param directory journal root; created with its {@code accepted} and {@code outcomes} queues when a writer
     *                  opens it.
     */
    public JournalConfig(final Path directory)
    {
        this.directory = Objects.requireNonNull(directory, "journal directory");
    }

    /**
     * The one place every setting is copied, for {@link #with}.
     */
    private JournalConfig(final JournalConfig from)
    {
        this.directory = from.directory;
        this.rollCycleName = from.rollCycleName;
        this.sync = from.sync;
        this.retainCompletedCycles = from.retainCompletedCycles;
        this.outcomeBatchCapacity = from.outcomeBatchCapacity;
        this.payloadCapacity = from.payloadCapacity;
        this.minFreeBytes = from.minFreeBytes;
        this.checkpointIntervalNs = from.checkpointIntervalNs;
    }

    /**
     * @param directory another journal root.
     * @return a copy with every other setting, for that directory.
     */
    public JournalConfig directory(final Path directory)
    {
        return with((copy) -> copy.directory = Objects.requireNonNull(directory, "journal directory"));
    }

    /**
     * @param name a Chronicle roll cycle name such as {@code FAST_HOURLY}, {@code FAST_DAILY}, {@code TEN_MINUTELY},
     *             {@code MINUTELY} or, for tests, {@code TEST_SECONDLY}; see {@link #rollCycleNames()}.
     * @return a copy with that roll cycle.
     * @throws IllegalArgumentException listing the known names when the name is not one.
     */
    public JournalConfig rollCycle(final String name)
    {
        resolveRollCycle(name);
        return with((copy) -> copy.rollCycleName = name);
    }

    /**
     * @param sync the sync policy.
     * @return a copy with that policy.
     */
    public JournalConfig sync(final JournalSync sync)
    {
        return with((copy) -> copy.sync = Objects.requireNonNull(sync, "journal sync"));
    }

    /**
     * @param cycles how many of the most recent fully completed cycles retention keeps in each queue (0 or more).
     * @return a copy with that setting.
     * @throws IllegalArgumentException when negative.
     */
    public JournalConfig retainCompletedCycles(final int cycles)
    {
        check(cycles >= 0, "retainCompletedCycles must be >= 0", cycles);
        return with((copy) -> copy.retainCompletedCycles = cycles);
    }

    /**
     * @param records initial capacity of the outcome batch (1 to 2^20); it doubles when a duty cycle buffers more.
     * @return a copy with that setting.
     * @throws IllegalArgumentException when out of range.
     */
    public JournalConfig outcomeBatchCapacity(final int records)
    {
        check(records >= 1 && records <= 1 << 20, "outcomeBatchCapacity must be 1..1048576 records", records);
        return with((copy) -> copy.outcomeBatchCapacity = records);
    }

    /**
     * @param bytes initial payload capacity of the accepted journal's encode buffer (0 to 16 MiB); set it to the
     *              engine's maximum payload so that no append ever grows it.
     * @return a copy with that setting.
     * @throws IllegalArgumentException when out of range.
     */
    public JournalConfig payloadCapacity(final int bytes)
    {
        check(bytes >= 0 && bytes <= 1 << 24, "payloadCapacity must be 0..16777216 bytes", bytes);
        return with((copy) -> copy.payloadCapacity = bytes);
    }

    /**
     * @param bytes free space on the journal's file system below which writing stops until space returns; 0 never
     *              stops. It must exceed what the journals write between two checks (every 256 appends, and every
     *              flush while space is low): the default, 64 MiB, does at any rate.
     * @return a copy with that setting.
     * @throws IllegalArgumentException when negative.
     */
    public JournalConfig minFreeBytes(final long bytes)
    {
        check(bytes >= 0, "minFreeBytes must be >= 0", bytes);
        return with((copy) -> copy.minFreeBytes = bytes);
    }

    /**
     * @param intervalNs how often the engine checkpoints the completion watermark (1 ms to 1 h).
     * @return a copy with that setting.
     * @throws IllegalArgumentException when out of range.
     */
    public JournalConfig checkpointIntervalNs(final long intervalNs)
    {
        check(intervalNs >= 1_000_000L && intervalNs <= 3_600_000_000_000L, "checkpointInterval must be 1ms..1h",
            intervalNs + " ns");
        return with((copy) -> copy.checkpointIntervalNs = intervalNs);
    }

    /** @return how often the engine checkpoints the completion watermark. */
    public long checkpointIntervalNs()
    {
        return checkpointIntervalNs;
    }

    /** @return free space below which the journals stop writing. */
    public long minFreeBytes()
    {
        return minFreeBytes;
    }

    /** @return the journal root. */
    public Path directory()
    {
        return directory;
    }

    /** @return the accepted queue's directory. */
    public Path acceptedDirectory()
    {
        return directory.resolve(JournalDirectory.ACCEPTED_QUEUE);
    }

    /** @return the outcomes queue's directory. */
    public Path outcomesDirectory()
    {
        return directory.resolve(JournalDirectory.OUTCOMES_QUEUE);
    }

    /** @return the roll cycle name. */
    public String rollCycleName()
    {
        return rollCycleName;
    }

    /** @return the Chronicle roll cycle new queues are created with. */
    public RollCycle rollCycle()
    {
        return resolveRollCycle(rollCycleName);
    }

    /** @return the sync policy. */
    public JournalSync sync()
    {
        return sync;
    }

    /** @return fully completed cycles kept per queue. */
    public int retainCompletedCycles()
    {
        return retainCompletedCycles;
    }

    /** @return initial outcome batch capacity in records. */
    public int outcomeBatchCapacity()
    {
        return outcomeBatchCapacity;
    }

    /** @return initial payload capacity of the accepted journal's encode buffer. */
    public int payloadCapacity()
    {
        return payloadCapacity;
    }

    /** @return every roll cycle name {@link #rollCycle(String)} accepts, in Chronicle's declaration order. */
    public static Iterable<String> rollCycleNames()
    {
        return Collections.unmodifiableSet(ROLL_CYCLES.keySet());
    }

    public String toString()
    {
        return "JournalConfig{directory=" + directory + ", rollCycle=" + rollCycleName + ", sync=" + sync +
            ", retainCompletedCycles=" + retainCompletedCycles + ", outcomeBatchCapacity=" + outcomeBatchCapacity +
            ", payloadCapacity=" + payloadCapacity + '}';
    }

    /**
     * What every setter returns: a copy of this configuration with one setting changed, changed before anything
     * else can see the copy, so that no instance ever changes once it has been returned.
     */
    private JournalConfig with(final Consumer<JournalConfig> change)
    {
        final JournalConfig copy = new JournalConfig(this);
        change.accept(copy);
        return copy;
    }

    private static void check(final boolean ok, final String rule, final Object value)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
    }

    private static RollCycle resolveRollCycle(final String name)
    {
        final RollCycle rollCycle = null == name ? null : ROLL_CYCLES.get(name);
        if (null == rollCycle)
        {
            throw new IllegalArgumentException("unknown journal roll cycle \"" + name + "\", expected one of " +
                ROLL_CYCLES.keySet());
        }
        return rollCycle;
    }

    private static Map<String, RollCycle> rollCycles()
    {
        // Chronicle 2026.4 spreads its roll cycles over several enums; MINUTELY/HOURLY/DAILY are the legacy ones.
        final Map<String, RollCycle> map = new LinkedHashMap<>();
        for (final RollCycles rc : RollCycles.values())
        {
            map.putIfAbsent(rc.name(), rc);
        }
        for (final LegacyRollCycles rc : LegacyRollCycles.values())
        {
            map.putIfAbsent(rc.name(), rc);
        }
        for (final LargeRollCycles rc : LargeRollCycles.values())
        {
            map.putIfAbsent(rc.name(), rc);
        }
        for (final SparseRollCycles rc : SparseRollCycles.values())
        {
            map.putIfAbsent(rc.name(), rc);
        }
        for (final TestRollCycles rc : TestRollCycles.values())
        {
            map.putIfAbsent(rc.name(), rc);
        }
        return map;
    }
}
