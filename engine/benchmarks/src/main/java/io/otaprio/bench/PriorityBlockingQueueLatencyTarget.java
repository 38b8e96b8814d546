package io.otaprio.bench;

import com.lmax.disruptor.EventFactory;
import io.otaprio.engine.EngineContext;
import io.otaprio.message.MessageEvent;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.PriorityBlockingQueue;

/**
 * The baseline under the latency sweep: a {@code PriorityBlockingQueue} ordered by (level, id), presized to the
 * engine's total lane capacity and bounded by the producer to it, drained by a consumer thread that busy-polls
 * (its best case: no park/unpark). The producer does admission's work itself (classify with the same policy, fill
 * a new {@link MessageEvent}, copy the payload), as in the throughput baseline.
 */
public final class PriorityBlockingQueueLatencyTarget extends LatencyTarget
{
    private final EventFactory<MessageEvent> events = MessageEvent.factory(BenchmarkMessages.MAX_PAYLOAD_BYTES);
    private final PriorityPolicy policy = BenchmarkMessages.policy();
    private final UnsafeBuffer payload = BenchmarkMessages.payload();
    private PriorityBlockingQueue<MessageEvent> queue;
    private int capacity;
    private long produced;
    private long consumedCache;
    private volatile long consumed;

    public String name()
    {
        return "PriorityBlockingQueue";
    }

    Agent open()
    {
        for (final int laneCapacity : EngineContext.RING_SIZES_DEFAULT)
        {
            capacity += laneCapacity;
        }
        queue = new PriorityBlockingQueue<>(capacity, PriorityBlockingQueueThroughputBenchmark.LEVEL_THEN_ID);
        return new Agent()
        {
            private long taken;

            public int doWork()
            {
                int work = 0;
                MessageEvent message;
                while (work < ThroughputBenchmark.CREDIT && null != (message = queue.poll()))
                {
                    record(message.level(), message.counter(), message.acceptTimeNs(), clock.nanoTime());
                    work++;
                }
                if (work > 0)
                {
                    taken += work;
                    consumed = taken;
                }
                return work;
            }

            public String roleName()
            {
                return "otaprio-latency-pbq";
            }
        };
    }

    boolean offer(final int level, final long intendedNs, final long counter)
    {
        if (produced - consumedCache >= capacity)
        {
            consumedCache = consumed;
            if (produced - consumedCache >= capacity)
            {
                return false;
            }
        }
        final int code = BenchmarkMessages.SRV_OF_LEVEL[level];
        final int rule = policy.classify(MessageKind.SERVICE_REQUEST, code);
        final MessageEvent event = events.newInstance();
        event.set(produced, BenchmarkMessages.ORIGINATOR, BenchmarkMessages.TARGET, intendedNs,
            BenchmarkMessages.KIND, code, policy.level(rule), rule, policy.trtNs(rule), clock.nanoTime(), payload, 0,
            BenchmarkMessages.PAYLOAD_BYTES);
        queue.offer(event);
        produced++;
        return true;
    }

    long consumed()
    {
        return consumed;
    }
}
