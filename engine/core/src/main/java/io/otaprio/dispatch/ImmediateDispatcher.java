package io.otaprio.dispatch;

import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * A downstream that completes every message as soon as it is dispatched, through the {@link CompletionPort} on the
 * scheduler thread, so the scheduler accounts for the completion straight away: the fastest possible DSP, for
 * benchmarks and tests about everything but the downstream.
 * <p>
 * Threading: the scheduler thread; {@link #verify()} once it has stopped.
 */
public final class ImmediateDispatcher implements Dispatcher
{
    private final int slots;
    private CompletionPort port;
    private long refused;

    /**
     * @param slots the credit K it gives the scheduler.
     */
    public ImmediateDispatcher(final int slots)
    {
        this.slots = slots;
    }

    public int slots()
    {
        return slots;
    }

    public void onStart(final CompletionPort completions)
    {
        port = completions;
    }

    public void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
    {
        if (!port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK))
        {
            refused++;
        }
    }

    /**
     * Fail the trial if a completion was refused: the run would not have measured what it claims.
     *
     * @throws IllegalStateException saying how many were refused.
     */
    public void verify()
    {
        if (refused > 0)
        {
            throw new IllegalStateException("completion queue refused " + refused + " completions");
        }
    }
}
