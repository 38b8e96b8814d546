package io.otaprio.scheduler;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.PageToucher;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

import java.util.function.LongConsumer;

/**
 * The single thread that decides what runs next. Each duty cycle it
 * <ol>
 * <li>takes completions reported by the dispatcher and accounts for them (latency, TRT, listener),</li>
 * <li>lets the dispatcher do its own work (the simulated DSP's timers),</li>
 * <li>while the dispatcher has credit (fewer than K in flight) and the completion listener has room for one more
 * completion, takes ONE message from the highest non-empty lane and dispatches it, then looks at lane 0 again;</li>
 * <li>when the cycle found nothing at all to do, faults in a few pages ahead of the journals' writers
 * ({@link SchedulerContext#journalToucher()}), so that their next writes do not pay for the page faults.</li>
 * </ol>
 * Looking at lane 0 before every dispatch is what bounds a new level-1 message's wait to one free slot, however
 * deep the lower lanes are. Dispatching only with credit keeps the queue in the rings, where the order is
 * decided; a dispatcher that buffered without limit would re-create first-come-first-served downstream.
 * <p>
 * <b>The protected fast lane.</b> With {@link SchedulerContext#reservedSlots()} R > 0, once no more than R slots are
 * free only the lanes below {@link SchedulerContext#reservedLanes()} (the top levels) are looked at: the lower lanes
 * never hold more than K - R slots, so slow lower-level work (firmware, seconds each) cannot hold all K and make a
 * top-up wait for the fastest of them. A waiting top-level message still takes any free slot, and with nothing of
 * the top levels waiting the last R slots stay free for the next one: that idle headroom is the reservation's cost.
 * <p>
 * The messages taken in one duty cycle are recorded as DISPATCHED in the {@link OutcomeLog} (the outcome journal, or
 * nothing when the engine runs without one) and the records flushed before the dispatcher sees any of them, so after
 * a crash recovery knows exactly which pending messages may already have reached the downstream (they are dispatched
 * again: at-least-once, and counted). Completions are buffered and flushed once per duty cycle, which keeps
 * journaling to one write per cycle, not per message; the journal tracks the watermark below which every message id
 * is complete and checkpoints it from time to time, and recovery and retention start from it.
 * <p>
 * Threading: every field is owned by the scheduler thread. The engine runs it on its own thread, on a thread shared
 * with the other agents, or on the caller's (see {@code ThreadingMode}); a test may call {@link #doWork()} directly.
 */
public final class Scheduler implements Agent
{
    /** Its {@link #roleName()}: the name of its thread when it has one of its own. */
    public static final String ROLE_NAME = "otaprio-scheduler";

    private static final int COMPLETION_DRAIN_LIMIT = 256;
    private static final long TIMEOUT_CHECK_INTERVAL_MAX_NS = 100_000_000L;

    private final PriorityRings rings;
    private final Dispatcher dispatcher;
    private final CompletionQueue completions;
    private final EngineMetrics metrics;
    private final EpochNanoClock clock;
    private final CompletionListener listener;
    private final ErrorHandler errorHandler;
    private final InFlightMessage[] inFlight;
    private final int[] freeSlots;
    private final CompletionQueue.Handler onCompletion = this::onCompletion;
    private final CompletionPort completionPort = this::complete;
    private Thread schedulerThread;
    private final int lanes;
    private final MessageEvent[] batchEvents;
    private final long[] batchTimesNs;
    private final int[] batchSlots;
    private final boolean[] lanesTaken;
    private final OutcomeLog outcomes;
    private final PageToucher toucher;
    private final HeldIdRelay heldIds;
    private final LongConsumer onHeldId;
    private final long dispatchTimeoutNs;
    private final int reservedSlots;
    private final int reservedLanes;
    private final RecoveryMilestones recovery;
    private final long replayedIdsBelow;
    private boolean awaitsReplayedLevelOne;
    private long nextTimeoutCheckNs;
    private int freeCount;

