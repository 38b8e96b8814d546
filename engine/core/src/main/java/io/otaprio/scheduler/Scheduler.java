package io.otaprio.scheduler;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.message.MessageEvent;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.ring.PriorityRings;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The single thread that decides what runs next. Each duty cycle it
 * <ol>
 * <li>takes completions reported by the dispatcher and accounts for them (latency, TRT, listener),</li>
 * <li>lets the dispatcher do its own work (the simulated DSP's timers),</li>
 * <li>while the dispatcher has credit (fewer than K in flight) and the completion listener has room for one more
 * completion, takes ONE message from the highest non-empty lane and dispatches it, then looks at lane 0 again.</li>
 * </ol>
 * Looking at lane 0 before every dispatch is what bounds a new level-1 message's wait to one free slot, however
 * deep the lower lanes are. Dispatching only with credit keeps the queue in the rings, where the order is
 * decided; a dispatcher that buffered without limit would re-create first-come-first-served downstream.
 * <p>
 * With an {@link OutcomeJournal}, the messages taken in one duty cycle are recorded as DISPATCHED and the records
 * flushed before the dispatcher sees any of them, so after a crash recovery knows exactly which pending messages
 * may already have reached the downstream (they are dispatched again: at-least-once, and counted). Completions
 * are buffered and flushed once per duty cycle, which keeps journaling to one write per cycle, not per message.
 * The scheduler also tracks the watermark below which every message id is complete and writes it as a
 * checkpoint from time to time; recovery and retention start from it.
 * <p>
 * Threading: every field is owned by the scheduler thread. Run it with an Agrona
 * {@link org.agrona.concurrent.AgentRunner}, or call {@link #doWork()} directly in a test.
 */
public final class Scheduler implements Agent
{
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
    private final OutcomeJournal outcomes;
    private final LongHashSet completedAboveWatermark;
    private final long checkpointIntervalNs;
    private long watermark;
    private long checkpointedWatermark;
    private long nextCheckpointNs;
    private long dispatchTimeoutNs;
    private long nextTimeoutCheckNs;
    private int freeCount;

    /**
     * @param rings        the lanes to drain.
     * @param dispatcher   downstream.
     * @param completions  the queue the dispatcher reports into.
     * @param metrics      figures to update.
     * @param clock        epoch time source.
     * @param listener     told of each completion, on this thread.
     * @param errorHandler told of a dispatcher or listener failure; the loop carries on.
     */
    public Scheduler(
        final PriorityRings rings,
        final Dispatcher dispatcher,
        final CompletionQueue completions,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final CompletionListener listener,
        final ErrorHandler errorHandler)
    {
        this(rings, dispatcher, completions, metrics, clock, listener, errorHandler, null, 0, null, 0);
    }

    /**
     * @param rings                the lanes to drain.
     * @param dispatcher           downstream.
     * @param completions          the queue the dispatcher reports into.
     * @param metrics              figures to update.
     * @param clock                epoch time source.
     * @param listener             told of each completion, on this thread.
     * @param errorHandler         told of a dispatcher or listener failure; the loop carries on.
     * @param outcomes             the completed journal, or null when journaling is off.
     * @param watermark            every message id below this is complete (from recovery; 0 for a new journal).
     * @param completedAbove       ids at or above the watermark already complete (from recovery), or null.
     * @param checkpointIntervalNs how often the watermark is written as a checkpoint.
     */
    public Scheduler(
        final PriorityRings rings,
        final Dispatcher dispatcher,
        final CompletionQueue completions,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final CompletionListener listener,
        final ErrorHandler errorHandler,
        final OutcomeJournal outcomes,
        final long watermark,
        final LongHashSet completedAbove,
        final long checkpointIntervalNs)
    {
        this.outcomes = outcomes;
        this.watermark = watermark;
        this.checkpointedWatermark = watermark;
        this.checkpointIntervalNs = checkpointIntervalNs;
        this.completedAboveWatermark = new LongHashSet();
        if (null != completedAbove)
        {
            completedAboveWatermark.addAll(completedAbove);
        }
        this.rings = rings;
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.metrics = metrics;
        this.clock = clock;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.lanes = rings.lanes();

        final int slots = dispatcher.slots();
        if (slots < 1)
        {
            throw new IllegalArgumentException("dispatcher slots must be >= 1: " + slots);
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
        final long nowNs = clock.nanoTime();
        work += dispatcher.doWork(nowNs);
        if (dispatchTimeoutNs > 0 && nowNs - nextTimeoutCheckNs >= 0)
        {
            nextTimeoutCheckNs = nowNs + Math.max(1, Math.min(dispatchTimeoutNs / 4, TIMEOUT_CHECK_INTERVAL_MAX_NS));
            work += timeOutStuckDispatches(nowNs);
        }
        work += dispatchWhileCredit();
        if (null != outcomes)
        {
            if (outcomes.bufferedRecords() > 0 && outcomes.flush() < 0)
            {
                metrics.onJournalFailure();
            }
            if (nowNs >= nextCheckpointNs)
            {
                nextCheckpointNs = nowNs + checkpointIntervalNs;
                if (watermark != checkpointedWatermark)
                {
                    checkpointedWatermark = watermark;
                    outcomes.checkpoint(watermark, -1);
                    work++;
                }
            }
        }
        metrics.publishSchedulerFigures();
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
            if (null != outcomes)
            {
                // A clean stop leaves every completion and the latest watermark on disk.
                outcomes.flush();
                if (watermark != checkpointedWatermark)
                {
                    outcomes.checkpoint(watermark, -1);
                }
            }
        }
    }

    /**
     * A downstream that never reports a completion would otherwise hold its credit slot for ever, stop the watermark
     * (so checkpoints and journal retention) and grow the set of completions above it without bound. Off (0) by
     * default; set before the scheduler starts.
     *
     * @param timeoutNs a message dispatched this long ago without a completion is completed as
     *                  {@link CompletionPort#OUTCOME_TIMED_OUT}; 0 never.
     * @return this.
     */
    public Scheduler dispatchTimeoutNs(final long timeoutNs)
    {
        if (timeoutNs < 0)
        {
            throw new IllegalArgumentException("dispatch timeout must be >= 0, got " + timeoutNs);
        }
        this.dispatchTimeoutNs = timeoutNs;
        return this;
    }

    /** @return every message id below this is complete. */
    public long watermark()
    {
        return watermark;
    }

    public String roleName()
    {
        return "otaprio-scheduler";
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
        // Room the completion listener has for completions beyond those already in flight (its back-pressure).
        final long allowance = (long)listener.completionsAcceptable() - inFlightCount();
        while (freeCount > 0 && taken < allowance)
        {
            MessageEvent event = null;
            int lane = 0;
            while (lane < lanes && null == (event = rings.peek(lane)))
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

            final long nowNs = clock.nanoTime();
            final InFlightMessage slot = inFlight[freeSlots[--freeCount]];
            slot.dispatched(event, nowNs);
            batchSlots[taken] = slot.index;
            if (null != outcomes)
            {
                outcomes.dispatched(slot.messageId, nowNs);
            }
            batchEvents[taken] = event;
            batchTimesNs[taken] = nowNs;
            taken++;
        }

        // Record: the DISPATCHED records reach the journal before the dispatcher acts on any of them.
        if (taken > 0 && null != outcomes && outcomes.flush() < 0)
        {
            metrics.onJournalFailure();
        }

        // Dispatch, then hand the slots back to the producer.
        for (int i = 0; i < taken; i++)
        {
            final MessageEvent event = batchEvents[i];
            final int slot = batchSlots[i];
            batchEvents[i] = null;
            metrics.onDispatched(event.level());
            try
            {
                dispatcher.dispatch(event, slot, batchTimesNs[i]);
            }
            catch (final Throwable t)
            {
                // A dispatch that threw is completed as failed so it is neither lost nor dispatched twice.
                metrics.onSchedulerError();
                errorHandler.onError(t);
                onCompletion(slot, event.messageId(), clock.nanoTime(), CompletionPort.OUTCOME_FAILED);
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

        final InFlightMessage message = inFlight[slot];
        message.inFlight = false;
        message.completedTimeNs = completedNs;
        message.outcome = outcome;
        metrics.onCompleted(message.level, completedNs - message.acceptTimeNs, message.trtNs,
            outcome == CompletionPort.OUTCOME_OK);
        freeSlots[freeCount++] = message.index;
        if (null != outcomes)
        {
            outcomes.completed(messageId, message.dispatchTimeNs, completedNs, outcome);
            advanceWatermark(messageId);
        }
        try
        {
            listener.onCompleted(message);
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

    private void advanceWatermark(final long messageId)
    {
        if (messageId != watermark)
        {
            if (messageId > watermark)
            {
                completedAboveWatermark.add(messageId);
            }
            return;
        }
        long next = watermark + 1;
        while (completedAboveWatermark.remove(next))
        {
            next++;
        }
        watermark = next;
    }
}
