package io.otaprio.scheduler;

/**
 * Told of every completed message, on the scheduler thread, after the engine has accounted for it. Must not
 * block: it runs inside the loop that dispatches level-1 messages. The view is valid only during the call.
 */
@FunctionalInterface
public interface CompletionListener
{
    /** Does nothing. */
    CompletionListener NONE = completed -> {};

    /**
     * @param completed the completed message.
     */
    void onCompleted(CompletedMessage completed);

    /**
     * Back-pressure from a listener that hands completions on to a bounded queue: how many more completions it can
     * take now without dropping one. The scheduler dispatches a message only while this exceeds the number already
     * in flight, so every dispatched message's completion has room. Read once per duty cycle.
     *
     * @return completions this listener can take now; unbounded by default.
     */
    default int completionsAcceptable()
    {
        return Integer.MAX_VALUE;
    }
}
