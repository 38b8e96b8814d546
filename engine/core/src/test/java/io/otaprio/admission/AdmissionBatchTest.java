package io.otaprio.admission;

import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission's batches against a model, over random runs of submits in and out of batches and of takes by a
 * scheduler: after {@code endBatch} the scheduler sees every message of the batch, lane by lane in id order (before
 * it, at most some of them, whole and in order: a Disruptor claim that refreshes its view of the consumer writes the
 * cursor); outside a batch each message is visible at once; a batch's messages carry the batch's time, others the
 * clock's; a full lane inside a batch is refused FULL and what the batch claimed before it still arrives.
 */
class AdmissionBatchTest
{
    private static final int LANE_SLOTS = 8;

    private final long[] now = { 1_000_000_000L };
    private final EngineContext ctx = TestEngines.context().clock(() -> now[0])
        .ringSizes(LANE_SLOTS, LANE_SLOTS, LANE_SLOTS, LANE_SLOTS).maxPayloadBytes(16).conclude();
    private final Admission admission = new Admission(ctx);
    private final AdmissionResult result = new AdmissionResult();
    private final PriorityRings rings = ctx.rings();
    private int counter;

    @Test
    void shouldShowABatchToTheSchedulerOnlyWhenItEndsAndEverythingElseAtOnce()
    {
        for (long seed = 1; seed <= 200; seed++)
        {
            run(new Random(seed), seed);
        }
    }

    private void run(final Random random, final long seed)
    {
        final List<ArrayDeque<long[]>> visible = new ArrayList<>();
        final List<ArrayDeque<long[]>> unpublished = new ArrayList<>();
        final int[] claimed = new int[rings.lanes()];
        for (int lane = 0; lane < rings.lanes(); lane++)
        {
            visible.add(new ArrayDeque<>());
            unpublished.add(new ArrayDeque<>());
        }
        boolean batching = false;
        long batchTimeNs = 0;
        for (int step = 0; step < 400; step++)
        {
            now[0] += 1 + random.nextInt(1000);
            final int action = random.nextInt(10);
            final String where = "seed " + seed + " step " + step;
            if (action == 0 && !batching)
            {
                batchTimeNs = now[0];
                admission.beginBatch();
                batching = true;
            }
            else if (action == 1 && batching)
            {
                admission.endBatch();
                batching = false;
                for (int lane = 0; lane < rings.lanes(); lane++)
                {
                    visible.get(lane).addAll(unpublished.get(lane));
                    unpublished.get(lane).clear();
                }
            }
            else if (action <= 3)
            {
                // The scheduler takes from a random lane: exactly what the model says is visible there, in order.
                final int lane = random.nextInt(rings.lanes());
                final MessageEvent event = rings.peek(lane);
                long[] expected = visible.get(lane).poll();
                if (null == expected && null != event)
                {
                    // Early, but whole and in order: the ring's claim may have shown a batch's earlier slots.
                    expected = unpublished.get(lane).poll();
                }
                if (null == expected)
                {
                    assertNull(event, where + ": lane " + lane + " shows a message not yet submitted");
                    continue;
                }
                assertNotNull(event, where + ": lane " + lane + " hides message " + expected[0]);
                assertEquals(expected[0], event.message().messageId(), where + ": lane " + lane);
                assertEquals(expected[1], event.message().acceptTimeNs(), where + ": accept time");
                rings.release(lane);
                claimed[lane]--;
            }
            else
            {
                final int level = 1 + random.nextInt(4);
                final int lane = level - 1;
                final boolean admitted = submit(level);
                if (claimed[lane] == LANE_SLOTS)
                {
                    assertFalse(admitted, where + ": lane " + lane + " is full");
                    assertEquals(RejectReason.FULL, result.reason());
                    continue;
                }
                assertTrue(admitted, where + ": " + result);
                claimed[lane]++;
                final long[] message = { result.messageId(), batching ? batchTimeNs : now[0] };
                (batching ? unpublished : visible).get(lane).add(message);
            }
        }
        if (batching)
        {
            admission.endBatch();
        }
        // Drain, so the next run starts with empty lanes.
        for (int lane = 0; lane < rings.lanes(); lane++)
        {
            while (null != rings.peek(lane))
            {
                rings.release(lane);
            }
        }
    }

    private boolean submit(final int level)
    {
        counter++;
        final AcceptedMessageFlyweight submission = Submissions.of(MessageKind.SERVICE_REQUEST.value(),
            TestPolicies.SRV_OF_LEVEL[level], new RequestId(1, 2, counter), new UnsafeBuffer(new byte[0]), 0, 0);
        return admission.submit(submission, result);
    }
}
