package io.otaprio.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * One Disruptor {@link RingBuffer} per priority lane, lane 0 the highest. Each ring is single-producer (the
 * admission thread) with one gating {@link Sequence}: the scheduler's.
 * <p>
 * Threading: {@link #ring(int)} claims and publishes belong to the admission thread; {@link #peek(int)} and
 * {@link #release(int)} to the scheduler thread; {@link #depth(int)} may be read from any thread.
 * <p>
 * The scheduler takes one event at a time rather than batching a lane. Batching would let it finish a run of
 * level-4 messages while a level-1 message waits, which is the exact behaviour the engine exists to prevent.
 */
public final class PriorityRings
{
    private final RingBuffer<MessageEvent>[] rings;
    private final Sequence[] consumed;
    private final long[] nextSequence;
    private final long[] availableUpTo;

    /**
     * @param ringSizes       slots per lane, each a power of two.
     * @param maxPayloadBytes payload capacity of every slot.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public PriorityRings(final int[] ringSizes, final int maxPayloadBytes)
    {
        final int lanes = ringSizes.length;
        rings = new RingBuffer[lanes];
        consumed = new Sequence[lanes];
        nextSequence = new long[lanes];
        availableUpTo = new long[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            if (ringSizes[lane] < 1 || Integer.bitCount(ringSizes[lane]) != 1)
            {
                throw new IllegalArgumentException(
                    "ring size of lane " + lane + " must be a power of two: " + ringSizes[lane]);
            }
            // Nobody blocks on these rings (the scheduler polls), so publish must not signal: the default
            // BlockingWaitStrategy would take a lock and notifyAll on every publish.
            rings[lane] = RingBuffer.createSingleProducer(
                MessageEvent.factory(maxPayloadBytes), ringSizes[lane], new BusySpinWaitStrategy());
            consumed[lane] = new Sequence(RingBuffer.INITIAL_CURSOR_VALUE);
            rings[lane].addGatingSequences(consumed[lane]);
            nextSequence[lane] = RingBuffer.INITIAL_CURSOR_VALUE + 1;
            availableUpTo[lane] = RingBuffer.INITIAL_CURSOR_VALUE;
        }
    }

    /**
     * Put a copy of a message (already stamped) at the tail of a lane, if the lane's ring has room: what the replay
     * feeder and a cluster leader's lane feed do, on the rings' single producer thread.
     *
     * @param lane    the lane.
     * @param message the message, copied whole.
     * @return false when the ring is full (nothing published).
     */
    public boolean offer(final int lane, final AcceptedMessageFlyweight message)
    {
        final RingBuffer<MessageEvent> ring = ring(lane);
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        ring.get(sequence).copy(message);
        ring.publish(sequence);
        return true;
    }

    /** @return number of lanes. */
    public int lanes()
    {
        return rings.length;
    }

    /**
     * @param lane 0..lanes-1.
     * @return the ring of that lane, for the admission thread to claim and publish on.
     */
    public RingBuffer<MessageEvent> ring(final int lane)
    {
        return rings[lane];
    }

    /**
     * @param lane 0..lanes-1.
     * @return slots in the lane.
     */
    public int capacity(final int lane)
    {
        return rings[lane].getBufferSize();
    }

    /**
     * Messages published to the lane and not yet taken by the scheduler. Safe from any thread; a racy but
     * never negative reading.
     *
     * @param lane 0..lanes-1.
     * @return current depth.
     */
    public long depth(final int lane)
    {
        return Math.max(0, rings[lane].getCursor() - consumed[lane].get());
    }

    /**
     * Scheduler thread only: the oldest published, untaken event of the lane, left in place.
     *
     * @param lane 0..lanes-1.
     * @return the event, or null when the lane is empty.
     */
    public MessageEvent peek(final int lane)
    {
        final long next = nextSequence[lane];
        if (next > availableUpTo[lane])
        {
            // Single producer: the cursor is the highest published sequence, so one volatile read per refill.
            final long cursor = rings[lane].getCursor();
            if (next > cursor)
            {
                return null;
            }
            availableUpTo[lane] = cursor;
        }
        return rings[lane].get(next);
    }

    /**
     * Scheduler thread only: hand the slot returned by the last {@link #peek(int)} back to the producer.
     *
     * @param lane 0..lanes-1.
     */
    public void release(final int lane)
    {
        advance(lane);
        commit(lane);
    }

    /**
     * Scheduler thread only: move past the slot returned by the last {@link #peek(int)} but keep it from the
     * producer until {@link #commit(int)}, so a batch of taken events stays valid while its dispatch record is
     * made durable.
     *
     * @param lane 0..lanes-1.
     */
    public void advance(final int lane)
    {
        nextSequence[lane]++;
    }

    /**
     * Scheduler thread only: hand every slot {@link #advance(int)}d past back to the producer.
     *
     * @param lane 0..lanes-1.
     */
    public void commit(final int lane)
    {
        consumed[lane].set(nextSequence[lane] - 1);
    }
}
