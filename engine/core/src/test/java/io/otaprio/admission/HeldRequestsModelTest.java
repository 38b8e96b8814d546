package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.HeldLog;
import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The timer lane against a model: seeded random holds, cancellations and releases at random times, checked against a
 * sorted list per level. Each level must release exactly its due requests, earliest first (ties by id).
 */
class HeldRequestsModelTest
{
    @Test
    void shouldReleaseEachLevelInDueOrderThroughRandomHoldsCancellationsAndReleases()
    {
        for (long seed = 1; seed <= 200; seed++)
        {
            run(new SplittableRandom(seed), seed);
        }
    }

    private static void run(final SplittableRandom random, final long seed)
    {
        final HeldRequests held = new HeldRequests(HeldLog.memory(), 0);
        final List<long[]> model = new ArrayList<>();   // heldId, dueNs, level, target
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight()
            .wrap(new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]), 0);
        long nextId = 0;
        long nowNs = 0;
        for (int step = 0; step < 3000; step++)
        {
            final int action = random.nextInt(10);
            if (action < 6)
            {
                final int level = 1 + random.nextInt(4);
                final long due = nowNs + random.nextInt(1000);
                final long target = random.nextInt(3);
                message.clear().level(level).code(level).requestId(new RequestId(1, target, nextId))
                    .messageId(nextId);
                held.hold(nextId, due, message);
                model.add(new long[]{ nextId, due, level, target });
                nextId++;
            }
            else if (action < 7)
            {
                final long target = random.nextInt(3);
                final int level = 1 + random.nextInt(4);
                int entry = 0;
                int cancelled = 0;
                while ((entry = held.nextMatching(1, target, level, entry)) >= 0)
                {
                    held.cancelled(entry);
                    cancelled++;
                }
                final int before = model.size();
                model.removeIf((m) -> m[3] == target && m[2] == level);
                assertEquals(before - model.size(), cancelled, "seed " + seed);
            }
            else
            {
                nowNs += random.nextInt(200);
                for (int level = 1; level <= 4; level++)
                {
                    final int lvl = level;
                    final long now = nowNs;
                    final List<long[]> due = new ArrayList<>();
                    for (final long[] m : model)
                    {
                        if (m[2] == lvl && m[1] <= now)
                        {
                            due.add(m);
                        }
                    }
                    due.sort(Comparator.<long[]>comparingLong((m) -> m[1]).thenComparingLong((m) -> m[0]));
                    final int take = due.isEmpty() ? 0 : random.nextInt(due.size() + 1);
                    for (int i = 0; i < take; i++)
                    {
                        final int entry = held.due(lvl, now);
                        assertEquals(due.get(i)[0], held.heldId(entry), "seed " + seed + " level " + lvl);
                        held.released(entry, 0);
                        model.remove(due.get(i));
                    }
                    if (take == due.size())
                    {
                        assertEquals(-1, held.due(lvl, now), "seed " + seed + ": nothing else due");
                    }
                }
            }
            assertEquals(model.size(), held.size(), "seed " + seed);
        }
    }
}
