package io.otaprio.engine;

import io.otaprio.scheduler.InFlightMessage;

/**
 * Told of every completed message, on the scheduler thread, after the engine has accounted for it. Must not
 * block: it runs inside the loop that dispatches level-1 messages. The message view is valid only during the call.
 */
@FunctionalInterface
public interface CompletionListener
{
    /** Does nothing. */
    CompletionListener NONE = message -> {};

    /**
     * @param message the completed message.
     */
    void onCompleted(InFlightMessage message);
}
