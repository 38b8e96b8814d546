package io.otaprio.engine;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reporter thread: every interval it takes an engine snapshot, and writes each level's latency interval (every
 * value recorded since the previous snapshot, whoever took it) to {@code DIR/level-N.hlog} with HdrHistogram's
 * {@link HistogramLogWriter}, readable by {@code HistogramLogProcessor} and by {@code ./otaprio report}. Values are
 * accept-to-completion latencies in microseconds.
 * <p>
 * Threading: its own thread ({@code otaprio-reporter}), started by {@link #start} and stopped and joined by
 * {@link #close()}, which also flushes and closes the logs. The writes happen inside {@link Engine#snapshot()}, under
 * the metrics' lock, on whichever thread took the snapshot.
 */
public final class IntervalLogReporter implements AutoCloseable
{
    private final Engine engine;
    private final HistogramLogWriter[] writers;
    private final PrintStream[] outputs;
    private final long baseTimeMs;
    private final AgentRunner runner;

    private IntervalLogReporter(final Engine engine, final Path directory, final long intervalMs)
    {
        this.engine = engine;
        final int levels = engine.metrics().levels();
        writers = new HistogramLogWriter[levels + 1];
        outputs = new PrintStream[levels + 1];
        baseTimeMs = System.currentTimeMillis();
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
        catch (final java.io.IOException ex)
        {
            closeOutputs();
            throw new UncheckedIOException("interval logs in " + directory + ": " + ex.getMessage(), ex);
        }
        engine.metrics().intervalListener(this::onInterval);
        runner = new AgentRunner(new SleepingMillisIdleStrategy(Math.max(1, intervalMs / 10)),
            Throwable::printStackTrace, null, new Ticker(intervalMs));
    }

    /**
     * Start writing.
     *
     * @param engine     the engine whose latencies are logged.
     * @param directory  where {@code level-N.hlog} go (created).
     * @param intervalMs how often an interval is taken.
     * @return the running reporter.
     */
    public static IntervalLogReporter start(final Engine engine, final Path directory, final long intervalMs)
    {
        final IntervalLogReporter reporter = new IntervalLogReporter(engine, directory, intervalMs);
        AgentRunner.startOnThread(reporter.runner);
        return reporter;
    }

    /** Stop the thread, write the last interval, close the logs. */
    public void close()
    {
        CloseHelper.close(runner);
        engine.snapshot();
        engine.metrics().intervalListener(null);
        closeOutputs();
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

    /** Takes a snapshot once per interval. */
    private final class Ticker implements Agent
    {
        private final long intervalMs;
        private long nextMs;

        Ticker(final long intervalMs)
        {
            this.intervalMs = intervalMs;
            this.nextMs = System.currentTimeMillis() + intervalMs;
        }

        public int doWork()
        {
            final long nowMs = System.currentTimeMillis();
            if (nowMs < nextMs)
            {
                return 0;
            }
            nextMs = nowMs + intervalMs;
            engine.snapshot();
            return 1;
        }

        public String roleName()
        {
            return "otaprio-reporter";
        }
    }
}
