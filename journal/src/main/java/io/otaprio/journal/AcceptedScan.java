package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * Streams the accepted queue in order, one reused flyweight, validating each document's layout version.
 * <p>
 * Threading: one scan per thread; each call opens its own read-only queue.
 */
final class AcceptedScan
{
    /** Receives each accepted message; the flyweight is valid only during the call. */
    @FunctionalInterface
    interface Handler
    {
        /**
         * @param index   Chronicle index of the message's document.
         * @param message the message.
         */
        void onMessage(long index, AcceptedMessageFlyweight message);
    }

    private AcceptedScan()
    {
    }

    /**
     * @param config    of the journal.
     * @param fromIndex index to start at, or -1 for the start of the retained data (also used when the index is
     *                  no longer readable).
     * @param handler   receives every message from there on.
     * @return messages scanned.
     * @throws JournalException when a document has another layout version or is truncated.
     */
    static long scan(final JournalConfig config, final long fromIndex, final Handler handler)
    {
        return scan(config, fromIndex, new DocumentCopy(4096), handler);
    }

    /**
     * As {@link #scan(JournalConfig, long, Handler)}, through the caller's copy, which then tells the bytes read.
     *
     * @param config    of the journal.
     * @param fromIndex index to start at, or -1 for the start of the retained data.
     * @param document  each document is copied here; {@link DocumentCopy#bytesRead()} counts them.
     * @param handler   receives every message from there on.
     * @return messages scanned.
     * @throws JournalException when a document has another layout version or is truncated.
     */
    static long scan(
        final JournalConfig config, final long fromIndex, final DocumentCopy document, final Handler handler)
    {
        final Path directory = config.acceptedDirectory();
        if (!JournalDirectory.hasQueueFiles(directory))
        {
            return 0;
        }
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
        long count = 0;
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true);
            ExcerptTailer tailer = queue.createTailer())
        {
            JournalDirectory.moveToIndexOrStart(tailer, fromIndex);
            while (document.readNext(tailer))
            {
                validate(directory, document.index(), message.wrap(document.buffer(), 0), document.length());
                handler.onMessage(document.index(), message);
                count++;
            }
        }
        return count;
    }

    /**
     * Stream the accepted queue backwards from just before an index, newest first, until the handler says stop or
     * the start of the retained data.
     *
     * @param config      of the journal.
     * @param beforeIndex the scan starts at the message before this one.
     * @param document    each document is copied here; {@link DocumentCopy#bytesRead()} counts them.
     * @param handler     receives each message; returns false to stop.
     * @return messages scanned.
     * @throws JournalException when a document has another layout version or is truncated.
     */
    static long scanBackward(
        final JournalConfig config, final long beforeIndex, final DocumentCopy document, final UntilHandler handler)
    {
        final Path directory = config.acceptedDirectory();
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
        long count = 0;
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true);
            ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD);
            // Reading the index itself moves the tailer to the one before it.
            if (!tailer.moveToIndex(beforeIndex) || !document.readNext(tailer))
            {
                return 0;
            }
            while (document.readNext(tailer))
            {
                validate(directory, document.index(), message.wrap(document.buffer(), 0), document.length());
                count++;
                if (!handler.onMessage(document.index(), message))
                {
                    break;
                }
            }
        }
        return count;
    }

    /** Receives each accepted message of a backward scan; the flyweight is valid only during the call. */
    @FunctionalInterface
    interface UntilHandler
    {
        /**
         * @param index   Chronicle index of the message's document.
         * @param message the message.
         * @return true to go on, false to stop.
         */
        boolean onMessage(long index, AcceptedMessageFlyweight message);
    }

    /**
     * Check the layout version of the newest accepted message, so that a writer never appends behind messages of
     * another layout.
     *
     * @param config of the journal.
     * @throws JournalException when it has another version.
     */
    static void checkLastVersion(final JournalConfig config)
    {
        final Path directory = config.acceptedDirectory();
        final DocumentCopy document = new DocumentCopy(4096);
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true);
            ExcerptTailer tailer = queue.createTailer())
        {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            if (document.readNext(tailer))
            {
                validate(directory, document.index(), new AcceptedMessageFlyweight().wrap(document.buffer(), 0),
                    document.length());
            }
        }
    }

    /**
     * @param directory of the queue, for the message.
     * @param index     of the document.
     * @param message   wrapped over it.
     * @param length    of the document.
     * @throws JournalException naming the path, the version found and the version supported.
     */
    static void validate(
        final Path directory, final long index, final AcceptedMessageFlyweight message, final int length)
    {
        if (length < 2)
        {
            throw new JournalException("journal queue " + directory + ": document at index " +
                Long.toHexString(index) + " is " + length + " bytes, too short for a layout version");
        }
        final int version = message.version();
        if (version != AcceptedMessageDescriptor.LAYOUT_VERSION)
        {
            throw new JournalException("journal queue " + directory + ": message at index " +
                Long.toHexString(index) + " has layout version " + version + ", this build supports layout version " +
                AcceptedMessageDescriptor.LAYOUT_VERSION);
        }
        if (length < AcceptedMessageDescriptor.HEADER_LENGTH || message.payloadLength() < 0 ||
            AcceptedMessageDescriptor.encodedLength(message.payloadLength()) > length)
        {
            throw new JournalException("journal queue " + directory + ": message at index " +
                Long.toHexString(index) + " is truncated (" + length + " bytes)");
        }
    }
}
