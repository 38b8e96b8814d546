package io.otaprio.bench;

import io.otaprio.engine.EngineContext;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.Agent;

import java.util.function.LongConsumer;

/**
 * The engine's {@link Scheduler} as the benchmarks with a consumer thread run it, without the admission agent: it
 * counts its completions itself (named in the context as the scheduler's completion listener, in place of the
 * completion relay, which nothing here would drain) and, once per duty cycle in which the count changed, publishes
 * the count to the producer thread. Per message that is the engine's dispatch and completion accounting plus one
 * increment.
 * <p>
 * Threading: built on the set-up thread; the agent and the count belong to the consumer thread, which alone calls
 * the publisher.
 */
final class CountingScheduler implements Agent
{
    private final String roleName;
    private final LongConsumer publisher;
    private final Scheduler scheduler;
    private long completed;
    private long published;

    /**
     * Conclude the context with this counting the scheduler's completions, and build the scheduler from it.
     *
     * @param roleName  the consumer thread's name.
     * @param context   the benchmark's context, not yet concluded; concluded here, ready for its admission too.
     * @param publisher told the number of messages completed so far, on the consumer thread: writes it where the
     *                  producer reads it.
     */
    CountingScheduler(final String roleName, final EngineContext context, final LongConsumer publisher)
    {
        this.roleName = roleName;
        this.publisher = publisher;
        this.scheduler = new Scheduler(context.completionListener(message -> completed++).conclude());
    }

    public void onStart()
    {
        scheduler.onStart();
    }

    public int doWork()
    {
        final int work = scheduler.doWork();
        if (completed != published)
        {
            published = completed;
            publisher.accept(published);
        }
        return work;
    }

    public void onClose()
    {
        scheduler.onClose();
    }

    public String roleName()
    {
        return roleName;
    }
}
