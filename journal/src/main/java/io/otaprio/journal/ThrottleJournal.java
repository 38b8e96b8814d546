package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary of throttled alerts, so that an alert storm cut by the engine is on record, not silently lost: one
 * document per (device, alert code, window) in which alerts were throttled, with how many, in its own Chronicle
 * Queue beside the accepted and outcome queues ({@code DIR/throttled}). Recovery does not read it.
 * <p>
 * Threading: one writer (the admission thread); {@link #read} opens its own read-only queue.
 */
public final class ThrottleJournal implements AutoCloseable
{
    /** The queue's directory under the journal root. */
    public static final String QUEUE = "throttled";

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final DiskSpaceGuard space;
    private long failures;
    private String lastFailure;

    private ThrottleJournal(final SingleChronicleQueue queue, final DiskSpaceGuard space)
    {
        this.queue = queue;
        this.appender = queue.createAppender();
        this.space = space;
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
        catch (final java.io.IOException ex)
        {
            throw new JournalException("cannot create " + directory + ": " + ex, ex);
        }
        final SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, false);
        return new ThrottleJournal(queue, new DiskSpaceGuard(directory, config.minFreeBytes()));
    }

    /**
     * Record one window's throttled alerts of one device and code. Never throws: a failure is counted.
     *
     * @param device        the device (RequestID target).
     * @param code          the 16-bit alert code.
     * @param throttled     alerts throttled in the window.
     * @param windowStartNs when the window began (epoch ns).
     * @param windowEndNs   when it ended.
     * @return true when written.
     */
    public boolean append(
        final long device, final int code, final long throttled, final long windowStartNs, final long windowEndNs)
    {
        if (space.tooLow())
        {
            return fail(space.reason());
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeLong(device).writeInt(code).writeLong(throttled).writeLong(windowStartNs)
                .writeLong(windowEndNs);
            return true;
        }
        catch (final Throwable t)
        {
            return fail(t.toString());
        }
    }

    /** @return appends that failed. */
    public long failures()
    {
        return failures;
    }

    /** @return why the latest append failed, or null. */
    public String lastFailure()
    {
        return lastFailure;
    }

    public void close()
    {
        queue.close();
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

    private boolean fail(final String reason)
    {
        failures++;
        lastFailure = reason;
        return false;
    }
}
