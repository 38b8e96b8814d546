package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.policy.PolicyFile;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Live reload of the policy file while submissions stream in: nothing lost, every message at the level of the
 * generation the journal says was in force for its id, refused files change nothing, generations and digests on
 * record.
 */
class PolicyReloadTest
{
    private static final int[] SRVS = { SrvCode.parse("2.2"), SrvCode.parse("7.4"), SrvCode.parse("11.1") };
    /** Level of each SRV above under policy A, then under policy B: every SRV moves at each reload. */
    private static final int[][] LEVELS = { { 1, 2, 4 }, { 2, 3, 1 } };
    private static final int RELOADS = 24;
    private static final int MESSAGES_PER_GENERATION = 200;

    @TempDir
    Path dir;

    @Test
    void shouldClassifyEveryMessageByTheGenerationInForceForItsIdWhileReloadingUnderLoad() throws Exception
    {
        final Path policy = dir.resolve("policy.yaml");
        final String[] texts = { policyText(0), policyText(1) };
        Files.writeString(policy, texts[0]);
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final TestSubmitter submitter = new TestSubmitter();
        final List<CompletableFuture<TestSubmitter.Answer>> answers = new ArrayList<>();
        final List<Integer> codes = new ArrayList<>();
        final AtomicBoolean loading = new AtomicBoolean(true);
        final AtomicLong offered = new AtomicLong();
        final List<PolicyReloader.Outcome> outcomes = new ArrayList<>();
        final List<String> reported = java.util.Collections.synchronizedList(new ArrayList<>());

        try (Engine engine = Engine.launch(TestEngines.context()
            .policyFile(PolicyFile.load(policy))
            .dispatcher(new ImmediateDispatcher(8))
            .ringSizes(4096, 4096, 4096, 4096)
            .maxPayloadBytes(64)
            .journal(journal)
            .reloadReport(reported::add)
            .addTransport(new InProcessTransport(submitter))))
        {
            final PolicyReloader reloader = engine.context().policyReloader();
            assertEquals(1, reloader.generation(), "a fresh journal's first policy");
            final Thread load = new Thread(() ->
            {
                final SplittableRandom random = new SplittableRandom(7);
                final RequestId requestId = new RequestId();
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
                long counter = 0;
                while (loading.get())
                {
                    // Bounded by what is queued and unanswered, so no lane can fill: every message is admitted.
                    if (engine.depth() > 1024 || (counter > 1024 && !answerOf(answers, counter - 1024).isDone()))
                    {
                        Thread.yield();
                        continue;
                    }
                    final int code = SRVS[random.nextInt(SRVS.length)];
                    requestId.set(0x90B3D51F30010000L, 0x0011223344556677L, ++counter);
                    synchronized (answers)
                    {
                        codes.add(code);
                        answers.add(submitter.offer(MessageKind.SERVICE_REQUEST.value(), code, requestId, payload, 0,
                            8));
                    }
                    offered.incrementAndGet();
                    if (0 == (counter & 63))
                    {
                        Thread.yield();
                    }
                }
            }, "policy-reload-test-load");
            load.start();
            try
            {
                for (int reload = 1; reload <= RELOADS; reload++)
                {
                    // Some messages admitted under each generation, however far the load has run ahead.
                    awaitAnswered(answers, offered, offered.get() + MESSAGES_PER_GENERATION);
                    // Every fourth file is broken: refused, the running policy stays.
                    final boolean broken = 0 == reload % 4;
                    final String next = broken ? texts[0].replace("level: 1", "level: 9") :
                        texts[(int)(reloader.generation() % 2)];
                    Files.writeString(policy, next);
                    outcomes.add(reloader.reload());
                }
                awaitAnswered(answers, offered, offered.get() + MESSAGES_PER_GENERATION);
            }
            finally
            {
                loading.set(false);
                load.join();
            }

            final List<PolicyRecord> records = PolicyJournal.read(journal);
            assertEquals(RELOADS - RELOADS / 4 + 1, records.size(), "one record per generation: " + records);
            for (int i = 0; i < records.size(); i++)
            {
                assertEquals(i + 1, records.get(i).generation());
                assertEquals(sha256(texts[i % 2]), records.get(i).sha256(), "the digest of the file's bytes");
                assertEquals(policy.toString(), records.get(i).source());
            }
            for (int i = 0; i < outcomes.size(); i++)
            {
                final boolean broken = 0 == (i + 1) % 4;
                assertEquals(!broken, outcomes.get(i).applied(), outcomes.get(i).line());
                if (broken)
                {
                    assertTrue(outcomes.get(i).line().startsWith("policy reload refused: " + policy + ":"),
                        "file:line first: " + outcomes.get(i).line());
                }
            }
            assertEquals(outcomes.stream().map(PolicyReloader.Outcome::line).toList(), reported, "each one reported");
            assertEquals(RELOADS / 4, reloader.reloadsRefused());
            assertEquals(RELOADS - RELOADS / 4, reloader.reloadsApplied());
            assertEquals(records.size(), reloader.generation());

            final long[] from = new long[records.size() + 1];
            for (int i = 0; i < records.size(); i++)
            {
                from[i] = records.get(i).fromMessageId();
            }
            from[records.size()] = Long.MAX_VALUE;
            final int[] perGeneration = new int[records.size()];
            synchronized (answers)
            {
                final long ids = answers.size();
                final java.util.Set<Long> seen = new java.util.HashSet<>();
                for (int i = 0; i < answers.size(); i++)
                {
                    final TestSubmitter.Answer answer = answers.get(i).get(TestSubmitter.TIMEOUT_MS,
                        TimeUnit.MILLISECONDS);
                    assertTrue(answer.accepted(), "nothing refused or lost: " + answer);
                    assertTrue(seen.add(answer.messageId()));
                    int generation = 0;
                    while (answer.messageId() >= from[generation + 1])
                    {
                        generation++;
                    }
                    perGeneration[generation]++;
                    final int srv = indexOf(codes.get(i));
                    assertEquals(LEVELS[generation % 2][srv], answer.level(), "message " + answer.messageId() +
                        " SRV " + SrvCode.toString(codes.get(i)) + " under generation " + (generation + 1));
                }
                assertEquals(ids, seen.size());
            }
            for (int generation = 0; generation < perGeneration.length - 1; generation++)
            {
                assertTrue(perGeneration[generation] > 0, "load ran through generation " + (generation + 1));
            }
        }
    }

