package io.otaprio.scheduler;

import io.otaprio.message.MessageEvent;

/**
 * What the scheduler remembers of a dispatched message until its completion arrives: the ring slot is handed
 * back at dispatch, so the fields needed to account for the completion are copied here. K of these are
 * preallocated, one per dispatcher slot.
 * <p>
 * Threading: scheduler thread only. A {@link io.otaprio.scheduler.CompletionListener} sees it for the duration of
 * its callback.
 */
public final class InFlightMessage
{
    final int index;
    long messageId;
    long originator;
    long target;
    long counter;
    long acceptTimeNs;
    long dispatchTimeNs;
    long completedTimeNs;
    long trtNs;
    int kind;
    int code;
    int level;
    int outcome;
    boolean inFlight;

    InFlightMessage(final int index)
    {
        this.index = index;
    }

    void dispatched(final MessageEvent event, final long nowNs)
    {
        messageId = event.messageId();
        originator = event.originator();
        target = event.target();
        counter = event.counter();
        acceptTimeNs = event.acceptTimeNs();
        trtNs = event.trtNs();
        kind = event.kind();
        code = event.code();
        level = event.level();
        dispatchTimeNs = nowNs;
        inFlight = true;
    }

    /** @return the engine message id. */
    public long messageId()
    {
        return messageId;
    }

    /** @return RequestID originator. */
    public long originator()
    {
        return originator;
    }

    /** @return RequestID target. */
    public long target()
    {
        return target;
    }

    /** @return RequestID counter. */
    public long counter()
    {
        return counter;
    }

    /** @return epoch nanos the message was accepted. */
    public long acceptTimeNs()
    {
        return acceptTimeNs;
    }

    /** @return epoch nanos the message was dispatched. */
    public long dispatchTimeNs()
    {
        return dispatchTimeNs;
    }

    /** @return epoch nanos the completion was reported. */
    public long completedTimeNs()
    {
        return completedTimeNs;
    }

    /** @return TRT budget in nanos. */
    public long trtNs()
    {
        return trtNs;
    }

    /** @return message kind value. */
    public int kind()
    {
        return kind;
    }

    /** @return SRV or alert code. */
    public int code()
    {
        return code;
    }

    /** @return class level 1..4. */
    public int level()
    {
        return level;
    }

    /** @return the dispatcher's outcome. */
    public int outcome()
    {
        return outcome;
    }
}
