package io.otaprio.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * An HdrHistogram interval recorder for one writer that takes its values in batches. HdrHistogram's
 * {@code SingleWriterRecorder} enters and leaves its {@link WriterReaderPhaser} (two atomic increments) for every
 * value; here the writer buffers values and enters the phaser once per {@link #flush()}, which the scheduler does
 * once per duty cycle. The reader side is the recorder's: swap the active histogram for an empty one, flip the
 * phase, and read the swapped-out one once no writer can still be in it.
 * <p>
 * Threading: {@link #record} and {@link #flush} on the writer thread only; {@link #addIntervalTo} from any thread.
 * A value is visible to the reader only after the flush that follows it.
 */
final class BatchLatencyRecorder
{
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private final long[] pending;
    private int pendingCount;
    private volatile Histogram active;
    private Histogram inactive;

    /**
     * @param highestTrackableValue largest value recorded; callers clamp to it.
     * @param significantDigits     precision.
     * @param batchCapacity         values buffered before {@link #record} flushes by itself.
     */
    BatchLatencyRecorder(final long highestTrackableValue, final int significantDigits, final int batchCapacity)
    {
        active = new Histogram(1, highestTrackableValue, significantDigits);
        inactive = new Histogram(1, highestTrackableValue, significantDigits);
        pending = new long[batchCapacity];
    }

    /**
     * Writer thread: buffer one value, 1..highestTrackableValue.
     *
     * @param value the value.
     */
    void record(final long value)
    {
        pending[pendingCount++] = value;
        if (pendingCount == pending.length)
        {
            flush();
        }
    }

    /** Writer thread: make every buffered value visible to the reader. */
    void flush()
    {
        final int count = pendingCount;
        if (count == 0)
        {
            return;
        }
        final long stamp = phaser.writerCriticalSectionEnter();
        try
        {
            final Histogram histogram = active;
            for (int i = 0; i < count; i++)
            {
                histogram.recordValue(pending[i]);
            }
        }
        finally
        {
            phaser.writerCriticalSectionExit(stamp);
        }
        pendingCount = 0;
    }

    /**
     * Any thread: the values flushed since the previous call, as a histogram that stays valid (and unchanged) until
     * the next call.
     *
     * @return the interval histogram.
     */
    synchronized Histogram takeInterval()
    {
        phaser.readerLock();
        try
        {
            inactive.reset();
            final Histogram interval = active;
            active = inactive;
            inactive = interval;
            // After the flip no writer is inside the histogram swapped out, so it can be read.
            phaser.flipPhase();
            return interval;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
