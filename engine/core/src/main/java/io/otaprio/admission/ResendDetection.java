package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * Resend detection: the messages admission remembers, so that a resend is answered DUPLICATE instead of being queued
 * again, every pending message until its completion and then for a window after it.
 * <p>
 * The key is the message's kind and its full RequestID: a DUIS response carries its request's RequestID, so a
 * response is never taken for a resend of its request, nor an alert for a request. An entry also keeps what the
 * second step of a Critical command needs from its first: whether it was one, its level and its accept time.
 * {@link RequestIdIndex} is the engine's; {@link #NONE} remembers nothing, for an engine configured without it.
 * <p>
 * Threading: the admission thread only; {@link #size()} may be read from a metrics thread (possibly stale).
 */
public interface ResendDetection
{
    /** Remembers nothing: every message is new. */
    ResendDetection NONE = new ResendDetection()
    {
        public long find(final AcceptedMessageFlyweight submission, final long nowNs)
        {
            return -1;
        }

        public boolean lastFoundPending()
        {
            return false;
        }

        public boolean lastFoundFirstStep()
        {
            return false;
        }

        public int lastFoundLevel()
        {
            return 0;
        }

        public long lastFoundAcceptTimeNs()
        {
            return 0;
        }

        public boolean add(final AcceptedMessageFlyweight message)
        {
            return true;
        }

        public void completed(final AcceptedMessageFlyweight message, final long completedNs)
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
     * Look a submission up by its kind and RequestID.
     *
     * @param submission its kind and RequestID are read.
     * @param nowNs      epoch time now, the clock completions are stamped with.
     * @return the message id it was admitted as, or -1 if it is not remembered.
     */
    long find(AcceptedMessageFlyweight submission, long nowNs);

    /** @return whether the message {@link #find} found last is still pending (not completed). */
    boolean lastFoundPending();

    /** @return whether the message {@link #find} found last is the first step of a Critical command. */
    boolean lastFoundFirstStep();

    /** @return the level the message {@link #find} found last was admitted at. */
    int lastFoundLevel();

    /** @return the accept time of the message {@link #find} found last. */
    long lastFoundAcceptTimeNs();

    /**
     * Remember a newly admitted message as pending, replacing what was remembered under its key (the first step a
     * second step was linked to).
     *
     * @param message the admitted message: kind, RequestID, message id, level, accept time and command variant are
     *                read.
     * @return false when there is no room and this one is not remembered (a resend of it would be queued again).
     */
    boolean add(AcceptedMessageFlyweight message);

    /**
     * The message completed: remember it for the window from now on.
     *
     * @param message     the completed message: kind, RequestID and message id are read.
     * @param completedNs epoch time of its completion.
     */
    void completed(AcceptedMessageFlyweight message, long completedNs);

    /** @return messages remembered now, pending and completed. */
    int size();

    /** @return how long a completed message is remembered. */
    long windowNs();
}
