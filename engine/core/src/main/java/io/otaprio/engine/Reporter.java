package io.otaprio.engine;

import io.otaprio.metrics.EngineMetrics;
import io.otaprio.recovery.RecoveryMilestones;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.concurrent.Agent;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The reporter agent: once per interval it takes a snapshot of the engine's figures, which swaps each level's latency
 * recorder into its cumulative histogram; with an hlog directory configured it writes each level's interval (every
 * value recorded since the previous snapshot, whoever took it) to {@code DIR/level-N.hlog} with HdrHistogram's
 * {@link HistogramLogWriter}, readable by {@code HistogramLogProcessor} and by {@code ./otaprio report}. Values are
 * accept-to-completion latencies in microseconds. Between intervals it logs each recovery milestone once reached
 * ({@link RecoveryMilestones#logReached()}), so no hot thread does I/O for it.
 * <p>
 * Threading: its own thread ({@code otaprio-reporter}), or the shared one, or the caller's (see
 * {@link ThreadingMode}). The writes happen inside the engine's snapshot, under the metrics' lock, on whichever thread
 * took the snapshot; the logs are flushed and closed when the agent closes, after a last interval.
 */
final class Reporter implements Agent
{
    private final EngineMetrics metrics;
    private final RecoveryMilestones recovery;
    private final Runnable snapshot;
    private final long intervalMs;
    private final HistogramLogWriter[] writers;
    private final PrintStream[] outputs;
    private long nextMs;

    /**
     * @param ctx      the concluded context: metrics, interval, hlog directory.
     * @param snapshot takes an engine snapshot.
     * @throws UncheckedIOException naming the directory when the logs cannot be created.
     */
    Reporter(final EngineContext ctx, final Runnable snapshot)
    {
        this.metrics = ctx.metrics();
        this.recovery = ctx.recoveryMilestones();
        this.snapshot = snapshot;
        this.intervalMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(ctx.reporterIntervalNs()));
        final int levels = metrics.levels();
        writers = new HistogramLogWriter[levels + 1];
        outputs = new PrintStream[levels + 1];
        final Path directory = ctx.hlogDirectory();
        if (null != directory)
        {
            openLogs(directory, levels);
            metrics.intervalListener(this::onInterval);
        }
        nextMs = System.currentTimeMillis() + intervalMs;
    }

    public int doWork()
    {
        final long nowMs = System.currentTimeMillis();
        if (nowMs < nextMs)
        {
            return recovery.logReached();
        }
        nextMs = nowMs + intervalMs;
        snapshot.run();
        return 1;
    }

    public void onClose()
    {
        try
        {
            snapshot.run();
        }
        finally
        {
            metrics.intervalListener(null);
            closeOutputs();
        }
    }

    public String roleName()
    {
        return "otaprio-reporter";
    }

    private void openLogs(final Path directory, final int levels)
    {
        final long baseTimeMs = System.currentTimeMillis();
        try
        {
            Files.createDirectories(directory);
            for (int level = 1; level <= levels; level++)
            {
                outputs[level] = new PrintStream(directory.resolve("level-" + level + ".hlog").toFile(), "UTF-8");
                final HistogramLogWriter writer = new HistogramLogWriter(outputs[level]);
                writer.outputComment("otaprio level " + level + ": accept-to-completion latency in microseconds");
                writer.outputLogFormatVersion();
                writer.outputStartTime(baseTimeMs);
                writer.setBaseTime(baseTimeMs);
                writer.outputBaseTime(baseTimeMs);
                writer.outputLegend();
                writers[level] = writer;
            }
        }
        catch (final IOException ex)
        {
            closeOutputs();
            throw new UncheckedIOException("interval logs in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    private void onInterval(final int level, final Histogram interval)
    {
        if (interval.getTotalCount() > 0)
        {
            writers[level].outputIntervalHistogram(interval);
        }
    }

    private void closeOutputs()
    {
        for (final PrintStream output : outputs)
        {
            if (null != output)
            {
                output.close();
            }
        }
    }
}
