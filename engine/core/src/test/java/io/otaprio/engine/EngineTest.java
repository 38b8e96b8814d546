package io.otaprio.engine;

import io.otaprio.admission.Admission;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.SrvCode;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled engine with its real scheduler thread. Every test closes the engine, and the last check of each
 * is that no scheduler thread survived.
 */
class EngineTest
{
    private static final long TIMEOUT_MS = 10_000;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
    private Engine engine;

    @AfterEach
    void closeEngine() throws InterruptedException
    {
        if (null != engine)
        {
            engine.close();
        }
        assertFalse(schedulerThreadAlive(), () -> "no scheduler thread may outlive close(): " + schedulerThreads());
    }

    @Test
    void shouldDispatchLevelOneBeforeQueuedLevelFour() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(dispatcher, 1024, 1024, 1024, 1024);
        final Admission admission = engine.admission();

        for (int i = 0; i < 500; i++)
        {
            assertTrue(submit(admission, 4) >= 0);
        }
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        awaitDepth(499);

        final long topUp = submit(admission, 1);
        assertEquals(1, admission.lastLevel());
        dispatcher.completeOldest();

        assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
        assertEquals(topUp, dispatcher.dispatchedIds().get(1), "the new level-1 message is the very next dispatched");
    }

    @Test
    void shouldNeverHaveMoreThanKInFlightAndCompleteEverything() throws Exception
    {
        final int slots = 3;
        final ManualDispatcher dispatcher = new ManualDispatcher(slots);
        engine = launch(dispatcher, 512, 512, 512, 512);
        final Admission admission = engine.admission();
        final int messages = 1500;

        final AtomicBoolean done = new AtomicBoolean();
        final Thread completer = new Thread(() ->
        {
            final SplittableRandom random = new SplittableRandom(3);
            while (!done.get())
            {
                if (dispatcher.complete(random.nextInt(slots)) < 0)
                {
                    Thread.yield();
                }
            }
        }, "test-completer");
        completer.start();
        try
        {
            final SplittableRandom random = new SplittableRandom(5);
            int accepted = 0;
            while (accepted < messages)
            {
                if (submit(admission, 1 + random.nextInt(4)) >= 0)
                {
                    accepted++;
                }
                else
                {
                    Thread.yield();
                }
            }
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (engine.metrics().completedTotal() < messages && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
        }
        finally
        {
            done.set(true);
            completer.join();
        }

        assertEquals(messages, engine.metrics().completedTotal());
        assertTrue(dispatcher.maxInFlight() <= slots, "max in flight " + dispatcher.maxInFlight());
        assertEquals(slots, dispatcher.maxInFlight(), "credit is used in full under load");
    }

    @Test
    void shouldRejectFullOnlyForTheLevelWhoseRingIsFull() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(dispatcher, 4, 4, 4, 4);
        final Admission admission = engine.admission();

        assertTrue(submit(admission, 4) >= 0);
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        awaitDepth(0);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(submit(admission, 4) >= 0, "ring of level 4 has 4 slots");
        }

        assertEquals(-RejectReason.FULL.code(), submit(admission, 4));
        assertTrue(submit(admission, 1) >= 0, "level 1 keeps accepting");
        assertTrue(submit(admission, 2) >= 0, "level 2 keeps accepting");
        assertTrue(submit(admission, 3) >= 0, "level 3 keeps accepting");

        final MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(1, snapshot.rejected(RejectReason.FULL));
        assertEquals(1, snapshot.level(4).full());
        assertEquals(0, snapshot.level(1).full());
        assertEquals(5, snapshot.level(4).accepted());
        assertEquals(4, snapshot.depthByLane()[3]);
    }

    @Test
    void shouldRejectInvalidMessagesWithTheirReason() throws Exception
    {
        engine = launch(new ManualDispatcher(1), 8, 8, 8, 8);
        final Admission admission = engine.admission();
        final int srv = SrvCode.parse("2.2");

        assertEquals(-RejectReason.UNKNOWN_KIND.code(), admission.submit(9, srv, 1, 2, 3, payload, 0, 0));
        assertEquals(-RejectReason.MALFORMED.code(),
            admission.submit(MessageKind.SERVICE_REQUEST.value(), 0x02000200, 1, 2, 3, payload, 0, 0));
        assertEquals(-RejectReason.MALFORMED.code(),
            admission.submit(MessageKind.ALERT.value(), 0x10000, 1, 2, 3, payload, 0, 0));
        assertEquals(-RejectReason.TOO_LARGE.code(),
            admission.submit(MessageKind.SERVICE_REQUEST.value(), srv, 1, 2, 3, payload, 0, 257));
        assertTrue(admission.submit(MessageKind.SERVICE_REQUEST.value(), srv, 1, 2, 3, payload, 0, 256) >= 0);

        engine.close();
        assertEquals(-RejectReason.UNAVAILABLE.code(),
            admission.submit(MessageKind.SERVICE_REQUEST.value(), srv, 1, 2, 3, payload, 0, 0));

        final MetricsSnapshot snapshot = engine.snapshot();
        for (final RejectReason reason : new RejectReason[]{ RejectReason.UNKNOWN_KIND, RejectReason.TOO_LARGE,
            RejectReason.UNAVAILABLE })
        {
            assertEquals(1, snapshot.rejected(reason), reason.name());
        }
        assertEquals(2, snapshot.rejected(RejectReason.MALFORMED));
    }

    @Test
    void shouldCountTrtMetAndMissedPerLevelAndRecordLatency() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(2);
        engine = Engine.launch(new EngineContext()
            .policy(TestPolicies.fourLevels("5ms"))
            .dispatcher(dispatcher)
            .ringSizes(8, 8, 8, 8)
            .schedulerIdleStrategy(new YieldingIdleStrategy()));
        final Admission admission = engine.admission();

        submit(admission, 1);
        submit(admission, 2);
        assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
        Thread.sleep(30);
        dispatcher.completeOldest();
        dispatcher.completeOldest();
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.metrics().completedTotal() < 2 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }

        final MetricsSnapshot snapshot = engine.snapshot();
        assertEquals(1, snapshot.level(1).trtMissed(), "30ms is past level 1's 5ms budget");
        assertEquals(0, snapshot.level(1).trtMet());
        assertEquals(1, snapshot.level(2).trtMet(), "30ms is within level 2's 10s budget");
        assertTrue(snapshot.level(1).latency().p50Us() >= TimeUnit.MILLISECONDS.toMicros(30));
        assertEquals(0.0, snapshot.level(1).withinTrtPct());
        assertTrue(snapshot.json().contains("\"trtMissed\":1"));
        assertTrue(snapshot.table().contains("within TRT"));
    }

    @Test
    void shouldStopTheSchedulerThreadAndCloseTheDispatcherOnClose() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(dispatcher, 8, 8, 8, 8);
        assertTrue(schedulerThreadAlive());

        engine.close();

        assertFalse(schedulerThreadAlive());
        assertTrue(dispatcher.closed());
    }

    private Engine launch(final ManualDispatcher dispatcher, final int... ringSizes)
    {
        return Engine.launch(new EngineContext()
            .policy(TestPolicies.fourLevels())
            .dispatcher(dispatcher)
            .ringSizes(ringSizes)
            .maxPayloadBytes(256)
            .schedulerIdleStrategy(new YieldingIdleStrategy()));
    }

    private long submit(final Admission admission, final int level)
    {
        return admission.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level], 7, 8,
            level, payload, 0, 16);
    }

    private void awaitDepth(final long depth) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.depth() != depth && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(depth, engine.depth());
    }

    private static boolean schedulerThreadAlive() throws InterruptedException
    {
        // A scheduler thread of an earlier test class may still be on its way out (CI saw one once): give it a
        // moment; one that is still there after that has really outlived its engine.
        final long deadline = System.currentTimeMillis() + 2_000;
        while (!schedulerThreads().isEmpty() && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        return !schedulerThreads().isEmpty();
    }

    private static String schedulerThreads()
    {
        final StringBuilder threads = new StringBuilder();
        for (final java.util.Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet())
        {
            if (entry.getKey().getName().startsWith("otaprio-scheduler") && entry.getKey().isAlive())
            {
                threads.append(entry.getKey()).append(java.util.Arrays.toString(entry.getValue())).append(' ');
            }
        }
        return threads.toString();
    }
}
