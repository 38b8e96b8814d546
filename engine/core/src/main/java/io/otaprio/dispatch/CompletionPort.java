package io.otaprio.dispatch;

/**
 * How a {@link Dispatcher} reports that a dispatched message is done. Safe to call from any thread.
 */
public interface CompletionPort
{
    /** The downstream processed the message. */
    int OUTCOME_OK = 0;

    /** The downstream answered with an error; the message is still complete (it will not be dispatched again). */
    int OUTCOME_FAILED = 1;

    /**
     * Completed by the scheduler, not the downstream: no completion came within the dispatch timeout. The message
     * counts as failed and its credit is freed; a completion that arrives later is counted as unknown.
     */
    int OUTCOME_TIMED_OUT = 2;

    /**
     * @param slot      the in-flight slot the message was dispatched with.
     * @param messageId the engine message id of a dispatched message; a completion whose id is not the one in
     *                  flight in that slot is counted as unknown and otherwise ignored.
     * @param outcome   {@link #OUTCOME_OK} or {@link #OUTCOME_FAILED}.
     * @return false only if the completion could not be queued, which cannot happen while every dispatched
     * message is completed once (the queue holds the scheduler's full credit); the caller should retry.
     */
    boolean complete(int slot, long messageId, int outcome);
}
