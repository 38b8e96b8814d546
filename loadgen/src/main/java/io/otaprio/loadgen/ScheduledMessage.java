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
    private int typeIndex;
    private long originator;
    private long target;
    private long requestNumber;
    private int commandVariant;

    ScheduledMessage()
    {
    }

    /** What the {@link Arrivals} draw for each arrival. */
    void content(
        final TrafficMix.Type type,
        final int typeIndex,
        final long originator,
        final long target,
        final long requestNumber,
        final int commandVariant)
    {
        this.type = type;
        this.typeIndex = typeIndex;
        this.originator = originator;
        this.target = target;
        this.requestNumber = requestNumber;
        this.commandVariant = commandVariant;
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

    /**
     * @return the index of its type in the mix, 0 to {@link TrafficMix#size()} - 1, or for a storm alert (a type of
     * the scenario, not of the mix) {@link TrafficMix#size()} plus its index in {@link LoadProfile.Storm#alerts()}.
     */
    public int typeIndex()
    {
        return typeIndex;
    }

    /**
     * @return the number of the message whose RequestID this one carries: its own {@link #number()}, or an earlier
     * message's for the second step of a Critical command (the first step's) and for a response (the request's it
     * answers).
     */
    public long requestNumber()
    {
        return requestNumber;
    }

    /** @return whether it carries the RequestID of an earlier message: a second step or a response. */
    public boolean isFollowUp()
    {
        return requestNumber != number;
    }

    /**
     * @return the DUIS CommandVariant to send: 4 for the first step of a Critical command, 5 for its second, 0 (not
     * given: a plain request, a response or an alert) otherwise.
     */
    public int commandVariant()
    {
        return commandVariant;
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
