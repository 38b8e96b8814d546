package io.otaprio.scheduler;

import io.otaprio.policy.PriorityPolicy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Strict priority by definition, the reference the scheduling model tests hold the engine to: per-level FIFO queues
 * and K credits; while more than R credits are free the oldest message of the highest non-empty level is taken,
 * otherwise only one of levels 1..L (R = 0: plain strict priority). Under fifo every message joins one queue.
 */
final class PriorityModel
{
    final List<ArrayDeque<Long>> queues = new ArrayList<>();
    final List<Long> dispatched = new ArrayList<>();
    final int slots;
    final int reserved;
    final int levels;
    final boolean fifo;
    int inFlight;
    int arrived;

    /**
     * @param slots    K.
     * @param reserved R, the credits only levels 1..{@code levels} may take.
     * @param levels   L.
     * @param fifo     one queue for every level.
     */
    PriorityModel(final int slots, final int reserved, final int levels, final boolean fifo)
    {
        this.slots = slots;
        this.reserved = reserved;
        this.levels = levels;
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

    /**
     * @param id the message completed, or -1 for none.
     */
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
            final int eligible = slots - inFlight > reserved ? PriorityPolicy.LEVELS : levels;
            Long next = null;
            for (int level = 1; level <= eligible && null == next; level++)
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
