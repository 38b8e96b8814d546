package io.otaprio.recovery;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.engine.Engine;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalDump;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.testing.TestEngines;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongHashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A simulated DR event with a real {@code kill -9}: the engine runs in a child JVM, takes a burst far above its
 * simulated DSP's capacity, and is killed with a backlog queued. The engine is then restarted on the same journal
 * in this JVM, replays the backlog and drains it. Every acknowledged message must complete; only the messages
 * recovery reported as re-dispatched may have been dispatched twice.
 */
class CrashRecoveryTest
{
    private static final int MESSAGES = 20_000;
    private static final int KILL_AFTER_ACKS = 6_000;

    @TempDir
    Path dir;

    @Test
    void shouldCompleteEveryAcknowledgedMessageAfterKillNineAndRestart() throws Exception
    {
        final Path journal = dir.resolve("journal");
        final LongHashSet acked = new LongHashSet();
        final Process child = startChild(journal);
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (null != (line = reader.readLine()))
            {
                if (line.startsWith("ACK "))
                {
                    acked.add(Long.parseLong(line.substring(4)));
                    if (acked.size() == KILL_AFTER_ACKS)
                    {
                        child.destroyForcibly();   // SIGKILL: no shutdown hook, no flush, no close
                        break;
                    }
                }
            }
        }
        finally
        {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child exited");
        }
        assertEquals(KILL_AFTER_ACKS, acked.size(), "the child acknowledged messages before the kill");

        final Recovered recovered = JournalRecovery.recover(new JournalConfig(journal));
        assertTrue(recovered.pendingCount() > 0, "a backlog was queued at the kill");
        final LongHashSet notJournaled = new LongHashSet();
        for (final long id : acked)
        {
            if (id >= recovered.nextMessageId())
            {
                notJournaled.add(id);
            }
        }
        assertEquals(0, notJournaled.size(), "every acknowledged id is in the journal");

        final long redispatched = restartAndDrain(journal, recovered);

        final Recovered after = JournalRecovery.recover(new JournalConfig(journal));
        assertEquals(0, after.pendingCount(), "nothing left pending after the drain");
        assertEquals(redispatched, recovered.redispatched());

        final Long2LongHashMap completionsById = completionsById(journal);
        int dispatchedTwice = 0;
        for (final long id : acked)
        {
            final long completions = completionsById.get(id);
            assertTrue(completions >= 1, "acknowledged message " + id + " completed (lost = 0)");
            if (completions > 1)
            {
                dispatchedTwice++;
            }
        }
        assertTrue(recovered.redispatched() <= 4, "at most the child's credit K = 4 was in flight at the kill");
        System.out.printf("crash test: acknowledged %d, pending at kill %d, redispatched %d, completed twice %d, " +
            "lost 0%n", acked.size(), recovered.pendingCount(), recovered.redispatched(), dispatchedTwice);
        assertTrue(dispatchedTwice <= recovered.redispatched(),
            "completed twice only among the reported re-dispatched: " + dispatchedTwice + " vs " +
            recovered.redispatched());
    }

    private static long restartAndDrain(final Path journal, final Recovered recovered) throws InterruptedException
    {
        final SimulatedDsp dsp = new SimulatedDsp(64, ServiceTimes.builder(20_000L, ServiceTimes.Distribution.FIXED)
            .build(), 1);
        final long[] checked = new long[3];   // messages, large ones, corrupt ones: scheduler thread, read after close
        final Dispatcher checking = new Dispatcher()
        {
            public int slots()
            {
                return dsp.slots();
            }

            public void onStart(final CompletionPort completions)
            {
                dsp.onStart(completions);
            }

            public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
            {
                // Every replayed payload, inline or from a lane's store, byte for byte as the child sent it.
                final long counter = message.counter();
                final int length = message.payloadLength();
                boolean intact = length == CrashChild.payloadLength(counter);
                for (int i = 0; intact && i < length; i++)
                {
                    intact = CrashChild.payloadByte(counter, i) ==
                        message.buffer().getByte(message.payloadOffset() + i);
                }
                checked[0]++;
                checked[1] += length > 512 ? 1 : 0;
                checked[2] += intact ? 0 : 1;
                dsp.dispatch(message, slot, nowNs);
            }

            public int doWork(final long nowNs)
            {
                return dsp.doWork(nowNs);
            }

            public void onClose()
            {
                dsp.onClose();
            }
        };
        final Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(checking)
            .ringSizes(1024, 1024, 1024, 1024)
            .maxPayloadBytes(64 * 1024)
            .journal(new JournalConfig(journal)));
        try
        {
            assertEquals(recovered.pendingCount(), engine.context().recovered().pendingCount());
            // The admission agent feeds the backlog, larger than the rings, as room frees.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (engine.context().metrics().completedTotal() < recovered.pendingCount() &&
                System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            assertEquals(recovered.pendingCount(), engine.context().metrics().completedTotal());
            return engine.context().recovered().redispatched();
        }
        finally
        {
            engine.close();
            assertTrue(engine.context().replayFeeder().isDone(), "backlog larger than the rings fed completely");
            assertEquals(recovered.pendingCount(), engine.context().replayFeeder().replayed());
            assertEquals(recovered.pendingCount(), checked[0], "every replayed message checked at dispatch");
            assertTrue(checked[1] > 0, "large payloads among them: " + checked[1]);
            assertEquals(0, checked[2], "payloads intact after kill -9 and replay");
        }
    }

    private static Long2LongHashMap completionsById(final Path journal) throws Exception
    {
        final StringBuilder csv = new StringBuilder();
        JournalDump.writeCsv(new JournalConfig(journal), csv);
        final Long2LongHashMap completions = new Long2LongHashMap(0);
        final String[] lines = csv.toString().split("\n");
        assertEquals("messageId,originator,target,counter,kind,code,level,acceptedNs,dispatchedNs,completedNs," +
            "completions", lines[0]);
        for (int i = 1; i < lines.length; i++)
        {
            final String[] fields = lines[i].split(",", -1);
            completions.put(Long.parseLong(fields[0]), Long.parseLong(fields[10].trim()));
        }
        return completions;
    }

    private static Process startChild(final Path journal) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Arrays.asList(System.getProperty("otaprio.jvm.flags", "").trim().split("\\s+")));
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashChild.class.getName());
        command.add(journal.toString());
        command.add(Integer.toString(MESSAGES));
        return new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .directory(new File("."))
            .start();
    }
}
