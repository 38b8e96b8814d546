package io.otaprio.ring;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * One Disruptor {@link RingBuffer} per priority lane, lane 0 the highest. Each ring is single-producer (the
 * admission thread) with one gating {@link Sequence}: the scheduler's.
 * <p>
 * Each slot holds a payload of up to {@link #inlinePayloadBytes()} in its own buffer; a lane built with a
 * {@link PayloadStore} holds a larger message there, and the slot wraps it ({@link MessageEvent}). A producer claims
 * with {@link #tryClaim(int, int)}, which takes room in the store first (when the message needs it) and then the
 * ring's next slot, so a message is refused as a whole when either is full and nothing is left half-claimed. The
 * scheduler releases a store region when it commits the slot that held it ({@link #commit(int)}), in ring order,
 * void slots included: that is the store's FIFO order.
 * <p>
 * Threading: {@link #tryClaim}, {@link #claimed}, {@link #publish}, {@link #offer} and {@link #ring(int)} claims and
 * publishes belong to the lane's producer (the admission thread, or a cluster leader's service thread);
 * {@link #peek(int)}, {@link #advance(int)}, {@link #commit(int)} and {@link #release(int)} to the scheduler thread;
 * {@link #depth(int)} may be read from any thread.
 * <p>
 * The scheduler takes one event at a time rather than batching a lane. Batching would let it finish a run of
 * level-4 messages while a level-1 message waits, which is the exact behaviour the engine exists to prevent.
 */
public final class PriorityRings
{
    /** {@link #tryClaim}'s answer when the lane cannot take the message now. */
    public static final long FULL = -1;

    private final RingBuffer<MessageEvent>[] rings;
    private final Sequence[] consumed;
    private final long[] nextSequence;
    private final long[] availableUpTo;
    private final PayloadStore[] stores;
    private final long[] storeReleaseTo;
    private final long[] storeReleased;
    private final int inlinePayloadBytes;

    /**
     * Lanes without payload stores: every message must fit a slot.
     *
     * @param ringSizes       slots per lane, each a power of two.
     * @param maxPayloadBytes payload capacity of every slot.
     */
    public PriorityRings(final int[] ringSizes, final int maxPayloadBytes)
    {
        this(ringSizes, maxPayloadBytes, new int[ringSizes.length]);
    }

    /**
     * @param ringSizes          slots per lane, each a power of two.
     * @param inlinePayloadBytes payload capacity of every slot's own buffer.
     * @param storeBytes         per lane, the size of its {@link PayloadStore} for larger messages, a multiple of
     *                           {@value PayloadStore#ALIGNMENT}; 0 for none (such a lane takes inline messages only).
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public PriorityRings(final int[] ringSizes, final int inlinePayloadBytes, final int[] storeBytes)
    {
        final int lanes = ringSizes.length;
        if (storeBytes.length != lanes)
        {
            throw new IllegalArgumentException(
                "one payload store size per lane (" + lanes + "), got " + storeBytes.length);
        }
        this.inlinePayloadBytes = inlinePayloadBytes;
        rings = new RingBuffer[lanes];
        consumed = new Sequence[lanes];
        nextSequence = new long[lanes];
        availableUpTo = new long[lanes];
        stores = new PayloadStore[lanes];
        storeReleaseTo = new long[lanes];
        storeReleased = new long[lanes];
        for (int lane = 0; lane < lanes; lane++)
        {
            stores[lane] = storeBytes[lane] > 0 ? new PayloadStore(storeBytes[lane]) : null;
            if (ringSizes[lane] < 1 || Integer.bitCount(ringSizes[lane]) != 1)
            {
                throw new IllegalArgumentException(
                    "ring size of lane " + lane + " must be a power of two: " + ringSizes[lane]);
            }
            // Nobody blocks on these rings (the scheduler polls), so publish must not signal: the default
            // BlockingWaitStrategy would take a lock and notifyAll on every publish.
            rings[lane] = RingBuffer.createSingleProducer(
                MessageEvent.factory(inlinePayloadBytes), ringSizes[lane], new BusySpinWaitStrategy());
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
        final long sequence = tryClaim(lane, message.payloadLength());
        if (sequence < 0)
        {
            return false;
        }
        claimed(lane, sequence).copy(message);
        publish(lane, sequence);
        return true;
    }

    /**
     * Producer: claim the lane's next slot for a message with a payload of {@code payloadLength} bytes, and room in
     * the lane's store when it is larger than {@link #inlinePayloadBytes()}. Never blocks. Fill the slot
     * ({@link #claimed}, {@link MessageEvent#copy}) and {@link #publish} it, as a void slot if need be: a claimed
     * slot cannot be given back.
     *
     * @param lane          the lane.
     * @param payloadLength the message's payload length, at least 0.
     * @return the slot's sequence; or {@link #FULL} when the ring has no free slot, or the message needs the store
     * and the store has no room for it now (or the lane has no store).
     */
    public long tryClaim(final int lane, final int payloadLength)
    {
        final RingBuffer<MessageEvent> ring = rings[lane];
        if (payloadLength <= inlinePayloadBytes)
        {
            final long sequence;
            try
            {
                sequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                // A singleton without a stack trace: a full lane is an everyday value here, not a failure.
                return FULL;
            }
            ring.get(sequence).holdInline();
            return sequence;
        }
        return tryClaimInStore(lane, payloadLength);
    }

    /**
     * @param lane     the lane.
     * @param sequence a sequence {@link #tryClaim} returned.
     * @return the claimed slot, holding the message inline or in the store as the claim decided.
     */
    public MessageEvent claimed(final int lane, final long sequence)
    {
        return rings[lane].get(sequence);
    }

    /**
     * Producer: publish a claimed slot to the scheduler.
     *
     * @param lane     the lane.
     * @param sequence a sequence {@link #tryClaim} returned.
     */
    public void publish(final int lane, final long sequence)
    {
        rings[lane].publish(sequence);
    }

    /**
     * Producer: publish a run of claimed slots to the scheduler at once: one cursor write for the run.
     *
     * @param lane the lane.
     * @param from the first sequence of the run, claimed and filled.
     * @param to   the last, claimed and filled; every sequence between was claimed and filled too.
     */
    public void publish(final int lane, final long from, final long to)
    {
        rings[lane].publish(from, to);
    }

    /** @return the payload capacity of each slot's own buffer; larger payloads go to the lane's store. */
    public int inlinePayloadBytes()
    {
        return inlinePayloadBytes;
    }

    /**
     * @param lane 0..lanes-1.
     * @return the lane's payload store, or null when it has none.
     */
    public PayloadStore store(final int lane)
    {
        return stores[lane];
    }

    private long tryClaimInStore(final int lane, final int payloadLength)
    {
        final PayloadStore store = stores[lane];
        if (null == store)
        {
            return FULL;
        }
        final int length = PayloadStore.alignedLength(AcceptedMessageDescriptor.encodedLength(payloadLength));
        final long start = store.claim(length);
        if (PayloadStore.FULL == start)
        {
            return FULL;
        }
        final RingBuffer<MessageEvent> ring = rings[lane];
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            store.unclaim();
            return FULL;
        }
        ring.get(sequence).holdInStore(store, start, length);
        return sequence;
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
        final long storeEnd = rings[lane].get(nextSequence[lane]++).storeEnd();
        if (MessageEvent.INLINE != storeEnd)
        {
            storeReleaseTo[lane] = storeEnd;
        }
    }

    /**
     * Scheduler thread only: hand every slot {@link #advance(int)}d past back to the producer, and the store regions
     * of those that held their message in the lane's store.
     *
     * @param lane 0..lanes-1.
     */
    public void commit(final int lane)
    {
        if (storeReleaseTo[lane] != storeReleased[lane])
        {
            storeReleased[lane] = storeReleaseTo[lane];
            stores[lane].release(storeReleased[lane]);
        }
        consumed[lane].set(nextSequence[lane] - 1);
    }
}
