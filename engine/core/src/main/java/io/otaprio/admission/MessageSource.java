package io.otaprio.admission;

import io.otaprio.scheduler.CompletedMessage;

/**
 * Messages produced inside the engine's process: an open-loop load generator, a benchmark, an embedding application's
 * own front end. Polled by an {@link InProcessTransport} in every duty cycle of the admission agent, on the admission
 * thread, so it submits with no hand-over between threads and learns of each answer at once and of each completion
 * later, on the same thread.
 * <p>
 * Threading: every method runs on the admission thread; none may block.
 */
public interface MessageSource
{
    /**
     * Submit what is due now.
     *
     * @param admission where to submit: {@link Admission#submit} answers at once into the caller's result.
     * @param nowNs     the engine's epoch time at the start of the duty cycle.
     * @return units of work done (messages submitted); 0 lets the idle strategy wait.
     */
    int poll(Admission admission, long nowNs);

    /**
     * A message completed downstream: any message, this source's or not (check its id or RequestID).
     *
     * @param completed the completed message, valid during the call.
     */
    void onCompleted(CompletedMessage completed);

    /**
     * The engine is stopping: nothing more will be admitted.
     */
    default void onClose()
    {
    }
}
