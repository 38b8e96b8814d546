package io.otaprio.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The write-ahead journal of accepted messages: one Chronicle document of raw bytes per message in the
 * {@link AcceptedMessageDescriptor} layout, no text or YAML wire. A message whose {@link #append} returned an
 * index is in the memory-mapped queue and survives a crash of the process (and, with {@link JournalSync#SYNC},
 * a power loss).
 * <p>
 * Message ids must rise strictly in append order (the admission thread assigns them that way). Recovery and
 * retention rely on it: everything before a message in the queue has a lower id.
 * <p>
 * Hot path: {@link #append} copies the message's bytes, already in the layout, straight into the document: no
 * encoding, no allocation. Failures are return values: -1, counted by {@link #failures()}, described by
 * {@link #lastFailure()}.
 * <p>
 * Threading: single writer. Open on any thread, then append from one thread at a time (the admission thread);
 * {@link #close()} after that thread has stopped appending, or from it. {@link #failures()} and
 * {@link #lastFailure()} may be read from any thread (volatile fields only the writer updates).
 */
public final class AcceptedJournal extends JournalWriter implements AcceptedLog
{
    private final boolean sync;
    private final UnsafeBuffer scratch;
    private String poisoned;

    private AcceptedJournal(final JournalConfig config, final SingleChronicleQueue queue)
    {
        super("accepted journal", config, queue, config.acceptedDirectory());
        this.sync = config.sync() != JournalSync.NONE;
        this.scratch = new UnsafeBuffer(
            new byte[AcceptedMessageDescriptor.encodedLength(config.payloadCapacity())]);
    }

    /**
     * Open (creating if new) the accepted journal for appending.
     *
     * @param config of the journal.
     * @return the journal.
     * @throws JournalException when the directory cannot be created, read or written, or holds a journal of
     *                          another layout version (checked on the marker and on the last accepted message).
     */
    public static AcceptedJournal open(final JournalConfig config)
    {
        JournalDirectory.prepareForWriting(config);
        if (JournalDirectory.hasQueueFiles(config.acceptedDirectory()))
        {
            AcceptedScan.checkLastVersion(config);
        }
        return JournalDirectory.openQueue(
            config, config.acceptedDirectory(), "append to", (queue) -> new AcceptedJournal(config, queue));
    }

    /**
     * Append one message already in the {@link AcceptedMessageDescriptor} layout (as admission leaves it in a ring
     * slot), as one document, byte for byte: nothing is encoded again.
     *
     * @param message holding the message; a heap buffer is written straight from its array.
     * @param offset  where the message starts.
     * @param length  its length, {@link AcceptedMessageFlyweight#encodedLength()}.
     * @return the Chronicle index of the appended document (&gt;= 0), or -1 when it could not be written (journal
     * closed, I/O failure, disk nearly full, a message shorter than the layout's header): the caller must then reject
     * the message as UNAVAILABLE.
     */
    public long append(final DirectBuffer message, final int offset, final int length)
    {
        if (failIfClosed())
        {
            return -1;
        }
        if (null != poisoned)
        {
            fail(poisoned);
            return -1;
        }
        if (length < AcceptedMessageDescriptor.HEADER_LENGTH)
        {
            fail("invalid message length " + length);
            return -1;
        }
        if (failIfSpaceLow())
        {
            return -1;
        }

        try
        {
            final long index;
            final long end;
            try (DocumentContext dc = appender().writingDocument())
            {
                try
                {
                    final byte[] array = message.byteArray();
                    if (null != array)
                    {
                        dc.wire().bytes().write(array, message.wrapAdjustment() + offset, length);
                    }
                    else
                    {
                        if (scratch.capacity() < length)
                        {
                            scratch.wrap(new byte[length]);   // once per new largest message, off-heap callers only
                        }
                        scratch.putBytes(0, message, offset, length);
                        dc.wire().bytes().write(scratch.byteArray(), 0, length);
                    }
                    // The context knows its own index; asking the appender afterwards costs an index lookup.
                    index = dc.index();
                    end = dc.wire().bytes().writePosition();
                }
                catch (final Throwable t)
                {
                    // Never leave half a message in the queue for recovery to trip over.
                    dc.rollbackOnClose();
                    throw t;
                }
            }
            appended(end);
            if (sync)
            {
                try
                {
                    appender().sync();
                }
                catch (final Throwable t)
                {
                    // The message is in the queue but not known durable, and the caller will reject it and may
                    // reuse its id: refuse every later append so no id is ever journaled twice. Recovery will
                    // find this message pending (it is replayed, although its sender was told UNAVAILABLE).
                    poisoned = "accepted journal stopped after a failed sync: " + t;
                    fail(poisoned);
                    return -1;
                }
            }
            return index;
        }
        catch (final Throwable t)
        {
            fail(t.toString());
            return -1;
        }
    }

    /** @return the accepted queue's directory. */
    public String where()
    {
        return config().acceptedDirectory().toString();
    }
}
