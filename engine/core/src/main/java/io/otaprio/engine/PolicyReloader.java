package io.otaprio.engine;

import io.otaprio.admission.PolicySwitch;
import io.otaprio.journal.PolicyLog;
import io.otaprio.journal.PolicyRecord;
import io.otaprio.policy.PolicyDiff;
import io.otaprio.policy.PolicyFile;
import io.otaprio.policy.SrvCatalogue;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reloads the priority policy of a running engine ({@code kill -HUP}, {@code otaprio policy reload}): reads the
 * policy file again on the caller's thread, refuses a file that does not load (the running policy stays, the reason
 * names file, line and rule), otherwise hands the new policy to admission through the {@link PolicySwitch} and,
 * once admission has applied it, records it in the journal as the next generation with the file's SHA-256 and the
 * first message id it classified. Every outcome is reported as one line and counted.
 * <p>
 * The generation is the journal's, not the process's: at start-up the policy is compared with the last one the
 * journal recorded, and only a different file is a new generation.
 * <p>
 * Threading: {@link #reload} from any thread, one at a time (synchronized: reloads are rare and queue behind each
 * other); the figures from any thread.
 */
public final class PolicyReloader
{
    /** How long a reload waits for admission to take the new policy before it is withdrawn. */
    public static final long APPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private static final String REFUSED = "policy reload refused: ";

    /** Reports each outcome's line to the platform logger: INFO when applied, WARNING when refused. */
    public static final Consumer<String> LOGGED = (line) -> System.getLogger(PolicyReloader.class.getName()).log(
        line.startsWith(REFUSED) ? System.Logger.Level.WARNING : System.Logger.Level.INFO, line);

    private static final int CHANGES_LISTED = 10;

    /**
     * What a reload did.
     *
     * @param applied    true when the file was good (a new generation, or the same file again); false when refused.
     * @param generation the generation in force afterwards.
     * @param sha256     the SHA-256 of the policy file in force afterwards.
     * @param line       the line reported, which says what happened and why.
     */
    public record Outcome(boolean applied, long generation, String sha256, String line)
    {
    }

    private final PolicySwitch policySwitch;
    private final PolicyLog log;
    private final Consumer<String> report;
    private final String refusal;
    private final AtomicCounter generationCounter;
    private final AtomicCounter reloadsApplied;
    private final AtomicCounter reloadsRefused;
    private volatile PolicyFile current;
    private volatile long generation;

    /**
     * Put the start-up policy on record: the journal's last generation when it is the same file, else the next one,
     * classifying from {@code nextMessageId}.
     *
     * @param start         the policy the engine starts with.
     * @param log           where generations are recorded.
     * @param policySwitch  admission's end of the hand-over.
     * @param counters      where the generation and the reloads are counted (the status file).
     * @param nextMessageId the first message id the engine will give.
     * @param nowNs         now, epoch nanos.
     * @param refusal       why this engine cannot reload (a cluster node), or null when it can.
     * @param report        told each outcome's line.
     */
    public PolicyReloader(
        final PolicyFile start,
        final PolicyLog log,
        final PolicySwitch policySwitch,
        final CountersManager counters,
        final long nextMessageId,
        final long nowNs,
        final String refusal,
        final Consumer<String> report)
    {
        this.current = start;
        this.log = log;
        this.policySwitch = policySwitch;
        this.refusal = refusal;
        this.report = report;
        this.generationCounter = counters.newCounter("policy generation in force");
        this.reloadsApplied = counters.newCounter("policy reloads applied");
        this.reloadsRefused = counters.newCounter("policy reloads refused");
        final PolicyRecord last = log.last();
        if (null != last && last.sha256().equals(start.sha256()))
        {
            generation = last.generation();
        }
        else
        {
            generation = null == last ? 1 : last.generation() + 1;
            log.append(new PolicyRecord(generation, nowNs, nextMessageId, start.sha256(), start.source()));
        }
        generationCounter.setOrdered(generation);
    }