    /**
     * @param ctx the concluded context: lanes, dispatcher, completion queue, metrics, clock, completion listener,
     *            error handler, outcome log, dispatch timeout and reservation.
     * @throws IllegalArgumentException if the dispatcher has fewer than one slot, the dispatch timeout is negative, or
     *                                  a reservation is not 0..K-1 slots for lanes that leave a lane outside it.
     */
    public Scheduler(final SchedulerContext ctx)
    {
        this.outcomes = ctx.outcomeLog();
        this.toucher = ctx.journalToucher();
        this.heldIds = ctx.heldIdRelay();
        this.onHeldId = outcomes::skipped;
        this.rings = ctx.rings();
        this.dispatcher = ctx.dispatcher();
        this.completions = ctx.completionQueue();
        this.metrics = ctx.metrics();
        this.clock = ctx.clock();
        this.listener = ctx.completionListener();
        this.errorHandler = ctx.errorHandler();
        this.lanes = rings.lanes();
        this.recovery = ctx.recoveryMilestones();
        this.replayedIdsBelow = recovery.replayedIdsBelow();
        this.awaitsReplayedLevelOne = recovery.awaitsReplayedLevelOne();
        this.dispatchTimeoutNs = ctx.dispatchTimeoutNs();
        if (dispatchTimeoutNs < 0)
        {
            throw new IllegalArgumentException("dispatch timeout must be >= 0, got " + dispatchTimeoutNs);
        }

        final int slots = dispatcher.slots();
        if (slots < 1)
        {
            throw new IllegalArgumentException("dispatcher slots must be >= 1: " + slots);
        }
        reservedSlots = ctx.reservedSlots();
        reservedLanes = ctx.reservedLanes();
        if (reservedSlots < 0 || reservedSlots >= slots ||
            (reservedSlots > 0 && (reservedLanes < 1 || reservedLanes >= lanes)))
        {
            throw new IllegalArgumentException("reserved slots must be 0.." + (slots - 1) + " for 1.." +
                (lanes - 1) + " of " + lanes + " lanes, got " + reservedSlots + " for " + reservedLanes);
        }
        inFlight = new InFlightMessage[slots];
        freeSlots = new int[slots];
        for (int i = 0; i < slots; i++)
        {
            inFlight[i] = new InFlightMessage(i);
            freeSlots[i] = slots - 1 - i;
        }
        freeCount = slots;
        batchEvents = new MessageEvent[slots];
        batchTimesNs = new long[slots];
        batchSlots = new int[slots];
        lanesTaken = new boolean[lanes];
    }

    public void onStart()
    {
        schedulerThread = Thread.currentThread();
        dispatcher.onStart(completionPort);
    }

    public int doWork()
    {
        int work = completions.drain(onCompletion, COMPLETION_DRAIN_LIMIT);
        // Ids of held requests: never in the accepted journal under them, so the watermark steps over them.
        work += heldIds.drain(onHeldId, COMPLETION_DRAIN_LIMIT);
        final long nowNs = clock.nanoTime();
        work += dispatcher.doWork(nowNs);
        if (dispatchTimeoutNs > 0 && nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + Math.max(1, Math.min(dispatchTimeoutNs / 4, TIMEOUT_CHECK_INTERVAL_MAX_NS));
            work += timeOutStuckDispatches(nowNs);
        }
        work += dispatchWhileCredit();
        if (outcomes.bufferedRecords() > 0 && outcomes.flush() < 0)
        {
            metrics.onJournalFailure();
        }
        work += outcomes.checkpointIfDue(nowNs);
        metrics.publishSchedulerFigures();
        if (0 == work)
        {
            // Nothing to dispatch: fault in the journals' next pages now rather than inside their next writes.
            work = toucher.touchAhead();
        }
        return work;
    }

