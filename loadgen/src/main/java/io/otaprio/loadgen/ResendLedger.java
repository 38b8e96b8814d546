package io.otaprio.loadgen;

import org.agrona.collections.IntArrayQueue;

/**
 * What a client of a cluster must remember to lose nothing when the node it talks to goes away: every message it
 * sent that has no final answer yet, which connection carried it, and what to send again. Kept per message number,
 * in arrays sized once for the whole load.
 * <pre>
 *   SENT ──Ack / DUPLICATE of a pending original──► ACKED ──Completed──► DONE
 *     └──Reject (not DUPLICATE)──► DONE              │
 *   connection lost: SENT and ACKED messages of that connection are sent again on another one;
 *   a DUPLICATE naming a completed original means it completed while its answer was on the lost connection: DONE.
 * </pre>
 * A message sent again is answered DUPLICATE (the cluster has it: pending, its Completed now comes on the new
 * connection; or completed) or admitted as new (the cluster never committed it): never lost, never counted twice.
 * <p>
 * Threading: the load generator's thread.
 */
final class ResendLedger
{
    static final byte NONE = 0;
    static final byte SENT = 1;
    static final byte ACKED = 2;
    static final byte DONE = 3;

    private final byte[] state;
    private final short[] connection;
    private final boolean[] wasResent;
    private final long[] originator;
    private final long[] target;
    private final TrafficMix.Type[] type;
    private final byte[] commandVariant;
    private final IntArrayQueue resend = new IntArrayQueue();
    private long resent;

    /**
     * @param capacity the most messages the load can send.
     */
    ResendLedger(final int capacity)
    {
        state = new byte[capacity];
        connection = new short[capacity];
        wasResent = new boolean[capacity];
        originator = new long[capacity];
        target = new long[capacity];
        type = new TrafficMix.Type[capacity];
        commandVariant = new byte[capacity];
    }

    void sent(final ScheduledMessage message, final int via)
    {
        final int number = (int)message.number();
        state[number] = SENT;
        connection[number] = (short)via;
        originator[number] = message.originator();
        target[number] = message.target();
        type[number] = message.type();
        commandVariant[number] = (byte)message.commandVariant();
    }

    void resentVia(final int number, final int via)
    {
        connection[number] = (short)via;
        wasResent[number] = true;
        resent++;
    }

    /**
     * @param number a message number.
     * @return true once it has been sent again: its first submission's fate is unknown (it may be in the cluster),
     * so a refusal of the resend is not an answer.
     */
    boolean wasResent(final long number)
    {
        return wasResent[(int)number];
    }

    /**
     * @param number a message number from an answer.
     * @return its state, or {@link #NONE} for a number this load never sent.
     */
    byte state(final long number)
    {
        return number < 0 || number >= state.length ? NONE : state[(int)number];
    }

    void state(final long number, final byte newState)
    {
        state[(int)number] = newState;
    }

    /**
     * A connection was lost: its messages without a final answer are to be sent again.
     *
     * @param lost  the connection's index.
     * @param sent  messages sent so far (numbers below it).
     * @return how many were queued.
     */
    int connectionLost(final int lost, final long sent)
    {
        int queued = 0;
        for (int number = 0; number < sent; number++)
        {
            if (connection[number] == lost && (SENT == state[number] || ACKED == state[number]))
            {
                // Parked on no connection until sent again, so a second loss does not queue it twice.
                connection[number] = -1;
                resend.addInt(number);
                queued++;
            }
        }
        return queued;
    }

    /** Send one again later (its resend was refused: no leader this instant). */
    void retry(final long number)
    {
        connection[(int)number] = -1;
        resend.addInt((int)number);
    }

    boolean hasResend()
    {
        return !resend.isEmpty();
    }

    int peekResend()
    {
        return resend.peekInt();
    }

    void pollResend()
    {
        resend.pollInt();
    }

    long originator(final int number)
    {
        return originator[number];
    }

    long target(final int number)
    {
        return target[number];
    }

    TrafficMix.Type type(final int number)
    {
        return type[number];
    }

    int commandVariant(final int number)
    {
        return commandVariant[number];
    }

    /** @return messages sent again after their connection was lost or their resend refused. */
    long resent()
    {
        return resent;
    }
}
