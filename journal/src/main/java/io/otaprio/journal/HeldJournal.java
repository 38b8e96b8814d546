package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

import static io.otaprio.journal.HeldRecordDescriptor.*;

/**
 * The held queue ({@code DIR/held}): future-dated requests admission holds until they fall due, in the
 * {@link HeldRecordDescriptor} layout, one document per record. A store of their own: a request held for years is
 * never in the accepted journal while it waits, so the completion watermark, checkpoints and the accepted and outcome
 * journals' retention never wait for it. When it falls due admission appends it to the accepted journal under a new
 * message id and then records RELEASED here.
 * <p>
 * Retention of this queue: a roll cycle is deleted once it is older than the cycle of every live HELD record. A live
 * request whose record is more than {@link JournalConfig#retainCompletedCycles()} cycles old is first copied forward
 * (a new HELD record of the same id in the current cycle; recovery keeps the latest), so a request held for years
 * costs one copy of itself every few cycles, not years of cycle files. Deleting only a run of cycles from the oldest
 * keeps every RELEASED and CANCELLED record at least as long as the HELD record it resolves.
 * <p>
 * Threading: single writer, the admission thread (appends, reads by index, retention). Open on any thread.
 * {@link #recover} opens its own read-only queue.
 */
public final class HeldJournal extends JournalWriter implements HeldLog
{
    /** The queue's directory under the journal root. */
    public static final String QUEUE = "held";

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private final ExcerptTailer tailer;
    private final DocumentCopy document;
    private final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
    private long deletedFiles;

    private HeldJournal(final JournalConfig config, final SingleChronicleQueue queue, final Path directory)
    {
        super("held journal", config, queue, directory);
        this.document = new DocumentCopy(HEADER_LENGTH + AcceptedMessageDescriptor.encodedLength(
            config.payloadCapacity()));
        this.tailer = queue.createTailer();
        this.tailer.singleThreadedCheckDisabled(true);
        header.putShort(VERSION_OFFSET, LAYOUT_VERSION, ORDER);
    }

    /**
     * @param config the journal.
     * @return a writer of the held queue.
     * @throws JournalException if the queue cannot be opened.
     */
    public static HeldJournal open(final JournalConfig config)
    {
        final Path directory = directory(config);
        return JournalDirectory.openForAppending(
            config, directory, (queue) -> new HeldJournal(config, queue, directory));
    }

    /**
     * @param config the journal.
     * @return the held queue's directory.
     */
    public static Path directory(final JournalConfig config)
    {
        return config.directory().resolve(QUEUE);
    }

    public long held(
        final long heldId, final long dueNs, final int level, final DirectBuffer bytes, final int offset,
        final int length)
    {
        return write(TYPE_HELD, level, heldId, dueNs, bytes, offset, length);
    }

    public boolean released(final long heldId, final long messageId)
    {
        return write(TYPE_RELEASED, 0, heldId, messageId, null, 0, 0) >= 0;
    }

    public boolean cancelled(final long heldId)
    {
        return write(TYPE_CANCELLED, 0, heldId, 0, null, 0, 0) >= 0;
    }

    public AcceptedMessageFlyweight read(final long index)
    {
        if (!readRecord(index))
        {
            return null;
        }
        return message.wrap(document.buffer(), MESSAGE_OFFSET);
    }

    public long copyForward(final long index)
    {
        if (!readRecord(index))
        {
            return -1;
        }
        final UnsafeBuffer record = document.buffer();
        return write(TYPE_HELD, record.getByte(LEVEL_OFFSET), record.getLong(HELD_ID_OFFSET, ORDER),
            record.getLong(VALUE_OFFSET, ORDER), record, MESSAGE_OFFSET, document.length() - MESSAGE_OFFSET);
    }

    public int partOf(final long index)
    {
        return queue().rollCycle().toCycle(index);
    }

    public int currentPart()
    {
        return queue().cycle();
    }

