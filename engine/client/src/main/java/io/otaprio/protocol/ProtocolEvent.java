package io.otaprio.protocol;


/**
 * One decoded engine-to-client message: a reusable view that {@link ClientCodec#decode} fills in place, so a
 * client reading millions of replies allocates nothing. Valid until the next decode into it; copy what you keep.
 * <p>
 * Threading: owned by the one thread that decodes into it.
 */
public final class ProtocolEvent
{
    /** Which message the event holds. */
    public enum Type
    {
        /** Admitted: {@link #messageId()} and {@link #level()} are set. */
        ACK,
        /** Not admitted: {@link #reasonCode()} and {@link #detail()} are set; for DUPLICATE also the original's id. */
        REJECT,
        /** Completed downstream: message id, level, outcome, latency and TRT verdict are set. */
        COMPLETED
    }

    /** {@link #originalState()}: not a DUPLICATE, or not said (an engine before schema version 4). */
    public static final int ORIGINAL_NONE = 0;
    /** {@link #originalState()}: the original is still pending; its Completed now follows on this connection. */
    public static final int ORIGINAL_PENDING = 1;
    /** {@link #originalState()}: the original completed within the dedup window; no Completed follows. */
    public static final int ORIGINAL_COMPLETED = 2;

    private final StringBuilder detail = new StringBuilder(Framing.MAX_DETAIL_LENGTH);
    private Type type;
    private final RequestId requestId = new RequestId();
    private long messageId;
    private int level;
    private int demotedFrom;
    private int reasonCode;
    private int originalState;
    private int outcome;
    private long engineLatencyUs;
    private boolean trtMet;

    void reset(final Type type, final long originator, final long target, final long counter)
    {
        this.type = type;
        requestId.set(originator, target, counter);
        messageId = -1;
        level = 0;
        demotedFrom = 0;
        reasonCode = 0;
        originalState = ORIGINAL_NONE;
        outcome = 0;
        engineLatencyUs = 0;
        trtMet = false;
        detail.setLength(0);
    }

    void ack(final long messageId, final int level, final int demotedFrom)
    {
        this.messageId = messageId;
        this.level = level;
        this.demotedFrom = demotedFrom;
    }

    /** @return ACK: 0, or the level the policy gave the message before its originator's quota demoted it. */
    public int demotedFrom()
    {
        return demotedFrom;
    }

    void reject(final int reasonCode, final long originalMessageId, final int originalState)
    {
        this.reasonCode = reasonCode;
        this.messageId = originalMessageId;
        this.originalState = originalState;
    }

    /**
     * @return REJECT DUPLICATE: {@link #ORIGINAL_PENDING} (its Completed follows on this connection) or
     * {@link #ORIGINAL_COMPLETED} (no Completed follows); {@link #ORIGINAL_NONE} for other reasons, and from an
     * engine older than schema version 4.
     */
    public int originalState()
    {
        return originalState;
    }

    StringBuilder detailBuilder()
    {
        return detail;
    }

    void completed(
        final long messageId, final int level, final int outcome, final long engineLatencyUs, final boolean trtMet)
    {
        this.messageId = messageId;
        this.level = level;
        this.outcome = outcome;
        this.engineLatencyUs = engineLatencyUs;
        this.trtMet = trtMet;
    }

    /** @return which message this is. */
    public Type type()
    {
        return type;
    }

    /** @return the RequestID echoed from the Submit; reused by the next decode. */
    public RequestId requestId()
    {
        return requestId;
    }

    /**
     * @return engine message id (ACK, COMPLETED); for a DUPLICATE REJECT the id the RequestID was admitted as;
     * -1 for other REJECTs.
     */
    public long messageId()
    {
        return messageId;
    }

    /** @return level 1..4 (ACK, COMPLETED), 0 for REJECT. */
    public int level()
    {
        return level;
    }

    /** @return the wire reason code 1..6 (REJECT), 0 otherwise. */
    public int reasonCode()
    {
        return reasonCode;
    }

    /** @return the reject reason, or null when this is not a REJECT or the code is unknown to this build. */
    public RejectReason reason()
    {
        return RejectReason.fromCode(reasonCode);
    }

    /** @return the reject's detail text (REJECT), empty otherwise; reused by the next decode. */
    public CharSequence detail()
    {
        return detail;
    }

    /** @return dispatcher outcome, 0 = ok (COMPLETED). */
    public int outcome()
    {
        return outcome;
    }

    /** @return accept-to-completion time inside the engine in microseconds (COMPLETED). */
    public long engineLatencyUs()
    {
        return engineLatencyUs;
    }

    /** @return whether the engine latency was within the level's TRT budget (COMPLETED). */
    public boolean trtMet()
    {
        return trtMet;
    }

    /**
     * Allocates; for logs and test messages.
     *
     * @return every field, named.
     */
    public String toString()
    {
        return type + "{requestId=" + requestId + ", messageId=" + messageId + ", level=" + level + ", reason=" +
            reason() + ", detail=" + detail + ", outcome=" + outcome + ", engineLatencyUs=" + engineLatencyUs +
            ", trtMet=" + trtMet + "}";
    }
}
