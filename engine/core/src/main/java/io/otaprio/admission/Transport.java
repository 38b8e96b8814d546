package io.otaprio.admission;

import io.otaprio.scheduler.CompletedMessage;

/**
 * Where messages come from and answers go: plugged into the {@link AdmissionAgent}, which calls it on the admission
 * thread in every duty cycle. The TCP gateway is one ({@code io.otaprio.gateway.Gateway}); {@link InProcessTransport}
 * is the in-process one. A transport decodes what arrives into submissions and hands them to {@link Admission}
 * (an adapter), and encodes the answers back to whoever asked (a proxy).
 * <p>
 * Threading: every method runs on the admission thread; none may block.
 */
public interface Transport
{
    /**
     * Once, before the first duty cycle.
     *
     * @param admission where to submit; this thread is its only producer.
     */
    void onStart(Admission admission);

    /**
     * Take what has arrived and submit it.
     *
     * @param nowNs the engine's epoch time at the start of the duty cycle.
     * @return units of work done; 0 lets the idle strategy wait.
     */
    int doWork(long nowNs);

    /**
     * A message completed downstream. Every transport is told of every completion: each answers the ones it submitted
     * and ignores the rest.
     *
     * @param completed the completed message, valid during the call.
     */
    void onCompleted(CompletedMessage completed);

    /**
     * End of the duty cycle: send what the cycle queued (answers are batched per cycle).
     *
     * @param nowNs the engine's epoch time at the start of the duty cycle.
     * @return units of work done.
     */
    default int flush(final long nowNs)
    {
        return 0;
    }

    /**
     * Once, as the admission agent stops: no more submits; answer what can be answered and release resources.
     */
    void onClose();
}
