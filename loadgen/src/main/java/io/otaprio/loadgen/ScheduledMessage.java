package io.otaprio.loadgen;

/**
 * The message an {@link OpenLoop} hands its {@link OpenLoop.Sender}: a view filled in place for each message that
 * falls due, so that offering millions of messages allocates nothing. Valid for the duration of the
 * {@link OpenLoop.Sender#send} call; copy what you keep.
 * <p>
 * Threading: owned by the thread that drives the {@link OpenLoop}.
 */
public final class ScheduledMessage
{
    private long number;
    private long intendedNs;
    private int kind;
    private int code;
    private int payloadBytes;
    private long originator;
    private long target;

    ScheduledMessage()
    {
    }

    void set(final long number, final long intendedNs, final Arrivals arrival)
    {
        this.number = number;
        this.intendedNs = intendedNs;
        kind = arrival.kind();
        code = arrival.code();
        payloadBytes = arrival.payloadBytes();
        originator = arrival.originator();
        target = arrival.target();
    }

    /**
     * @return the message's number in the schedule, 0, 1, 2, ...: what the sender puts in the RequestID counter
     * (plus any base of its own) and what {@link OpenLoop#onCompleted(long, int, long)} is given back.
     */
    public long number()
    {
        return number;
    }

    /** @return when the schedule means the message to be sent, in the time base of the caller's clock. */
    public long intendedNs()
    {
        return intendedNs;
    }

    /** @return kind value, a {@link io.otaprio.protocol.MessageKind#value()}. */
    public int kind()
    {
        return kind;
    }

    /** @return packed SRV code or 16-bit alert code. */
    public int code()
    {
        return code;
    }

    /** @return payload size in bytes, as the traffic mix gives it for the message's type. */
    public int payloadBytes()
    {
        return payloadBytes;
    }

    /** @return RequestID originator (EUI-64). */
    public long originator()
    {
        return originator;
    }

    /** @return RequestID target device (EUI-64). */
    public long target()
    {
        return target;
    }
}
