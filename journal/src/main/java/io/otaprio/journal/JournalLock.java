package io.otaprio.journal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One engine per journal directory: an exclusive operating-system lock on {@code DIR/}{@value #FILE_NAME}, held by
 * the engine process for as long as it writes the journal. Two engines on one directory would number messages from
 * the same id and append to the same queues; the second is refused with a {@link JournalException} that names the
 * directory and the pid of the engine holding it.
 * <p>
 * Why an OS lock and not only a pid file: a pid file outlives its process. After a {@code kill -9}, a crash or a
 * power cut it still names a pid, and whether that pid runs says little, since pids are reused (in a container the
 * engine is often the same small pid on every start). The kernel releases a {@link FileChannel#tryLock()} lock
 * whenever its process ends, however it ends, so the lock is the truth about liveness and the file's content only
 * names the holder for the people reading the refusal. A file left behind by a killed engine is unlocked: the next
 * engine takes it over and {@link #tookOverStale()} and {@link #previousPid()} say whose it was, so that start-up can
 * log it. On a network file system the lock is only as good as the server's lock support.
 * <p>
 * The file, ISO-8859-1 text in {@link Properties} form, written when the lock is taken:
 * <pre>
 *   # otaprio engine holding this journal ...
 *   pid=4242
 *   startedEpochMs=1796019000000          start of the holding process, epoch ms
 *   started=2026-11-30T06:10:00Z          the same, for people
 * </pre>
 * {@link #close()} empties the file, then releases the lock and leaves the file: an empty or absent file means the
 * last holder stopped in order, a non-empty unlocked one that it did not.
 * <p>
 * Use: acquire before recovery and before opening any journal writer, close after closing them all; a process that
 * dies holding it needs no clean-up. Readers need no lock: {@code journal dump}, {@code journal stats},
 * {@code journal throttled} and recovery's scans open the queues read-only and never open this file.
 * <p>
 * Within one process: on Linux and the other POSIX systems the JDK takes {@code fcntl} record locks, which belong
 * to the process, not to the channel, and closing any descriptor of the file releases them all. So the holding
 * process must never open its lock file a second time (not even to read it): this class keeps the locks it holds in
 * a process-wide table and refuses a second {@link #acquire} of a held directory from that table, without opening
 * the file. A lock taken on the same file by other code in this process (not through this class) is reported as
 * the same refusal, but the refused attempt's descriptor, once closed, releases that lock.
 * <p>
 * Threading: {@link #acquire} and {@link #close()} may be called from any thread (they synchronise on the
 * process-wide table); the accessors read final fields.
 */
public final class JournalLock implements AutoCloseable
{
    /** The lock file's name in the journal directory. */
    public static final String FILE_NAME = "otaprio.lock";

    /** {@link #previousPid()} when no earlier holder is known. */
    public static final long NO_PID = -1;

    private static final String PID_KEY = "pid";
    private static final String STARTED_KEY = "startedEpochMs";
    private static final String STARTED_TEXT_KEY = "started";
    private static final long UNKNOWN = -1;
    private static final int MAX_FILE_BYTES = 4096;
    private static final int HOLDER_READS = 10;
    private static final long HOLDER_READ_PAUSE_MS = 10;

    /** Locks this process holds, by the lock file's key (device and inode where the file system has them). */
    private static final Map<Object, JournalLock> HELD = new HashMap<>();

    private final Path directory;
    private final Path file;
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;
    private final long pid;
    private final long startedEpochMs;
    private final long previousPid;
    private final boolean tookOverStale;
    private boolean closed;

    private JournalLock(
        final Path directory,
        final Path file,
        final Object key,
        final FileChannel channel,
        final FileLock lock,
        final Holder self,
        final Holder previous)
    {
        this.directory = directory;
        this.file = file;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.pid = self.pid();
        this.startedEpochMs = self.startedEpochMs();
        this.previousPid = null == previous ? NO_PID : previous.pid();
        this.tookOverStale = null != previous;
    }

    /**
     * Take the journal directory for this process: create it if needed, lock {@code DIR/}{@value #FILE_NAME}
     * (creating it), and write this process's pid and start time into it. Never waits for a holder to let go.
     *
     * @param journalDirectory the journal's root directory.
     * @return the held lock; {@link #close()} releases it.
     * @throws JournalException when a live process holds the directory, this one included (the message names the
     *                          directory, the holder's pid and start time as its file gives them, and what to do), or
     *                          when the directory or the file cannot be created, locked or written.
     */
    public static JournalLock acquire(final Path journalDirectory)
    {
        try
        {
            OwnerOnly.createDirectories(journalDirectory);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new JournalException("cannot create journal directory " + journalDirectory + ": " + ex, ex);
        }
        final Path file = journalDirectory.resolve(FILE_NAME);

        // One acquire or close at a time in this process: between the table check and the close of a refused
        // attempt's channel, no other thread may take this file, or that close would release its lock.
        synchronized (HELD)
        {
            final JournalLock held = HELD.get(existingKey(file));
            if (null != held)
            {
                throw inUse(journalDirectory, new Holder(held.pid, held.startedEpochMs), null);
            }

            FileChannel channel = null;
            try
            {
                channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                OwnerOnly.restrict(file);
                final FileLock lock;
                try
                {
                    lock = channel.tryLock();
                }
                catch (final OverlappingFileLockException ex)
                {
                    throw inUse(journalDirectory, self(), ex);
                }
                if (null == lock)
                {
                    throw inUse(journalDirectory, liveHolder(channel), null);
                }

                final Holder previous = readHolder(channel);
                final Holder self = self();
                write(channel, self);
                final Object key = key(file);
                final JournalLock journalLock = new JournalLock(
                    journalDirectory, file, key, channel, lock, self, previous);
                HELD.put(key, journalLock);
                return journalLock;
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                throw new JournalException("cannot lock journal directory " + journalDirectory + " with " + file +
                    ": " + ex, ex);
            }
            catch (final RuntimeException ex)
            {
                closeQuietly(channel);
                throw ex;
            }
        }
    }

    /** @return the journal directory held. */
    public Path directory()
    {
        return directory;
    }

    /** @return the lock file, {@code DIR/}{@value #FILE_NAME}. */
    public Path file()
    {
        return file;
    }

    /** @return the pid of this process, as written into the file. */
    public long pid()
    {
        return pid;
    }

    /** @return when this process started, epoch ms, as written into the file (the time of acquire if unknown). */
    public long startedEpochMs()
    {
        return startedEpochMs;
    }

    /**
     * @return true when the file named an earlier holder that no longer held the lock: that engine ended without
     * releasing it ({@code kill -9}, crash, power cut) and this one took the journal over.
     */
    public boolean tookOverStale()
    {
        return tookOverStale;
    }

    /**
     * @return the pid of the engine whose stale lock was taken over, or {@link #NO_PID} when none was (or its file
     * did not name one).
     */
    public long previousPid()
    {
        return previousPid;
    }

    /**
     * Empty the file, release the lock and close the file (which stays). Idempotent.
     *
     * @throws JournalException when the file cannot be closed; the lock is released all the same when this process
     *                          ends.
     */
    public void close()
    {
        synchronized (HELD)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            try
            {
                try
                {
                    // Emptied first: the next engine then knows this one stopped in order and reports no takeover.
                    channel.truncate(0);
                }
                finally
                {
                    try
                    {
                        lock.release();
                    }
                    finally
                    {
                        channel.close();
                    }
                }
            }
            catch (final IOException ex)
            {
                throw new JournalException("cannot release journal lock " + file + ": " + ex, ex);
            }
            finally
            {
                HELD.remove(key);
            }
        }
    }

    private static JournalException inUse(final Path directory, final Holder holder, final Throwable cause)
    {
        final StringBuilder message = new StringBuilder(160).append(directory)
            .append(" is in use by a running engine (pid ");
        if (UNKNOWN == holder.pid())
        {
            message.append("unknown");
        }
        else
        {
            message.append(holder.pid());
        }
        if (UNKNOWN != holder.startedEpochMs())
        {
            message.append(", started ")
                .append(Instant.ofEpochMilli(holder.startedEpochMs()).truncatedTo(ChronoUnit.SECONDS));
        }
        message.append("): stop it, or give this engine another --journal");
        return new JournalException(message.toString(), cause);
    }

    /**
     * The holder of a lock another process holds, as its file names it. It writes the file just after locking, so a
     * reader may still see the previous holder's text or none: read again for a moment until the pid is a live one.
     */
    private static Holder liveHolder(final FileChannel channel) throws IOException
    {
        Holder holder = readHolder(channel);
        for (int i = 1; i < HOLDER_READS && (null == holder || !isAlive(holder.pid())); i++)
        {
            try
            {
                Thread.sleep(HOLDER_READ_PAUSE_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
            holder = readHolder(channel);
        }
        return null == holder ? new Holder(UNKNOWN, UNKNOWN) : holder;
    }

    private static boolean isAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return the holder the file names, or null when it is empty (released in order, or never written). */
    private static Holder readHolder(final FileChannel channel) throws IOException
    {
        final int size = (int)Math.min(channel.size(), MAX_FILE_BYTES);
        if (0 == size)
        {
            return null;
        }
        final ByteBuffer bytes = ByteBuffer.allocate(size);
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0)
        {
            // read until full or end of file
        }
        final Properties properties = new Properties();
        try
        {
            properties.load(new StringReader(new String(bytes.array(), 0, bytes.position(),
                StandardCharsets.ISO_8859_1)));
        }
        catch (final IllegalArgumentException ex)
        {
            // Not our text: a stale file that names no one. Taking it over is still right; the lock says so.
            return new Holder(UNKNOWN, UNKNOWN);
        }
        return new Holder(number(properties, PID_KEY), number(properties, STARTED_KEY));
    }

    private static long number(final Properties properties, final String key)
    {
        final String value = properties.getProperty(key);
        if (null == value)
        {
            return UNKNOWN;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            return UNKNOWN;
        }
    }

    private static void write(final FileChannel channel, final Holder self) throws IOException
    {
        final String text = "# otaprio engine holding this journal. Whether it still runs is the OS lock on this " +
            "file, not this text.\n" +
            PID_KEY + "=" + self.pid() + "\n" +
            STARTED_KEY + "=" + self.startedEpochMs() + "\n" +
            STARTED_TEXT_KEY + "=" + Instant.ofEpochMilli(self.startedEpochMs()) + "\n";
        final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        channel.truncate(0);
        while (bytes.hasRemaining())
        {
            channel.write(bytes, bytes.position());
        }
    }

    private static Holder self()
    {
        final ProcessHandle process = ProcessHandle.current();
        return new Holder(process.pid(),
            process.info().startInstant().map(Instant::toEpochMilli).orElseGet(System::currentTimeMillis));
    }

    /** @return what identifies the file itself: device and inode where the file system has them, else its path. */
    private static Object key(final Path file) throws IOException
    {
        final Object fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return null != fileKey ? fileKey : file.toRealPath();
    }

    /** @return the key of the file, or null when it does not exist (and so is not one this process holds). */
    private static Object existingKey(final Path file)
    {
        try
        {
            return key(file);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException | RuntimeException ignore)
            {
                // Refusing or failing already; the descriptor goes with the process at the latest.
            }
        }
    }

    private record Holder(long pid, long startedEpochMs)
    {
    }
}
