package io.otaprio.status;

import io.otaprio.journal.OwnerOnly;
import org.agrona.IoUtil;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static io.otaprio.status.StatusFileDescriptor.COUNTERS_METADATA_LENGTH;
import static io.otaprio.status.StatusFileDescriptor.COUNTERS_METADATA_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.COUNTERS_VALUES_LENGTH;
import static io.otaprio.status.StatusFileDescriptor.COUNTERS_VALUES_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.ERROR_LOG_LENGTH;
import static io.otaprio.status.StatusFileDescriptor.ERROR_LOG_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.HEADER_LENGTH;
import static io.otaprio.status.StatusFileDescriptor.HEADER_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.LAYOUT_VERSION;
import static io.otaprio.status.StatusFileDescriptor.PID_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.START_TIME_MS_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.VERSION_OFFSET;

/**
 * The engine's counters and distinct error log, written where another process can read them while the engine runs:
 * mapped from {@code DIR/otaprio-status.dat} in the journal directory ({@link StatusFileDescriptor}), or in private
 * memory when the engine has no journal. Every counter the engine keeps is allocated from {@link #countersManager()}
 * once, as the context concludes; a fixed capacity holds them all.
 * <p>
 * The memory is never unmapped explicitly: figures stay readable after the engine stops (its final report and tests
 * read them), and the mapping goes with the buffer when nothing refers to it. A new engine on the same directory
 * deletes the old file before it maps a new one, so a reader still mapping the old one keeps reading the old figures.
 * <p>
 * Threading: each counter has one writing thread (its owner's); the error log takes errors from any thread.
 */
public final class StatusFile
{
    private static final DateTimeFormatter SAVED_LOG_TIME =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final String location;
    private final CountersManager countersManager;
    private final UnsafeBuffer errorLogBuffer;
    private final DistinctErrorLog errorLog;

    private StatusFile(final String location, final ByteBuffer memory, final long pid, final EpochClock clock)
    {
        this.location = location;
        final UnsafeBuffer header = new UnsafeBuffer(memory, 0, HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(memory, HEADER_LENGTH, COUNTERS_METADATA_LENGTH);
        final UnsafeBuffer values = new UnsafeBuffer(memory, HEADER_LENGTH + COUNTERS_METADATA_LENGTH,
            COUNTERS_VALUES_LENGTH);
        errorLogBuffer = new UnsafeBuffer(memory, HEADER_LENGTH + COUNTERS_METADATA_LENGTH + COUNTERS_VALUES_LENGTH,
            ERROR_LOG_LENGTH);
        countersManager = new CountersManager(metadata, values, StandardCharsets.US_ASCII);
        errorLog = new DistinctErrorLog(errorLogBuffer, clock, StandardCharsets.UTF_8);
        header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        header.putLong(PID_OFFSET, pid);
        header.putLong(START_TIME_MS_OFFSET, clock.time());
        header.putInt(COUNTERS_METADATA_LENGTH_OFFSET, COUNTERS_METADATA_LENGTH);
        header.putInt(COUNTERS_VALUES_LENGTH_OFFSET, COUNTERS_VALUES_LENGTH);
        header.putInt(ERROR_LOG_LENGTH_OFFSET, ERROR_LOG_LENGTH);
        header.putIntRelease(VERSION_OFFSET, LAYOUT_VERSION);
    }

    /**
     * Create the status file of an engine starting on a journal directory it holds the lock of. The errors a previous
     * engine logged there are first saved as text to {@code DIR/otaprio-errors-START.log}, so a restart after a
     * crash loses none of them.
     *
     * @param directory the journal directory.
     * @param clock     time stamps of the start and of the errors.
     * @return the mapped file.
     * @throws UncheckedIOException naming the file when it cannot be written.
     */
    public static StatusFile map(final Path directory, final EpochClock clock)
    {
        final Path file = directory.resolve(StatusFileDescriptor.FILE_NAME);
        try
        {
            saveErrorsOfPreviousEngine(directory, file);
            Files.deleteIfExists(file);
            final long length = StatusFileDescriptor.fileLength(COUNTERS_METADATA_LENGTH, COUNTERS_VALUES_LENGTH,
                ERROR_LOG_LENGTH);
            final MappedByteBuffer mapped = IoUtil.mapNewFile(file.toFile(), length, true);
            OwnerOnly.restrict(file);
            return new StatusFile(file.toString(), mapped, ProcessHandle.current().pid(), clock);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("status file: cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param clock time stamps of the start and of the errors.
     * @return counters and an error log in private memory, for an engine without a journal directory.
     */
    public static StatusFile inMemory(final EpochClock clock)
    {
        final long length = StatusFileDescriptor.fileLength(COUNTERS_METADATA_LENGTH, COUNTERS_VALUES_LENGTH,
            ERROR_LOG_LENGTH);
        return new StatusFile("memory", ByteBuffer.allocateDirect((int)length), ProcessHandle.current().pid(), clock);
    }

    /** @return the file's path, or {@code memory}. */
    public String location()
    {
        return location;
    }

    /** @return where every counter of the engine is allocated. */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /** @return the distinct error log. */
    public DistinctErrorLog errorLog()
    {
        return errorLog;
    }

    /** @return the error log's buffer, for reading it with {@link ErrorLogReader}. */
    public UnsafeBuffer errorLogBuffer()
    {
        return errorLogBuffer;
    }

    private static void saveErrorsOfPreviousEngine(final Path directory, final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            return;
        }
        final StatusFileReader previous;
        try
        {
            previous = StatusFileReader.open(file);
        }
        catch (final IllegalArgumentException ex)
        {
            return;
        }
        if (!ErrorLogReader.hasErrors(previous.errorLogBuffer()))
        {
            return;
        }
        final Path saved = directory.resolve(
            "otaprio-errors-" + SAVED_LOG_TIME.format(Instant.ofEpochMilli(previous.startTimeMs())) + ".log");
        try (PrintStream out = new PrintStream(Files.newOutputStream(saved), false, StandardCharsets.UTF_8))
        {
            out.println("errors of the engine (pid " + previous.pid() + ") that started " +
                Instant.ofEpochMilli(previous.startTimeMs()));
            ErrorReport.print(previous.errorLogBuffer(), out);
        }
    }
}
