package io.otaprio.dispatch;

import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * Downstream of the scheduler: what a DSP (or the embedding application) implements. The scheduler hands it one
 * message at a time and only while fewer than {@link #slots()} are in flight, so the queue forms in the priority
 * rings, where order is decided, and never in a downstream buffer where it would be lost.
 * <p>
 * Threading: {@link #onStart}, {@link #dispatch}, {@link #doWork} and {@link #onClose} are called on the scheduler
 * thread. Completion may be reported from any thread through the {@link CompletionPort}.
 */
public interface Dispatcher
{
    /**
     * @return K, the most messages this dispatcher may have in flight; the scheduler's credit.
     */
    int slots();

    /**
     * Called once on the scheduler thread before the first dispatch.
     *
     * @param completions where to report each dispatched message's completion, exactly once, from any thread.
     */
    void onStart(CompletionPort completions);

    /**
     * Take a message. The view is over the ring slot itself, which is reused after this call returns: copy what must
     * be kept. Must not block.
     *
     * @param message the message.
     * @param slot    the in-flight slot, 0..K-1, the message holds until it completes: keep it with the message and
     *                pass it back to {@link CompletionPort#complete}. It lets the scheduler find the message without
     *                a look-up.
     * @param nowNs   the scheduler's epoch time of dispatch.
     */
    void dispatch(AcceptedMessageFlyweight message, int slot, long nowNs);

    /**
     * Duty-cycle hook on the scheduler thread, for dispatchers that do their own work there (timers).
     *
     * @param nowNs the scheduler's epoch time.
     * @return work done, 0 when idle, so the scheduler's idle strategy can back off.
     */
    default int doWork(final long nowNs)
    {
        return 0;
    }

    /**
     * Called once on the scheduler thread when the engine stops.
     */
    default void onClose()
    {
    }
}
