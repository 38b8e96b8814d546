package io.otaprio.metrics;

import io.otaprio.protocol.RejectReason;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.concurrent.TimeUnit;

/**
 * The engine's live figures: Agrona counters in the engine's status file (each on its own cache lines, so the
 * admission and scheduler threads never share a line they write, and {@code ./otaprio stat} reads them from another
 * process) and one HdrHistogram interval recorder per level for accept-to-complete latency in
 * microseconds.
 * <p>
 * The scheduler's figures are tallied in plain fields and published once per duty cycle by
 * {@link #publishSchedulerFigures()}: a release store per counter that changed and one recorder critical section per
 * level, instead of several counter stores and two atomic increments per message.
 * <p>
 * Threading: admission-side counters ({@code accepted}, {@code rejected}) are written by the admission thread only;
 * the rest by the scheduler thread only. Any thread may read a counter. {@link #snapshot} may be called from any
 * one thread at a time (it is synchronized): it swaps the recorders' interval histograms into cumulative ones.
 */
public final class EngineMetrics
{
    /** Largest latency recorded without clamping: one day, so DR downtime of hours is still measured. */
    public static final long HIGHEST_TRACKABLE_US = TimeUnit.DAYS.toMicros(1);

    /** Precision of every latency histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /** Latencies a level buffers before recording them, if a duty cycle completes that many. */
    private static final int LATENCY_BATCH = 256;

    private final int levels;
    private final AtomicCounter[] accepted;
    private final AtomicCounter[] dispatched;
    private final AtomicCounter[] completed;
    private final AtomicCounter[] failed;
    private final AtomicCounter[] trtMet;
    private final AtomicCounter[] trtMissed;
    private final AtomicCounter[] full;
    private final AtomicCounter[] duplicates;
    private final AtomicCounter[] demoted;
    private final AtomicCounter dedupUntracked;
    private final AtomicCounter heldNow;
    private final AtomicCounter held;
    private final AtomicCounter heldReleased;
    private final AtomicCounter heldCancelled;
    private final AtomicCounter linkedSteps;
    private final AtomicCounter unlinkedSteps;
    private final AtomicCounter dispatchTimeouts;
    private final AtomicCounter[] rejected;
    private final AtomicCounter unknownCompletions;
    private final AtomicCounter schedulerErrors;
    private final AtomicCounter journalFailures;
    private final BatchLatencyRecorder[] recorders;
    private final Histogram[] cumulative;
    private final long[] dispatchedTally;
    private final long[] completedTally;
    private final long[] failedTally;
    private final long[] trtMetTally;
    private final long[] trtMissedTally;
    private boolean tallyChanged;
    private IntervalListener intervalListener;
    private long intervalStartMs = System.currentTimeMillis();

    /**
     * Told of each level's latency interval (the values recorded since the previous {@link #snapshot}) as a snapshot
     * takes it, with start and end time stamps (epoch ms) set on the histogram; it is valid during the call only.
     */
    @FunctionalInterface
    public interface IntervalListener
    {
        /**
         * @param level    1..levels.
         * @param interval latencies in microseconds recorded in the interval.
         */
        void onInterval(int level, Histogram interval);
    }

