package io.otaprio.engine;

import io.otaprio.admission.RequestIndexRebuild;
import io.otaprio.admission.ResendDetection;
import io.otaprio.journal.HeldJournal;
import io.otaprio.journal.HeldRecovery;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.EngineMetrics;
import org.agrona.LangUtil;
import org.agrona.concurrent.EpochNanoClock;

/**
 * Recovery's read of the journal at start-up, on a thread of its own, so that it overlaps the rest of the context's
 * construction: allocating the rings is the kernel zeroing hundreds of megabytes of pages, the scan is reading the
 * journal and the JIT compiling the scan, and on two cores they take one core each instead of adding up. Both stand
 * between the JVM starting and the first level-1 message of a backlog being dispatched.
 * <p>
 * Threading: {@link #start} hands the scan the journal, resend detection (which it rebuilds) and the metrics (which
 * it counts untracked requests on); the caller touches none of them until {@link #join()} returns, and the join
 * orders everything the scan wrote before the caller's next read. It is joined on every path, so no scan thread
 * outlives the context's construction; joining a scan that has ended returns at once, with its failure (if any)
 * rethrown as the same exception.
 */
final class RecoveryScan implements Runnable
{
    private final JournalConfig journal;
    private final ResendDetection resendDetection;
    private final boolean rebuildResendDetection;
    private final EpochNanoClock clock;
    private final EngineMetrics metrics;
    private final Thread thread;
    private Recovered recovered;
    private HeldRecovery held;
    private Throwable failure;
    private long startNs;
    private long endNs;

    private RecoveryScan(
        final JournalConfig journal,
        final ResendDetection resendDetection,
        final boolean rebuildResendDetection,
        final EpochNanoClock clock,
        final EngineMetrics metrics)
    {
        this.journal = journal;
        this.resendDetection = resendDetection;
        this.rebuildResendDetection = rebuildResendDetection;
        this.clock = clock;
        this.metrics = metrics;
        this.thread = new Thread(this, "otaprio-recovery-scan");
    }

    /**
     * @param journal                the journal to recover.
     * @param resendDetection        rebuilt from the journal when asked to.
     * @param rebuildResendDetection whether resend detection is on (otherwise only the backlog is worked out).
     * @param clock                  the engine's clock.
     * @param metrics                counts the requests resend detection had no room for.
     * @return the scan, running.
     */
    static RecoveryScan start(
        final JournalConfig journal,
        final ResendDetection resendDetection,
        final boolean rebuildResendDetection,
        final EpochNanoClock clock,
        final EngineMetrics metrics)
    {
        final RecoveryScan scan = new RecoveryScan(journal, resendDetection, rebuildResendDetection, clock, metrics);
        scan.thread.start();
        return scan;
    }

    public void run()
    {
        try
        {
            startNs = clock.nanoTime();
            recovered = rebuildResendDetection ?
                RequestIndexRebuild.recover(journal, resendDetection, startNs, metrics) :
                JournalRecovery.recover(journal);
            held = HeldJournal.recover(journal);
            endNs = clock.nanoTime();
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
    }

    /**
     * Wait for the scan to end, uninterruptibly: a scan is bounded by the journal's size, and returning before it
     * ended would leave its thread reading the journal while the caller closes it.
     *
     * @return this, with the scan's results readable.
     * @throws io.otaprio.journal.JournalException or whatever else the scan threw, rethrown as it was.
     */
    RecoveryScan join()
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (null != failure)
        {
            LangUtil.rethrowUnchecked(failure);
        }
        return this;
    }

    /**
     * The context's construction failed: wait for the scan if it still runs (the context is about to close the
     * journal it reads), and keep a failure of the scan's own with the one being thrown, unless it is that one.
     *
     * @param cause what the construction is failing with.
     */
    void joinAfter(final RuntimeException cause)
    {
        try
        {
            join();
        }
        catch (final RuntimeException | Error ex)
        {
            if (ex != cause)
            {
                cause.addSuppressed(ex);
            }
        }
    }

    /** @return the backlog found. */
    Recovered recovered()
    {
        return recovered;
    }

    /** @return the held requests found. */
    HeldRecovery held()
    {
        return held;
    }

    /** @return when the scan started, the engine clock's nanoseconds. */
    long startNs()
    {
        return startNs;
    }

    /** @return when it ended. */
    long endNs()
    {
        return endNs;
    }
}
