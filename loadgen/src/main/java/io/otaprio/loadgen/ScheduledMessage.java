package io.otaprio.loadgen;

/**
 * The message an {@link OpenLoop} hands its {@link OpenLoop.Sender}: filled in place, its content by the
 * {@link Arrivals} as each arrival is drawn and its number and intended time by the open loop as it falls due, so that
 * offering millions of messages allocates nothing. Valid for the duration of the
 * {@link OpenLoop.Sender#send} call; copy what you keep.
 * <p>
 * Threading: owned by the thread that drives the {@link OpenLoop}.
 */
public final class ScheduledMessage
{
    private long number;
    private long intendedNs;
    private TrafficMix.Type type;
    private long originator;
    private long target;

    ScheduledMessage()
    {
    }

    /** What the {@link Arrivals} draw for each arrival. */
    void content(final TrafficMix.Type type, final long originator, final long target)
    {
        this.type = type;
        this.originator = originator;
        this.target = target;
    }

    /** What the {@link OpenLoop} stamps when the message falls due. */
    void schedule(final long number, final long intendedNs)
    {
        this.number = number;
        this.intendedNs = intendedNs;
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

    /** @return the message's type: its kind, code and payload size, as the traffic mix gives them. */
    public TrafficMix.Type type()
    {
        return type;
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