    /**
     * @param levels          number of priority levels (4).
     * @param countersManager where the counters are allocated: the engine's status file.
     */
    public EngineMetrics(final int levels, final CountersManager countersManager)
    {
        this.levels = levels;

        accepted = new AtomicCounter[levels + 1];
        dispatched = new AtomicCounter[levels + 1];
        completed = new AtomicCounter[levels + 1];
        failed = new AtomicCounter[levels + 1];
        trtMet = new AtomicCounter[levels + 1];
        trtMissed = new AtomicCounter[levels + 1];
        full = new AtomicCounter[levels + 1];
        duplicates = new AtomicCounter[levels + 1];
        demoted = new AtomicCounter[levels + 1];
        recorders = new BatchLatencyRecorder[levels + 1];
        cumulative = new Histogram[levels + 1];
        dispatchedTally = new long[levels + 1];
        completedTally = new long[levels + 1];
        failedTally = new long[levels + 1];
        trtMetTally = new long[levels + 1];
        trtMissedTally = new long[levels + 1];
        for (int level = 1; level <= levels; level++)
        {
            accepted[level] = countersManager.newCounter("accepted level=" + level);
            dispatched[level] = countersManager.newCounter("dispatched level=" + level);
            completed[level] = countersManager.newCounter("completed level=" + level);
            failed[level] = countersManager.newCounter("failed level=" + level);
            trtMet[level] = countersManager.newCounter("trt met level=" + level);
            trtMissed[level] = countersManager.newCounter("trt missed level=" + level);
            full[level] = countersManager.newCounter("rejected FULL level=" + level);
            duplicates[level] = countersManager.newCounter("rejected DUPLICATE level=" + level);
            demoted[level] = countersManager.newCounter("demoted by quota or level-1 alert guard, from level=" + level);
            recorders[level] = new BatchLatencyRecorder(HIGHEST_TRACKABLE_US, SIGNIFICANT_DIGITS, LATENCY_BATCH);
            cumulative[level] = new Histogram(1, HIGHEST_TRACKABLE_US, SIGNIFICANT_DIGITS);
        }
        rejected = new AtomicCounter[RejectReason.values().length + 1];
        for (final RejectReason reason : RejectReason.values())
        {
            rejected[reason.code()] = countersManager.newCounter("rejected reason=" + reason.name());
        }
        unknownCompletions = countersManager.newCounter("completions of unknown message ids");
        schedulerErrors = countersManager.newCounter("scheduler errors");
        journalFailures = countersManager.newCounter("completed journal write failures");
        dedupUntracked = countersManager.newCounter("admitted without resend detection (dedup index full)");
        heldNow = countersManager.newCounter("future-dated requests held now");
        held = countersManager.newCounter("future-dated requests held");
        heldReleased = countersManager.newCounter("held requests released when due");
        heldCancelled = countersManager.newCounter("held requests cancelled");
        linkedSteps = countersManager.newCounter("Critical second steps linked to their first step");
        unlinkedSteps = countersManager.newCounter("Critical second steps admitted without a first step");
        dispatchTimeouts = countersManager.newCounter("dispatches completed as timed out (no completion came)");
    }

    /**
     * Receive every latency interval from now on (one listener; replaces any earlier one).
     *
     * @param listener called inside {@link #snapshot}, under its lock.
     */
    public synchronized void intervalListener(final IntervalListener listener)
    {
        this.intervalListener = listener;
    }

    /** @return number of levels. */
    public int levels()
    {
        return levels;
    }

    /** Admission thread: one message accepted at {@code level}. */
    public void onAccepted(final int level)
    {
        accepted[level].incrementRelease();
    }

    /** Admission thread: one message rejected. */
    public void onRejected(final RejectReason reason)
    {
        rejected[reason.code()].incrementRelease();
    }

    /** Admission thread: one message rejected because the ring of its lane was full; it is counted per level too. */
    public void onFull(final int level)
    {
        rejected[RejectReason.FULL.code()].incrementRelease();
        full[level].incrementRelease();
    }

    /** Admission thread: a resend of a request still pending or recently completed; counted per level too. */
    public void onDuplicate(final int level)
    {
        rejected[RejectReason.DUPLICATE.code()].incrementRelease();
        duplicates[level].incrementRelease();
    }

    /**
     * Admission thread: a message the policy put at {@code level} admitted at a lower one: over its originator's quota
     * (level 3), or a level-1 alert over its code's rate (the guard's level).
     */
    public void onDemoted(final int level)
    {
        demoted[level].incrementRelease();
    }

    /** Admission thread: a message admitted that a resend of would not be detected (the dedup index was full). */
    public void onDedupUntracked()
    {
        dedupUntracked.incrementRelease();
    }