    @Test
    void shouldKeepTheGenerationAcrossARestartWithTheSameFileAndCountOnWithAnother() throws IOException
    {
        final Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, policyText(0));
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        for (final int expected : new int[]{ 1, 1 })
        {
            try (Engine engine = Engine.launch(TestEngines.context().policyFile(PolicyFile.load(policy))
                .journal(journal)))
            {
                assertEquals(expected, engine.context().policyReloader().generation());
            }
        }
        Files.writeString(policy, policyText(1));
        try (Engine engine = Engine.launch(TestEngines.context().policyFile(PolicyFile.load(policy)).journal(journal)))
        {
            assertEquals(2, engine.context().policyReloader().generation(), "another file at start: a generation");
            final PolicyReloader.Outcome same = engine.context().policyReloader().reload();
            assertTrue(same.applied());
            assertTrue(same.line().contains("unchanged"), same.line());
            assertEquals(2, engine.context().policyReloader().generation());
        }
        assertEquals(2, PolicyJournal.read(journal).size());
    }

    @Test
    void shouldRefuseToReloadAPolicyBuiltInCode()
    {
        try (Engine engine = Engine.launch(TestEngines.context()))
        {
            final PolicyReloader.Outcome outcome = engine.context().policyReloader().reload();
            assertFalse(outcome.applied());
            assertTrue(outcome.line().contains("built in code"), outcome.line());
            assertEquals(1, engine.context().policyReloader().reloadsRefused());
        }
    }

    private static CompletableFuture<TestSubmitter.Answer> answerOf(
        final List<CompletableFuture<TestSubmitter.Answer>> answers, final long counter)
    {
        synchronized (answers)
        {
            return answers.get((int)counter - 1);
        }
    }

    /** Until the count-th message offered is answered: answers come in order, so all before it are too. */
    private static void awaitAnswered(
        final List<CompletableFuture<TestSubmitter.Answer>> answers, final AtomicLong offered, final long count)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (offered.get() < count || !answerOf(answers, count).isDone())
        {
            assertTrue(System.nanoTime() < deadline, "the load stalled at " + offered.get());
            Thread.sleep(1);
        }
    }

    private static int indexOf(final int code)
    {
        for (int i = 0; i < SRVS.length; i++)
        {
            if (SRVS[i] == code)
            {
                return i;
            }
        }
        throw new AssertionError(code);
    }

    private static String policyText(final int variant)
    {
        final int[] levels = LEVELS[variant];
        return String.join("\n",
            "name: reload-" + (char)('a' + variant),
            "defaultLevel: 4",
            "trt: { 1: 1s, 2: 5s, 3: 10s, 4: 30s }",
            "rules:",
            "  - { srv: \"2.2\", level: " + levels[0] + " }",
            "  - { srv: \"7.4\", level: " + levels[1] + " }",
            "  - { srv: \"11.1\", level: " + levels[2] + " }",
            "");
    }

    private static String sha256(final String text) throws Exception
    {
        return PolicyRecord.hex(java.security.MessageDigest.getInstance("SHA-256").digest(
            text.getBytes(StandardCharsets.UTF_8)));
    }
}
