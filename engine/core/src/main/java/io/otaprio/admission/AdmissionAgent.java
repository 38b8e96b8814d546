package io.otaprio.admission;

import io.otaprio.journal.PageToucher;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.scheduler.CompletedMessage;
import io.otaprio.scheduler.CompletionRelay;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Owns the admission thread's duty cycle, whatever the transports:
 * <ol>
 * <li>take a reloaded policy, if one was offered: it classifies from this cycle's first submission on;</li>
 * <li>feed the recovered backlog into the lanes while a replay runs (level 1 first, as room allows);</li>
 * <li>release the held future-dated requests that have fallen due into their lanes (level 1 first);</li>
 * <li>let each {@link Transport} take what has arrived and submit it;</li>
 * <li>drain the completions the scheduler relayed: resend detection learns of each, then every transport is told;</li>
 * <li>let each transport send what the cycle queued;</li>
 * <li>once a second, put the alert-throttle windows that ended on record;</li>
 * <li>when the cycle found nothing at all to do, fault in a few pages ahead of the journals' writers
 * ({@link AdmissionContext#journalToucher()}), so that the next appends do not pay for the page faults.</li>
 * </ol>
 * Everything admission writes (the rings' producer side, resend detection, quota, throttle, the accepted journal) is
 * written here and nowhere else: single writer.
 * <p>
 * Threading: run by the engine on its own thread, on a thread shared with the other agents, or by the caller (see
 * {@code ThreadingMode}); never by two threads.
 */
public final class AdmissionAgent implements Agent
{
    private final Admission admission;
    private final ReplayFeeder replayFeeder;
    private final RecoveryMilestones recovery;
    private final CompletionRelay relay;
    private final Transport[] transports;
    private final int replayFeedLimit;
    private final int completionDrainLimit;
    private final EpochNanoClock clock;
    private final PageToucher toucher;
    private final CompletionRelay.Handler onCompleted = this::onCompleted;

    /**
     * @param ctx the concluded context: admission's parts, the replay feeder, the completion relay, the transports.
     */
    public AdmissionAgent(final AdmissionContext ctx)
    {
        this.admission = new Admission(ctx);
        this.replayFeeder = ctx.replayFeeder();
        this.recovery = ctx.recoveryMilestones();
        this.relay = ctx.completionRelay();
        this.transports = ctx.transports().toArray(new Transport[0]);
        this.replayFeedLimit = ctx.replayFeedLimit();
        this.completionDrainLimit = ctx.completionDrainLimit();
        this.clock = ctx.clock();
        this.toucher = ctx.journalToucher();
    }

    public void onStart()
    {
        for (final Transport transport : transports)
        {
            transport.onStart(admission);
        }
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = admission.switchPolicy(nowNs);
        if (!replayFeeder.isDone())
        {
            work += replayFeeder.feed(replayFeedLimit);
            if (replayFeeder.isDone())
            {
                recovery.backlogQueued(clock.nanoTime());
            }
        }
        work += admission.releaseDue(nowNs, replayFeedLimit);
        for (final Transport transport : transports)
        {
            work += transport.doWork(nowNs);
        }
        work += relay.drain(onCompleted, completionDrainLimit);
        for (final Transport transport : transports)
        {
            work += transport.flush(nowNs);
        }
        work += admission.poll(nowNs);
        if (0 == work)
        {
            // Nothing arrived: fault in the journals' next pages now rather than inside the next appends.
            work = toucher.touchAhead();
        }
        return work;
    }

    /**
     * Refuse everything from now on, let each transport answer what it can and close, then put the throttle's open
     * windows on record.
     */
    public void onClose()
    {
        admission.close();
        try
        {
            for (final Transport transport : transports)
            {
                transport.onClose();
            }
        }
        finally
        {
            admission.onClose();
        }
    }

    public String roleName()
    {
        return "otaprio-admission";
    }

    /** @return the admission it runs: its figures may be read from any thread; submit only on its thread. */
    public Admission admission()
    {
        return admission;
    }

    private void onCompleted(final CompletedMessage completed)
    {
        // Resend detection hears of every completion, whoever (if anyone) is waiting for it.
        admission.onCompleted(completed);
        for (final Transport transport : transports)
        {
            transport.onCompleted(completed);
        }
    }
}