    /**
     * Admission thread: a future-dated request was held until due.
     *
     * @param heldCount requests held now.
     */
    public void onHeld(final int heldCount)
    {
        held.incrementRelease();
        heldNow.setRelease(heldCount);
    }

    /**
     * Admission thread: a held request fell due and was queued (or one was restored at start-up: count 0).
     *
     * @param heldCount requests held now.
     * @param released  requests released (1), or 0 to set the gauge only.
     */
    public void onHeldReleased(final int heldCount, final int released)
    {
        heldReleased.getAndAddRelease(released);
        heldNow.setRelease(heldCount);
    }

    /**
     * Admission thread: held requests were cancelled.
     *
     * @param heldCount requests held now.
     * @param cancelled how many.
     */
    public void onHeldCancelled(final int heldCount, final int cancelled)
    {
        heldCancelled.getAndAddRelease(cancelled);
        heldNow.setRelease(heldCount);
    }

    /** @return future-dated requests held now. */
    public long heldNow()
    {
        return heldNow.get();
    }

    /** @return future-dated requests held since start. */
    public long heldTotal()
    {
        return held.get();
    }

    /** @return held requests released into their lanes since start. */
    public long heldReleased()
    {
        return heldReleased.get();
    }

    /** @return held requests cancelled since start. */
    public long heldCancelled()
    {
        return heldCancelled.get();
    }

    /**
     * Admission thread: the second step of a Critical command was admitted.
     *
     * @param linked true when it was linked to its first step; false when no first step was remembered.
     */
    public void onSecondStep(final boolean linked)
    {
        (linked ? linkedSteps : unlinkedSteps).incrementRelease();
    }

    /**
     * @param linked which count.
     * @return Critical second steps admitted linked to their first step, or without one.
     */
    public long secondSteps(final boolean linked)
    {
        return (linked ? linkedSteps : unlinkedSteps).get();
    }

    /** @return messages admitted without resend detection because the index was full. */
    public long dedupUntracked()
    {
        return dedupUntracked.get();
    }

    /** Scheduler thread: one message handed to the dispatcher; visible after {@link #publishSchedulerFigures()}. */
    public void onDispatched(final int level)
    {
        dispatchedTally[level]++;
        tallyChanged = true;
    }

