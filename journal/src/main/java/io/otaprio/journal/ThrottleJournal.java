package io.otaprio.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.otaprio.journal.ThrottleRecordDescriptor.*;

/**
 * The summary of throttled alerts, so that an alert storm cut by the engine is on record, not silently lost: one
 * document per (device, alert code, window) in which alerts were throttled, with how many, in its own Chronicle
 * Queue beside the accepted and outcome queues ({@code DIR/throttled}), in the {@link ThrottleRecordDescriptor}
 * layout. Recovery does not read it.
 * <p>
 * {@link #append} encodes into a preallocated record and copies it into the document: no allocation.
 * <p>
 * Threading: single writer, the admission thread: open on any thread, then append from one thread at a time and
 * close after it has stopped appending, or from it. {@link #failures()} and {@link #lastFailure()} may be read from
 * any thread. {@link #read} opens its own read-only queue.
 */
public final class ThrottleJournal extends JournalWriter
{
    /** The queue's directory under the journal root. */
    public static final String QUEUE = "throttled";

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer record = new UnsafeBuffer(new byte[RECORD_LENGTH]);

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
        return JournalDirectory.openForAppending(
            config, directory, (queue) -> new ThrottleJournal(config, queue, directory));
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
        record.putLong(DEVICE_OFFSET, device, ORDER);
        record.putInt(CODE_OFFSET, code, ORDER);
        record.putLong(THROTTLED_OFFSET, throttled, ORDER);
        record.putLong(WINDOW_START_OFFSET, windowStartNs, ORDER);
        record.putLong(WINDOW_END_OFFSET, windowEndNs, ORDER);
        return appendWhole(record.byteArray(), RECORD_LENGTH);
    }

    /**
     * Read every summary. Needs no writer and takes no lock: the queue is opened read-only.
     *
     * @param config the journal.
     * @return every summary, oldest first; empty when there are none.
     * @throws JournalException naming the queue, the index and the length when a document is not a layout version 1
     *                          record ({@link ThrottleRecordDescriptor#RECORD_LENGTH} bytes exactly), or when the queue
     *                          cannot be opened.
     */
    public static List<ThrottleSummary> read(final JournalConfig config)
    {
        final List<ThrottleSummary> summaries = new ArrayList<>();
        JournalDirectory.forEachDocument(config, QUEUE, RECORD_LENGTH, (document) ->
        {
            if (document.length() != RECORD_LENGTH)
            {
                throw new JournalException("journal queue " + config.directory().resolve(QUEUE) + ": document at " +
                    "index " + Long.toHexString(document.index()) + " is " + document.length() + " bytes, not a " +
                    "throttle summary of layout version " + LAYOUT_VERSION + " (" + RECORD_LENGTH + " bytes " +
                    "exactly): written by another version, refusing to read it");
            }
            final UnsafeBuffer bytes = document.buffer();
            summaries.add(new ThrottleSummary(
                bytes.getLong(DEVICE_OFFSET, ORDER),
                bytes.getInt(CODE_OFFSET, ORDER),
                bytes.getLong(THROTTLED_OFFSET, ORDER),
                bytes.getLong(WINDOW_START_OFFSET, ORDER),
                bytes.getLong(WINDOW_END_OFFSET, ORDER)));
        });
        return summaries;
    }
}
