package io.otaprio.testing;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.AcceptedMessageFlyweight;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A dispatcher that holds every message until the test completes it: the "paused downstream" of the ordering
 * tests. Records dispatch order and the most messages ever in flight. Thread-safe: the scheduler dispatches, the
 * test thread completes.
 */
public final class ManualDispatcher implements Dispatcher
{
    private final int slots;
    private final List<long[]> dispatched = new ArrayList<>();
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();
    private volatile CompletionPort port;
    private int maxInFlight;
    private boolean closed;

    /**
     * @param slots K.
     */
    public ManualDispatcher(final int slots)
    {
        this.slots = slots;
    }

    public int slots()
    {
        return slots;
    }

    public void onStart(final CompletionPort completions)
    {
        this.port = completions;
    }

    public synchronized void dispatch(final AcceptedMessageFlyweight message, final int slot, final long nowNs)
    {
        dispatched.add(new long[]{ message.messageId(), message.level() });
        inFlight.addLast(new long[]{ message.messageId(), slot, message.level() });
        maxInFlight = Math.max(maxInFlight, inFlight.size());
        notifyAll();
    }

    public synchronized void onClose()
    {
        closed = true;
    }

    /** @return whether the scheduler has closed it. */
    public synchronized boolean closed()
    {
        return closed;
    }

    /**
     * Complete the oldest message in flight.
     *
     * @return its id, or -1 if none is in flight.
     */
    public long completeOldest()
    {
        final long[] message;
        synchronized (this)
        {
            message = inFlight.pollFirst();
        }
        if (null == message)
        {
            return -1;
        }
        return complete(message);
    }

    /**
     * Complete a message in flight chosen by index.
     *
     * @param index 0 = oldest.
     * @return its id, or -1 if fewer are in flight.
     */
    public long complete(final int index)
    {
        final long[] message;
        synchronized (this)
        {
            if (index >= inFlight.size())
            {
                return -1;
            }
            message = new ArrayList<>(inFlight).get(index);
            inFlight.remove(message);
        }
        return complete(message);
    }

    private long complete(final long[] message)
    {
        while (!port.complete((int)message[1], message[0], CompletionPort.OUTCOME_OK))
        {
            Thread.onSpinWait();
        }
        return message[0];
    }

    /** @return messages in flight now. */
    public synchronized int inFlightCount()
    {
        return inFlight.size();
    }

    /**
     * @param level 1..4.
     * @return messages in flight now of levels below it (numbers above it): those a reservation for levels
     * 1..{@code level} bounds.
     */
    public synchronized int inFlightBelowLevel(final int level)
    {
        int count = 0;
        for (final long[] message : inFlight)
        {
            count += message[2] > level ? 1 : 0;
        }
        return count;
    }

    /** @return the most messages ever in flight at once. */
    public synchronized int maxInFlight()
    {
        return maxInFlight;
    }

    /** @return ids in dispatch order. */
    public synchronized List<Long> dispatchedIds()
    {
        final List<Long> ids = new ArrayList<>(dispatched.size());
        for (final long[] d : dispatched)
        {
            ids.add(d[0]);
        }
        return ids;
    }

    /** @return number dispatched so far. */
    public synchronized int dispatchedCount()
    {
        return dispatched.size();
    }

    /**
     * Wait until at least {@code count} messages have been dispatched.
     *
     * @param count     how many.
     * @param timeoutMs give up after this long.
     * @return true if reached.
     */
    public synchronized boolean awaitDispatched(final int count, final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (dispatched.size() < count)
        {
            final long wait = deadline - System.currentTimeMillis();
            if (wait <= 0)
            {
                return false;
            }
            wait(wait);
        }
        return true;
    }
}
