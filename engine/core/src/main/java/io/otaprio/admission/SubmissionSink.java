package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * Where a transport hands its submissions: the engine's own {@link Admission}, which answers at once, or a replicated
 * front end (a cluster node's), which answers once the cluster has decided, through the transport's answer callback.
 * <p>
 * Threading: the admission thread.
 */
public interface SubmissionSink
{
    /**
     * Submit one message.
     *
     * @param submission    its kind, code, RequestID and payload, in the accepted-message layout.
     * @param correlationId the transport's tag for the answer that comes later (its connection's id).
     * @param result        filled when the answer is known now.
     * @return true when {@code result} holds the answer; false when the answer comes later, tagged with
     *         {@code correlationId}.
     */
    boolean submit(AcceptedMessageFlyweight submission, long correlationId, AdmissionResult result);

    /**
     * Start a batch of submissions, such as one duty cycle's socket reads, that may share one clock reading and be
     * handed on together at {@link #endBatch()}. The transport must not let an answer out before the batch ends: an
     * accepted message is queued from then.
     */
    default void beginBatch()
    {
    }

    /** End the batch {@link #beginBatch()} started: its submissions are queued now. */
    default void endBatch()
    {
    }
}
