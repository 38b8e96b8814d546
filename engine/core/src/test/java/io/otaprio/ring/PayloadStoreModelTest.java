package io.otaprio.ring;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The payload store against a model: a FIFO of byte ranges in a circular array, where a message may start at the
 * tail if it fits before the end, else at offset 0 (the rest padding), and fits only if it overlaps no byte of a
 * message not yet released. Random lengths (including ones that end exactly at the end of the arena, and the
 * arena's whole size), random interleavings of claims, un-claims and releases; every claim's answer must match the
 * model's, and every message's bytes must still be intact when it is released.
 */
class PayloadStoreModelTest
{
    private static final int STEPS = 20_000;

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
    void shouldAgreeWithTheModelOnEveryClaimAndKeepEveryMessageIntact(final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final int capacity = PayloadStore.ALIGNMENT * (8 + random.nextInt(512));
        final PayloadStore store = new PayloadStore(capacity);
        final Model model = new Model(capacity);
        final ArrayDeque<long[]> held = new ArrayDeque<>();   // start, end, length, stamp
        int full = 0;
        int wrapped = 0;
        int exactEnds = 0;
        for (int step = 0; step < STEPS; step++)
        {
            final int action = random.nextInt(10);
            if (action < 6)
            {
                final int length = nextLength(random, model, capacity);
                final boolean emptyBefore = model.unreleased.isEmpty();
                final long expected = model.claim(length);
                if (emptyBefore)
                {
                    assertTrue(PayloadStore.FULL != expected, "an empty arena takes any message that fits");
                }
                final long start = store.claim(length);
                assertEquals(expected, start, "claim of " + length + " at step " + step + " (seed " + seed + ")");
                if (PayloadStore.FULL == start)
                {
                    full++;
                    continue;
                }
                final int offset = store.offset(start);
                wrapped += offset == 0 && start > 0 ? 1 : 0;
                exactEnds += offset + PayloadStore.alignedLength(length) == capacity ? 1 : 0;
                if (random.nextInt(8) == 0)
                {
                    store.unclaim();
                    model.unclaim();
                    continue;
                }
                final long stamp = random.nextLong();
                fill(store, offset, length, stamp);
                held.addLast(new long[]{ start, start + PayloadStore.alignedLength(length), length, stamp });
            }
            else if (!held.isEmpty())
            {
                // The consumer releases in FIFO order, one or several at a time (a committed batch).
                long end = 0;
                for (int n = 1 + random.nextInt(Math.min(3, held.size())); n > 0; n--)
                {
                    final long[] message = held.pollFirst();
                    check(store, store.offset(message[0]), (int)message[2], message[3]);
                    end = message[1];
                    model.release();
                }
                store.release(end);
            }
        }
        assertTrue(full > 100, "the arena filled often: " + full);
        assertTrue(wrapped > 100, "messages wrapped to offset 0: " + wrapped);
        assertTrue(exactEnds > 10, "messages ended exactly at the end: " + exactEnds);
    }

    @Test
    void shouldTakeAMessageOfTheWholeArenaWhenEmptyWhereverTheTailIs()
    {
        final PayloadStore store = new PayloadStore(1024);
        final long first = store.claim(200);
        store.release(first + 200);
        final long whole = store.claim(1024);
        assertEquals(1024, whole, "padding to the end, then the whole arena from offset 0");
        assertEquals(0, store.offset(whole));
        assertEquals(PayloadStore.FULL, store.claim(8), "nothing else until it is released");
        store.release(whole + 1024);
        assertEquals(2048, store.claim(8));
    }

    @Test
    void shouldRefuseAMessageLargerThanTheArenaAndABadCapacity()
    {
        assertEquals(PayloadStore.FULL, new PayloadStore(64).claim(72));
        assertThrows(IllegalArgumentException.class, () -> new PayloadStore(0));
        assertThrows(IllegalArgumentException.class, () -> new PayloadStore(100));
    }

    private static int nextLength(final SplittableRandom random, final Model model, final int capacity)
    {
        switch (random.nextInt(6))
        {
            case 0:
                // Exactly what is left before the end of the arena: the message ends at its last byte.
                return capacity - (int)(model.tail % capacity);
            case 1:
                return capacity;
            case 2:
                return 1 + random.nextInt(capacity / 2);
            default:
                return 1 + random.nextInt(Math.max(1, capacity / 8));
        }
    }

    private static void fill(final PayloadStore store, final int offset, final int length, final long stamp)
    {
        for (int i = 0; i < length; i++)
        {
            store.buffer().putByte(offset + i, (byte)(stamp + i * 31L));
        }
    }

    private static void check(final PayloadStore store, final int offset, final int length, final long stamp)
    {
        for (int i = 0; i < length; i++)
        {
            if (store.buffer().getByte(offset + i) != (byte)(stamp + i * 31L))
            {
                throw new AssertionError("byte " + i + " of a message of " + length + " at " + offset + " changed");
            }
        }
    }

    /**
     * The store's rule restated over positions (a message fits when it ends at most one arena's length past the end
     * of the last message released, or when everything is released), plus what the rule must guarantee, checked
     * independently over physical byte ranges: a message granted room overlaps no unreleased message, and an arena
     * with everything released takes any message that fits in it.
     */
    private static final class Model
    {
        private final int capacity;
        private final ArrayDeque<long[]> unreleased = new ArrayDeque<>();   // start, end positions
        private long head;
        private long tail;
        private long tailBefore;

        Model(final int capacity)
        {
            this.capacity = capacity;
        }

        long claim(final int length)
        {
            final int aligned = PayloadStore.alignedLength(length);
            if (aligned > capacity)
            {
                return PayloadStore.FULL;
            }
            final int tailOffset = (int)(tail % capacity);
            final long start = tailOffset + aligned > capacity ? tail + (capacity - tailOffset) : tail;
            final long end = start + aligned;
            final boolean empty = unreleased.isEmpty();
            if (end - head > capacity && !empty)
            {
                return PayloadStore.FULL;
            }
            final int offset = (int)(start % capacity);
            assertTrue(offset + aligned <= capacity, "contiguous");
            for (final long[] range : unreleased)
            {
                final int otherOffset = (int)(range[0] % capacity);
                final int otherLength = (int)(range[1] - range[0]);
                assertTrue(offset >= otherOffset + otherLength || otherOffset >= offset + aligned,
                    "granted room overlapping an unreleased message");
            }
            tailBefore = tail;
            tail = end;
            unreleased.addLast(new long[]{ start, end });
            return start;
        }

        void unclaim()
        {
            tail = tailBefore;
            unreleased.removeLast();
        }

        void release()
        {
            head = unreleased.removeFirst()[1];
        }
    }
}
