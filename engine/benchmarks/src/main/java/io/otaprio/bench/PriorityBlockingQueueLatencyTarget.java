package io.otaprio.bench;

import com.lmax.disruptor.EventFactory;
import io.otaprio.engine.Configuration;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.ring.MessageEvent;
import org.agrona.concurrent.Agent;

import java.util.concurrent.PriorityBlockingQueue;

/**
 * The baseline under the latency sweep: a {@code PriorityBlockingQueue} ordered by (level, id), presized to the
 * engine's total lane capacity and bounded by the producer to it, drained by a consumer thread that busy-polls
 * (its best case: no park/unpark). The producer does admission's work itself (classify with the same policy, copy the
 * whole message into a new {@link MessageEvent} and stamp id, level, TRT budget and accept time), as in the
 * throughput baseline. The intended send time travels in the RequestID counter field, as in the engine.
 */
public final class PriorityBlockingQueueLatencyTarget extends LatencyTarget
{
    private final EventFactory<MessageEvent> events = MessageEvent.factory(BenchmarkMessages.MAX_PAYLOAD_BYTES);
    private final PriorityPolicy policy = BenchmarkMessages.policy();
    private final AcceptedMessageFlyweight submission = BenchmarkMessages.submission();
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
        for (final int laneCapacity : Configuration.ringSizesDefault())
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
                MessageEvent event;
                while (work < ThroughputBenchmark.CREDIT && null != (event = queue.poll()))
                {
                    final AcceptedMessageFlyweight message = event.message();
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
        event.copy(submission.counter(intendedNs).code(code))
            .messageId(produced)
            .level(policy.level(rule))
            .trtNs(policy.trtNs(rule))
            .acceptTimeNs(clock.nanoTime());
        queue.offer(event);
        produced++;
        return true;
    }

    long consumed()
    {
        return consumed;
    }
}
