package io.otaprio.recovery;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import org.agrona.collections.LongArrayList;

import java.util.function.LongFunction;

/**
 * Puts the backlog found at start-up back into the rings: level 1 first, each level in accept order, with the
 * original message id, accept time and TRT budget, so DR downtime shows in latency and TRT figures. It never
 * blocks: each call feeds what the rings have room for and returns, so live traffic and the scheduler carry on and
 * a backlog larger than a ring is fed as space frees. Messages are already journaled; they are not appended again.
 * <p>
 * Threading: the admission thread, interleaved with {@code Admission.submit}, because the rings are
 * single-producer.
 */
public final class ReplayFeeder
{
    private final PriorityRings rings;
    private final PriorityPolicy policy;
    private final EngineMetrics metrics;
    private final LongFunction<AcceptedMessageFlyweight> reader;
    private final LongArrayList[] pending;
    private final int[] position;
    private final int maxPayloadBytes;
    private long remaining;
    private long replayed;
    private long unreadable;

    /**
     * @param rings     the lanes.
     * @param policy    decides the lane (under fifo everything goes to one lane); the level is the journaled one.
     * @param metrics   counts replayed messages as accepted at their level.
     * @param reader    random access to the accepted journal by index (returns null for an unreadable index).
     * @param recovered what recovery found pending.
     * @param maxPayloadBytes the largest payload admitted: a journaled message above it is counted unreadable.
     */
    public ReplayFeeder(
        final PriorityRings rings,
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final LongFunction<AcceptedMessageFlyweight> reader,
        final Recovered recovered,
        final int maxPayloadBytes)
    {
        this.maxPayloadBytes = maxPayloadBytes;
        this.rings = rings;
        this.policy = policy;
        this.metrics = metrics;
        this.reader = reader;
        this.pending = new LongArrayList[PriorityPolicy.LEVELS + 1];
        this.position = new int[PriorityPolicy.LEVELS + 1];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            pending[level] = recovered.pendingIndices(level);
            remaining += pending[level].size();
        }
    }

    /**
     * Feed up to {@code limit} messages, highest level first, stopping at a level whose ring is full.
     *
     * @param limit most messages to publish in this call.
     * @return messages published.
     */
    public int feed(final int limit)
    {
        int fed = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS && fed < limit && remaining > 0; level++)
        {
            final LongArrayList indices = pending[level];
            final int lane = policy.isFifo() ? 0 : level - 1;
            while (position[level] < indices.size() && fed < limit)
            {
                final AcceptedMessageFlyweight message = reader.apply(indices.getLong(position[level]));
                if (null == message || message.payloadLength() > maxPayloadBytes)
                {
                    // Unreadable (the file changed underneath us) or larger than this configuration admits: count it
                    // and say so at the end, never guess.
                    unreadable++;
                    position[level]++;
                    remaining--;
                    continue;
                }
                // The journaled bytes as they are: original id, level, accept time and TRT budget. A full ring, or a
                // full payload store for a large message, leaves the rest of this level for a later cycle.
                if (!rings.offer(lane, message))
                {
                    break;
                }
                metrics.onAccepted(message.level());
                position[level]++;
                remaining--;
                replayed++;
                fed++;
            }
        }
        return fed;
    }

    /** @return true when every pending message has been fed. */
    public boolean isDone()
    {
        return remaining == 0;
    }

    /** @return messages still to feed. */
    public long remaining()
    {
        return remaining;
    }

    /** @return messages fed so far. */
    public long replayed()
    {
        return replayed;
    }

    /** @return listed messages that could not be read back or no longer fit a slot. */
    public long unreadable()
    {
        return unreadable;
    }
}
