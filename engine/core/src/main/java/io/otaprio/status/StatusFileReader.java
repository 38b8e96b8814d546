package io.otaprio.status;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.otaprio.status.StatusFileDescriptor.COUNTERS_METADATA_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.COUNTERS_VALUES_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.ERROR_LOG_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.HEADER_LENGTH;
import static io.otaprio.status.StatusFileDescriptor.HEADER_LENGTH_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.LAYOUT_VERSION;
import static io.otaprio.status.StatusFileDescriptor.PID_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.START_TIME_MS_OFFSET;
import static io.otaprio.status.StatusFileDescriptor.VERSION_OFFSET;

/**
 * Another process's read-only view of an engine's status file: its counters and its error log, live while the engine
 * runs and as it left them after it stopped.
 */
public final class StatusFileReader
{
    private final Path file;
    private final long pid;
    private final long startTimeMs;
    private final CountersReader counters;
    private final UnsafeBuffer errorLogBuffer;

    private StatusFileReader(final Path file, final MappedByteBuffer memory, final UnsafeBuffer header)
    {
        this.file = file;
        pid = header.getLong(PID_OFFSET);
        startTimeMs = header.getLong(START_TIME_MS_OFFSET);
        final int metadataLength = header.getInt(COUNTERS_METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(COUNTERS_VALUES_LENGTH_OFFSET);
        final int errorLogLength = header.getInt(ERROR_LOG_LENGTH_OFFSET);
        counters = new CountersReader(
            new UnsafeBuffer(memory, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(memory, HEADER_LENGTH + metadataLength, valuesLength),
            StandardCharsets.US_ASCII);
        errorLogBuffer = new UnsafeBuffer(memory, HEADER_LENGTH + metadataLength + valuesLength, errorLogLength);
    }

    /**
     * Map a status file for reading.
     *
     * @param file {@code DIR/otaprio-status.dat}.
     * @return the reader.
     * @throws IllegalArgumentException naming the file when it is missing, not a status file, or of another version.
     */
    public static StatusFileReader open(final Path file)
    {
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("no engine status file at " + file + ": it is written by an engine " +
                "running with a journal in that directory (--journal DIR)");
        }
        final File asFile = file.toFile();
        final long length = asFile.length();
        if (length < HEADER_LENGTH)
        {
            throw new IllegalArgumentException(file + " is not an engine status file: " + length + " bytes");
        }
        final MappedByteBuffer memory = IoUtil.mapExistingFile(asFile, FileChannel.MapMode.READ_ONLY, "status file");
        final UnsafeBuffer header = new UnsafeBuffer(memory, 0, HEADER_LENGTH);
        final int version = header.getIntAcquire(VERSION_OFFSET);
        if (LAYOUT_VERSION != version)
        {
            throw new IllegalArgumentException(file + ": status file layout version " + version +
                ", this build reads " + LAYOUT_VERSION +
                (0 == version ? " (the engine is still starting, or this is not a status file)" : ""));
        }
        final long expected = StatusFileDescriptor.fileLength(header.getInt(COUNTERS_METADATA_LENGTH_OFFSET),
            header.getInt(COUNTERS_VALUES_LENGTH_OFFSET), header.getInt(ERROR_LOG_LENGTH_OFFSET));
        if (HEADER_LENGTH != header.getInt(HEADER_LENGTH_OFFSET) || expected != length)
        {
            throw new IllegalArgumentException(file + " is damaged: its sections add up to " + expected +
                " bytes, the file has " + length);
        }
        return new StatusFileReader(file, memory, header);
    }

    /** @return the file read. */
    public Path file()
    {
        return file;
    }

    /** @return pid of the engine that wrote the file. */
    public long pid()
    {
        return pid;
    }

    /** @return when that engine started, epoch milliseconds. */
    public long startTimeMs()
    {
        return startTimeMs;
    }

    /** @return whether that engine's process is still running. */
    public boolean engineRunning()
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** @return the engine's counters, live. */
    public CountersReader counters()
    {
        return counters;
    }

    /** @return the engine's distinct error log, live. */
    public UnsafeBuffer errorLogBuffer()
    {
        return errorLogBuffer;
    }
}
