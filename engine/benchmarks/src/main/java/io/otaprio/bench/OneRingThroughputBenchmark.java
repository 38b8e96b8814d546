package io.otaprio.bench;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import org.agrona.concurrent.Agent;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The upper bound: one plain single-producer Disruptor ring (built as a one-lane {@link PriorityRings}, so the same
 * claim / publish / peek / commit code and {@code BusySpinWaitStrategy}), no priority, slots the size of the
 * engine's largest lane. The producer claims a slot and fills it in place as admission would ({@link #fill});
 * the consumer takes one event at a time, hands it to the callback and gives the duty cycle's slots back at its
 * end. No scheduler, no credit, no completions: the most a one-producer, one-consumer pair moves through a ring
 * on this machine.
 * <p>
 * Threading: the benchmark thread claims and publishes; the consumer thread peeks and commits.
 */
@State(Scope.Benchmark)
public class OneRingThroughputBenchmark extends ThroughputBenchmark
{
    private RingBuffer<MessageEvent> ring;
    private Agent consumer;

    void open()
    {
        int largest = 0;
        for (final int laneCapacity : LANE_CAPACITIES)
        {
            largest = Math.max(largest, laneCapacity);
        }
        final PriorityRings rings = new PriorityRings(new int[]{ largest }, BenchmarkMessages.MAX_PAYLOAD_BYTES);
        ring = rings.ring(0);
        consumer = new QueueConsumer()
        {
            MessageEvent poll()
            {
                final MessageEvent message = rings.peek(0);
                if (null != message)
                {
                    rings.advance(0);
                }
                return message;
            }

            void release()
            {
                rings.commit(0);
            }
        };
    }

    Agent consumer()
    {
        return consumer;
    }

    boolean offer(final int level, final long counter)
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        fill(ring.get(sequence), level, counter);
        ring.publish(sequence);
        return true;
    }
}
