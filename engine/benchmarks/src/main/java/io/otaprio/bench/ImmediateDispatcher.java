package io.otaprio.bench;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * Completes every message as soon as it is dispatched, through the {@link CompletionPort} on the scheduler thread,
 * so the scheduler accounts for the completion straight away, without the completion queue.
 * <p>
 * Threading: the scheduler thread; {@link #verify()} once it has stopped.
 */
final class ImmediateDispatcher implements Dispatcher
{
    private final int slots;
    private CompletionPort port;
    private long refused;

    /**
     * @param slots the credit K it gives the scheduler.
     */
    ImmediateDispatcher(final int slots)
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
    void verify()
    {
        if (refused > 0)
        {
            throw new IllegalStateException("completion queue refused " + refused + " completions");
        }
    }
}
