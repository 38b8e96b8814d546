package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary of throttled alerts, so that an alert storm cut by the engine is on record, not silently lost: one
 * document per (device, alert code, window) in which alerts were throttled, with how many, in its own Chronicle
 * Queue beside the accepted and outcome queues ({@code DIR/throttled}). Recovery does not read it.
 * <p>
 * Threading: single writer, the admission thread: open on any thread, then append from one thread at a time and
 * close after it has stopped appending, or from it. {@link #failures()} and {@link #lastFailure()} may be read from
 * any thread. {@link #read} opens its own read-only queue.
 */
public final class ThrottleJournal extends JournalWriter
{
    /** The queue's directory under the journal root. */
    public static final String QUEUE = "throttled";

    private ThrottleJournal(final JournalConfig config, final SingleChronicleQueue queue, final Path directory)
    {
        super("throttle journal", config, queue, directory);
    }

    /**
     * @param config the journal.
     * @return a writer.
     * @throws JournalException if the queue cannot be opened.
     */
    public static ThrottleJournal open(final JournalConfig config)
    {
        final Path directory = config.directory().resolve(QUEUE);
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot create " + directory + ": " + ex, ex);
        }
        final SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, false);
        try
        {
            return new ThrottleJournal(config, queue, directory);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            if (ex instanceof JournalException)
            {
                throw ex;
            }
            throw new JournalException("cannot append to journal queue " + directory + ": " + ex, ex);
        }
    }

    /**
     * Record one window's throttled alerts of one device and code. Never throws: a failure is counted.
     *
     * @param device        the device (RequestID target).
     * @param code          the 16-bit alert code.
     * @param throttled     alerts throttled in the window.
     * @param windowStartNs when the window began (epoch ns).
     * @param windowEndNs   when it ended.
     * @return true when written; false when closed, the file system is nearly full or the write failed, see
     * {@link #lastFailure()}.
     */
    public boolean append(
        final long device, final int code, final long throttled, final long windowStartNs, final long windowEndNs)
    {
        if (failIfClosed() || failIfSpaceLow())
        {
            return false;
        }
        try (DocumentContext dc = appender().writingDocument())
        {
            dc.wire().bytes().writeLong(device).writeInt(code).writeLong(throttled).writeLong(windowStartNs)
                .writeLong(windowEndNs);
            return true;
        }
        catch (final Throwable t)
        {
            fail(t.toString());
            return false;
        }
    }

    /**
     * @param config the journal.
     * @return every summary, oldest first: {device, code, throttled, windowStartNs, windowEndNs}; empty when none.
     */
    public static List<long[]> read(final JournalConfig config)
    {
        final List<long[]> summaries = new ArrayList<>();
        final Path directory = config.directory().resolve(QUEUE);
        if (!JournalDirectory.hasQueueFiles(directory))
        {
            return summaries;
        }
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true))
        {
            final ExcerptTailer tailer = queue.createTailer();
            while (true)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final var bytes = dc.wire().bytes();
                    summaries.add(new long[]{ bytes.readLong(), bytes.readInt(), bytes.readLong(), bytes.readLong(),
                        bytes.readLong() });
                }
            }
        }
        return summaries;
    }
}
