package io.otaprio.admission;

import io.otaprio.scheduler.CompletedMessage;

/**
 * The in-process transport: a {@link MessageSource} in the engine's own process, polled in the admission agent's duty
 * cycle. {@code ./otaprio simulate} drives the engine through it with an open-loop load, as the TCP gateway does for
 * clients in other processes: one duty cycle whatever the transport.
 * <p>
 * Threading: the admission thread.
 */
public final class InProcessTransport implements Transport
{
    private final MessageSource source;
    private Admission admission;

    /**
     * @param source where messages come from.
     */
    public InProcessTransport(final MessageSource source)
    {
        this.source = source;
    }

    public void onStart(final Admission admission)
    {
        this.admission = admission;
    }

    public int doWork(final long nowNs)
    {
        return source.poll(admission, nowNs);
    }

    public void onCompleted(final CompletedMessage completed)
    {
        source.onCompleted(completed);
    }

    public void onClose()
    {
        source.onClose();
    }
}
