package io.otaprio.bench;

import com.lmax.disruptor.EventFactory;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.MessageEvent;
import org.agrona.concurrent.Agent;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * Baseline: the engine's topology built from JDK parts, four {@link ArrayBlockingQueue}s (one per level, the
 * engine's default lane sizes). The producer allocates a new {@link MessageEvent} per message and fills it as
 * admission would ({@link #fill}); a refused offer keeps the event for the retry. The consumer busy-spins, taking
 * ONE message per look from the highest non-empty queue ({@code poll()} on lane 0, then 1, ...), as the scheduler
 * does.
 * <p>
 * Threading: the benchmark thread offers; the consumer thread polls.
 */
@State(Scope.Benchmark)
public class FourArrayBlockingQueuesThroughputBenchmark extends ThroughputBenchmark
{
    private final EventFactory<MessageEvent> events = MessageEvent.factory(BenchmarkMessages.MAX_PAYLOAD_BYTES);
    private final int[] laneOfLevel = new int[PriorityPolicy.LEVELS + 1];
    private ArrayBlockingQueue<MessageEvent>[] queues;
    private MessageEvent pending;
    private Agent consumer;

    @SuppressWarnings({ "unchecked", "rawtypes" })
    void open()
    {
        queues = new ArrayBlockingQueue[LANE_CAPACITIES.length];
        for (int lane = 0; lane < queues.length; lane++)
        {
            queues[lane] = new ArrayBlockingQueue<>(LANE_CAPACITIES[lane]);
        }
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            laneOfLevel[level] = laneOf(level);
        }
        final ArrayBlockingQueue<MessageEvent>[] lanes = queues;
        consumer = new QueueConsumer()
        {
            MessageEvent poll()
            {
                for (final ArrayBlockingQueue<MessageEvent> lane : lanes)
                {
                    final MessageEvent message = lane.poll();
                    if (null != message)
                    {
                        return message;
                    }
                }
                return null;
            }
        };
    }

    Agent consumer()
    {
        return consumer;
    }

    boolean offer(final int level, final long counter)
    {
        MessageEvent event = pending;
        if (null == event)
        {
            event = events.newInstance();
            fill(event, level, counter);
        }
        if (queues[laneOfLevel[level]].offer(event))
        {
            pending = null;
            return true;
        }
        pending = event;
        return false;
    }
}
