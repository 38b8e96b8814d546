package io.otaprio.scheduler;

import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.PageToucher;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.ring.PriorityRings;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;

/**
 * What a {@link Scheduler} is built from: the parts of a concluded engine context it reads, and only those. The
 * engine's context implements it; a component never sees settings it does not use.
 */
public interface SchedulerContext
{
    /** @return the lanes to drain. */
    PriorityRings rings();

    /** @return downstream: the simulated DSP or the embedding application's dispatcher. */
    Dispatcher dispatcher();

    /** @return the queue dispatchers report completions into from other threads. */
    CompletionQueue completionQueue();

    /** @return the figures to update. */
    EngineMetrics metrics();

    /** @return epoch time source. */
    EpochNanoClock clock();

    /** @return told of each completion on the scheduler thread: the completion relay. */
    CompletionListener completionListener();

    /** @return told of a dispatcher or listener failure; the loop carries on. */
    ErrorHandler errorHandler();

    /** @return where dispatches and completions are recorded: the outcome journal, or {@link OutcomeLog#NONE}. */
    OutcomeLog outcomeLog();

    /**
     * @return what an idle duty cycle does for the journals: fault in the pages ahead of their writers; by default
     * nothing.
     */
    default PageToucher journalToucher()
    {
        return PageToucher.NONE;
    }

    /**
     * @return the ids admission gave to held requests, which the outcome log's watermark steps over; an empty relay
     * by default (nothing is ever held).
     */
    default HeldIdRelay heldIdRelay()
    {
        return new HeldIdRelay(0);
    }

    /** @return complete a dispatched message as timed out after this long without a completion; 0 never. */
    long dispatchTimeoutNs();

    /**
     * @return slots of the dispatcher's K that only the lanes below {@link #reservedLanes()} may take (the protected
     * fast lane): while no more than this many are free, lower lanes wait. 0 for none.
     */
    int reservedSlots();

    /** @return the lanes that may take a reserved slot, from lane 0: those of the top levels. */
    int reservedLanes();

    /** @return where the first replayed level-1 dispatch is stamped; milestones never reached by default. */
    default RecoveryMilestones recoveryMilestones()
    {
        return RecoveryMilestones.none();
    }
}
