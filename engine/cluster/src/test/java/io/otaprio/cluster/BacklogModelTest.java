package io.otaprio.cluster;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The replicated backlog against a model made of plain collections, over random sequences of adds, completions (in
 * any order), feeds, rebinds and leader changes: each lane hands out its pending messages in accepted order, exactly
 * once per leadership, skipping completed ones; capacity counts what a lane still holds between its oldest pending
 * message and its newest; a message's bytes and client survive until it completes.
 */
class BacklogModelTest
{
    private static final int LANES = 4;
    private static final int CAPACITY = 16;
    /** Above the backlog's small slots: messages of both slot sizes, reused across removals. */
    private static final int MAX_PAYLOAD = Backlog.SMALL_PAYLOAD_BYTES + 600;

    @RepeatedTest(200)
    void shouldMatchTheModel(final RepetitionInfo repetition)
    {
        final Random random = new Random(repetition.getCurrentRepetition());
        final Backlog backlog = new Backlog(new int[]{ CAPACITY, CAPACITY, CAPACITY, CAPACITY }, MAX_PAYLOAD);
        final Model model = new Model();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(MAX_PAYLOAD)]);
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight().wrap(buffer, 0);
        long nextId = 1;

        for (int step = 0; step < 2_000; step++)
        {
            final int action = random.nextInt(100);
            if (action < 40)
            {
                final int lane = random.nextInt(LANES);
                final boolean room = backlog.hasRoom(lane);
                assertEquals(model.hasRoom(lane), room, "room in lane " + lane + " at step " + step);
                if (room)
                {
                    final long id = nextId++;
                    final int clientId = random.nextInt(3);
                    final int payload = random.nextBoolean() ? random.nextInt(25) : random.nextInt(MAX_PAYLOAD + 1);
                    message.clear().messageId(id).level(lane + 1).code(payload).payloadLength(payload);
                    for (int i = 0; i < payload; i++)
                    {
                        buffer.putByte(message.payloadOffset() + i, (byte)(id + i));
                    }
                    backlog.add(lane, message, clientId);
                    model.add(lane, id, clientId);
                }
            }
            else if (action < 65 && !model.pending.isEmpty())
            {
                final List<Long> ids = new ArrayList<>(model.pending.keySet());
                final long id = ids.get(random.nextInt(ids.size()));
                assertEquals(model.clientOf(id), backlog.remove(id), "client of " + id);
                model.remove(id);
            }
            else if (action < 67)
            {
                assertEquals(-1, backlog.remove(nextId + 1_000), "an unknown id is not pending");
            }
            else if (action < 90)
            {
                final int lane = random.nextInt(LANES);
                final int limit = 1 + random.nextInt(5);
                for (int i = 0; i < limit; i++)
                {
                    final Long expected = model.nextToFeed(lane);
                    final AcceptedMessageFlyweight next = backlog.nextToFeed(lane);
                    if (null == expected)
                    {
                        assertNull(next, "lane " + lane + " has nothing left to feed at step " + step);
                        break;
                    }
                    assertNotNull(next, "lane " + lane + " should feed " + expected);
                    assertEquals(expected.longValue(), next.messageId(), "feed order of lane " + lane);
                    assertPayload(next);
                    backlog.fed(lane);
                    model.fed(lane);
                }
            }
            else if (action < 95 && !model.pending.isEmpty())
            {
                final List<Long> ids = new ArrayList<>(model.pending.keySet());
                final long id = ids.get(random.nextInt(ids.size()));
                final int clientId = 3 + random.nextInt(3);
                backlog.rebind(id, clientId);
                model.clientById.put(id, clientId);
            }
            else
            {
                backlog.rewindFeed();
                model.rewind();
            }
            assertEquals(model.pending.size(), backlog.size(), "size at step " + step);
            for (int lane = 0; lane < LANES; lane++)
            {
                assertEquals(model.depth(lane), backlog.depth(lane), "depth of lane " + lane + " at step " + step);
            }
        }
    }

    private static void assertPayload(final AcceptedMessageFlyweight message)
    {
        assertEquals(message.code(), message.payloadLength());
        for (int i = 0; i < message.payloadLength(); i++)
        {
            assertEquals((byte)(message.messageId() + i), message.buffer().getByte(message.payloadOffset() + i));
        }
    }

    /** Per lane: every id ever added, in order; which are pending; which this leadership has fed. */
    private static final class Model
    {
        final List<Deque<Long>> lanes = new ArrayList<>();
        final Map<Long, Integer> pending = new HashMap<>();
        final Map<Long, Integer> clientById = new HashMap<>();
        final Set<Long> fed = new LinkedHashSet<>();

        Model()
        {
            for (int lane = 0; lane < LANES; lane++)
            {
                lanes.add(new ArrayDeque<>());
            }
        }

        void add(final int lane, final long id, final int clientId)
        {
            lanes.get(lane).addLast(id);
            pending.put(id, lane);
            clientById.put(id, clientId);
        }

        int clientOf(final long id)
        {
            return clientById.get(id);
        }

        void remove(final long id)
        {
            final int lane = pending.remove(id);
            final Deque<Long> fifo = lanes.get(lane);
            // Completed ids leave the FIFO only from its head: a hole in the middle still takes its place.
            while (!fifo.isEmpty() && !pending.containsKey(fifo.peekFirst()))
            {
                fifo.removeFirst();
            }
        }

        boolean hasRoom(final int lane)
        {
            return lanes.get(lane).size() < CAPACITY;
        }

        long depth(final int lane)
        {
            return lanes.get(lane).size();
        }

        Long nextToFeed(final int lane)
        {
            for (final long id : lanes.get(lane))
            {
                if (pending.containsKey(id) && !fed.contains(id))
                {
                    return id;
                }
            }
            return null;
        }

        void fed(final int lane)
        {
            fed.add(nextToFeed(lane));
        }

        void rewind()
        {
            fed.clear();
        }
    }
}
