package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Faults in the pages of one journal's current queue file just ahead of its writer's append position, off the
 * writer's thread, so that an append finds its page resident. The first write to a page of a new (sparse) queue file
 * makes the kernel allocate and zero a page-cache page, which on this project's machines costs several microseconds
 * per 4 KiB page: most of what an accepted-journal append costs. Touching moves that work to whichever thread has
 * nothing better to do (an agent's idle duty cycle); it does not make it smaller.
 * <p>
 * How: the toucher maps a window of the file itself (its own mapping of the same file, so it shares the page-cache
 * pages with Chronicle's) and, page by page up to {@link #aheadBytes()} past the writer's latest document, does a
 * compare-and-set of a zero long to zero: the page becomes resident and dirty (its block reserved), and no byte
 * changes, so nothing the toucher does can be read as data, even if the writer gets there first. It touches only
 * within the file's current length (Chronicle extends the file as it maps further), never below the writer's
 * position, and stops when the file system is nearly full (as the writer does: touching a page the file system cannot
 * back would be a SIGBUS).
 * <p>
 * Bounded: at most {@link #pagesPerCall()} pages per {@link #touchAhead()} call, so an idle cycle stays short; a
 * window is mapped per {@link #WINDOW_BYTES} of file (the only allocation, about once per 30 000 accepted messages).
 * <p>
 * Threading: the writer tells it where it is ({@link #appended}) on its thread; {@link #touchAhead()} on any thread,
 * one at a time (a call that finds another under way returns 0 at once); {@link #close()} on any thread, after which
 * nothing is touched: it waits for a touch under way to finish, then unmaps.
 */
public final class JournalToucher implements PageToucher
{
    /** Bytes of the file mapped at a time. */
    static final int WINDOW_BYTES = 4 * 1024 * 1024;

    /** Bytes ahead of the writer kept touched by default. */
    public static final int AHEAD_BYTES_DEFAULT = 1024 * 1024;

    /** Pages touched per call at most by default: a few tens of microseconds. */
    public static final int PAGES_PER_CALL_DEFAULT = 2;

    /**
     * Free space the toucher leaves beyond the journals' minimum: room for the windows of a few journals touched
     * ahead (each keeps {@link #AHEAD_BYTES_DEFAULT}), plus what {@link #SPACE_CHECK_EVERY} calls may touch.
     */
    static final long SPACE_MARGIN_BYTES = 8L * AHEAD_BYTES_DEFAULT;

    /** Calls between two looks at the file system's free space (each call touches a few pages at most). */
    static final int SPACE_CHECK_EVERY = 16;

    private static final int PAGE_BYTES = 4096;
    private static final VarHandle WRITER_POSITION;
    private static final VarHandle PAGES_TOUCHED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WRITER_POSITION = lookup.findVarHandle(JournalToucher.class, "writerPosition", long.class);
            PAGES_TOUCHED = lookup.findVarHandle(JournalToucher.class, "pagesTouched", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AtomicBoolean busy = new AtomicBoolean();
    private final DiskSpaceGuard space;
    private final int aheadBytes;
    private final int pagesPerCall;
    private final UnsafeBuffer window = new UnsafeBuffer(0, 0);
    private volatile File writerFile;
    private volatile long writerPosition;
    private volatile long pagesTouched;
    private int writerCycle = Integer.MIN_VALUE;
    private File file;
    private FileChannel channel;
    private MappedByteBuffer mapped;
    private long windowStart;
    private long windowEnd;
    private long fileLength;
    private long touchedTo;
    private boolean closed;

    /**
     * The toucher of a journal writer: {@link #AHEAD_BYTES_DEFAULT} ahead, {@link #PAGES_PER_CALL_DEFAULT} pages per
     * call, and only while the file system has room for what every journal's toucher may touch ahead on top of the
     * journals' own minimum ({@link #SPACE_MARGIN_BYTES}), looked at every {@link #SPACE_CHECK_EVERY} calls: touching a
     * page the file system cannot back is a SIGBUS, and the pages touched ahead must not eat the room the writers stop
     * at.
     *
     * @param config    of the journal.
     * @param directory the queue's directory.
     * @return the toucher.
     */
    static JournalToucher forWriter(final JournalConfig config, final Path directory)
    {
        final long minFree = config.minFreeBytes();
        return new JournalToucher(config,
            new DiskSpaceGuard(directory, minFree > 0 ? minFree + SPACE_MARGIN_BYTES : 0, SPACE_CHECK_EVERY),
            AHEAD_BYTES_DEFAULT, PAGES_PER_CALL_DEFAULT);
    }

    /**
     * @param config       of the journal: its minimum free space is respected.
     * @param space        a guard of the journal's file system, for this toucher alone.
     * @param aheadBytes   how far past the writer's position to keep touched (a page or more).
     * @param pagesPerCall pages touched per call at most (1 or more).
     */
    JournalToucher(final JournalConfig config, final DiskSpaceGuard space, final int aheadBytes, final int pagesPerCall)
    {
        if (aheadBytes < PAGE_BYTES || pagesPerCall < 1)
        {
            throw new IllegalArgumentException("toucher needs aheadBytes >= " + PAGE_BYTES + " and pagesPerCall >= 1" +
                ", got " + aheadBytes + " and " + pagesPerCall + " (" + config.directory() + ")");
        }
        this.space = space;
        this.aheadBytes = aheadBytes;
        this.pagesPerCall = pagesPerCall;
    }

    /**
     * Writer thread: where the writer's latest document ended. Cheap: an int compare and an ordered store, plus a
     * volatile store of the file when the writer has moved to another cycle.
     *
     * @param appender the writer's appender, asked for its file only when its cycle changed.
     * @param position file offset just past the latest document.
     */
    void appended(final ExcerptAppender appender, final long position)
    {
        final int cycle = appender.cycle();
        if (cycle != writerCycle)
        {
            writerCycle = cycle;
            writerFile = appender.currentFile();
        }
        WRITER_POSITION.setRelease(this, position);
    }

    public int touchAhead()
    {
        if (!busy.compareAndSet(false, true))
        {
            return 0;
        }
        try
        {
            return closed ? 0 : touch();
        }
        finally
        {
            busy.set(false);
        }
    }

    /** @return how far past the writer's position pages are kept touched. */
    public int aheadBytes()
    {
        return aheadBytes;
    }

    /** @return pages touched per call at most. */
    public int pagesPerCall()
    {
        return pagesPerCall;
    }

    /** @return file offset just past the writer's latest document, as it told this toucher. */
    long writerPosition()
    {
        return writerPosition;
    }

    /** @return pages touched since open, any thread. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /**
     * Stop touching: waits for a touch under way on another thread (a few pages), then unmaps and closes the file.
     * Idempotent.
     */
    public void close()
    {
        while (!busy.compareAndSet(false, true))
        {
            Thread.onSpinWait();
        }
        try
        {
            closed = true;
            closeFile();
        }
        finally
        {
            busy.set(false);
        }
    }

    private int touch()
    {
        final File current = writerFile;
        if (null == current)
        {
            return 0;
        }
        if (current != file)
        {
            open(current);
        }
        if (null == channel)
        {
            return 0;   // the file could not be opened, or touching it failed: not retried until the writer moves on
        }
        final long position = writerPosition;
        final long from = Math.max(touchedTo, (position + PAGE_BYTES - 1) & -PAGE_BYTES);
        final long to = position + aheadBytes;
        if (from >= to || space.tooLow())
        {
            return 0;
        }

        int touched = 0;
        long page = from;
        try
        {
            while (touched < pagesPerCall && page < to)
            {
                if (page + Long.BYTES > fileLength && (fileLength = channel.size()) < page + Long.BYTES)
                {
                    break;   // Chronicle has not extended the file this far yet
                }
                if (page < windowStart || page + Long.BYTES > windowEnd)
                {
                    map(page);
                }
                window.compareAndSetLong((int)(page - windowStart), 0L, 0L);
                page += PAGE_BYTES;
                touched++;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Touching is an optimisation: leave this file alone, the writer faults its own pages as before.
            closeFile();
            return touched;
        }
        touchedTo = page;
        if (touched > 0)
        {
            PAGES_TOUCHED.setRelease(this, pagesTouched + touched);
        }
        return touched;
    }

    private void open(final File next)
    {
        closeFile();
        file = next;
        touchedTo = 0;
        try
        {
            channel = FileChannel.open(next.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
            fileLength = channel.size();
        }
        catch (final IOException | RuntimeException ex)
        {
            closeFile();
        }
    }

    private void map(final long page) throws IOException
    {
        unmap();
        final long length = Math.min(WINDOW_BYTES, fileLength - page);
        mapped = channel.map(FileChannel.MapMode.READ_WRITE, page, length);
        window.wrap(mapped);
        windowStart = page;
        windowEnd = page + length;
    }

    private void unmap()
    {
        if (null != mapped)
        {
            window.wrap(0, 0);
            IoUtil.unmap(mapped);
            mapped = null;
            windowStart = 0;
            windowEnd = 0;
        }
    }

    private void closeFile()
    {
        unmap();
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing was written through the channel itself
            }
            channel = null;
        }
        fileLength = 0;
    }
}
