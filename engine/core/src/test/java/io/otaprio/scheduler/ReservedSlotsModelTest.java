package io.otaprio.scheduler;

import io.otaprio.engine.EngineContext;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.testing.InvokedEngine;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protected fast lane ({@code dsp.reserved}: R of the K slots only levels 1..L may take), model-based, through the
 * real engine driven by hand ({@link InvokedEngine}): seeded random arrivals of every level and completions of random
 * messages in flight (slow and fast downstream work finish in any order), with K, R, L and the policy (classed or
 * fifo) varied. After every step:
 * <ul>
 * <li>levels L+1..4 hold at most K - R slots (the bound);</li>
 * <li>a waiting message of levels 1..L means every slot is taken (the reservation never idles a slot it could use),
 * and any waiting message means no more than R are free (nothing else is held back);</li>
 * <li>what was dispatched, in order, is exactly what a reference model dispatches: strict priority, first come first
 * served within a level, the lower levels only while more than R slots are free.</li>
 * </ul>
 * Under fifo there is one lane and no level to reserve for: the reservation is ignored, and the model has none. A
 * failure names its seed, which reproduces it.
 */
class ReservedSlotsModelTest
{
    private static final int RUNS = 400;
    private static final int COMPLETE = 0;
    /** 0 = complete a random message in flight, 1..4 = a message of that level arrives; backlogs form at level 4. */
    private static final int[] ACTIONS = { 0, 0, 0, 1, 2, 3, 3, 4, 4, 4, 4 };

    @Test
    void shouldKeepTheReservationBoundAndStrictPriorityForRandomArrivalsAndCompletions()
    {
        for (long seed = 1; seed <= RUNS; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final int slots = 2 + random.nextInt(7);
            final int reserved = random.nextInt(slots);
            final int levels = 1 + random.nextInt(PriorityPolicy.LEVELS - 1);
            final boolean fifo = random.nextInt(5) == 0;
            final String context = "seed " + seed + " (K " + slots + ", reserved " + reserved + " for levels 1.." +
                levels + ", fifo " + fifo + ")";
            final PriorityPolicy policy = fifo ? TestPolicies.fourLevels().fifo() : TestPolicies.fourLevels();
            try (InvokedEngine engine = new InvokedEngine(policy, slots, ctx -> ctx.reservedSlots(reserved, levels)))
            {
                final PriorityModel model = fifo ? new PriorityModel(slots, 0, PriorityPolicy.LEVELS, true) :
                    new PriorityModel(slots, reserved, levels, false);
                run(random, random.nextInt(301), engine, model, context);
            }
        }
    }

    @Test
    void shouldGiveALevelOneMessageAReservedSlotWhileSlowLevelFourWorkHoldsAllTheOthers()
    {
        try (InvokedEngine engine = new InvokedEngine(TestPolicies.fourLevels(), 4, ctx -> ctx.reservedSlots(1, 2)))
        {
            for (int i = 0; i < 10; i++)
            {
                engine.offer(4);
            }
            engine.invoke();
            assertEquals(3, engine.dispatcher().inFlightCount(), "level 4 takes K - R = 3 slots, not 4");
            engine.offer(3);
            engine.invoke();
            assertEquals(3, engine.dispatcher().inFlightCount(), "nor does level 3: the reservation is for 1..2");

            final CompletableFuture<TestSubmitter.Answer> topUp = engine.offer(1);
            engine.invoke();
            assertEquals(4, engine.dispatcher().inFlightCount());
            assertEquals(topUp.join().messageId(), engine.dispatcher().dispatchedIds().get(3),
                "the level-1 message found its slot free");

            engine.dispatcher().complete(3);
            engine.invoke();
            assertEquals(3, engine.dispatcher().inFlightCount(), "the freed reserved slot waits for the next top one");
            engine.dispatcher().completeOldest();
            engine.invoke();
            assertEquals(3, engine.dispatcher().inFlightCount(), "a freed unreserved slot goes to the waiting level 3");
            assertEquals(3, engine.dispatcher().inFlightBelowLevel(2));
        }
    }

