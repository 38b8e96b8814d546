package io.otaprio.admission;

import io.otaprio.protocol.RejectReason;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * What admission decided about one submission: accepted with a message id and level, or rejected with a reason (and,
 * for a resend, the message it duplicates). Owned and reused by the caller, filled by {@link Admission#submit}, so
 * that answering a submission allocates nothing.
 * <p>
 * Threading: the admission thread; valid until the next submit into it.
 */
public final class AdmissionResult
{
    /** Bytes of the wire form {@link #encode} writes. */
    public static final int ENCODED_LENGTH = 24;

    private RejectReason reason;
    private long messageId;
    private int level;
    private int demotedFrom;
    private long originalMessageId;
    private boolean originalPending;
    private int cancelled;

    /**
     * A result not yet filled: rejected UNAVAILABLE until a submit says otherwise.
     */
    public AdmissionResult()
    {
        reset();
    }

    /**
     * Answer UNAVAILABLE: what a front end says when it cannot reach whoever decides (no cluster leader yet).
     *
     * @return this.
     */
    public AdmissionResult unavailable()
    {
        reset();
        return this;
    }

    /**
     * Answer FULL for a level: what a front end says when whoever decides cannot take more of that level now (a
     * cluster node whose log is behind).
     *
     * @param fullLevel the level refused.
     * @return this.
     */
    public AdmissionResult full(final int fullLevel)
    {
        reset();
        rejected(RejectReason.FULL, fullLevel);
        return this;
    }

    void reset()
    {
        reason = RejectReason.UNAVAILABLE;
        messageId = -1;
        level = 0;
        demotedFrom = 0;
        originalMessageId = -1;
        originalPending = false;
        cancelled = 0;
    }

    void cancelled(final int count)
    {
        this.cancelled = count;
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

    /**
     * @return after an accepted message: the level the policy gave it if its originator's quota or the level-1 alert
     * guard demoted it, else 0.
     */
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

    /**
     * @return after an accepted cancellation (a DUIS request dated 3000-12-31): how many held requests it removed;
     * else 0.
     */
    public int cancelled()
    {
        return cancelled;
    }

    /**
     * Write the answer in its fixed wire form: reason code (0 when accepted, i8), level (i8), demoted-from level (i8),
     * original pending (i8, 0 or 1), held requests cancelled (i32), message id (i64), original message id (i64);
     * little-endian.
     *
     * @param buffer to write into.
     * @param offset where to start.
     * @return {@link #ENCODED_LENGTH}.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, (byte)(null == reason ? 0 : reason.code()));
        buffer.putByte(offset + 1, (byte)level);
        buffer.putByte(offset + 2, (byte)demotedFrom);
        buffer.putByte(offset + 3, (byte)(originalPending ? 1 : 0));
        buffer.putInt(offset + 4, cancelled, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + 8, messageId, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + 16, originalMessageId, ByteOrder.LITTLE_ENDIAN);
        return ENCODED_LENGTH;
    }

    /**
     * Read an answer written by {@link #encode}.
     *
     * @param buffer holding it.
     * @param offset where it starts.
     * @return this.
     */
    public AdmissionResult decode(final DirectBuffer buffer, final int offset)
    {
        final int code = buffer.getByte(offset);
        reason = 0 == code ? null : RejectReason.fromCode(code);
        level = buffer.getByte(offset + 1);
        demotedFrom = buffer.getByte(offset + 2);
        originalPending = 0 != buffer.getByte(offset + 3);
        cancelled = buffer.getInt(offset + 4, ByteOrder.LITTLE_ENDIAN);
        messageId = buffer.getLong(offset + 8, ByteOrder.LITTLE_ENDIAN);
        originalMessageId = buffer.getLong(offset + 16, ByteOrder.LITTLE_ENDIAN);
        return this;
    }

    /** @return for logs and test messages; allocates. */
    public String toString()
    {
        return isAccepted() ? "ACCEPTED{messageId=" + messageId + ", level=" + level + ", demotedFrom=" + demotedFrom +
            "}" : reason + "{level=" + level + ", originalMessageId=" + originalMessageId + ", originalPending=" +
            originalPending + "}";
    }
}
