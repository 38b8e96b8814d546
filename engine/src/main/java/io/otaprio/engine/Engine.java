package io.otaprio.engine;

import io.otaprio.admission.Admission;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.AgentRunner;

/**
 * The engine assembled: lanes, admission, scheduler on its own thread, metrics. {@link #close()} stops the
 * scheduler thread and waits for it, so no thread outlives the engine.
 * <pre>
 *   producer ──submit──► Admission ──► ring[lane] ──► Scheduler ──dispatch──► Dispatcher
 *                                                        ▲                       │
 *                                                        └──── CompletionQueue ◄─┘ complete (any thread)
 * </pre>
 */
public final class Engine implements AutoCloseable
{
    private final EngineContext ctx;
    private final PriorityRings rings;
    private final EngineMetrics metrics;
    private final Admission admission;
    private final Scheduler scheduler;
    private final AgentRunner schedulerRunner;
    private final long[] levelTrtNs;

    private Engine(final EngineContext ctx)
    {
        this.ctx = ctx;
        final PriorityPolicy policy = ctx.policy();
        rings = new PriorityRings(ctx.laneSizes(), ctx.maxPayloadBytes());
        metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        admission = new Admission(rings, policy, metrics, ctx.clock(), ctx.maxPayloadBytes(), ctx.firstMessageId());
        final CompletionQueue completions = new CompletionQueue(ctx.dispatcher().slots(), ctx.clock());
        scheduler = new Scheduler(rings, ctx.dispatcher(), completions, metrics, ctx.clock(),
            ctx.completionListener(), ctx.errorHandler());
        schedulerRunner = new AgentRunner(ctx.schedulerIdleStrategy(), ctx.errorHandler(), null, scheduler);
        levelTrtNs = new long[PriorityPolicy.LEVELS + 1];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            levelTrtNs[level] = policy.levelTrtNs(level);
        }
    }

    /**
     * Build and start an engine.
     *
     * @param ctx configuration; concluded here.
     * @return the running engine.
     */
    public static Engine launch(final EngineContext ctx)
    {
        final Engine engine = new Engine(ctx.conclude());
        AgentRunner.startOnThread(engine.schedulerRunner);
        return engine;
    }

    /** @return the admission front door; one producer thread at a time. */
    public Admission admission()
    {
        return admission;
    }

    /** @return the live figures. */
    public EngineMetrics metrics()
    {
        return metrics;
    }

    /** @return the lanes. */
    public PriorityRings rings()
    {
        return rings;
    }

    /** @return the configuration it runs with. */
    public EngineContext context()
    {
        return ctx;
    }

    /** @return the scheduler agent (its state belongs to the scheduler thread). */
    public Scheduler scheduler()
    {
        return scheduler;
    }

    /**
     * Total messages queued in the rings now. Any thread.
     *
     * @return depth over all lanes.
     */
    public long depth()
    {
        long depth = 0;
        for (int lane = 0; lane < rings.lanes(); lane++)
        {
            depth += rings.depth(lane);
        }
        return depth;
    }

    /**
     * Cumulative figures since start. Any thread (snapshots are serialised).
     *
     * @return the snapshot.
     */
    public MetricsSnapshot snapshot()
    {
        final long[] depthByLane = new long[rings.lanes()];
        for (int lane = 0; lane < depthByLane.length; lane++)
        {
            depthByLane[lane] = rings.depth(lane);
        }
        return metrics.snapshot(depthByLane, levelTrtNs);
    }

    /**
     * Refuse new messages, stop the scheduler thread and wait for it to exit.
     */
    public void close()
    {
        admission.close();
        schedulerRunner.close();
    }
}
