package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Random access to accepted messages by Chronicle index, for the replay feeder and tools. Each read copies the
 * message into a reusable buffer and returns one reused flyweight over it: no allocation per read (the buffer
 * grows once if a message is larger than any before), and the result stays valid until the next read even if the
 * underlying cycle file is released or deleted.
 * <p>
 * Threading: one thread (the admission thread, which runs the replay feeder). Open on any thread.
 */
public final class AcceptedJournalReader implements AutoCloseable
{
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final DocumentCopy document;
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private long failures;
    private boolean closed;

    private AcceptedJournalReader(final JournalConfig config, final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.document = new DocumentCopy(AcceptedMessageDescriptor.encodedLength(config.payloadCapacity()));
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
    }

    /**
     * Open the accepted queue for reading. Opens it as a normal (not read-only) queue so that it follows cycles the
     * live appender adds and cycles retention deletes; it never appends.
     *
     * @param config of the journal.
     * @return the reader.
     * @throws JournalException when the journal is unreadable or of another layout version.
     */
    public static AcceptedJournalReader open(final JournalConfig config)
    {
        JournalDirectory.prepareForWriting(config);
        return JournalDirectory.openQueue(
            config, config.acceptedDirectory(), "read", (queue) -> new AcceptedJournalReader(config, queue));
    }

    /**
     * @param index Chronicle index of an accepted message, as {@link AcceptedJournal#append} returned it.
     * @return the flyweight wrapped over a copy of the message, valid until the next call; or null when the index
     * is not readable (never written, deleted by retention, reader closed) or not a message of this layout
     * version (counted by {@link #failures()}).
     */
    public AcceptedMessageFlyweight read(final long index)
    {
        if (closed || index < 0)
        {
            return null;
        }
        try
        {
            if (!tailer.moveToIndex(index) || !document.readNext(tailer) || document.index() != index)
            {
                return null;
            }
            final int length = document.length();
            message.wrap(document.buffer(), 0);
            if (length < AcceptedMessageDescriptor.HEADER_LENGTH ||
                message.version() != AcceptedMessageDescriptor.LAYOUT_VERSION ||
                AcceptedMessageDescriptor.encodedLength(message.payloadLength()) > length)
            {
                failures++;
                return null;
            }
            return message;
        }
        catch (final RuntimeException ex)
        {
            failures++;
            return null;
        }
    }

    /** @return reads that found a document that is not a readable message, or failed. */
    public long failures()
    {
        return failures;
    }

    /** Release the tailer and the queue. Idempotent. */
    public void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                tailer.close();
            }
            finally
            {
                queue.close();
            }
        }
    }
}
