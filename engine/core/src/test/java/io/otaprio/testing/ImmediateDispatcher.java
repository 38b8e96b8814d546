package io.otaprio.testing;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.AcceptedMessageFlyweight;

/**
 * A downstream that completes every message inside {@code dispatch}, on the scheduler thread: the fastest possible
 * DSP, for tests about everything but the downstream.
 */
public final class ImmediateDispatcher implements Dispatcher
{
    private final int slots;
    private CompletionPort port;

    /**
     * @param slots K.
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
        port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK);
    }
}
