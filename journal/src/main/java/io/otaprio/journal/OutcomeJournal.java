package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import static io.otaprio.journal.OutcomeRecordDescriptor.*;

/**
 * The outcomes queue (the completed journal): DISPATCHED, COMPLETED and CHECKPOINT records in the
 * {@link OutcomeRecordDescriptor} layout, buffered and written as one document per {@link #flush()}.
 * <p>
 * Buffering: {@link #dispatched} and {@link #completed} only copy 32 bytes into a preallocated batch; no I/O, no
 * allocation (the batch doubles if a duty cycle ever buffers more than {@link JournalConfig#outcomeBatchCapacity()}
 * records, and stays that size). {@link #flush()} writes the batch, at most
 * {@link OutcomeRecordDescriptor#MAX_RECORDS_PER_DOCUMENT} records per document, then syncs per the configuration.
 * A failed flush keeps the unwritten records for the next attempt and never writes a record twice.
 * <p>
 * Checkpoint and retention: {@link #checkpoint} writes a CHECKPOINT record, flushes, then deletes old roll cycle
 * files that no recovery can need:
 * <ul>
 *     <li>outcomes cycles older than the cycle holding that checkpoint record, every record of which references a
 *     message id below the watermark. The writer knows the highest id it wrote to each cycle (it tracks them per
 *     {@code appender().cycle()}, and scans cycles left by earlier runs once at open);</li>
 *     <li>accepted cycles other than the newest file whose last message id is below the watermark (ids rise
 *     in queue order, so every id in them is below it), and which, when {@code acceptedIndex} is known, lie before
 *     the cycle of that index. Checked by reading the last message of each candidate cycle;</li>
 *     <li>in each queue only a run of such cycles from the oldest is considered, and the most recent
 *     {@link JournalConfig#retainCompletedCycles()} of that run are kept. The current cycle and any cycle holding
 *     a pending message or a record about one are never deleted.</li>
 * </ul>
 * A cycle file is deleted only once this journal's own handles on it are released (a scratch tailer closed per
 * run); then {@code refreshDirectoryListing()} tells this process's queues. Another queue instance that still
 * maps a deleted file keeps reading its (unlinked) pages until it moves on; the space is freed then.
 * Retention lists directories and reads one message per candidate cycle: it allocates a little and costs
 * milliseconds, so checkpoint every few seconds, not per message.
 * <p>
 * {@link #close()} does not flush: call {@link #flush()} first for a clean stop.
 * <p>
 * Threading: single writer, the scheduler thread. Open on any thread, then call everything but
 * {@link #failures()} and {@link #lastFailure()} from one thread at a time.
 */