    public int dropPartsBefore(final int part)
    {
        final SingleChronicleQueue queue = queue();
        queue.refreshDirectoryListing();
        if (!JournalDirectory.hasQueueFiles(directory(config())) || queue.firstCycle() >= queue.lastCycle())
        {
            return 0;
        }
        final int keep = Math.min(part, queue.cycle());
        int deleted = 0;
        for (final Object listed : queue.listCyclesBetween(queue.firstCycle(), Math.max(queue.firstCycle(),
            queue.lastCycle())))
        {
            final int cycle = ((Number)listed).intValue();
            if (cycle >= keep || cycle >= queue.lastCycle())
            {
                continue;
            }
            final File file = JournalDirectory.cycleFile(queue, cycle);
            if (null == file)
            {
                continue;
            }
            try
            {
                Files.deleteIfExists(file.toPath());
                deleted++;
            }
            catch (final IOException | RuntimeException ex)
            {
                fail("held retention could not delete " + file + ": " + ex);
                break;
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
            deletedFiles += deleted;
        }
        return deleted;
    }

    /** @return roll cycle files retention deleted since open. */
    public long deletedFiles()
    {
        return deletedFiles;
    }

    /**
     * Scan the held queue: the live requests, every held id named, the highest. Needs no writer and takes no lock.
     *
     * @param config the journal.
     * @return what was found; nothing when the queue does not exist.
     * @throws JournalException naming the queue and index of a document that is not of this layout version.
     */
    public static HeldRecovery recover(final JournalConfig config)
    {
        final HeldRecovery found = new HeldRecovery();
        final Path directory = directory(config);
        if (!JournalDirectory.hasQueueFiles(directory))
        {
            return found;
        }
        final Long2ObjectHashMap<HeldRequest> live = new Long2ObjectHashMap<>();
        final DocumentCopy copy = new DocumentCopy(4096);
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, directory, true);
            ExcerptTailer reader = queue.createTailer())
        {
            while (copy.readNext(reader))
            {
                final UnsafeBuffer record = copy.buffer();
                if (copy.length() < HEADER_LENGTH || record.getShort(VERSION_OFFSET, ORDER) != LAYOUT_VERSION)
                {
                    throw new JournalException("journal queue " + directory + ": document at index " +
                        Long.toHexString(copy.index()) + " is not a held record of layout version " + LAYOUT_VERSION +
                        ": written by another version, refusing to read it");
                }
                final long heldId = record.getLong(HELD_ID_OFFSET, ORDER);
                switch (record.getByte(TYPE_OFFSET))
                {
                    case TYPE_HELD:
                        if (copy.length() < MESSAGE_OFFSET + AcceptedMessageDescriptor.HEADER_LENGTH)
                        {
                            throw new JournalException("journal queue " + directory + ": HELD record at index " +
                                Long.toHexString(copy.index()) + " is too short for its message");
                        }
                        final UnsafeBuffer messageHeader =
                            new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]);
                        messageHeader.putBytes(0, record, MESSAGE_OFFSET, AcceptedMessageDescriptor.HEADER_LENGTH);
                        live.put(heldId, new HeldRequest(heldId, record.getLong(VALUE_OFFSET, ORDER),
                            record.getByte(LEVEL_OFFSET), copy.index(), messageHeader));
                        found.noteHeld(heldId);
                        break;
                    case TYPE_RELEASED:
                    case TYPE_CANCELLED:
                        live.remove(heldId);
                        break;
                    default:
                        break;
                }
            }
        }
        found.live().addAll(live.values());
        found.live().sort(Comparator.comparingLong(HeldRequest::dueNs).thenComparingLong(HeldRequest::heldId));
        return found;
    }

    @Override
    protected void closeOthers()
    {
        tailer.close();
    }

    private boolean readRecord(final long index)
    {
        if (isClosed() || index < 0)
        {
            return false;
        }
        try
        {
            return tailer.moveToIndex(index) && document.readNext(tailer) && document.index() == index &&
                document.length() >= MESSAGE_OFFSET + AcceptedMessageDescriptor.HEADER_LENGTH &&
                document.buffer().getByte(TYPE_OFFSET) == TYPE_HELD;
        }
        catch (final RuntimeException ex)
        {
            fail("held journal read at " + Long.toHexString(index) + ": " + ex);
            return false;
        }
    }

    private long write(
        final int type, final int level, final long heldId, final long value, final DirectBuffer bytes,
        final int offset, final int length)
    {
        if (failIfClosed() || failIfSpaceLow())
        {
            return -1;
        }
        header.putByte(TYPE_OFFSET, (byte)type);
        header.putByte(LEVEL_OFFSET, (byte)level);
        header.putLong(HELD_ID_OFFSET, heldId, ORDER);
        header.putLong(VALUE_OFFSET, value, ORDER);
        try (DocumentContext dc = appender().writingDocument())
        {
            try
            {
                dc.wire().bytes().write(header.byteArray(), 0, HEADER_LENGTH);
                if (length > 0)
                {
                    final byte[] array = bytes.byteArray();
                    if (null != array)
                    {
                        dc.wire().bytes().write(array, bytes.wrapAdjustment() + offset, length);
                    }
                    else
                    {
                        for (int i = 0; i < length; i++)
                        {
                            dc.wire().bytes().writeByte(bytes.getByte(offset + i));
                        }
                    }
                }
                return dc.index();
            }
            catch (final Throwable t)
            {
                dc.rollbackOnClose();
                throw t;
            }
        }
        catch (final Throwable t)
        {
            fail(t.toString());
            return -1;
        }
    }
}
