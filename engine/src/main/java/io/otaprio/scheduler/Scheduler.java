package io.otaprio.scheduler;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.CompletionListener;
import io.otaprio.message.MessageEvent;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.ring.PriorityRings;
import org.agrona.ErrorHandler;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The single thread that decides what runs next. Each duty cycle it
 * <ol>
 * <li>takes completions reported by the dispatcher and accounts for them (latency, TRT, listener),</li>
 * <li>lets the dispatcher do its own work (the simulated DSP's timers),</li>
 * <li>while the dispatcher has credit (fewer than K in flight), takes ONE message from the highest non-empty
 * lane and dispatches it, then looks at lane 0 again.</li>
 * </ol>
 * Looking at lane 0 before every dispatch is what bounds a new level-1 message's wait to one free slot, however
 * deep the lower lanes are. Dispatching only with credit keeps the queue in the rings, where the order is
 * decided; a dispatcher that buffered without limit would re-create first-come-first-served downstream.
 * <p>
 * Threading: every field is owned by the scheduler thread. Run it with an Agrona
 * {@link org.agrona.concurrent.AgentRunner}, or call {@link #doWork()} directly in a test.
 */
public final class Scheduler implements Agent
{
    private static final int COMPLETION_DRAIN_LIMIT = 256;
    private static final long NOT_IN_FLIGHT = -1;

    private final PriorityRings rings;
    private final Dispatcher dispatcher;
    private final CompletionQueue completions;
    private final EngineMetrics metrics;
    private final EpochNanoClock clock;
    private final CompletionListener listener;
    private final ErrorHandler errorHandler;
    private final InFlightMessage[] inFlight;
    private final int[] freeSlots;
    private final Long2LongHashMap slotByMessageId;
    private final CompletionQueue.Handler onCompletion = this::onCompletion;
    private final int lanes;
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
        slotByMessageId = new Long2LongHashMap(slots * 2, 0.5f, NOT_IN_FLIGHT);
    }

    public void onStart()
    {
        dispatcher.onStart(completions);
    }

    public int doWork()
    {
        int work = completions.drain(onCompletion, COMPLETION_DRAIN_LIMIT);
        work += dispatcher.doWork(clock.nanoTime());
        work += dispatchWhileCredit();
        return work;
    }

    public void onClose()
    {
        dispatcher.onClose();
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
        int dispatched = 0;
        while (freeCount > 0)
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

            final long nowNs = clock.nanoTime();
            final InFlightMessage slot = inFlight[freeSlots[--freeCount]];
            slot.dispatched(event, nowNs);
            slotByMessageId.put(slot.messageId, slot.index);
            metrics.onDispatched(slot.level);
            try
            {
                dispatcher.dispatch(event, nowNs);
            }
            catch (final Throwable t)
            {
                // The slot is released below either way; a dispatch that threw is completed as failed so it is
                // neither lost nor dispatched twice.
                metrics.onSchedulerError();
                errorHandler.onError(t);
                onCompletion(slot.messageId, clock.nanoTime(), CompletionPort.OUTCOME_FAILED);
            }
            rings.release(lane);
            dispatched++;
        }
        return dispatched;
    }

    private void onCompletion(final long messageId, final long completedNs, final int outcome)
    {
        final long index = slotByMessageId.remove(messageId);
        if (index == NOT_IN_FLIGHT)
        {
            metrics.onUnknownCompletion();
            return;
        }

        final InFlightMessage message = inFlight[(int)index];
        message.completedTimeNs = completedNs;
        message.outcome = outcome;
        metrics.onCompleted(message.level, completedNs - message.acceptTimeNs, message.trtNs,
            outcome == CompletionPort.OUTCOME_OK);
        freeSlots[freeCount++] = message.index;
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
}
