package io.otaprio.admission;

import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The front door: validates, classifies and places a message in its lane, or says why not. Admission is atomic:
 * claim a slot in the lane's ring (never blocking), copy the submission into it and stamp what admission decides
 * (message id, level, TRT budget, accept time), append the slot's bytes to the accepted journal, publish the slot,
 * answer. A message given an id is in the journal (when the engine runs with one) and in a ring; anything else is
 * answered with a {@link RejectReason}; nothing is dropped silently.
 * <p>
 * A submission is a message in the {@link io.otaprio.journal.AcceptedMessageDescriptor} layout with its kind, code,
 * RequestID and payload set, built by a transport in a buffer of its own. The answer goes into an
 * {@link AdmissionResult} the caller owns, so the hot path allocates nothing.
 * <p>
 * Resend detection: a submission whose full RequestID matches a message still pending, or completed within the
 * window, is answered DUPLICATE and not queued again, naming the original message. Resend detection learns of
 * completions through {@link #onCompleted}, which the admission agent calls as it drains the completion relay.
 * <p>
 * Threading: one admission thread, the one running the {@link AdmissionAgent}; the rings are single-producer, so two
 * threads must never submit concurrently. {@link #close()} and {@link #journalFailing()} may be called from any
 * thread.
 */
public final class Admission implements SubmissionSink
{
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;

    private final PriorityRings rings;
    private final AdmissionRules rules;
    private final EpochNanoClock clock;
    private final AcceptedLog journal;
    private long nextSweepNs;
    private volatile boolean closed;
    private volatile boolean journalFailing;
    private long journalFailuresAtStart;
    private long nextMessageId;

    /**
     * @param ctx the concluded context: lanes, policy, metrics, clock, payload limit, first message id, accepted
     *            log (the journal, or none), resend detection, quota and alert throttle.
     */
    public Admission(final AdmissionContext ctx)
    {
        this.rings = ctx.rings();
        this.rules = new AdmissionRules(ctx.policy(), ctx.metrics(), ctx.maxPayloadBytes(), ctx.resendDetection(),
            ctx.originatorQuota(), ctx.alertThrottle());
        this.clock = ctx.clock();
        this.journal = ctx.acceptedLog();
        this.nextMessageId = ctx.nextMessageId();
    }

    /**
     * Admit one message.
     *
     * @param submission the message's kind, code, RequestID and payload, in the accepted-message layout; the other
     *                   fields are ignored (admission decides them).
     * @param result     filled with the answer.
     * @return true when the message was admitted ({@link AdmissionResult#isAccepted()}).
     */
    public boolean submit(final AcceptedMessageFlyweight submission, final AdmissionResult result)
    {
        if (closed)
        {
            result.reset();
            rules.reject(result, RejectReason.UNAVAILABLE);
            return false;
        }
        final long nowNs = clock.nanoTime();
        final int lane = rules.decide(submission, nowNs, result);
        if (lane < 0)
        {
            return false;
        }
        // A slot, and room in the lane's payload store when the payload is larger than a slot holds inline.
        final long sequence = rings.tryClaim(lane, submission.payloadLength());
        if (PriorityRings.FULL == sequence)
        {
            rules.full(result);
            return false;
        }

        final long messageId = nextMessageId;
        final MessageEvent event = rings.claimed(lane, sequence);
        final AcceptedMessageFlyweight message = rules.stamp(event.copy(submission), messageId);
        if (journal.append(event.buffer(), event.offset(), message.encodedLength()) < 0)
        {
            // The slot is claimed and cannot be given back: publish it empty so the lane keeps moving (and its store
            // region, if it took one, is released with it).
            event.setVoid();
            rings.publish(lane, sequence);
            onJournalFailed();
            rules.reject(result, RejectReason.UNAVAILABLE);
            return false;
        }
        if (journalFailing)
        {
            onJournalRecovered();
        }
        rings.publish(lane, sequence);
        nextMessageId = messageId + 1;
        rules.accepted(message, result);
        return true;
    }

    /**
     * Admit one message: {@link #submit(AcceptedMessageFlyweight, AdmissionResult)}, always answered at once.
     *
     * @param submission    the message's kind, code, RequestID and payload.
     * @param correlationId unused: the answer is immediate.
     * @param result        filled with the answer.
     * @return true: answered.
     */
    public boolean submit(
        final AcceptedMessageFlyweight submission,
        final long correlationId,
        final AdmissionResult result)
    {
        submit(submission, result);
        return true;
    }

    /**
     * A message completed: resend detection remembers its RequestID for the window from now on. Admission thread.
     *
     * @param completed the completed message, as the completion relay hands it over.
     */
    public void onCompleted(final CompletedMessage completed)
    {
        rules.completed(completed.message(), completed.completedTimeNs());
    }

    /**
     * Admission thread, between submits (the admission agent calls it every duty cycle): once a second, report the
     * throttled alert windows that ended while their device was quiet. Cheap when it is not time yet.
     *
     * @param nowNs now, on the engine's clock.
     * @return windows reported.
     */
    public int poll(final long nowNs)
    {
        if (nowNs - nextSweepNs < 0)
        {
            return 0;
        }
        nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
        return rules.sweep(nowNs);
    }

    /**
     * Admission thread, once it has stopped submitting: put every throttled window still open on record.
     */
    public void onClose()
    {
        rules.sweep(Long.MAX_VALUE);
    }

    /** @return the clock admission stamps with (the engine's). */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * @return true from a failed accepted-journal append (disk full, file system gone) until the next one that
     * succeeds; meanwhile every submit is answered UNAVAILABLE and tries the journal again. Any thread.
     */
    public boolean journalFailing()
    {
        return journalFailing;
    }

    /** @return the id the next accepted message will get. */
    public long nextMessageId()
    {
        return nextMessageId;
    }

    /** @return the largest payload admitted, in bytes. */
    public int maxPayloadBytes()
    {
        return rules.maxPayloadBytes();
    }

    /** @return the policy messages are classified by. */
    public PriorityPolicy policy()
    {
        return rules.policy();
    }

    /** Refuse everything from now on with UNAVAILABLE. Any thread. */
    public void close()
    {
        closed = true;
    }

    private void onJournalFailed()
    {
        if (!journalFailing)
        {
            // Logged once per episode, not per message: a full disk under load would otherwise flood the log.
            journalFailing = true;
            journalFailuresAtStart = journal.failures() - 1;
            LOG.log(System.Logger.Level.ERROR, "accepted journal " + journal.where() +
                " cannot be written (" + journal.lastFailure() + "): answering UNAVAILABLE and retrying the journal " +
                "with each submit; the backlog keeps draining");
        }
    }

    private void onJournalRecovered()
    {
        journalFailing = false;
        LOG.log(System.Logger.Level.WARNING, "accepted journal " + journal.where() +
            " writable again after " + (journal.failures() - journalFailuresAtStart) + " failed appends: " +
            "admitting again");
    }
}
