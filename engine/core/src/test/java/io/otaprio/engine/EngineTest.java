package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled engine with its real threads, a test thread submitting through an in-process transport as a client
 * would. Every test closes the engine, and the last check of each is that no engine thread survived.
 */
class EngineTest
{
    private static final long TIMEOUT_MS = 10_000;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
    private TestSubmitter submitter = new TestSubmitter();
    private Engine engine;

    @AfterEach
    void closeEngine() throws InterruptedException
    {
        if (null != engine)
        {
            engine.close();
        }
        assertFalse(TestEngines.threadAlive("otaprio-"),
            () -> "no engine thread may outlive close(): " + TestEngines.threads("otaprio-"));
    }

    @ParameterizedTest
    @EnumSource(value = ThreadingMode.class, names = { "DEDICATED", "SHARED" })
    void shouldDispatchLevelOneBeforeQueuedLevelFour(final ThreadingMode mode) throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(TestEngines.context().threadingMode(mode), dispatcher, 1024, 1024, 1024, 1024);

        for (int i = 0; i < 500; i++)
        {
            assertTrue(submit(4).accepted());
        }
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        awaitDepth(499);

        final TestSubmitter.Answer topUp = submit(1);
        assertEquals(1, topUp.level());
        dispatcher.completeOldest();

        assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
        assertEquals(topUp.messageId(), dispatcher.dispatchedIds().get(1),
            "the new level-1 message is the very next dispatched");
    }

    @Test
    void shouldRunEachAgentOnItsOwnThreadWhenDedicatedAndOneThreadWhenShared() throws Exception
    {
        engine = launch(TestEngines.context(), new ManualDispatcher(1), 8, 8, 8, 8);
        assertTrue(TestEngines.threadAlive("otaprio-admission"));
        assertTrue(TestEngines.threadAlive("otaprio-scheduler"));
        assertTrue(TestEngines.threadAlive("otaprio-reporter"));
        assertNull(engine.invoker());
        engine.close();
        assertFalse(TestEngines.threadAlive("otaprio-"), () -> TestEngines.threads("otaprio-"));

        submitter = new TestSubmitter();
        engine = launch(TestEngines.context().threadingMode(ThreadingMode.SHARED), new ManualDispatcher(1), 8, 8, 8,
            8);
        assertTrue(TestEngines.threadAlive("otaprio-shared"));
        assertFalse(TestEngines.threadAlive("otaprio-scheduler"), () -> TestEngines.threads("otaprio-"));
        assertTrue(submit(1).accepted(), "one thread admits and schedules");
    }

    @Test
    void shouldStartNoThreadAndRunOnlyWhenInvoked() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(TestEngines.context().threadingMode(ThreadingMode.INVOKER), dispatcher, 8, 8, 8, 8);
        assertFalse(TestEngines.threadAlive("otaprio-"), () -> TestEngines.threads("otaprio-"));

        final var level4 = submitter.offer(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[4],
            new RequestId(7, 8, 1), payload, 0, 16);
        assertFalse(level4.isDone(), "nothing runs until the caller invokes the duty cycle");
        engine.invoker().invoke();
        assertTrue(level4.get().accepted());
        assertEquals(1, dispatcher.dispatchedIds().size(), "the same duty cycle admitted and dispatched it");

        final var level1 = submitter.offer(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
            new RequestId(7, 8, 2), payload, 0, 16);
        engine.invoker().invoke();
        assertTrue(level1.get().accepted());
        assertEquals(1, dispatcher.dispatchedIds().size(), "one slot: the level-1 message waits for it");
        dispatcher.completeOldest();
        engine.invoker().invoke();
        assertEquals(2, dispatcher.dispatchedIds().size());
        assertEquals(level1.get().messageId(), dispatcher.dispatchedIds().get(1));
    }

    @Test
    void shouldNeverHaveMoreThanKInFlightAndCompleteEverything() throws Exception
    {
        final int slots = 3;
        final ManualDispatcher dispatcher = new ManualDispatcher(slots);
        engine = launch(TestEngines.context(), dispatcher, 512, 512, 512, 512);
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
                if (submit(1 + random.nextInt(4)).accepted())
                {
                    accepted++;
                }
                else
                {
                    Thread.yield();
                }
            }
            final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (engine.context().metrics().completedTotal() < messages && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
        }
        finally
        {
            done.set(true);
            completer.join();
        }

        assertEquals(messages, engine.context().metrics().completedTotal());
        assertTrue(dispatcher.maxInFlight() <= slots, "max in flight " + dispatcher.maxInFlight());
        assertEquals(slots, dispatcher.maxInFlight(), "credit is used in full under load");
    }

    @Test
    void shouldRejectFullOnlyForTheLevelWhoseRingIsFull() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(TestEngines.context(), dispatcher, 4, 4, 4, 4);

        assertTrue(submit(4).accepted());
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        awaitDepth(0);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(submit(4).accepted(), "ring of level 4 has 4 slots");
        }

        final TestSubmitter.Answer full = submit(4);
        assertEquals(RejectReason.FULL, full.reason());
        assertEquals(4, full.level(), "a FULL answer names the level whose ring is full");
        assertTrue(submit(1).accepted(), "level 1 keeps accepting");
        assertTrue(submit(2).accepted(), "level 2 keeps accepting");
        assertTrue(submit(3).accepted(), "level 3 keeps accepting");

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
        engine = launch(TestEngines.context(), new ManualDispatcher(1), 8, 8, 8, 8);
        final int srv = SrvCode.parse("2.2");
        final RequestId id = new RequestId(1, 2, 3);

        assertEquals(RejectReason.UNKNOWN_KIND, submitter.submit(9, srv, id, payload, 0, 0).reason());
        assertEquals(RejectReason.MALFORMED,
            submitter.submit(MessageKind.SERVICE_REQUEST.value(), 0x02000200, id, payload, 0, 0).reason());
        assertEquals(RejectReason.MALFORMED,
            submitter.submit(MessageKind.ALERT.value(), 0x10000, id, payload, 0, 0).reason());
        assertEquals(RejectReason.TOO_LARGE,
            submitter.submit(MessageKind.SERVICE_REQUEST.value(), srv, id, payload, 0, 257).reason());
        assertTrue(submitter.submit(MessageKind.SERVICE_REQUEST.value(), srv, id, payload, 0, 256).accepted());

        engine.admission().close();
        assertEquals(RejectReason.UNAVAILABLE,
            submitter.submit(MessageKind.SERVICE_REQUEST.value(), srv, id, payload, 0, 0).reason());

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
        engine = launch(TestEngines.context().policy(TestPolicies.fourLevels("5ms")), dispatcher, 8, 8, 8, 8);

        submit(1);
        submit(2);
        assertTrue(dispatcher.awaitDispatched(2, TIMEOUT_MS));
        Thread.sleep(30);
        dispatcher.completeOldest();
        dispatcher.completeOldest();
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (engine.context().metrics().completedTotal() < 2 && System.currentTimeMillis() < deadline)
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
    void shouldRelayEveryCompletionToTheTransportThatSubmitted() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(TestEngines.context(), dispatcher, 8, 8, 8, 8);

        final TestSubmitter.Answer answer = submit(2);
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        dispatcher.completeOldest();
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (submitter.completions().isEmpty() && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }

        final TestSubmitter.Completion completion = submitter.completions().get(0);
        assertEquals(answer.messageId(), completion.messageId());
        assertEquals(new RequestId(7, 8, 2), completion.requestId());
        assertEquals(2, completion.level());
        assertEquals(0, completion.outcome());
    }

    @Test
    void shouldStopEveryThreadAndCloseTheDispatcherOnClose() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        engine = launch(TestEngines.context(), dispatcher, 8, 8, 8, 8);
        assertTrue(TestEngines.threadAlive("otaprio-scheduler"));

        engine.close();

        assertFalse(TestEngines.threadAlive("otaprio-"), () -> TestEngines.threads("otaprio-"));
        assertTrue(dispatcher.closed());
    }

    private Engine launch(final EngineContext ctx, final ManualDispatcher dispatcher, final int... ringSizes)
    {
        return Engine.launch(ctx
            .dispatcher(dispatcher)
            .ringSizes(ringSizes)
            .maxPayloadBytes(256)
            .addTransport(new InProcessTransport(submitter)));
    }

    private TestSubmitter.Answer submit(final int level)
    {
        return submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level],
            new RequestId(7, 8, level), payload, 0, 16);
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
}