    @Test
    void shouldIgnoreTheReservationWithAWarningUnderFifo()
    {
        final List<String> warnings = new ArrayList<>();
        final Handler handler = new Handler()
        {
            public void publish(final LogRecord record)
            {
                warnings.add(record.getMessage());
            }

            public void flush()
            {
            }

            public void close()
            {
            }
        };
        final Logger logger = Logger.getLogger(EngineContext.class.getName());
        logger.addHandler(handler);
        try (InvokedEngine engine = new InvokedEngine(TestPolicies.fourLevels().fifo(), 4,
            ctx -> ctx.reservedSlots(2, 2)))
        {
            for (int i = 0; i < 6; i++)
            {
                engine.offer(4);
            }
            engine.invoke();
            assertEquals(4, engine.dispatcher().inFlightCount(), "one lane: every slot is every message's");
            assertEquals(0, engine.engine().context().reservedSlots());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("dsp.reserved") && w.contains("ignored") &&
                w.contains("fifo")), warnings.toString());
        }
        finally
        {
            logger.removeHandler(handler);
        }
    }

    private static void run(
        final SplittableRandom random, final int steps, final InvokedEngine engine, final PriorityModel model,
        final String context)
    {
        for (int step = 0; step < steps; step++)
        {
            final int action = ACTIONS[random.nextInt(ACTIONS.length)];
            if (action == COMPLETE)
            {
                completeRandom(random, engine, model);
            }
            else
            {
                final CompletableFuture<TestSubmitter.Answer> answer = engine.offer(action);
                engine.invoke();
                assertTrue(answer.join().accepted(), context + ": rings are sized never to fill in this test");
                model.arrive(answer.join().messageId(), action);
            }
            engine.invoke();
            model.dispatchWhileCredit();
            check(engine, model, context + " at step " + step);
        }
        while (engine.dispatcher().inFlightCount() > 0)
        {
            completeRandom(random, engine, model);
            engine.invoke();
            model.dispatchWhileCredit();
            check(engine, model, context + " draining");
        }
        assertEquals(model.arrived, model.dispatched.size(), context + ": every arrival dispatched");
    }

    private static void completeRandom(
        final SplittableRandom random, final InvokedEngine engine, final PriorityModel model)
    {
        final int inFlight = engine.dispatcher().inFlightCount();
        if (inFlight > 0)
        {
            model.completed(engine.dispatcher().complete(random.nextInt(inFlight)));
        }
    }

    private static void check(final InvokedEngine engine, final PriorityModel model, final String context)
    {
        final int slots = engine.dispatcher().slots();
        final int inFlight = engine.dispatcher().inFlightCount();
        final int free = slots - inFlight;
        assertTrue(free >= 0, context + ": credit exceeded");
        final int lowInFlight = engine.dispatcher().inFlightBelowLevel(model.levels);
        assertTrue(lowInFlight <= slots - model.reserved, context + ": levels " + (model.levels + 1) + "-4 hold " +
            lowInFlight + " of " + slots + " slots, more than K - reserved");
        final PriorityPolicy policy = engine.engine().context().policy();
        long topWaiting = 0;
        for (int level = 1; level <= model.levels; level++)
        {
            topWaiting += level == 1 || policy.laneOfLevel(level) != policy.laneOfLevel(level - 1) ?
                engine.engine().context().rings().depth(policy.laneOfLevel(level)) : 0;
        }
        long waiting = 0;
        for (int lane = 0; lane < engine.engine().context().rings().lanes(); lane++)
        {
            waiting += engine.engine().context().rings().depth(lane);
        }
        assertTrue(topWaiting == 0 || free == 0, context + ": a message of levels 1.." + model.levels + " waits " +
            "with " + free + " slots free");
        assertTrue(waiting == 0 || free <= model.reserved, context + ": a message waits with " + free + " slots " +
            "free, more than the " + model.reserved + " reserved");
        assertEquals(model.dispatched, engine.dispatcher().dispatchedIds(), context + ": dispatch order");
    }
}
