package io.otaprio.peer;

import io.otaprio.policy.PriorityPolicy;

import java.util.Map;

/**
 * The RabbitMQ classic queue the peer drives: declared with {@code x-max-priority: 4}, one AMQP priority per
 * otaprio lane. AMQP priorities run the other way from otaprio's levels (higher is more urgent), so lane 0
 * (level 1) is priority 4 and lane 3 (level 4) is priority 1: priority = 5 - level under the default policy.
 * The mapping goes through the lane, not the level, so that the {@code fifo} policy, which puts every level in
 * lane 0, gives every message the same priority and the broker's plain first-in-first-out order, as it does the
 * engine.
 *
 * @param name    queue name.
 * @param durable a durable queue and persistent messages (the analogue of the engine's journal), or transient.
 */
public record PeerQueue(String name, boolean durable)
{
    /** {@code x-max-priority} of the queue: one priority per lane. */
    public static final int MAX_PRIORITY = PriorityPolicy.LEVELS;

    /** Queue name when none is given. */
    public static final String NAME_DEFAULT = "otaprio-peer";

    /**
     * Validates the name as the broker would.
     *
     * @throws IllegalArgumentException if it is blank, longer than 255 characters or in the reserved {@code amq.}
     *                                  namespace.
     */
    public PeerQueue
    {
        if (null == name || name.isBlank() || name.length() > 255 || name.startsWith("amq."))
        {
            throw new IllegalArgumentException("--queue must be 1..255 characters and not start with amq.: " + name);
        }
    }

    /** @return the AMQP delivery mode of its messages: 2 persistent, 1 transient. */
    public int deliveryMode()
    {
        return durable ? 2 : 1;
    }

    /** @return the arguments of {@code queue.declare}: a classic queue with {@code x-max-priority}. */
    public Map<String, Object> arguments()
    {
        return Map.of("x-max-priority", MAX_PRIORITY, "x-queue-type", "classic");
    }

    /**
     * @param lane the otaprio lane of a message, 0 (most urgent) to {@code LEVELS - 1}.
     * @return its AMQP priority, {@link #MAX_PRIORITY} for lane 0 down to 1.
     */
    public static int priorityOfLane(final int lane)
    {
        if (lane < 0 || lane >= PriorityPolicy.LEVELS)
        {
            throw new IllegalArgumentException("lane must be 0.." + (PriorityPolicy.LEVELS - 1) + ": " + lane);
        }
        return MAX_PRIORITY - lane;
    }

    /** @return e.g. {@code classic queue otaprio-peer, x-max-priority 4, durable, persistent messages}. */
    public String describe()
    {
        return "classic queue " + name + ", x-max-priority " + MAX_PRIORITY +
            (durable ? ", durable, persistent messages" : ", transient messages");
    }
}
