package io.otaprio.bench;

import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletionListener;
import io.otaprio.scheduler.SchedulerContext;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;

/**
 * What a benchmark builds its {@link io.otaprio.scheduler.Scheduler} from: every part of a concluded
 * {@link EngineContext} but the completion listener, which is the benchmark's own. In the engine the listener is the
 * {@link io.otaprio.scheduler.CompletionRelay}, drained by the admission agent; the benchmarks submit from their own
 * thread without that agent, so nobody would drain the relay, and once it was full the scheduler would stop
 * dispatching (it dispatches only while the listener has room). The benchmark's listener counts completions, the
 * same work per completion as before the relay existed.
 * <p>
 * Threading: read by the scheduler's constructor, on the thread that builds it.
 */
final class BenchmarkSchedulerContext implements SchedulerContext
{
    private final EngineContext engine;
    private final CompletionListener completionListener;

    /**
     * @param engine             the concluded context every other part comes from.
     * @param completionListener told of each completion on the scheduler thread, in place of the relay.
     */
    BenchmarkSchedulerContext(final EngineContext engine, final CompletionListener completionListener)
    {
        this.engine = engine;
        this.completionListener = completionListener;
    }

    public PriorityRings rings()
    {
        return engine.rings();
    }

    public Dispatcher dispatcher()
    {
        return engine.dispatcher();
    }

    public CompletionQueue completionQueue()
    {
        return engine.completionQueue();
    }

    public EngineMetrics metrics()
    {
        return engine.metrics();
    }

    public EpochNanoClock clock()
    {
        return engine.clock();
    }

    public CompletionListener completionListener()
    {
        return completionListener;
    }

    public ErrorHandler errorHandler()
    {
        return engine.errorHandler();
    }

    public OutcomeLog outcomeLog()
    {
        return engine.outcomeLog();
    }

    public long dispatchTimeoutNs()
    {
        return engine.dispatchTimeoutNs();
    }
}
