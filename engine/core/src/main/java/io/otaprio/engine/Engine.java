package io.otaprio.engine;

import io.otaprio.admission.Admission;
import io.otaprio.admission.RequestIdIndex;
import io.otaprio.admission.RequestIndexRebuild;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedJournalReader;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.journal.Recovered;
import io.otaprio.journal.ThrottleJournal;
import io.otaprio.gateway.Gateway;
import io.otaprio.gateway.GatewayConfig;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.scheduler.CompletionRelay;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.Scheduler;
import org.agrona.concurrent.AgentRunner;

/**
 * The engine assembled: lanes, admission, scheduler on its own thread, metrics and, when configured, the accepted
 * and completed journals with recovery. {@link #close()} stops the scheduler thread and waits for it, so no thread
 * outlives the engine.
 * <p>
 * With a journal, start-up first recovers: pending = accepted - completed; message ids continue above the highest
 * seen; a {@link ReplayFeeder} (driven by the admission thread, see {@link #replayFeeder()}) puts the backlog back
 * into the rings, level 1 first, alongside live traffic.
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
    private final Recovered recovered;
    private final AcceptedJournal acceptedJournal;
    private final OutcomeJournal outcomeJournal;
    private final ReplayFeeder replayFeeder;
    private ThrottleJournal throttleJournal;

    private Engine(final EngineContext ctx)
    {
        this.ctx = ctx;
        final PriorityPolicy policy = ctx.policy();
        rings = new PriorityRings(ctx.laneSizes(), ctx.maxPayloadBytes());
        metrics = new EngineMetrics(PriorityPolicy.LEVELS);
        final CompletionQueue completions = new CompletionQueue(ctx.dispatcher().slots(), ctx.clock());
        final RequestIdIndex requests = ctx.dedupMaxEntries() > 0 ?
            new RequestIdIndex(ctx.dedupWindowNs(), ctx.dedupMaxEntries()) : null;
        if (null == ctx.journal())
        {
            recovered = null;
            acceptedJournal = null;
            outcomeJournal = null;
            replayFeeder = null;
            admission = new Admission(rings, policy, metrics, ctx.clock(), ctx.maxPayloadBytes(),
                ctx.firstMessageId(), null, requests, ctx.newQuota()).alertThrottle(ctx.newAlertThrottle());
            scheduler = new Scheduler(rings, ctx.dispatcher(), completions, metrics, ctx.clock(),
                ctx.completionListener(), ctx.errorHandler());
        }
        else
        {
            // Slots never hold more than maxPayloadBytes, so the journal's scratch buffer never has to grow.
            final JournalConfig journal = ctx.journal().payloadCapacity(Math.max(1, ctx.maxPayloadBytes()));
            recovered = null == requests ? JournalRecovery.recover(journal) :
                RequestIndexRebuild.recover(journal, requests, ctx.clock().nanoTime(), metrics);
            final long firstMessageId = Math.max(ctx.firstMessageId(), recovered.nextMessageId());
            AcceptedJournal accepted = null;
            OutcomeJournal outcomes = null;
            AcceptedJournalReader reader = null;
            try
            {
                accepted = AcceptedJournal.open(journal);
                outcomes = OutcomeJournal.open(journal);
                reader = AcceptedJournalReader.open(journal);
            }
            catch (final RuntimeException ex)
            {
                closeQuietly(reader);
                closeQuietly(outcomes);
                closeQuietly(accepted);
                throw ex;
            }
            acceptedJournal = accepted;
            outcomeJournal = outcomes;
            replayFeeder = new ReplayFeeder(rings, policy, metrics, reader, recovered, ctx.maxPayloadBytes());
            admission = new Admission(rings, policy, metrics, ctx.clock(), ctx.maxPayloadBytes(), firstMessageId,
                acceptedJournal, requests, ctx.newQuota()).alertThrottle(ctx.newAlertThrottle());
            if (null != admission.alertThrottle())
            {
                // Throttled alerts are on record: one summary per device, code and window with how many.
                final ThrottleJournal summaries = ThrottleJournal.open(journal);
                admission.alertThrottle().summary(summaries::append);
                throttleJournal = summaries;
            }
            final long watermark = recovered.pendingCount() > 0 ? recovered.lowestPendingId() : firstMessageId;
            scheduler = new Scheduler(rings, ctx.dispatcher(), completions, metrics, ctx.clock(),
                ctx.completionListener(), ctx.errorHandler(), outcomeJournal, watermark,
                recovered.completedIdsAtOrAbove(watermark), ctx.checkpointIntervalNs());
        }
        scheduler.dispatchTimeoutNs(ctx.dispatchTimeoutNs());
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

    /**
     * @return what recovery found at start-up, or null when journaling is off.
     */
    public Recovered recovered()
    {
        return recovered;
    }

    /**
     * The backlog feeder; the admission thread must call {@link ReplayFeeder#feed(int)} between submissions until
     * it {@link ReplayFeeder#isDone()}. Null when journaling is off.
     *
     * @return the feeder.
     */
    public ReplayFeeder replayFeeder()
    {
        return replayFeeder;
    }

    /**
     * A TCP gateway in front of this engine, bound but not started (start it with
     * {@link io.otaprio.gateway.GatewayRunner#start}): its thread becomes the engine's only admission thread.
     *
     * @param config the gateway's settings.
     * @param relay  the relay installed as this engine's completion listener, or null to push no Completed frames.
     * @return the gateway.
     */
    public Gateway gateway(final GatewayConfig config, final CompletionRelay relay)
    {
        return new Gateway(config, admission, replayFeeder, ctx.policy(), relay);
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
     * Refuse new messages, stop the scheduler thread and wait for it to exit, then close the journals. Call it after
     * the admission thread has stopped submitting.
     */
    public void close()
    {
        admission.close();
        try
        {
            schedulerRunner.close();
        }
        finally
        {
            closeQuietly(replayFeeder);
            if (null != throttleJournal)
            {
                // The admission thread has stopped (the gateway closes first): windows still open go on record.
                admission.alertThrottle().sweep(Long.MAX_VALUE);
            }
            closeQuietly(throttleJournal);
            closeQuietly(outcomeJournal);
            closeQuietly(acceptedJournal);
        }
    }

    private static void closeQuietly(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ignore)
            {
                // Closing on the way out: the original failure, if any, is the one worth reporting.
            }
        }
    }
}
