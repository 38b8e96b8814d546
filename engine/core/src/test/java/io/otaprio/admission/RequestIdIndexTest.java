package io.otaprio.admission;

import io.otaprio.protocol.RequestId;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index against a plain-collections model of the same rules over seeded random histories: admissions of keys
 * drawn from a small space (so probe runs collide and backward-shift deletion is exercised), completions, time
 * moving on, look-ups, a full index.
 */
class RequestIdIndexTest
{
    @Test
    void shouldAgreeWithTheModelOverRandomHistories()
    {
        for (int seed = 0; seed < 300; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final int maxEntries = 1 + random.nextInt(40);
            final long windowNs = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
            final RequestIdIndex index = new RequestIdIndex(windowNs, maxEntries);
            final Model model = new Model(windowNs, maxEntries);
            long nowNs = 0;
            long nextId = 0;
            for (int step = 0; step < 2_000; step++)
            {
                final Key key = new Key(random.nextInt(3), random.nextInt(4), random.nextInt(12));
                final String where = "seed " + seed + " step " + step + " " + key;
                switch (random.nextInt(4))
                {
                    case 0 ->
                    {
                        final long found = index.find(key.id(), nowNs);
                        assertEquals(model.find(key, nowNs), found, where);
                        if (found < 0)
                        {
                            final long id = nextId++;
                            assertEquals(model.add(key, id), index.add(key.id(), id), where);
                        }
                    }
                    case 1 ->
                    {
                        final Map.Entry<Key, long[]> pending = model.anyPending(random);
                        if (null != pending)
                        {
                            model.completed(pending.getKey(), pending.getValue()[0], nowNs);
                            index.completed(pending.getKey().id(), pending.getValue()[0], nowNs);
                        }
                    }
                    case 2 -> nowNs += random.nextInt(10);
                    default -> assertEquals(model.find(key, nowNs), index.find(key.id(), nowNs), where);
                }
                assertEquals(model.entries.size(), index.size(), where);
            }
        }
    }

    @Test
    void shouldRememberPendingUntilCompletedThenForTheWindow()
    {
        final RequestIdIndex index = new RequestIdIndex(100, 8);
        assertTrue(index.add(new RequestId(1, 2, 3), 7));
        assertEquals(7, index.find(new RequestId(1, 2, 3), 1_000_000));
        assertTrue(index.lastFoundPending(), "pending however long");
        index.completed(new RequestId(1, 2, 3), 6, 1_000_000);
        assertTrue(index.lastFoundPending() && index.find(new RequestId(1, 2, 3), 1_000_000) == 7,
            "another message's completion");
        index.completed(new RequestId(1, 2, 3), 7, 1_000_000);
        assertEquals(7, index.find(new RequestId(1, 2, 3), 1_000_099));
        assertFalse(index.lastFoundPending());
        assertEquals(-1, index.find(new RequestId(1, 2, 3), 1_000_100), "forgotten when the window has passed");
        assertEquals(0, index.size());
    }

    @Test
    void shouldAdmitUntrackedWhenFullOfPendingAndForgetTheOldestCompletedFirst()
    {
        final RequestIdIndex index = new RequestIdIndex(1_000, 2);
        assertTrue(index.add(new RequestId(1, 1, 1), 0));
        assertTrue(index.add(new RequestId(1, 1, 2), 1));
        assertFalse(index.add(new RequestId(1, 1, 3), 2), "every entry pending: not remembered");
        index.completed(new RequestId(1, 1, 1), 0, 10);
        assertTrue(index.add(new RequestId(1, 1, 3), 2));
        assertEquals(1, index.evictedEarly());
        assertEquals(-1, index.find(new RequestId(1, 1, 1), 11));
        assertEquals(1, index.find(new RequestId(1, 1, 2), 11));
        assertEquals(2, index.find(new RequestId(1, 1, 3), 11));
    }

    private record Key(long o, long t, long c)
    {
        RequestId id()
        {
            return new RequestId(o, t, c);
        }
    }

    /** The same rules on java.util collections. */
    private static final class Model
    {
        final Map<Key, long[]> entries = new HashMap<>();
        final ArrayDeque<Object[]> fifo = new ArrayDeque<>();
        final long windowNs;
        final int maxEntries;

        Model(final long windowNs, final int maxEntries)
        {
            this.windowNs = windowNs;
            this.maxEntries = maxEntries;
        }

        long find(final Key key, final long nowNs)
        {
            while (!fifo.isEmpty() && (long)fifo.peekFirst()[1] <= nowNs)
            {
                popOldest();
            }
            final long[] entry = entries.get(key);
            return null == entry ? -1 : entry[0];
        }

        boolean add(final Key key, final long id)
        {
            if (entries.size() >= maxEntries)
            {
                if (fifo.isEmpty())
                {
                    return false;
                }
                popOldest();
            }
            entries.put(key, new long[]{ id, RequestIdIndex.PENDING });
            return true;
        }

        void completed(final Key key, final long id, final long nowNs)
        {
            final long[] entry = entries.get(key);
            if (null == entry || entry[0] != id || entry[1] != RequestIdIndex.PENDING)
            {
                return;
            }
            if (0 == windowNs)
            {
                entries.remove(key);
                return;
            }
            entry[1] = nowNs + windowNs;
            fifo.addLast(new Object[]{ key, entry[1] });
        }

        Map.Entry<Key, long[]> anyPending(final SplittableRandom random)
        {
            final List<Map.Entry<Key, long[]>> pending = entries.entrySet().stream()
                .filter(e -> e.getValue()[1] == RequestIdIndex.PENDING)
                .sorted((a, b) -> Long.compare(a.getValue()[0], b.getValue()[0]))
                .toList();
            return pending.isEmpty() ? null : pending.get(random.nextInt(pending.size()));
        }

        private void popOldest()
        {
            final Object[] oldest = fifo.pollFirst();
            final long[] entry = entries.get((Key)oldest[0]);
            if (null != entry && entry[1] == (long)oldest[1])
            {
                entries.remove((Key)oldest[0]);
            }
        }
    }
}
