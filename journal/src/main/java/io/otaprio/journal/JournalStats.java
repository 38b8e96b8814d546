package io.otaprio.journal;

import org.agrona.collections.LongHashSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts for {@code otaprio journal stats}: per level accepted, completed and pending over every retained accepted
 * message (not only those after the checkpoint, unlike {@link Recovered}), the roll cycle files of each queue,
 * the bytes on disk and the latest checkpoint.
 * <p>
 * Bytes on disk is the sum of the files' lengths under the journal root. Chronicle preallocates cycle files
 * sparsely, so the blocks actually used can be far fewer.
 * <p>
 * Memory: a {@link LongHashSet} of the completed ids in the retained outcomes. Never writes to the journal.
 * Threading: immutable once read.
 */
public final class JournalStats
{
    private final Path directory;
    private final long[] accepted = new long[Recovered.LEVELS + 1];
    private final long[] completed = new long[Recovered.LEVELS + 1];
    private final List<String> acceptedCycles;
    private final List<String> outcomeCycles;
    private final long bytesOnDisk;
    private long checkpointWatermark = -1;
    private long outcomeRecords;
    private long otherLevels;

    private JournalStats(final Path directory, final List<String> acceptedCycles, final List<String> outcomeCycles,
        final long bytesOnDisk)
    {
        this.directory = directory;
        this.acceptedCycles = acceptedCycles;
        this.outcomeCycles = outcomeCycles;
        this.bytesOnDisk = bytesOnDisk;
    }

    /**
     * @param config of the journal.
     * @return the counts; all zero when the journal does not exist yet.
     * @throws JournalException when the journal is unreadable or of another layout version.
     */
    public static JournalStats read(final JournalConfig config)
    {
        final boolean exists = JournalDirectory.checkForReading(config);
        final JournalStats stats = new JournalStats(config.directory(),
            names(JournalDirectory.cycleFiles(config.acceptedDirectory())),
            names(JournalDirectory.cycleFiles(config.outcomesDirectory())),
            exists ? size(config.directory()) : 0);
        if (!exists)
        {
            return stats;
        }

        final LongHashSet completedIds = new LongHashSet();
        stats.outcomeRecords = OutcomeScan.scan(config, (index, type, outcome, messageId, dNs, cNs) ->
        {
            if (type == OutcomeRecordDescriptor.TYPE_COMPLETED)
            {
                completedIds.add(messageId);
            }
            else if (type == OutcomeRecordDescriptor.TYPE_CHECKPOINT)
            {
                stats.checkpointWatermark = messageId;
            }
        });
        AcceptedScan.scan(config, -1, (index, m) ->
        {
            final int level = m.level();
            if (level < 1 || level > Recovered.LEVELS)
            {
                stats.otherLevels++;
                return;
            }
            stats.accepted[level]++;
            final long id = m.messageId();
            if (id < stats.checkpointWatermark || completedIds.contains(id))
            {
                stats.completed[level]++;
            }
        });
        return stats;
    }

    /**
     * @param level 1..4.
     * @return retained accepted messages at that level.
     */
    public long accepted(final int level)
    {
        return accepted[level];
    }

    /**
     * @param level 1..4.
     * @return of the retained accepted messages at that level, those completed.
     */
    public long completed(final int level)
    {
        return completed[level];
    }

    /**
     * @param level 1..4.
     * @return of the retained accepted messages at that level, those still pending.
     */
    public long pending(final int level)
    {
        return accepted[level] - completed[level];
    }

    /** @return accepted messages with a level outside 1..4 (0 unless the journal is damaged). */
    public long otherLevels()
    {
        return otherLevels;
    }

    /** @return roll cycle file names of the accepted queue, oldest first. */
    public List<String> acceptedCycles()
    {
        return acceptedCycles;
    }

    /** @return roll cycle file names of the outcomes queue, oldest first. */
    public List<String> outcomeCycles()
    {
        return outcomeCycles;
    }

    /** @return outcome records in the retained outcomes queue. */
    public long outcomeRecords()
    {
        return outcomeRecords;
    }

    /** @return sum of the lengths of the files under the journal root. */
    public long bytesOnDisk()
    {
        return bytesOnDisk;
    }

    /** @return the latest checkpoint watermark, or -1. */
    public long checkpointWatermark()
    {
        return checkpointWatermark;
    }

    /** @return a plain text table for people. */
    public String table()
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append("journal ").append(directory).append('\n');
        sb.append(String.format("%-6s %12s %12s %12s%n", "level", "accepted", "completed", "pending"));
        long a = 0;
        long c = 0;
        for (int level = 1; level <= Recovered.LEVELS; level++)
        {
            sb.append(String.format("%-6d %12d %12d %12d%n", level, accepted[level], completed[level],
                pending(level)));
            a += accepted[level];
            c += completed[level];
        }
        sb.append(String.format("%-6s %12d %12d %12d%n", "all", a, c, a - c));
        sb.append("accepted cycles: ").append(acceptedCycles.size()).append(' ').append(acceptedCycles).append('\n');
        sb.append("outcome cycles:  ").append(outcomeCycles.size()).append(' ').append(outcomeCycles).append('\n');
        sb.append("outcome records: ").append(outcomeRecords).append('\n');
        sb.append("bytes on disk:   ").append(bytesOnDisk).append(" (file lengths; cycle files are sparse)\n");
        sb.append("checkpoint:      ").append(checkpointWatermark < 0 ? "none" :
            "every id below " + checkpointWatermark + " complete");
        return sb.toString();
    }

    /** @return one JSON object. */
    public String json()
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append("{\"journal\":\"").append(escape(directory.toString())).append("\",\"levels\":[");
        for (int level = 1; level <= Recovered.LEVELS; level++)
        {
            if (level > 1)
            {
                sb.append(',');
            }
            sb.append("{\"level\":").append(level)
                .append(",\"accepted\":").append(accepted[level])
                .append(",\"completed\":").append(completed[level])
                .append(",\"pending\":").append(pending(level)).append('}');
        }
        sb.append("],\"acceptedCycles\":");
        appendNames(sb, acceptedCycles);
        sb.append(",\"outcomeCycles\":");
        appendNames(sb, outcomeCycles);
        sb.append(",\"outcomeRecords\":").append(outcomeRecords)
            .append(",\"bytesOnDisk\":").append(bytesOnDisk)
            .append(",\"checkpointWatermark\":").append(checkpointWatermark).append('}');
        return sb.toString();
    }

    /**
     * @return the counts as {@link #json()} writes them.
     */
    public String toString()
    {
        return json();
    }

    private static void appendNames(final StringBuilder sb, final List<String> names)
    {
        sb.append('[');
        for (int i = 0; i < names.size(); i++)
        {
            if (i > 0)
            {
                sb.append(',');
            }
            sb.append('"').append(escape(names.get(i))).append('"');
        }
        sb.append(']');
    }

    private static String escape(final String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static List<String> names(final List<Path> files)
    {
        final List<String> names = new ArrayList<>(files.size());
        for (final Path file : files)
        {
            names.add(file.getFileName().toString());
        }
        return Collections.unmodifiableList(names);
    }

    private static long size(final Path root)
    {
        try (Stream<Path> walk = Files.walk(root))
        {
            return walk.filter(Files::isRegularFile).mapToLong((p) ->
            {
                try
                {
                    return Files.size(p);
                }
                catch (final IOException ex)
                {
                    return 0;
                }
            }).sum();
        }
        catch (final IOException ex)
        {
            throw new JournalException("cannot measure journal directory " + root + ": " + ex, ex);
        }
    }
}
