package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.UnsafeBuffer;
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
 * (kind and RequestID) drawn from a small space (so probe runs collide and backward-shift deletion is exercised),
 * completions, time moving on, look-ups, a full index, first steps replaced by their second.
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
                final Key key =
                    new Key(1 + random.nextInt(3), random.nextInt(3), random.nextInt(4), random.nextInt(12));
                final String where = "seed " + seed + " step " + step + " " + key;
                switch (random.nextInt(4))
                {
                    case 0 ->
                    {
                        final long found = index.find(key.message(-1, 0, 0, 0), nowNs);
                        final long[] expected = model.find(key, nowNs);
                        assertEquals(null == expected ? -1 : expected[0], found, where);
                        final boolean firstStep = null != expected && 1 == expected[4];
                        if (found >= 0)
                        {
                            assertEquals(expected[2], index.lastFoundLevel(), where);
                            assertEquals(expected[3], index.lastFoundAcceptTimeNs(), where);
                            assertEquals(firstStep, index.lastFoundFirstStep(), where);
                        }
                        if (found < 0 || firstStep)
                        {
                            final long id = nextId++;
                            final int level = 1 + random.nextInt(4);
                            final int variant = random.nextInt(3) == 0 ? CommandVariant.CRITICAL_TRANSFORM : 1;
                            assertEquals(model.add(key, id, level, nowNs, variant),
                                index.add(key.message(id, level, nowNs, variant)), where);
                        }
                    }
                    case 1 ->
                    {
                        final Map.Entry<Key, long[]> pending = model.anyPending(random);
                        if (null != pending)
                        {
                            final long id = pending.getValue()[0];
                            model.completed(pending.getKey(), id, nowNs);
                            index.completed(pending.getKey().message(id, 0, 0, 0), nowNs);
                        }
                    }
                    case 2 -> nowNs += random.nextInt(10);
                    default ->
                    {
                        final long[] expected = model.find(key, nowNs);
                        assertEquals(null == expected ? -1 : expected[0], index.find(key.message(-1, 0, 0, 0), nowNs),
                            where);
                    }
                }
                assertEquals(model.entries.size(), index.size(), where);
            }
        }
    }

    @Test
    void shouldRememberPendingUntilCompletedThenForTheWindow()
    {
        final RequestIdIndex index = new RequestIdIndex(100, 8);
        final Key key = new Key(MessageKind.SERVICE_REQUEST.value(), 1, 2, 3);
        assertTrue(index.add(key.message(7, 1, 0, 0)));
        assertEquals(7, index.find(key.message(-1, 0, 0, 0), 1_000_000));
        assertTrue(index.lastFoundPending(), "pending however long");
        index.completed(key.message(6, 0, 0, 0), 1_000_000);
        assertTrue(index.lastFoundPending() && index.find(key.message(-1, 0, 0, 0), 1_000_000) == 7,
            "another message's completion");
        index.completed(key.message(7, 0, 0, 0), 1_000_000);
        assertEquals(7, index.find(key.message(-1, 0, 0, 0), 1_000_099));
        assertFalse(index.lastFoundPending());
        assertEquals(-1, index.find(key.message(-1, 0, 0, 0), 1_000_100), "forgotten when the window has passed");
        assertEquals(0, index.size());
    }

    @Test
    void shouldNeverTakeAResponseOrAnAlertForItsRequest()
    {
        final RequestIdIndex index = new RequestIdIndex(100, 8);
        final Key request = new Key(MessageKind.SERVICE_REQUEST.value(), 1, 2, 3);
        final Key response = new Key(MessageKind.RESPONSE.value(), 1, 2, 3);
        final Key alert = new Key(MessageKind.ALERT.value(), 1, 2, 3);
        assertTrue(index.add(request.message(7, 1, 0, 0)));
        assertEquals(-1, index.find(response.message(-1, 0, 0, 0), 0), "the request's RequestID, another kind");
        assertEquals(-1, index.find(alert.message(-1, 0, 0, 0), 0));
        assertTrue(index.add(response.message(8, 1, 0, 0)));
        assertEquals(7, index.find(request.message(-1, 0, 0, 0), 0));
        assertEquals(8, index.find(response.message(-1, 0, 0, 0), 0), "a resent response is still a resend");
        assertEquals(2, index.size());
    }

    @Test
    void shouldAdmitUntrackedWhenFullOfPendingAndForgetTheOldestCompletedFirst()
    {
        final RequestIdIndex index = new RequestIdIndex(1_000, 2);
        final Key one = new Key(MessageKind.SERVICE_REQUEST.value(), 1, 1, 1);
        final Key two = new Key(MessageKind.SERVICE_REQUEST.value(), 1, 1, 2);
        final Key three = new Key(MessageKind.SERVICE_REQUEST.value(), 1, 1, 3);
        assertTrue(index.add(one.message(0, 1, 0, 0)));
        assertTrue(index.add(two.message(1, 1, 0, 0)));
        assertFalse(index.add(three.message(2, 1, 0, 0)), "every entry pending: not remembered");
        index.completed(one.message(0, 1, 0, 0), 10);
        assertTrue(index.add(three.message(2, 1, 0, 0)));
        assertEquals(1, index.evictedEarly());
        assertEquals(-1, index.find(one.message(-1, 0, 0, 0), 11));
        assertEquals(1, index.find(two.message(-1, 0, 0, 0), 11));
        assertEquals(2, index.find(three.message(-1, 0, 0, 0), 11));
    }

    private record Key(int kind, long o, long t, long c)
    {
        AcceptedMessageFlyweight message(final long id, final int level, final long acceptNs, final int variant)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]);
            return new AcceptedMessageFlyweight().wrap(buffer, 0).clear().kind(kind).requestId(new RequestId(o, t, c))
                .messageId(id).level(level).acceptTimeNs(acceptNs).commandVariant(variant);
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

        /** @return { id, expiry, level, accept time, 1 for a first step }, or null. */
        long[] find(final Key key, final long nowNs)
        {
            while (!fifo.isEmpty() && (long)fifo.peekFirst()[1] <= nowNs)
            {
                popOldest();
            }
            return entries.get(key);
        }

        boolean add(final Key key, final long id, final int level, final long acceptNs, final int variant)
        {
            final long[] entry = new long[]{ id, RequestIdIndex.PENDING, level, acceptNs,
                CommandVariant.isFirstStep(variant) ? 1 : 0 };
            if (entries.containsKey(key))
            {
                entries.put(key, entry);
                return true;
            }
            while (entries.size() >= maxEntries)
            {
                if (fifo.isEmpty())
                {
                    return false;
                }
                popOldest();
            }
            entries.put(key, entry);
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