    /**
     * Scheduler thread: one message completed; visible after {@link #publishSchedulerFigures()}.
     *
     * @param level     its class level.
     * @param latencyNs accept to completion.
     * @param trtNs     its TRT budget.
     * @param ok        whether the dispatcher reported success.
     */
    public void onCompleted(final int level, final long latencyNs, final long trtNs, final boolean ok)
    {
        completedTally[level]++;
        if (!ok)
        {
            failedTally[level]++;
        }
        if (latencyNs <= trtNs)
        {
            trtMetTally[level]++;
        }
        else
        {
            trtMissedTally[level]++;
        }
        tallyChanged = true;
        final long latencyUs = Math.min(HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000L));
        recorders[level].record(latencyUs);
    }

    /** Scheduler thread, once per duty cycle and when it stops: make its figures visible to readers. */
    public void publishSchedulerFigures()
    {
        if (!tallyChanged)
        {
            return;
        }
        tallyChanged = false;
        for (int level = 1; level <= levels; level++)
        {
            publish(dispatched[level], dispatchedTally[level]);
            publish(completed[level], completedTally[level]);
            publish(failed[level], failedTally[level]);
            publish(trtMet[level], trtMetTally[level]);
            publish(trtMissed[level], trtMissedTally[level]);
            recorders[level].flush();
        }
    }

    private static void publish(final AtomicCounter counter, final long value)
    {
        // Single writer: the counter holds the previous published tally, so a plain read is the writer's own.
        if (counter.getPlain() != value)
        {
            counter.setRelease(value);
        }
    }

    /** Scheduler thread: a dispatcher completed an id that is not in flight. */
    public void onUnknownCompletion()
    {
        unknownCompletions.incrementRelease();
    }

    /** Scheduler thread: a dispatched message got no completion within the dispatch timeout. */
    public void onDispatchTimeout()
    {
        dispatchTimeouts.incrementRelease();
    }

    /** @return dispatches completed as timed out. */
    public long dispatchTimeouts()
    {
        return dispatchTimeouts.get();
    }

    /** Scheduler thread: its duty cycle threw. */
    public void onSchedulerError()
    {
        schedulerErrors.incrementRelease();
    }

    /** Scheduler thread: the completed journal could not be written; the records stay buffered for a retry. */
    public void onJournalFailure()
    {
        journalFailures.incrementRelease();
    }

    /** @return failed writes of the completed journal. */
    public long journalFailures()
    {
        return journalFailures.get();
    }

    /** @return accepted count of a level. */
    public long accepted(final int level)
    {
        return accepted[level].get();
    }

    /** @return completed count of a level. */
    public long completed(final int level)
    {
        return completed[level].get();
    }

    /** @return dispatched count of a level. */
    public long dispatched(final int level)
    {
        return dispatched[level].get();
    }

    /** @return messages dispatched over all levels. */
    public long dispatchedTotal()
    {
        long total = 0;
        for (int level = 1; level <= levels; level++)
        {
            total += dispatched[level].get();
        }
        return total;
    }

    /** @return messages completed over all levels. */
    public long completedTotal()
    {
        long total = 0;
        for (int level = 1; level <= levels; level++)
        {
            total += completed[level].get();
        }
        return total;
    }

    /** @return rejections for a reason. */
    public long rejected(final RejectReason reason)
    {
        return rejected[reason.code()].get();
    }

    /** @return errors caught at the scheduler's loop boundary. */
    public long schedulerErrors()
    {
        return schedulerErrors.get();
    }

    /** @return completions for ids that were not in flight. */
    public long unknownCompletions()
    {
        return unknownCompletions.get();
    }

    /**
     * Cumulative figures since the engine started.
     *
     * @param depthByLane current ring depth per lane (taken by the caller from the rings).
     * @param trtNsByLevel TRT budget per level, index 1..levels.
     * @return an immutable snapshot.
     */
    public synchronized MetricsSnapshot snapshot(final long[] depthByLane, final long[] trtNsByLevel)
    {
        final MetricsSnapshot.Level[] result = new MetricsSnapshot.Level[levels];
        final long nowMs = System.currentTimeMillis();
        for (int level = 1; level <= levels; level++)
        {
            final Histogram interval = recorders[level].takeInterval();
            cumulative[level].add(interval);
            if (null != intervalListener)
            {
                interval.setStartTimeStamp(intervalStartMs);
                interval.setEndTimeStamp(nowMs);
                intervalListener.onInterval(level, interval);
            }
            result[level - 1] = new MetricsSnapshot.Level(
                level,
                accepted[level].get(),
                dispatched[level].get(),
                completed[level].get(),
                failed[level].get(),
                trtMet[level].get(),
                trtMissed[level].get(),
                full[level].get(),
                duplicates[level].get(),
                demoted[level].get(),
                trtNsByLevel[level],
                LatencySummary.of(cumulative[level]));
        }
        intervalStartMs = nowMs;
        final long[] rejectedByCode = new long[rejected.length];
        for (final RejectReason reason : RejectReason.values())
        {
            rejectedByCode[reason.code()] = rejected[reason.code()].get();
        }
        return new MetricsSnapshot(result, rejectedByCode, depthByLane.clone(), unknownCompletions.get(),
            schedulerErrors.get());
    }

    /**
     * A copy of the cumulative latency histogram of a level as of the last {@link #snapshot}.
     *
     * @param level 1..levels.
     * @return a copy.
     */
    public synchronized Histogram latencyHistogram(final int level)
    {
        return cumulative[level].copy();
    }
}
