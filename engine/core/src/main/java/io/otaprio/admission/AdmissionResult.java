package io.otaprio.admission;

import io.otaprio.protocol.RejectReason;

/**
 * What admission decided about one submission: accepted with a message id and level, or rejected with a reason (and,
 * for a resend, the message it duplicates). Owned and reused by the caller, filled by {@link Admission#submit}, so
 * that answering a submission allocates nothing.
 * <p>
 * Threading: the admission thread; valid until the next submit into it.
 */
public final class AdmissionResult
{
    private RejectReason reason;
    private long messageId;
    private int level;
    private int demotedFrom;
    private long originalMessageId;
    private boolean originalPending;

    /**
     * A result not yet filled: rejected UNAVAILABLE until a submit says otherwise.
     */
    public AdmissionResult()
    {
        reset();
    }

    void reset()
    {
        reason = RejectReason.UNAVAILABLE;
        messageId = -1;
        level = 0;
        demotedFrom = 0;
        originalMessageId = -1;
        originalPending = false;
    }

    void accepted(final long messageId, final int level, final int demotedFrom)
    {
        this.reason = null;
        this.messageId = messageId;
        this.level = level;
        this.demotedFrom = demotedFrom;
    }

    void rejected(final RejectReason reason, final int level)
    {
        this.reason = reason;
        this.level = level;
    }

    void duplicate(final int level, final long originalMessageId, final boolean originalPending)
    {
        this.reason = RejectReason.DUPLICATE;
        this.level = level;
        this.originalMessageId = originalMessageId;
        this.originalPending = originalPending;
    }

    /** @return true when the message was admitted: it is in its lane, and in the journal when journaling is on. */
    public boolean isAccepted()
    {
        return null == reason;
    }

    /** @return why it was not admitted, or null when it was. */
    public RejectReason reason()
    {
        return reason;
    }

    /** @return the admitted message's id, or -1 when it was rejected. */
    public long messageId()
    {
        return messageId;
    }

    /**
     * @return the level it was admitted at; for FULL and DUPLICATE the level the policy gave it; 0 for rejections
     * decided before classification.
     */
    public int level()
    {
        return level;
    }

    /** @return after an accepted message: the level the policy gave it if its quota demoted it, else 0. */
    public int demotedFrom()
    {
        return demotedFrom;
    }

    /** @return after a DUPLICATE: the id of the message the RequestID was admitted as, else -1. */
    public long originalMessageId()
    {
        return originalMessageId;
    }

    /** @return after a DUPLICATE: whether that message is still pending (false: completed within the window). */
    public boolean originalPending()
    {
        return originalPending;
    }

    /** @return for logs and test messages; allocates. */
    public String toString()
    {
        return isAccepted() ? "ACCEPTED{messageId=" + messageId + ", level=" + level + ", demotedFrom=" + demotedFrom +
            "}" : reason + "{level=" + level + ", originalMessageId=" + originalMessageId + ", originalPending=" +
            originalPending + "}";
    }
}