    /**
     * Read the policy file again and put it in force, or refuse it.
     *
     * @return what happened, also reported as a line.
     */
    public synchronized Outcome reload()
    {
        final PolicyFile running = current;
        if (null != refusal)
        {
            return refused(running, refusal);
        }
        final PolicyFile next;
        try
        {
            next = running.reload();
        }
        catch (final RuntimeException ex)
        {
            return refused(running, ex.getMessage());
        }
        if (next.sha256().equals(running.sha256()))
        {
            reloadsApplied.incrementOrdered();
            return outcome(true, running, String.format(Locale.ROOT,
                "policy reload: %s unchanged (sha256 %s): generation %d stays in force",
                running.source(), running.sha256(), generation));
        }

        final PolicySwitch.Offer offer = policySwitch.offer(next.policy());
        try
        {
            if (!offer.awaitApplied(APPLY_TIMEOUT_NS) && policySwitch.withdraw(offer))
            {
                return refused(running, "admission did not take the new policy within " +
                    TimeUnit.NANOSECONDS.toSeconds(APPLY_TIMEOUT_NS) + " s (is the engine running?)");
            }
            offer.awaitApplied(Long.MAX_VALUE);   // taken as it was withdrawn: applied at once
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            if (policySwitch.withdraw(offer))
            {
                return refused(running, "interrupted while waiting for admission to take the new policy");
            }
        }

        final long newGeneration = generation + 1;
        final boolean recorded = log.append(new PolicyRecord(
            newGeneration, offer.inForceNs(), offer.fromMessageId(), next.sha256(), next.source()));
        current = next;
        generation = newGeneration;
        generationCounter.setOrdered(newGeneration);
        reloadsApplied.incrementOrdered();
        final SrvCatalogue catalogue = next.policy().catalogue().isGiven() ? next.policy().catalogue() :
            running.policy().catalogue();
        final PolicyDiff diff = PolicyDiff.of(running.policy(), next.policy(), catalogue);
        return outcome(true, next, String.format(Locale.ROOT,
            "policy reload: generation %d in force from message id %d: %s (sha256 %s); %s%s%s",
            newGeneration, offer.fromMessageId(), next.source(), next.sha256(), diff.summary(), changes(diff),
            recorded ? "" : "; NOT RECORDED in the journal (the write failed: see ./otaprio errors)"));
    }

    /** @return the policy in force and its file. */
    public PolicyFile current()
    {
        return current;
    }

    /** @return the generation in force. */
    public long generation()
    {
        return generation;
    }

    /** @return reloads that put a good file in force (a new generation, or the same file again). */
    public long reloadsApplied()
    {
        return reloadsApplied.get();
    }

    /** @return reloads refused: the file did not load, or this engine cannot reload. */
    public long reloadsRefused()
    {
        return reloadsRefused.get();
    }

    private Outcome refused(final PolicyFile running, final String reason)
    {
        reloadsRefused.incrementOrdered();
        return outcome(false, running, String.format(Locale.ROOT,
            REFUSED + "%s; generation %d (%s, sha256 %s) stays in force",
            reason, generation, running.source(), running.sha256()));
    }

    private Outcome outcome(final boolean applied, final PolicyFile inForce, final String line)
    {
        report.accept(line);
        return new Outcome(applied, generation, inForce.sha256(), line);
    }

    private static String changes(final PolicyDiff diff)
    {
        final StringBuilder text = new StringBuilder();
        int listed = 0;
        for (final PolicyDiff.Change change : diff.changes())
        {
            if (listed++ == CHANGES_LISTED)
            {
                text.append(", ... (./otaprio policy diff lists them all)");
                break;
            }
            text.append(listed == 1 ? ": " : ", ").append(change.srv() ? "" : "alert ").append(change.code())
                .append(' ').append(change.oldLevel()).append("->").append(change.newLevel());
        }
        return text.toString();
    }
}
