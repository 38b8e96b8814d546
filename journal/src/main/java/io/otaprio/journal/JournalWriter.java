package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * The plumbing every journal writer shares: one Chronicle queue and its one appender, closed together and once; a
 * {@link DiskSpaceGuard} asked before each write; and failures counted, not thrown. A write that cannot happen
 * (journal closed, file system nearly full, I/O error) is a return value of the subclass's write method, counted by
 * {@link #failures()} and described by {@link #lastFailure()}; the caller decides what it means (admission answers
 * UNAVAILABLE, the scheduler keeps its records buffered, a throttle summary is only counted).
 * <p>
 * Threading: single writer. Open on any thread, then write from one thread at a time and {@link #close()} after
 * that thread has stopped writing, or from it. The appender is created on the opening thread and used on the
 * writing one, so Chronicle's per-thread ownership check is off: single writer is the contract it would enforce.
 * {@link #failures()}, {@link #lastFailure()} and {@link #isClosed()} may be read from any thread: volatile fields
 * that only the writer updates (a volatile read on the append path is a plain load on x86).
 */
public abstract sealed class JournalWriter implements AutoCloseable
    permits AcceptedJournal, OutcomeJournal, ThrottleJournal, HeldJournal, PolicyJournal
{
    private final JournalConfig config;
    private final SingleChronicleQueue queue;
    private final DiskSpaceGuard space;
    private final ExcerptAppender appender;
    private final JournalToucher toucher;
    private final String closedReason;
    private volatile long failures;
    private volatile String lastFailure;
    private volatile boolean closed;

    /**
     * Create the appender of an open queue. Should a constructor throw, the opening method closes the queue, and
     * Chronicle the appender with it.
     *
     * @param name      what failure reasons call this journal, such as {@code "accepted journal"}.
     * @param config    of the journal.
     * @param queue     the queue to append to, opened for writing; {@link #close()} releases it.
     * @param directory the queue's directory, whose file system the disk-space guard watches.
     * @throws JournalException when the directory's file system cannot be read.
     */
    JournalWriter(final String name, final JournalConfig config, final SingleChronicleQueue queue, final Path directory)
    {
        this.config = config;
        this.queue = queue;
        this.closedReason = name + " is closed";
        this.space = new DiskSpaceGuard(directory, config.minFreeBytes());
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        this.toucher = JournalToucher.forWriter(config, directory);
    }

    /** @return the configuration. */
    public final JournalConfig config()
    {
        return config;
    }

    /** @return writes that failed since open: appends, flushes, checkpoints or retention runs, per subclass. */
    public final long failures()
    {
        return failures;
    }

    /** @return why the latest failure happened, or null if none has. */
    public final String lastFailure()
    {
        return lastFailure;
    }

    /**
     * @return what faults in the pages just ahead of this writer, from an idle duty cycle on any thread; closed with
     * the writer.
     */
    public final JournalToucher toucher()
    {
        return toucher;
    }

    /** @return true once closed. */
    public final boolean isClosed()
    {
        return closed;
    }

    /**
     * Release the appender, then the queue, then anything else the subclass holds; later writes fail. Idempotent.
     * Writes nothing: a subclass that buffers says how to flush first.
     */
    public final void close()
    {
        if (!closed)
        {
            closed = true;
            try
            {
                // Before the queue lets go of the file, so that nothing touches a page of it after close.
                toucher.close();
                appender.close();
            }
            finally
            {
                try
                {
                    queue.close();
                }
                finally
                {
                    closeOthers();
                }
            }
        }
    }

    /**
     * Release what a subclass holds besides its queue and appender. Called once, by the first {@link #close()},
     * after both.
     */
    protected void closeOthers()
    {
    }

    /**
     * Writer thread, after a document is complete: tell the toucher where the writer is.
     *
     * @param position file offset just past the document, from its wire's write position.
     */
    protected final void appended(final long position)
    {
        toucher.appended(appender, position);
    }

    /** @return the queue written to. */
    protected final SingleChronicleQueue queue()
    {
        return queue;
    }

    /** @return the queue's appender, for the writing thread only. */
    protected final ExcerptAppender appender()
    {
        return appender;
    }

    /**
     * Append one whole document of the given bytes, or nothing: a reader of a side queue (throttled, policy) refuses a
     * document of any other length. Never throws: a failure is counted.
     *
     * @param bytes  the record.
     * @param length its length.
     * @return true when written; false when the write failed, see {@link #lastFailure()}.
     */
    protected final boolean appendWhole(final byte[] bytes, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            try
            {
                dc.wire().bytes().write(bytes, 0, length);
            }
            catch (final Throwable t)
            {
                dc.rollbackOnClose();
                throw t;
            }
            return true;
        }
        catch (final Throwable t)
        {
            fail(t.toString());
            return false;
        }
    }

    /**
     * Count a failed write; the caller returns its failure value.
     *
     * @param reason what went wrong, for {@link #lastFailure()}.
     */
    @SuppressWarnings("NonAtomicOperationOnVolatileField")
    protected final void fail(final String reason)
    {
        // Single writer: the volatiles are for readers on other threads, the increment is never contended.
        failures++;
        lastFailure = reason;
    }

    /**
     * @return true, with the failure counted, when the journal is closed: the caller must not write.
     */
    protected final boolean failIfClosed()
    {
        if (closed)
        {
            fail(closedReason);
            return true;
        }
        return false;
    }

    /**
     * @return true, with the failure counted, when the file system's usable space is below
     * {@link JournalConfig#minFreeBytes()}: the caller must not write (a mapped write there could be a SIGBUS).
     */
    protected final boolean failIfSpaceLow()
    {
        if (space.tooLow())
        {
            fail(space.reason());
            return true;
        }
        return false;
    }
}
