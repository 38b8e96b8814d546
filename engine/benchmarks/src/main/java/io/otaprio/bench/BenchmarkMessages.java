package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.SrvCode;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The message every benchmark sends: a service request with a 64-byte payload, SRV 1.L for level L, under a
 * four-level policy in which SRV 1.L is level L. Built once per trial; nothing here runs in a measured method
 * except reading its fields.
 * <p>
 * Threading: immutable after construction except {@link #PAYLOAD}'s bytes, which nobody writes after
 * construction.
 */
final class BenchmarkMessages
{
    /** Payload length of every benchmark message, bytes. */
    static final int PAYLOAD_BYTES = 64;

    /** Largest payload admitted; the ring slots and journal scratch are sized to it. */
    static final int MAX_PAYLOAD_BYTES = 64;

    /** Kind of every benchmark message. */
    static final int KIND = MessageKind.SERVICE_REQUEST.value();

    /** Packed SRV code by level, index 1..4 (SRV 1.1 .. 1.4). */
    static final int[] SRV_OF_LEVEL = { 0, SrvCode.parse("1.1"), SrvCode.parse("1.2"), SrvCode.parse("1.3"),
        SrvCode.parse("1.4") };

    /** RequestID fields, fixed: they are copied, never interpreted, on the measured paths. */
    static final long ORIGINATOR = 0x0011_2233_4455_6677L;
    static final long TARGET = 0x0088_99AA_BBCC_DDEEL;

    private BenchmarkMessages()
    {
    }

    /** @return a fresh 64-byte payload filled with a fixed pattern. */
    static UnsafeBuffer payload()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
        for (int i = 0; i < PAYLOAD_BYTES; i++)
        {
            payload.putByte(i, (byte)i);
        }
        return payload;
    }

    /** @return a four-level policy: SRV 1.L is level L, anything else level 4; generous TRT budgets. */
    static PriorityPolicy policy()
    {
        return PriorityPolicy.parse(String.join("\n",
            "name: bench",
            "defaultLevel: 4",
            "trt: { 1: 10s, 2: 10s, 3: 10s, 4: 10s }",
            "rules:",
            "  - { srv: \"1.1\", level: 1 }",
            "  - { srv: \"1.2\", level: 2 }",
            "  - { srv: \"1.3\", level: 3 }",
            "  - { srv: \"1.4\", level: 4 }",
            ""), "bench-policy.yaml");
    }

    /**
     * @param prefix name prefix.
     * @return a new empty directory under java.io.tmpdir (which must be on a real disk for the sync results to mean
     * anything; see the run's machine.txt).
     */
    static Path newTempDirectory(final String prefix)
    {
        try
        {
            return Files.createTempDirectory(prefix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a temp directory for " + prefix, ex);
        }
    }

    /**
     * Delete a directory tree; a null or missing directory is fine.
     *
     * @param directory to delete.
     */
    static void deleteRecursively(final Path directory)
    {
        IoUtil.delete(directory.toFile(), false);
    }

    /**
     * Share of each level, percent, index 1..4, in the throughput and classification mixes: 5 / 7 / 12 / 76. The
     * issue's mix: few supply-critical and install messages, mostly routine reads and logs.
     */
    static final int[] LEVEL_PERCENT = { 0, 5, 7, 12, 76 };

    /**
     * A fixed, shuffled sequence of levels in {@link #LEVEL_PERCENT} proportions (each level's count rounded, the
     * remainder given to level 4), so that a measured loop reads {@code mix[counter & (length - 1)]} instead of
     * drawing random numbers, and the branch predictor cannot learn a short period.
     *
     * @param length entries, a power of two.
     * @param seed   shuffle seed; the same seed gives the same sequence.
     * @return levels 1..4.
     */
    static int[] levelMix(final int length, final long seed)
    {
        if (length < 1 || Integer.bitCount(length) != 1)
        {
            throw new IllegalArgumentException("level mix length must be a power of two: " + length);
        }
        final int[] mix = new int[length];
        int index = 0;
        for (int level = 1; level < PriorityPolicy.LEVELS; level++)
        {
            final int count = Math.round(length * LEVEL_PERCENT[level] / 100.0f);
            for (int i = 0; i < count; i++)
            {
                mix[index++] = level;
            }
        }
        while (index < length)
        {
            mix[index++] = PriorityPolicy.LEVELS;
        }
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = length - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = mix[i];
            mix[i] = mix[j];
            mix[j] = swap;
        }
        return mix;
    }

    /**
     * Submit one bench message of a level through admission, as the engine benchmarks' producers do.
     *
     * @param admission the engine's admission.
     * @param level     1..4 (SRV 1.L under the bench policy).
     * @param counter   the RequestID counter.
     * @param payload   the payload ({@value #PAYLOAD_BYTES} bytes).
     * @return true when admitted, false when the lane is full (retry).
     * @throws IllegalStateException on any other rejection: the benchmark is broken.
     */
    static boolean submit(final Admission admission, final int level, final long counter, final UnsafeBuffer payload)
    {
        final long id = admission.submit(KIND, SRV_OF_LEVEL[level], ORIGINATOR, TARGET, counter, payload, 0,
            PAYLOAD_BYTES);
        if (id >= 0)
        {
            return true;
        }
        if (id == -RejectReason.FULL.code())
        {
            return false;
        }
        throw new IllegalStateException("admission rejected message " + counter + " with code " + id);
    }

    /**
     * Trial tear-down of a benchmark's accepted journal: close it, delete its directory, and fail the trial if any
     * append failed (a score measured over failing appends would be meaningless).
     *
     * @param journal   the journal.
     * @param directory its temporary directory.
     * @throws IllegalStateException naming the failures and the last reason.
     */
    static void closeAndCheck(final AcceptedJournal journal, final Path directory)
    {
        final long failures = journal.failures();
        final String lastFailure = journal.lastFailure();
        journal.close();
        deleteRecursively(directory);
        if (failures > 0)
        {
            throw new IllegalStateException("accepted journal append failed " + failures + " times: " + lastFailure);
        }
    }
}
