package io.otaprio.status;

import org.agrona.BitUtil;
import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of the engine's status file, {@code DIR/otaprio-status.dat} in the journal directory: a header, the Agrona
 * counters (metadata then values) and a {@link org.agrona.concurrent.errors.DistinctErrorLog}, mapped by the engine
 * and read by {@code ./otaprio stat} and {@code ./otaprio errors} from another process while it runs, as Aeron's
 * {@code AeronStat} and {@code ErrorStat} read its CnC file. All numbers are little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Layout version (i32), written last           |  0
 *  +---------------------------------------------------------------+
 *  |                  Header length (i32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                  Engine pid (i64)                             |  8
 *  +---------------------------------------------------------------+
 *  |                  Start time, epoch ms (i64)                   | 16
 *  +---------------------------------------------------------------+
 *  |                  Counters metadata length (i32)               | 24
 *  +---------------------------------------------------------------+
 *  |                  Counters values length (i32)                 | 28
 *  +---------------------------------------------------------------+
 *  |                  Error log length (i32)                       | 32
 *  +---------------------------------------------------------------+
 *  |                  Reserved to HEADER_LENGTH                    | 36
 *  +---------------------------------------------------------------+
 *  |                  Counters metadata ...                        | HEADER_LENGTH
 *  |                  Counters values ...                          |
 *  |                  Error log ...                                |
 *  +---------------------------------------------------------------+
 * </pre>
 * The engine writes the version last with a release store, so a reader that sees the version sees a complete header.
 */
public final class StatusFileDescriptor
{
    /** Name of the file in the journal directory. */
    public static final String FILE_NAME = "otaprio-status.dat";

    /** Version written by this build; a reader refuses any other. */
    public static final int LAYOUT_VERSION = 1;

    /** Offset of the layout version (i32). */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the header length (i32). */
    public static final int HEADER_LENGTH_OFFSET = 4;
    /** Offset of the pid of the engine that wrote the file (i64). */
    public static final int PID_OFFSET = 8;
    /** Offset of the engine's start time in epoch milliseconds (i64). */
    public static final int START_TIME_MS_OFFSET = 16;
    /** Offset of the counters metadata section's length (i32). */
    public static final int COUNTERS_METADATA_LENGTH_OFFSET = 24;
    /** Offset of the counters values section's length (i32). */
    public static final int COUNTERS_VALUES_LENGTH_OFFSET = 28;
    /** Offset of the error log section's length (i32). */
    public static final int ERROR_LOG_LENGTH_OFFSET = 32;
    /** Length of the header: two cache lines, so the sections that follow start cache aligned. */
    public static final int HEADER_LENGTH = 2 * BitUtil.CACHE_LINE_LENGTH;

    /** Counters the file has room for: the engine registers about sixty, a fixed set at start-up. */
    public static final int COUNTERS_CAPACITY = 128;
    /** Length of the counters metadata section. */
    public static final int COUNTERS_METADATA_LENGTH = COUNTERS_CAPACITY * CountersReader.METADATA_LENGTH;
    /** Length of the counters values section. */
    public static final int COUNTERS_VALUES_LENGTH = COUNTERS_CAPACITY * CountersReader.COUNTER_LENGTH;
    /**
     * Length of the error log section: room for a hundred or more distinct stack traces. The whole file is written
     * with zeros when it is created, so that the disk backs every page before the engine runs (a mapped page the file
     * system cannot back is a SIGBUS when first written): it is kept small, about 340 KiB in all.
     */
    public static final int ERROR_LOG_LENGTH = 256 * 1024;

    private StatusFileDescriptor()
    {
    }

    /**
     * @param metadataLength counters metadata length.
     * @param valuesLength   counters values length.
     * @param errorLogLength error log length.
     * @return length of a file with these sections.
     */
    public static long fileLength(final int metadataLength, final int valuesLength, final int errorLogLength)
    {
        return (long)HEADER_LENGTH + metadataLength + valuesLength + errorLogLength;
    }
}
