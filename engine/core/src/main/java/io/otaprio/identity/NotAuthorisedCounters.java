package io.otaprio.identity;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Submissions refused NOT_AUTHORISED by one transport, per client and per claimed originator, for {@code /metrics}.
 * The claimed originators are the attacker's choice, so they are counted in a fixed table (open addressing, no
 * growth): beyond {@link #MAX_ORIGINATORS} distinct ones the rest are counted together as "other". A refusal
 * allocates nothing.
 * <p>
 * Threading: one writer (the transport's thread: the gateway's admission thread, or the DUIS endpoint's); readers on
 * any thread see each count and each originator's key published by an ordered store before its count.
 */
public final class NotAuthorisedCounters
{
    /** Distinct claimed originators counted one by one; the rest go to {@link #otherOriginators()}. */
    public static final int MAX_ORIGINATORS = 1024;

    private static final int SLOTS = MAX_ORIGINATORS * 2;
    private static final int MASK = SLOTS - 1;
    private static final int MAX_PROBES = 16;

    private final AtomicLongArray byClient;
    private final AtomicLongArray keys = new AtomicLongArray(SLOTS);
    private final AtomicLongArray used = new AtomicLongArray(SLOTS);
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);
    private final AtomicLong others = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private int originators;

    /**
     * @param clients how many clients may be refused (the size of {@code clients:}).
     */
    public NotAuthorisedCounters(final int clients)
    {
        byClient = new AtomicLongArray(Math.max(1, clients));
    }

    /**
     * Count one refusal. Writer thread only.
     *
     * @param client     who sent it.
     * @param originator the originator it claimed.
     */
    public void onRefused(final ClientIdentity client, final long originator)
    {
        total.lazySet(total.get() + 1);
        final int index = client.index();
        if (index >= 0 && index < byClient.length())
        {
            byClient.lazySet(index, byClient.get(index) + 1);
        }
        int slot = (int)(mix(originator) & MASK);
        for (int probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & MASK)
        {
            if (0 == used.get(slot))
            {
                if (originators >= MAX_ORIGINATORS)
                {
                    break;
                }
                originators++;
                keys.lazySet(slot, originator);
                counts.lazySet(slot, 1);
                used.lazySet(slot, 1);
                return;
            }
            if (keys.get(slot) == originator)
            {
                counts.lazySet(slot, counts.get(slot) + 1);
                return;
            }
        }
        others.lazySet(others.get() + 1);
    }

    /** @return every refusal counted. */
    public long total()
    {
        return total.get();
    }

    /**
     * @param clientIndex a client's {@link ClientIdentity#index()}.
     * @return its refusals.
     */
    public long byClient(final int clientIndex)
    {
        return clientIndex >= 0 && clientIndex < byClient.length() ? byClient.get(clientIndex) : 0;
    }

    /** @return refusals whose claimed originator did not fit the table. */
    public long otherOriginators()
    {
        return others.get();
    }

    /** What {@link #forEachOriginator} calls with each claimed originator counted. */
    @FunctionalInterface
    public interface OriginatorCount
    {
        /**
         * @param originator a claimed originator EUI-64.
         * @param count      refusals that claimed it.
         */
        void accept(long originator, long count);
    }

    /**
     * @param consumer told of each claimed originator and its count, in table order. Any thread.
     */
    public void forEachOriginator(final OriginatorCount consumer)
    {
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (0 != used.get(slot))
            {
                consumer.accept(keys.get(slot), counts.get(slot));
            }
        }
    }

    private static long mix(final long value)
    {
        final long h = value * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
