package io.otaprio.scheduler;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based: seeded random interleavings of arrivals (any level) and completions, run through the real
 * admission, rings and scheduler (duty cycles driven by the test, no thread), must dispatch exactly what a
 * reference model of strict priority dispatches: with credit free, the oldest message of the highest non-empty
 * level. A failure names its seed, which reproduces it.
 */
class StrictPriorityModelTest
{
    private static final int RUNS = 400;
    private static final int COMPLETE = 0;

    @Test
    void shouldDispatchExactlyAsTheStrictPriorityModelForRandomArrivalsAndCompletions()
    {
        for (long seed = 1; seed <= RUNS; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final int slots = 1 + random.nextInt(5);
            final boolean fifo = random.nextInt(4) == 0;
            final List<Integer> actions = randomActions(random, random.nextInt(301));
            runAgainstModel(seed, slots, fifo, actions);
        }
    }

    @Test
    void shouldKeepEachLevelFirstComeFirstServedWhenAPausedDispatcherIsReleased()
    {
        for (long seed = 1; seed <= RUNS; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final int slots = 1 + random.nextInt(3);
            final Harness harness = new Harness(TestPolicies.fourLevels(), slots);
            final List<List<Long>> idsByLevel = new ArrayList<>();
            for (int level = 0; level <= PriorityPolicy.LEVELS; level++)
            {
                idsByLevel.add(new ArrayList<>());
            }
            final List<Integer> levelOfId = new ArrayList<>();
            final int count = random.nextInt(201);
            // Nothing runs the scheduler while these arrive: the dispatcher is effectively paused.
            for (int i = 0; i < count; i++)
            {
                final int level = 1 + random.nextInt(4);
                final long id = harness.submit(level);
                idsByLevel.get(level).add(id);
                levelOfId.add(level);
            }
            harness.scheduler.doWork();
            while (harness.dispatcher.inFlightCount() > 0)
            {
                harness.dispatcher.completeOldest();
                harness.scheduler.doWork();
            }

            final List<Long> order = harness.dispatcher.dispatchedIds();
            assertEquals(count, order.size(), "seed " + seed);
            int previousLevel = 0;
            for (int i = slots; i < order.size(); i++)
            {
                // After the first K (dispatched before the rest arrived in order of arrival), levels never go up.
                final int level = levelOfId.get(order.get(i).intValue());
                assertTrue(level >= previousLevel || i < slots, "seed " + seed + ": level order broken at " + i);
                previousLevel = level;
            }
            for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
            {
                final List<Long> seen = new ArrayList<>();
                for (final long id : order)
                {
                    if (levelOfId.get((int)id) == level)
                    {
                        seen.add(id);
                    }
                }
                assertEquals(idsByLevel.get(level), seen, "seed " + seed + ": level " + level + " must be FIFO");
            }
        }
    }

    private static void runAgainstModel(
        final long seed, final int slots, final boolean fifo, final List<Integer> actions)
    {
        final PriorityPolicy policy = fifo ? TestPolicies.fourLevels().fifo() : TestPolicies.fourLevels();
        final Harness harness = new Harness(policy, slots);
        final Model model = new Model(slots, fifo);
        final String context = "seed " + seed + " (slots " + slots + ", fifo " + fifo + ")";

        for (final int action : actions)
        {
            if (action == COMPLETE)
            {
                model.completed(harness.dispatcher.completeOldest());
            }
            else
            {
                final long id = harness.submit(action);
                assertTrue(id >= 0, context + ": rings are sized never to fill in this test");
                model.arrive(id, action);
            }
            harness.scheduler.doWork();
            model.dispatchWhileCredit();

            assertEquals(model.dispatched, harness.dispatcher.dispatchedIds(), context);
            assertTrue(harness.dispatcher.inFlightCount() <= slots, context + ": credit exceeded");
        }

        while (harness.dispatcher.inFlightCount() > 0)
        {
            model.completed(harness.dispatcher.completeOldest());
            harness.scheduler.doWork();
            model.dispatchWhileCredit();
        }
        assertEquals(model.dispatched, harness.dispatcher.dispatchedIds(), context);
        assertEquals(model.arrived, model.dispatched.size(), context + ": every arrival dispatched");
    }

    private static List<Integer> randomActions(final SplittableRandom random, final int length)
    {
        // 0 = complete the oldest in flight, 1..4 = a message of that level arrives. Weighted so backlogs form,
        // level 4 most common as in real traffic: complete 3, level 1: 1, level 2: 1, level 3: 2, level 4: 4.
        final int[] table = { 0, 0, 0, 1, 2, 3, 3, 4, 4, 4, 4 };
        final List<Integer> actions = new ArrayList<>(length);
        for (int i = 0; i < length; i++)
        {
            actions.add(table[random.nextInt(table.length)]);
        }
        return actions;
    }

    /**
     * Real components, driven by hand.
     */
    private static final class Harness
    {
        final ManualDispatcher dispatcher;
        final Scheduler scheduler;
        final Admission admission;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);

        Harness(final PriorityPolicy policy, final int slots)
        {
            final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
            final int[] sizes = policy.isFifo() ? new int[]{ 1024 } : new int[]{ 512, 512, 512, 512 };
            final PriorityRings rings = new PriorityRings(sizes, 8);
            final EngineMetrics metrics = new EngineMetrics(PriorityPolicy.LEVELS);
            dispatcher = new ManualDispatcher(slots);
            admission = new Admission(rings, policy, metrics, clock, 8, 0);
            scheduler = new Scheduler(rings, dispatcher, new CompletionQueue(slots, clock), metrics, clock,
                CompletionListener.NONE, Throwable::printStackTrace);
            scheduler.onStart();
        }

        long submit(final int level)
        {
            return admission.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[level], 1, 2, 3,
                payload, 0, 8);
        }
    }

    /**
     * Strict priority by definition: per-level FIFO queues, K credits, highest non-empty level first. Under fifo
     * every message joins one queue.
     */
    private static final class Model
    {
        final List<ArrayDeque<Long>> queues = new ArrayList<>();
        final List<Long> dispatched = new ArrayList<>();
        final int slots;
        final boolean fifo;
        int inFlight;
        int arrived;

        Model(final int slots, final boolean fifo)
        {
            this.slots = slots;
            this.fifo = fifo;
            for (int level = 0; level <= PriorityPolicy.LEVELS; level++)
            {
                queues.add(new ArrayDeque<>());
            }
        }

        void arrive(final long id, final int level)
        {
            queues.get(fifo ? 1 : level).addLast(id);
            arrived++;
        }

        void completed(final long id)
        {
            if (id >= 0)
            {
                inFlight--;
            }
        }

        void dispatchWhileCredit()
        {
            while (inFlight < slots)
            {
                Long next = null;
                for (int level = 1; level <= PriorityPolicy.LEVELS && null == next; level++)
                {
                    next = queues.get(level).pollFirst();
                }
                if (null == next)
                {
                    return;
                }
                dispatched.add(next);
                inFlight++;
            }
        }
    }
}
