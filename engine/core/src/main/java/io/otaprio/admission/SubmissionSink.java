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
}
