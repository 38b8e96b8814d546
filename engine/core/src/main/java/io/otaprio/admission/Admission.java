package io.otaprio.admission;

import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.ring.MessageEvent;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletedMessage;
import io.otaprio.scheduler.HeldIdRelay;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

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
 * Future-dated requests ({@link #submitDated}, DUIS only): a service
 * request due more than {@link #HOLD_GRACE_NS} after now is decided by the same rules, given an id from the same
 * sequence and answered at once, but <em>held</em>: kept in {@link HeldRequests} (its own journal queue), not in the
 * accepted journal or a ring. When it falls due {@link #releaseDue} places it in its level's lane and appends it to the
 * accepted journal under a <em>new</em> id (ids in the accepted journal rise in append order, and the held id is below
 * what has been appended since), with its accept time set to its due time so that its TRT runs from then. The held
 * id is handed to the scheduler ({@link HeldIdRelay}) so that the completion watermark steps over it. A cancellation
 * (the same SRV, dated 3000-12-31) removes every held request of its originator, device and SRV, then is admitted
 * itself.
 * <p>
 * Batches: between {@link #beginBatch()} and {@link #endBatch()} (the gateway wraps each duty cycle's socket reads in
 * one, and writes the answers after it ends) submissions read no clock (the batch's start is their accept time: early
 * by at most the batch's own work, so latency and TRT figures can only err on the strict side) and publish nothing:
 * each lane's claimed slots are published together at the end ({@code publish(lo, hi)}), one cursor write per lane
 * per batch instead of one per message. A message's answer is still decided, and its
 * bytes journaled, before {@link #submit} returns; only the scheduler's view waits for the end of the batch. (It may
 * see a batch's earlier slots sooner: a Disruptor single-producer claim that refreshes its view of the consumer
 * writes the cursor up to the previous claim. Harmless here, because every slot is whole, copied, stamped and
 * journaled, before the next one is claimed.)
 * <p>
 * Threading: one admission thread, the one running the {@link AdmissionAgent}; the rings are single-producer, so two
 * threads must never submit concurrently. {@link #close()} and {@link #journalFailing()} may be called from any
 * thread.
 */
public final class Admission implements SubmissionSink
{
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    /** {@link #submitDated}'s due time of a request that is not dated. */
    public static final long NOT_FUTURE_DATED = Long.MIN_VALUE;

    /**
     * {@link #submitDated}'s due time of a cancellation: a request dated
     * 3000-12-31T00:00:00Z, which removes the held requests of its originator, device and SRV and is queued at once.
     */
    public static final long CANCELS_HELD = Long.MAX_VALUE;

    /**
     * A request due no later than this after now is queued at once, not held: holding it would only add a duty
     * cycle's delay and a journal record, and clocks of DCC and DSP differ by that much anyway.
     */
    public static final long HOLD_GRACE_NS = 1_000_000_000L;

    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;
    private static final long NONE_UNPUBLISHED = -1;
    private static final System.Logger.Level WARN = System.Logger.Level.WARNING;

    private final PriorityRings rings;
    private final AdmissionRules rules;
    private final EpochNanoClock clock;
    private final AcceptedLog journal;
    private final PolicySwitch policySwitch;
    private PriorityPolicy policy;
    private final EngineMetrics metrics;
    private final HeldRequests held;
    private final HeldIdRelay heldIds;
    private final AcceptedMessageFlyweight holding = new AcceptedMessageFlyweight();
    private final UnsafeBuffer holdBuffer;
    private long nextSweepNs;
    private volatile boolean closed;
    private volatile boolean journalFailing;
    private long journalFailuresAtStart;
    private long nextMessageId;
    private final long[] unpublishedFrom;
    private final long[] unpublishedTo;
    private boolean batching;
    private long batchTimeNs;

    /**
     * @param ctx the concluded context: lanes, policy, metrics, clock, payload limit, first message id, accepted
     *            log (the journal, or none), resend detection, quota, alert throttle and level-1 alert guard.
     */
    public Admission(final AdmissionContext ctx)
    {
        this.rings = ctx.rings();
        this.rules = new AdmissionRules(ctx.policy(), ctx.metrics(), ctx.maxPayloadBytes(), ctx.resendDetection(),
            ctx.originatorQuota(), ctx.alertThrottle(), ctx.levelOneAlertGuard());
        this.clock = ctx.clock();
        this.journal = ctx.acceptedLog();
        this.nextMessageId = ctx.nextMessageId();
        this.policy = ctx.policy();
        this.policySwitch = ctx.policySwitch();
        this.metrics = ctx.metrics();
        this.held = ctx.heldRequests();
        this.heldIds = ctx.heldIdRelay();
        this.holdBuffer = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(ctx.maxPayloadBytes())]);
        metrics.onHeldReleased(held.size(), 0);
        unpublishedFrom = new long[rings.lanes()];
        unpublishedTo = new long[rings.lanes()];
        Arrays.fill(unpublishedFrom, NONE_UNPUBLISHED);
    }

    /**
     * Start a batch: until {@link #endBatch()}, submissions take this moment as their time and leave their slots
     * unpublished. Admission thread; nothing else may claim on the rings until the batch ends.
     */
    public void beginBatch()
    {
        batchTimeNs = clock.nanoTime();
        batching = true;
    }

    /**
     * End the batch: publish each lane's slots claimed in it, in one step per lane.
     */
    public void endBatch()
    {
        batching = false;
        for (int lane = 0; lane < unpublishedFrom.length; lane++)
        {
            final long from = unpublishedFrom[lane];
            if (NONE_UNPUBLISHED != from)
            {
                unpublishedFrom[lane] = NONE_UNPUBLISHED;
                rings.publish(lane, from, unpublishedTo[lane]);
            }
        }
    }

    /**
     * Admit one message that may be dated: a service request due later than {@link #HOLD_GRACE_NS} from now is held
     * until due (answered ACCEPTED with its held id); {@link #CANCELS_HELD} cancels held requests and is then admitted
     * as any other; anything else is {@link #submit(AcceptedMessageFlyweight, AdmissionResult)}.
     *
     * @param submission the message's kind, code, RequestID and payload.
     * @param dueAtNs    when it is to be executed, epoch nanos; {@link #NOT_FUTURE_DATED} or {@link #CANCELS_HELD}.
     * @param result     filled with the answer ({@link AdmissionResult#cancelled()} for a cancellation).
     * @return true when the message was admitted, held or queued.
     */
    public boolean submitDated(
        final AcceptedMessageFlyweight submission, final long dueAtNs, final AdmissionResult result)
    {
        if (NOT_FUTURE_DATED == dueAtNs || MessageKind.SERVICE_REQUEST.value() != submission.kind())
        {
            return submit(submission, result);
        }
        if (CANCELS_HELD == dueAtNs)
        {
            if (!submit(submission, result))
            {
                return false;
            }
            result.cancelled(cancelHeld(submission, clock.nanoTime()));
            return true;
        }
        final long nowNs = clock.nanoTime();
        if (dueAtNs - nowNs <= HOLD_GRACE_NS || closed)
        {
            return submit(submission, result);
        }
        final int lane = rules.decide(submission, nowNs, result);
        if (lane < 0)
        {
            return false;
        }
        if (!heldIds.hasRoom())
        {
            rules.full(result);
            return false;
        }
        final long heldId = nextMessageId;
        holdBuffer.putBytes(0, submission.buffer(), submission.offset(), submission.encodedLength());
        final AcceptedMessageFlyweight message = rules.stamp(holding.wrap(holdBuffer, 0), heldId);
        if (!held.hold(heldId, dueAtNs, message))
        {
            rules.reject(result, RejectReason.UNAVAILABLE);
            return false;
        }
        heldIds.offer(heldId);
        nextMessageId = heldId + 1;
        metrics.onHeld(held.size());
        rules.held(message, result);
        return true;
    }

    /**
     * Admission thread, at the start of every duty cycle: classify by a reloaded policy from the next submission on,
     * if one was offered. A swap of references, between two submissions: admission does not pause.
     *
     * @param nowNs now, on the engine's clock (epoch nanos): when the policy came in force.
     * @return 1 when a policy was applied, else 0.
     */
    public int switchPolicy(final long nowNs)
    {
        final PolicySwitch.Offer offer = policySwitch.take();
        if (null == offer)
        {
            return 0;
        }
        policy = offer.policy();
        rules.policy(policy);
        offer.applied(nextMessageId, nowNs);
        return 1;
    }

    /**
     * Admission thread, every duty cycle: place the held requests that are due in their lanes, level 1 first and each
     * level in due order, under new ids; a full lane leaves the rest of its level for a later cycle. Cheap when
     * nothing is held.
     *
     * @param nowNs now, on the engine's clock.
     * @param limit most requests to release in this call.
     * @return requests released.
     */
    public int releaseDue(final long nowNs, final int limit)
    {
        if (held.isEmpty() || closed)
        {
            return 0;
        }
        int released = 0;
        for (int level = 1; level <= PriorityPolicy.LEVELS && released < limit; level++)
        {
            final int lane = policy.isFifo() ? 0 : policy.laneOfLevel(level);
            int entry;
            while (released < limit && (entry = held.due(level, nowNs)) >= 0)
            {
                final AcceptedMessageFlyweight stored = held.read(entry);
                if (null == stored)
                {
                    LOG.log(System.Logger.Level.ERROR, "held request " + held.heldId(entry) +
                        " cannot be read back from the held store: dropped");
                    held.drop(entry);
                    metrics.onHeldReleased(held.size(), 0);
                    continue;
                }
                final long sequence = rings.tryClaim(lane, stored.payloadLength());
                if (PriorityRings.FULL == sequence)
                {
                    break;   // never dropped: this level waits for room, the next level is looked at
                }
                final long messageId = nextMessageId;
                final MessageEvent event = rings.claimed(lane, sequence);
                // Its TRT runs from when it is due, not from when it was held (nor from a late release).
                final AcceptedMessageFlyweight message = event.copy(stored).messageId(messageId)
                    .acceptTimeNs(held.dueNs(entry));
                if (journal.append(event.buffer(), event.offset(), message.encodedLength()) < 0)
                {
                    event.setVoid();
                    publish(lane, sequence);
                    onJournalFailed();
                    return released;
                }
                if (journalFailing)
                {
                    onJournalRecovered();
                }
                publish(lane, sequence);
                nextMessageId = messageId + 1;
                rules.released(message);
                if (!held.released(entry, messageId))
                {
                    LOG.log(WARN, "held request released as message " + messageId + " but not recorded released: " +
                        "after a restart it is released again (at-least-once)");
                }
                metrics.onHeldReleased(held.size(), 1);
                released++;
            }
        }
        return released;
    }

    /** @return the future-dated requests held until due. */
    public HeldRequests held()
    {
        return held;
    }

    private int cancelHeld(final AcceptedMessageFlyweight cancellation, final long nowNs)
    {
        if (held.isEmpty())
        {
            return 0;
        }
        final long originator = cancellation.originator();
        final long target = cancellation.target();
        final int code = cancellation.code();
        int cancelled = 0;
        int entry = 0;
        while ((entry = held.nextMatching(originator, target, code, entry)) >= 0)
        {
            final AcceptedMessageFlyweight stored = held.read(entry);
            if (null != stored)
            {
                rules.cancelled(stored, nowNs);
            }
            if (!held.cancelled(entry))
            {
                LOG.log(WARN, "held request cancelled but not recorded cancelled: after a restart it is held again");
            }
            cancelled++;
        }
        if (cancelled > 0)
        {
            metrics.onHeldCancelled(held.size(), cancelled);
        }
        return cancelled;
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
        final long nowNs = batching ? batchTimeNs : clock.nanoTime();
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
            publish(lane, sequence);
            onJournalFailed();
            rules.reject(result, RejectReason.UNAVAILABLE);
            return false;
        }
        if (journalFailing)
        {
            onJournalRecovered();
        }
        publish(lane, sequence);
        nextMessageId = messageId + 1;
        rules.accepted(message, result);
        return true;
    }

    private void publish(final int lane, final long sequence)
    {
        if (!batching)
        {
            rings.publish(lane, sequence);
        }
        else
        {
            // Single producer: a lane's claims in a batch are consecutive, so the range is from its first to its last.
            if (NONE_UNPUBLISHED == unpublishedFrom[lane])
            {
                unpublishedFrom[lane] = sequence;
            }
            unpublishedTo[lane] = sequence;
        }
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
        return rules.sweep(nowNs) + held.retain();
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