    public void onClose()
    {
        try
        {
            dispatcher.onClose();
        }
        finally
        {
            metrics.publishSchedulerFigures();
            // A clean stop leaves every completion and the latest watermark on disk.
            outcomes.flush();
            outcomes.checkpointIfDue(Long.MAX_VALUE);
        }
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    /** @return messages dispatched and not yet completed. */
    public int inFlightCount()
    {
        return inFlight.length - freeCount;
    }

    private int dispatchWhileCredit()
    {
        // Take: one event at a time from the highest non-empty lane, lane 0 looked at again before each.
        int taken = 0;
        // One clock read per batch: every message of a batch is dispatched at the same instant, within K messages.
        long nowNs = 0;
        // Room the completion listener has for completions beyond those already in flight (its back-pressure).
        final long allowance = (long)listener.completionsAcceptable() - inFlightCount();
        while (freeCount > 0 && taken < allowance)
        {
            // The last reservedSlots free slots are the fast lane's: lower lanes are not even looked at for them.
            final int scanLanes = freeCount > reservedSlots ? lanes : reservedLanes;
            MessageEvent event = null;
            int lane = 0;
            while (lane < scanLanes && null == (event = rings.peek(lane)))
            {
                lane++;
            }
            if (null == event)
            {
                break;
            }
            rings.advance(lane);
            lanesTaken[lane] = true;
            if (event.isVoid())
            {
                continue;
            }

            if (0 == taken)
            {
                nowNs = clock.nanoTime();
            }
            final InFlightMessage slot = inFlight[freeSlots[--freeCount]];
            slot.dispatched(event.message(), nowNs);
            batchSlots[taken] = slot.index;
            outcomes.dispatched(slot.messageId, nowNs);
            batchEvents[taken] = event;
            batchTimesNs[taken] = nowNs;
            taken++;
        }

        // Record: the DISPATCHED records reach the journal before the dispatcher acts on any of them.
        if (taken > 0 && outcomes.flush() < 0)
        {
            metrics.onJournalFailure();
        }

        // Dispatch, then hand the slots back to the producer.
        for (int i = 0; i < taken; i++)
        {
            final AcceptedMessageFlyweight message = batchEvents[i].message();
            final int slot = batchSlots[i];
            batchEvents[i] = null;
            metrics.onDispatched(message.level());
            try
            {
                dispatcher.dispatch(message, slot, batchTimesNs[i]);
                if (awaitsReplayedLevelOne)
                {
                    // After a restart, until the first recovered level-1 message has gone out; then never again.
                    stampReplayedLevelOne(message);
                }
            }
            catch (final Throwable t)
            {
                // A dispatch that threw is completed as failed so it is neither lost nor dispatched twice.
                metrics.onSchedulerError();
                errorHandler.onError(t);
                onCompletion(slot, inFlight[slot].messageId, clock.nanoTime(), CompletionPort.OUTCOME_FAILED);
            }
        }
        for (int lane = 0; lane < lanes; lane++)
        {
            if (lanesTaken[lane])
            {
                lanesTaken[lane] = false;
                rings.commit(lane);
            }
        }
        return taken;
    }

    private void stampReplayedLevelOne(final AcceptedMessageFlyweight message)
    {
        if (1 == message.level() && message.messageId() < replayedIdsBelow)
        {
            awaitsReplayedLevelOne = false;
            recovery.firstLevelOneDispatched(clock.nanoTime());
        }
    }

    /**
     * The port dispatchers report to. A completion reported on the scheduler thread itself (the simulated DSP's
     * timers, a dispatcher that finishes inside {@code dispatch}) is accounted for at once; from any other thread
     * it goes through the many-to-one queue, which costs a CAS and a copy.
     */
    private boolean complete(final int slot, final long messageId, final int outcome)
    {
        if (Thread.currentThread() == schedulerThread)
        {
            onCompletion(slot, messageId, clock.nanoTime(), outcome);
            return true;
        }
        return completions.complete(slot, messageId, outcome);
    }

    private void onCompletion(final int slot, final long messageId, final long completedNs, final int outcome)
    {
        // The slot finds the message; the id proves it is this message's first completion, not a stale or repeated one.
        if (slot < 0 || slot >= inFlight.length || !inFlight[slot].inFlight || inFlight[slot].messageId != messageId)
        {
            metrics.onUnknownCompletion();
            return;
        }

        final InFlightMessage inFlightMessage = inFlight[slot];
        inFlightMessage.completed(completedNs, outcome);
        final AcceptedMessageFlyweight message = inFlightMessage.message;
        metrics.onCompleted(message.level(), completedNs - message.acceptTimeNs(), message.trtNs(),
            outcome == CompletionPort.OUTCOME_OK);
        freeSlots[freeCount++] = inFlightMessage.index;
        outcomes.completed(messageId, inFlightMessage.dispatchTimeNs, completedNs, outcome);
        try
        {
            listener.onCompleted(inFlightMessage.completed);
        }
        catch (final Throwable t)
        {
            metrics.onSchedulerError();
            errorHandler.onError(t);
        }
    }

    private int timeOutStuckDispatches(final long nowNs)
    {
        int timedOut = 0;
        for (int slot = 0; slot < inFlight.length; slot++)
        {
            final InFlightMessage message = inFlight[slot];
            if (message.inFlight && nowNs - message.dispatchTimeNs > dispatchTimeoutNs)
            {
                metrics.onDispatchTimeout();
                onCompletion(slot, message.messageId, nowNs, CompletionPort.OUTCOME_TIMED_OUT);
                timedOut++;
            }
        }
        return timedOut;
    }
}
