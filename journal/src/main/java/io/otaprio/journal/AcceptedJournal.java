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
 * Hot path: {@link #append} encodes into a reusable scratch buffer and copies it into the document, allocating
 * nothing (the scratch grows once if a payload exceeds {@link JournalConfig#payloadCapacity()}). Failures are
 * return values: -1, counted by {@link #failures()}, described by {@link #lastFailure()}.
 * <p>
 * Threading: single writer. Open on any thread, then append from one thread at a time (the admission thread);
 * {@link #close()} after that thread has stopped appending, or from it. {@link #failures()} and
 * {@link #lastFailure()} may be read from any thread (volatile fields only the writer updates).
 */
public final class AcceptedJournal extends JournalWriter
{
    private final boolean sync;
    private final AcceptedMessageFlyweight flyweight = new AcceptedMessageFlyweight();
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
        final SingleChronicleQueue queue = JournalDirectory.openQueue(config, config.acceptedDirectory(), false);
        try
        {
            return new AcceptedJournal(config, queue);
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw new JournalException("cannot append to journal queue " + config.acceptedDirectory() + ": " + ex,
                ex);
        }
    }

    /**
     * Append one accepted message as one document.
     *
     * @param messageId     engine message id, higher than every id appended before.
     * @param kind          message kind value.
     * @param level         priority level 1..4.
     * @param code          packed SRV code or alert code.
     * @param originator    RequestID originator EUI-64.
     * @param target        RequestID target EUI-64.
     * @param counter       RequestID counter (unsigned).
     * @param acceptTimeNs  accept time, epoch nanos.
     * @param trtNs         TRT budget, nanos.
     * @param payload       payload bytes (may be null when {@code payloadLength} is 0).
     * @param payloadOffset where the payload starts.
     * @param payloadLength payload length in bytes.
     * @return the Chronicle index of the appended document (&gt;= 0), or -1 when it could not be written (journal
     * closed, I/O failure, bad arguments): the caller must then reject the message as UNAVAILABLE.
     */
    public long append(
        final long messageId,
        final int kind,
        final int level,
        final int code,
        final long originator,
        final long target,
        final long counter,
        final long acceptTimeNs,
        final long trtNs,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
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
        if (payloadLength < 0 || (payloadLength > 0 && null == payload) || payloadLength > (1 << 30))
        {
            fail("invalid payload length " + payloadLength);
            return -1;
        }
        if (failIfSpaceLow())
        {
            return -1;
        }

        try
        {
            final int required = AcceptedMessageDescriptor.encodedLength(payloadLength);
            if (scratch.capacity() < required)
            {
                scratch.wrap(new byte[required]);   // once per new largest payload, never in steady state
            }
            final int length = flyweight.wrap(scratch, 0).encode(
                messageId, kind, level, code, originator, target, counter, acceptTimeNs, trtNs,
                payload, payloadOffset, payloadLength);

            final long index;
            try (DocumentContext dc = appender().writingDocument())
            {
                try
                {
                    dc.wire().bytes().write(scratch.byteArray(), 0, length);
                    // The context knows its own index; asking the appender afterwards costs an index lookup.
                    index = dc.index();
                }
                catch (final Throwable t)
                {
                    // Never leave half a message in the queue for recovery to trip over.
                    dc.rollbackOnClose();
                    throw t;
                }
            }
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
}
