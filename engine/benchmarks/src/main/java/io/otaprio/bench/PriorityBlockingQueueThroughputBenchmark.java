package io.otaprio.bench;

import com.lmax.disruptor.EventFactory;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.ring.MessageEvent;
import org.agrona.concurrent.Agent;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;

/**
 * Baseline: one {@link PriorityBlockingQueue} ordered by (level, id), the textbook JDK priority queue. The producer
 * allocates a new {@link MessageEvent} per message (as any user of a queue of objects must) and fills it as
 * admission would ({@link #fill}); the consumer thread busy-spins on {@code poll()} (never {@code take()}: no
 * park/unpark, this baseline's best case and the same idle strategy as the engine's scheduler).
 * <p>
 * The queue is unbounded, so the producer bounds it itself to the engine's total lane capacity: it refuses (and
 * retries, counted) while that many messages are queued, reading the consumer's count only when its cached value
 * says the queue is full. The queue's array is presized to that bound, so it never grows.
 * <p>
 * Threading: the benchmark thread offers; the consumer thread polls.
 */
@State(Scope.Benchmark)
public class PriorityBlockingQueueThroughputBenchmark extends ThroughputBenchmark
{
    /** Highest level (1) first, then arrival order. */
    static final Comparator<MessageEvent> LEVEL_THEN_ID = (a, b) ->
    {
        final AcceptedMessageFlyweight x = a.message();
        final AcceptedMessageFlyweight y = b.message();
        return x.level() != y.level() ? Integer.compare(x.level(), y.level()) :
            Long.compare(x.messageId(), y.messageId());
    };

    private final EventFactory<MessageEvent> events = MessageEvent.factory(BenchmarkMessages.MAX_PAYLOAD_BYTES);
    private int capacity;
    private long consumedCache;
    private PriorityBlockingQueue<MessageEvent> queue;
    private Agent consumer;

    void open()
    {
        for (final int laneCapacity : LANE_CAPACITIES)
        {
            capacity += laneCapacity;
        }
        queue = new PriorityBlockingQueue<>(capacity, LEVEL_THEN_ID);
        consumer = new QueueConsumer()
        {
            MessageEvent poll()
            {
                return queue.poll();
            }
        };
    }

    Agent consumer()
    {
        return consumer;
    }

    boolean offer(final int level, final long counter)
    {
        if (counter - consumedCache >= capacity)
        {
            consumedCache = consumed.get();
            if (counter - consumedCache >= capacity)
            {
                return false;
            }
        }
        final MessageEvent event = events.newInstance();
        fill(event, level, counter);
        queue.offer(event);
        return true;
    }
}