public final class OutcomeJournal extends JournalWriter implements OutcomeLog
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final SingleChronicleQueue acceptedQueue;
    private final boolean sync;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private final DocumentCopy document = new DocumentCopy(4096);
    private final OutcomeCycles cycles;
    private final CompletionWatermark watermark;
    private final long checkpointIntervalNs;
    private long checkpointedWatermark;
    private long nextCheckpointNs;
    private UnsafeBuffer batch;
    private int count;
    private long documents;
    private long deletedFiles;

    private OutcomeJournal(
        final JournalConfig config,
        final SingleChronicleQueue queue,
        final SingleChronicleQueue acceptedQueue,
        final CompletionWatermark watermark,
        final OutcomeCycles cycles)
    {
        super("outcome journal", config, queue, config.outcomesDirectory());
        this.acceptedQueue = acceptedQueue;
        this.watermark = watermark;
        this.checkpointedWatermark = watermark.value();
        this.checkpointIntervalNs = config.checkpointIntervalNs();
        this.sync = config.sync() != JournalSync.NONE;
        this.batch = new UnsafeBuffer(new byte[config.outcomeBatchCapacity() * RECORD_LENGTH]);
        header.putShort(VERSION_OFFSET, LAYOUT_VERSION, ORDER);
        header.putShort(RECORD_LENGTH_FIELD_OFFSET, (short)RECORD_LENGTH, ORDER);

        // The highest id each existing cycle references, so retention can judge cycles of earlier runs: from
        // recovery's scan when it was handed one, else read now.
        this.cycles = cycles;
        if (!cycles.isScanned())
        {
            try (ExcerptTailer tailer = queue.createTailer())
            {
                OutcomeScan.scan(tailer, config.outcomesDirectory(), document, cycles);
            }
        }
    }

    /**
     * Open (creating if new) the outcomes journal for appending, with no completion watermark of its own to checkpoint
     * (tools and tests that write {@link #checkpoint(long, long)} themselves).
     *
     * @param config of the journal.
     * @return the journal.
     * @throws JournalException when the directory cannot be created, read or written, or holds outcomes of
     *                          another layout version (every existing document is checked).
     */
    public static OutcomeJournal open(final JournalConfig config)
    {
        return open(config, new CompletionWatermark(0, new LongHashSet()), new OutcomeCycles());
    }

    /**
     * Open (creating if new) the outcomes journal for the engine: it tracks the completion watermark from what
     * recovery found and checkpoints it every {@link JournalConfig#checkpointIntervalNs()} ({@link #checkpointIfDue}).
     *
     * @param config         of the journal.
     * @param recovered      what recovery found in it.
     * @param firstMessageId the id the engine gives its next message.
     * @return the journal.
     * @throws JournalException when the directory cannot be created, read or written, or holds outcomes of
     *                          another layout version (every existing document is checked).
     */
    public static OutcomeJournal open(final JournalConfig config, final Recovered recovered, final long firstMessageId)
    {
        return open(config, CompletionWatermark.of(recovered, firstMessageId), recovered.outcomeCycles());
    }

    private static OutcomeJournal open(
        final JournalConfig config, final CompletionWatermark watermark, final OutcomeCycles cycles)
    {
        JournalDirectory.prepareForWriting(config);
        final SingleChronicleQueue acceptedQueue =
            JournalDirectory.openQueue(config, config.acceptedDirectory(), false);
        try
        {
            return JournalDirectory.openQueue(config, config.outcomesDirectory(), "append to",
                (queue) -> new OutcomeJournal(config, queue, acceptedQueue, watermark, cycles));
        }
        catch (final RuntimeException ex)
        {
            acceptedQueue.close();
            throw ex;
        }
    }

    /**
     * Buffer a DISPATCHED record. No I/O.
     *
     * @param messageId    the message handed to the dispatcher.
     * @param dispatchedNs when, epoch nanos.
     */
    public void dispatched(final long messageId, final long dispatchedNs)
    {
        add(TYPE_DISPATCHED, 0, messageId, dispatchedNs, 0);
    }

    /**
     * Buffer a COMPLETED record. No I/O.
     *
     * @param messageId    the message.
     * @param dispatchedNs when it was dispatched, epoch nanos.
     * @param completedNs  when it completed, epoch nanos.
     * @param outcome      the dispatcher's outcome code (0..255).
     */
    public void completed(final long messageId, final long dispatchedNs, final long completedNs, final int outcome)
    {
        add(TYPE_COMPLETED, outcome, messageId, dispatchedNs, completedNs);
        watermark.completed(messageId);
    }

    /**
     * Buffer a SKIPPED record and step the completion watermark over the id. No I/O.
     *
     * @param messageId an id given to a held request, never in the accepted journal.
     */
    public void skipped(final long messageId)
    {
        add(TYPE_SKIPPED, 0, messageId, 0, 0);
        watermark.completed(messageId);
    }

    /**
     * Checkpoint the completion watermark when the interval has passed since the last look and it has moved.
     * Cheap when it is not time yet; call it every duty cycle.
     *
     * @param nowNs now; {@code Long.MAX_VALUE} checkpoints at once if the watermark moved (a clean stop).
     * @return 1 when a checkpoint was written, else 0.
     */
    public int checkpointIfDue(final long nowNs)
    {
        if (nowNs < nextCheckpointNs)
        {
            return 0;
        }
        nextCheckpointNs = Long.MAX_VALUE == nowNs ? nowNs : nowNs + checkpointIntervalNs;
        final long value = watermark.value();
        if (value == checkpointedWatermark)
        {
            return 0;
        }
        checkpointedWatermark = value;
        checkpoint(value, acceptedIndexAtOrBelow(value));
        return 1;
    }

    /** @return every message id below this is complete, as far as this journal has been told. */
    public long watermark()
    {
        return watermark.value();
    }

    /**
     * Write everything buffered, one document per {@link OutcomeRecordDescriptor#MAX_RECORDS_PER_DOCUMENT}
     * records (so one document per call in practice), then sync per the configuration. Call it before dispatching
     * the messages just recorded with {@link #dispatched}, so their DISPATCHED records are in the journal first.
     *
     * @return records written (0 when nothing was buffered), or -1 on failure: unwritten records stay buffered
     * for the next call, see {@link #lastFailure()}.
     */
    public int flush()
    {
        if (0 == count)
        {
            return 0;
        }
        if (failIfClosed())
        {
            return -1;
        }
        if (failIfSpaceLow())
        {
            // Buffered, not lost: written by the first flush after space returns.
            return -1;
        }

        int written = 0;
        try
        {
            while (written < count)
            {
                final int n = Math.min(count - written, MAX_RECORDS_PER_DOCUMENT);
                header.putInt(RECORD_COUNT_OFFSET, n, ORDER);
                final long end;
                try (DocumentContext dc = appender().writingDocument())
                {
                    try
                    {
                        end = dc.wire().bytes()
                            .write(header.byteArray(), 0, HEADER_LENGTH)
                            .write(batch.byteArray(), written * RECORD_LENGTH, n * RECORD_LENGTH)
                            .writePosition();
                    }
                    catch (final Throwable t)
                    {
                        dc.rollbackOnClose();
                        throw t;
                    }
                }
                appended(end);
                noteIds(appender().cycle(), written, n);
                written += n;
                documents++;
            }
            if (sync)
            {
                appender().sync();
            }
            count = 0;
            return written;
        }
        catch (final Throwable t)
        {
            if (written > 0)
            {
                // Those documents are in the queue: keep only the rest so that a retry never repeats a record.
                batch.putBytes(0, batch, written * RECORD_LENGTH, (count - written) * RECORD_LENGTH);
                count -= written;
            }
            fail(t.toString());
            return -1;
        }
    }

    /**
     * Record that every message id below {@code watermarkId} is complete, flush, then run retention (see the
     * class comment). Allocates a little and touches the file system: call it periodically, not per message.
     *
     * @param watermarkId   every id below this is complete.
     * @param acceptedIndex accepted-queue index of message {@code watermarkId}, where recovery starts scanning, or
     *                      -1 when unknown (recovery then scans all retained accepted data).
     * @return roll cycle files deleted by retention, or -1 when the checkpoint could not be written (buffered
     * records stay buffered, retention is skipped).
     */
    public int checkpoint(final long watermarkId, final long acceptedIndex)
    {
        add(TYPE_CHECKPOINT, 0, watermarkId, acceptedIndex, 0);
        if (flush() < 0)
        {
            return -1;
        }
        try
        {
            final int deleted = retainOutcomes(watermarkId) + retainAccepted(watermarkId, acceptedIndex);
            deletedFiles += deleted;
            return deleted;
        }
        catch (final Throwable t)
        {
            fail("retention: " + t);
            return 0;
        }
    }

    /** @return records buffered and not yet written. */
    public int bufferedRecords()
    {
        return count;
    }

    /** @return documents written since open. */
    public long documents()
    {
        return documents;
    }

    /** @return roll cycle files deleted by retention since open, both queues. */
    public long deletedFiles()
    {
        return deletedFiles;
    }

    /**
     * Release the accepted queue retention deletes from, after this journal's own queue.
     */
    @Override
    protected void closeOthers()
    {
        acceptedQueue.close();
    }

    private void add(final int type, final int outcome, final long messageId, final long a, final long b)
    {
        if (count * RECORD_LENGTH == batch.capacity())
        {
            final UnsafeBuffer larger = new UnsafeBuffer(new byte[batch.capacity() * 2]);
            larger.putBytes(0, batch, 0, count * RECORD_LENGTH);
            batch = larger;
        }
        final int offset = count * RECORD_LENGTH;
        batch.putLong(offset, 0L);   // type, outcome and the reserved bytes in one store
        batch.putByte(offset + TYPE_OFFSET, (byte)type);
        batch.putByte(offset + OUTCOME_OFFSET, (byte)outcome);
        batch.putLong(offset + MESSAGE_ID_OFFSET, messageId, ORDER);
        batch.putLong(offset + DISPATCHED_NS_OFFSET, a, ORDER);
        batch.putLong(offset + COMPLETED_NS_OFFSET, b, ORDER);
        count++;
    }

    private void noteIds(final int cycle, final int from, final int n)
    {
        long max = OutcomeCycles.NO_ID;
        for (int i = from, end = from + n; i < end; i++)
        {
            final int offset = i * RECORD_LENGTH;
            if ((batch.getByte(offset + TYPE_OFFSET) & 0xFF) != TYPE_CHECKPOINT)
            {
                max = Math.max(max, batch.getLong(offset + MESSAGE_ID_OFFSET, ORDER));
            }
        }
        cycles.note(cycle, max);
    }

    private int retainOutcomes(final long watermarkId)
    {
        queue().refreshDirectoryListing();
        final int current = appender().cycle();   // holds the checkpoint just written
        final int first = queue().firstCycle();
        if (first >= current)
        {
            return 0;
        }
        final List<Integer> complete = new ArrayList<>();
        for (final int cycle : cycles(queue(), first, current - 1))
        {
            final long maxId = cycles.maxId(cycle);
            // NO_ID: a cycle this writer never saw a record in (empty, or only EOF markers).
            if (maxId != OutcomeCycles.NO_ID && maxId >= watermarkId)
            {
                break;
            }
            complete.add(cycle);
        }
        final int deleted = delete(queue(), complete);
        for (int i = 0; i < deleted; i++)
        {
            cycles.remove(complete.get(i));
        }
        return deleted;
    }

    private int retainAccepted(final long watermarkId, final long acceptedIndex)
    {
        acceptedQueue.refreshDirectoryListing();
        final int first = acceptedQueue.firstCycle();
        final int last = acceptedQueue.lastCycle();   // the writer's current cycle, or older: never deleted
        if (first >= last)
        {
            return 0;
        }
        final RollCycle rollCycle = acceptedQueue.rollCycle();
        final int limitCycle = acceptedIndex >= 0 ? rollCycle.toCycle(acceptedIndex) : Integer.MAX_VALUE;
        final List<Integer> complete = new ArrayList<>();
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
        try (ExcerptTailer tailer = acceptedQueue.createTailer())
        {
            for (final int c : cycles(acceptedQueue, first, last - 1))
            {
                if (c >= limitCycle || lastMessageId(tailer, rollCycle, c, message) >= watermarkId)
                {
                    break;
                }
                complete.add(c);
            }
        }
        return delete(acceptedQueue, complete);
    }

    private long lastMessageId(
        final ExcerptTailer tailer, final RollCycle rollCycle, final int cycle, final AcceptedMessageFlyweight message)
    {
        final long excerpts = tailer.excerptsInCycle(cycle);
        if (excerpts == 0)
        {
            return Long.MIN_VALUE;
        }
        // Cannot tell: keep it.
        return excerpts < 0 ? Long.MAX_VALUE : messageIdAt(tailer, rollCycle.toIndex(cycle, excerpts - 1), message);
    }

    /**
     * Where recovery's accepted scan may start for a watermark: the index of the last accepted message whose id is at
     * or below it. Ids rise in queue order, so everything before it is below the watermark (complete), and the
     * message at the watermark, the lowest that may be pending, is at it or after it. Binary search by sequence
     * within the newest cycle that starts at or below the watermark: about log2(messages in the cycle) reads, each a
     * Chronicle index lookup, once per checkpoint.
     *
     * @param watermarkId every id below it is complete.
     * @return the index, or -1 when there is none or a message on the way cannot be read (recovery then scans all
     * retained accepted data, which is always right).
     */
    long acceptedIndexAtOrBelow(final long watermarkId)
    {
        acceptedQueue.refreshDirectoryListing();
        final int first = acceptedQueue.firstCycle();
        final int last = acceptedQueue.lastCycle();
        if (first > last || first < 0)
        {
            return -1;
        }
        final RollCycle rollCycle = acceptedQueue.rollCycle();
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
        try (ExcerptTailer tailer = acceptedQueue.createTailer())
        {
            final int[] cycles = cycles(acceptedQueue, first, last);
            for (int i = cycles.length - 1; i >= 0; i--)
            {
                final int cycle = cycles[i];
                final long excerpts = tailer.excerptsInCycle(cycle);
                if (excerpts <= 0)
                {
                    continue;
                }
                final long firstId = messageIdAt(tailer, rollCycle.toIndex(cycle, 0), message);
                if (firstId == Long.MAX_VALUE)
                {
                    return -1;
                }
                if (firstId > watermarkId)
                {
                    continue;
                }
                // Invariant: the message at sequence lo has an id at or below the watermark.
                long lo = 0;
                long hi = excerpts - 1;
                while (lo < hi)
                {
                    final long mid = (lo + hi + 1) >>> 1;
                    // An unreadable message (the newest may still be being written) counts as above: the answer
                    // can only move earlier, and scanning more is always right.
                    if (messageIdAt(tailer, rollCycle.toIndex(cycle, mid), message) <= watermarkId)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }
                return rollCycle.toIndex(cycle, lo);
            }
        }
        return -1;
    }

    /**
     * @return the id of the accepted message at an index, or Long.MAX_VALUE when it cannot be read.
     */
    private long messageIdAt(final ExcerptTailer tailer, final long index, final AcceptedMessageFlyweight message)
    {
        if (!tailer.moveToIndex(index) || !document.readNext(tailer) || document.index() != index)
        {
            return Long.MAX_VALUE;
        }
        message.wrap(document.buffer(), 0);
        if (document.length() < AcceptedMessageDescriptor.HEADER_LENGTH ||
            message.version() != AcceptedMessageDescriptor.LAYOUT_VERSION)
        {
            return Long.MAX_VALUE;
        }
        return message.messageId();
    }

    /**
     * @return the cycles from {@code from} to {@code to} that have files, in order; {@code from} must have one.
     */
    private static int[] cycles(final SingleChronicleQueue target, final int from, final int to)
    {
        // Chronicle lists only between two cycles that both have files, and a cycle in which nothing was written
        // has none (the one before the current, after a quiet spell): list up to the newest file, keep up to `to`.
        // A NavigableSet<Long>; copied to sorted ints, read as Numbers to be safe.
        final Collection<?> listed = target.listCyclesBetween(from, Math.max(from, target.lastCycle()));
        final int[] cycles = new int[listed.size()];
        int n = 0;
        for (final Object cycle : listed)
        {
            final int c = ((Number)cycle).intValue();
            if (c <= to)
            {
                cycles[n++] = c;
            }
        }
        Arrays.sort(cycles, 0, n);
        return Arrays.copyOf(cycles, n);
    }

    private int delete(final SingleChronicleQueue target, final List<Integer> completeCycles)
    {
        final int toDelete = completeCycles.size() - config().retainCompletedCycles();
        int deleted = 0;
        for (int i = 0; i < toDelete; i++)
        {
            final File file = JournalDirectory.cycleFile(target, completeCycles.get(i));
            if (null == file)
            {
                break;
            }
            try
            {
                Files.deleteIfExists(file.toPath());
            }
            catch (final Exception ex)
            {
                fail("retention could not delete " + file + ": " + ex);
                break;
            }
            deleted++;
        }
        if (deleted > 0)
        {
            target.refreshDirectoryListing();
        }
        return deleted;
    }
}
