package io.otaprio.scheduler;

import io.otaprio.engine.ThreadingMode;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.testing.InvokedEngine;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based: seeded random interleavings of arrivals (any level) and completions, run through the whole engine in
 * {@link ThreadingMode#INVOKER} (its admission agent, rings and scheduler; duty cycles driven by the test, no thread),
 * must dispatch exactly what a reference model of strict priority dispatches: with credit free, the oldest message of
 * the highest non-empty level. A failure names its seed, which reproduces it.
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
            try (InvokedEngine harness = new InvokedEngine(TestPolicies.fourLevels(), slots))
            {
                keepsEachLevelFifo(seed, random, slots, harness);
            }
        }
    }

    private static void keepsEachLevelFifo(
        final long seed, final SplittableRandom random, final int slots, final InvokedEngine harness)
    {
        final List<List<Long>> idsByLevel = new ArrayList<>();
        for (int level = 0; level <= PriorityPolicy.LEVELS; level++)
        {
            idsByLevel.add(new ArrayList<>());
        }
        final List<Integer> levelOfId = new ArrayList<>();
        final int count = random.nextInt(201);
        // Nothing runs while these arrive: the dispatcher is effectively paused; one duty cycle then admits them all
        // in arrival order before the scheduler looks.
        final List<CompletableFuture<TestSubmitter.Answer>> answers = new ArrayList<>();
        final List<Integer> levels = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int level = 1 + random.nextInt(4);
            answers.add(harness.offer(level));
            levels.add(level);
        }
        harness.invoke();
        for (int i = 0; i < count; i++)
        {
            final long id = answers.get(i).join().messageId();
            idsByLevel.get(levels.get(i)).add(id);
            levelOfId.add(levels.get(i));
        }
        while (harness.dispatcher().inFlightCount() > 0)
        {
            harness.dispatcher().completeOldest();
            harness.invoke();
        }

        final List<Long> order = harness.dispatcher().dispatchedIds();
        assertEquals(count, order.size(), "seed " + seed);
        int previousLevel = 0;
        for (int i = slots; i < order.size(); i++)
        {
            // After the first K (dispatched when the scheduler first looked), levels never go up.
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

    private static void runAgainstModel(
        final long seed, final int slots, final boolean fifo, final List<Integer> actions)
    {
        final PriorityPolicy policy = fifo ? TestPolicies.fourLevels().fifo() : TestPolicies.fourLevels();
        try (InvokedEngine harness = new InvokedEngine(policy, slots))
        {
            runAgainstModel(seed, slots, fifo, actions, harness);
        }
    }

    private static void runAgainstModel(
        final long seed, final int slots, final boolean fifo, final List<Integer> actions, final InvokedEngine harness)
    {
        final PriorityModel model = new PriorityModel(slots, 0, PriorityPolicy.LEVELS, fifo);
        final String context = "seed " + seed + " (slots " + slots + ", fifo " + fifo + ")";

        for (final int action : actions)
        {
            if (action == COMPLETE)
            {
                model.completed(harness.dispatcher().completeOldest());
            }
            else
            {
                final CompletableFuture<TestSubmitter.Answer> answer = harness.offer(action);
                harness.invoke();
                assertTrue(answer.join().accepted(), context + ": rings are sized never to fill in this test");
                model.arrive(answer.join().messageId(), action);
            }
            harness.invoke();
            model.dispatchWhileCredit();

            assertEquals(model.dispatched, harness.dispatcher().dispatchedIds(), context);
            assertTrue(harness.dispatcher().inFlightCount() <= slots, context + ": credit exceeded");
        }

        while (harness.dispatcher().inFlightCount() > 0)
        {
            model.completed(harness.dispatcher().completeOldest());
            harness.invoke();
            model.dispatchWhileCredit();
        }
        assertEquals(model.dispatched, harness.dispatcher().dispatchedIds(), context);
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
}
