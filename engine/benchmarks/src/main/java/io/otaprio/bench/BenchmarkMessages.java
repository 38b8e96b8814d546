package io.otaprio.bench;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
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
 * four-level policy in which SRV 1.L is level L, held as a submission in the {@link AcceptedMessageDescriptor}
 * layout ({@link #submission()}); and the engine the benchmarks run it through ({@link #engineContext()}). Built
 * once per trial; in a measured method only {@link #submit} runs from here.
 * <p>
 * Threading: the constants are immutable; each submission belongs to the one producer thread that uses it.
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

    /**
     * A submission as a transport builds one: kind, code (SRV 1.4 until a producer sets another), RequestID
     * ({@link #ORIGINATOR}, {@link #TARGET}, counter 0) and the {@value #PAYLOAD_BYTES}-byte {@link #payload()}, in a
     * heap buffer of its own. Per message a producer changes only {@code counter} and {@code code}.
     *
     * @return the submission's flyweight, wrapping its buffer at offset 0.
     */
    static AcceptedMessageFlyweight submission()
    {
        return submission(PAYLOAD_BYTES);
    }

    /**
     * {@link #submission()} with a payload of another size, filled with the same pattern.
     *
     * @param payloadBytes the payload's length.
     * @return the submission's flyweight, wrapping its buffer at offset 0.
     */
    static AcceptedMessageFlyweight submission(final int payloadBytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(payloadBytes)]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[payloadBytes]);
        for (int i = 0; i < payloadBytes; i++)
        {
            payload.putByte(i, (byte)i);
        }
        return new AcceptedMessageFlyweight().wrap(buffer, 0).clear()
            .kind(KIND)
            .code(SRV_OF_LEVEL[PriorityPolicy.LEVELS])
            .requestId(new RequestId(ORIGINATOR, TARGET, 0))
            .payload(payload, 0, payloadBytes);
    }

    /**
     * The engine as every benchmark runs it, to be completed (ring sizes, dispatcher, clock, journal directory) and
     * concluded by the caller: the bench {@link #policy()}, slots of {@value #MAX_PAYLOAD_BYTES} payload bytes, and
     * the server's defaults turned off: no TCP gateway, no metrics endpoint, no journal, no resend detection. The
     * quota and the alert throttle are off by default. So admission does what it did before these parts existed.
     *
     * @return a new, unconcluded context.
     */
    static EngineContext engineContext()
    {
        return new EngineContext()
            .policy(policy())
            .maxPayloadBytes(MAX_PAYLOAD_BYTES)
            .gatewayListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .duisListen(Configuration.OFF)
            .journal(null)
            .dedup(0, 0);
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
        if (null != directory)
        {
            IoUtil.delete(directory.toFile(), false);
        }
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
     * Submit one bench message of a level through admission, as the engine benchmarks' producers do: set the
     * submission's RequestID counter and code, submit. Allocates nothing.
     *
     * @param admission  the engine's admission.
     * @param submission from {@link #submission()}, owned by the calling thread.
     * @param result     filled with admission's answer, owned by the calling thread.
     * @param level      1..4 (SRV 1.L under the bench policy).
     * @param counter    the RequestID counter.
     * @return true when admitted, false when the lane is full (retry).
     * @throws IllegalStateException on any other rejection: the benchmark is broken.
     */
    static boolean submit(
        final Admission admission,
        final AcceptedMessageFlyweight submission,
        final AdmissionResult result,
        final int level,
        final long counter)
    {
        if (admission.submit(submission.counter(counter).code(SRV_OF_LEVEL[level]), result))
        {
            return true;
        }
        if (RejectReason.FULL == result.reason())
        {
            return false;
        }
        throw new IllegalStateException("admission rejected message " + counter + ": " + result);
    }

    /**
     * Trial tear-down of a benchmark's engine context: close it (its journals, when on), delete the journal's
     * directory, and fail the trial if any journal append failed (a score measured over failing appends would be
     * meaningless).
     *
     * @param context   the concluded context.
     * @param directory its journal's temporary directory, or null when it has no journal.
     * @throws IllegalStateException naming the failures and the last reasons.
     */
    static void closeAndCheck(final EngineContext context, final Path directory)
    {
        final AcceptedJournal accepted = context.acceptedJournal();
        final OutcomeJournal outcomes = context.outcomeJournal();
        final long acceptedFailures = null == accepted ? 0 : accepted.failures();
        final long outcomeFailures = null == outcomes ? 0 : outcomes.failures();
        final String failures = "accepted journal append failed " + acceptedFailures + " times (" +
            (null == accepted ? null : accepted.lastFailure()) + "), outcome journal " + outcomeFailures + " times (" +
            (null == outcomes ? null : outcomes.lastFailure()) + ")";
        context.close();
        deleteRecursively(directory);
        if (acceptedFailures + outcomeFailures > 0)
        {
            throw new IllegalStateException(failures);
        }
    }
}
