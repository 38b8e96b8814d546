package io.otaprio.admission;

import io.otaprio.protocol.RequestId;

/**
 * Resend detection: the RequestIDs admission remembers, so that a resent request is answered DUPLICATE instead of
 * being queued again, every pending message until its completion and then for a window after it.
 * {@link RequestIdIndex} is the engine's; {@link #NONE} remembers nothing, for an engine configured without it.
 * <p>
 * Threading: the admission thread only; {@link #size()} may be read from a metrics thread (possibly stale).
 */
public interface ResendDetection
{
    /** Remembers nothing: every request is new. */
    ResendDetection NONE = new ResendDetection()
    {
        public long find(final RequestId requestId, final long nowNs)
        {
            return -1;
        }

        public boolean lastFoundPending()
        {
            return false;
        }

        public boolean add(final RequestId requestId, final long messageId)
        {
            return true;
        }

        public void completed(final RequestId requestId, final long messageId, final long completedNs)
        {
        }

        public int size()
        {
            return 0;
        }

        public long windowNs()
        {
            return 0;
        }
    };

    /**
     * Look a request up.
     *
     * @param requestId the RequestID of a submission.
     * @param nowNs     epoch time now, the clock completions are stamped with.
     * @return the message id it was admitted as, or -1 if it is not remembered.
     */
    long find(RequestId requestId, long nowNs);

    /** @return whether the request {@link #find} found last is still pending (not completed). */
    boolean lastFoundPending();

    /**
     * Remember a newly admitted request as pending.
     *
     * @param requestId its RequestID.
     * @param messageId the id it was admitted as, >= 0.
     * @return false when there is no room and this one is not remembered (a resend of it would be queued again).
     */
    boolean add(RequestId requestId, long messageId);

    /**
     * The request's message completed: remember it for the window from now on.
     *
     * @param requestId   its RequestID.
     * @param messageId   the completed message.
     * @param completedNs epoch time of its completion.
     */
    void completed(RequestId requestId, long messageId, long completedNs);

    /** @return requests remembered now, pending and completed. */
    int size();

    /** @return how long a completed request is remembered. */
    long windowNs();
}
