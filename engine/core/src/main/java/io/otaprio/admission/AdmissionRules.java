package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;

/**
 * What admission decides about a submission before it is placed anywhere: is it well formed, is it a throttled alert,
 * which level and lane the policy gives it, is it a resend of a message pending or recently completed, and does the
 * level-1 alert guard or its originator's quota demote it. Every decision is a function of the submission, the time
 * passed in and the state of resend detection, guard, quota and throttle, which change only through these calls: two
 * copies fed the same submissions at the same times decide the same. That is what lets the single engine
 * ({@link Admission}, the lanes' producer) and each node of a replicated cluster (fed the committed log, with its
 * time) share one set of rules.
 * <pre>
 *   decide ──► lane ≥ 0 ──► caller places it (ring slot, backlog) ──► accepted(messageId) | full()
 *          └─► -1: answered (MALFORMED, TOO_LARGE, UNKNOWN_KIND, THROTTLED, DUPLICATE)
 * </pre>
 * Threading: one thread, the one that places messages.
 */
public final class AdmissionRules
{
    private PriorityPolicy policy;
    private final EngineMetrics metrics;
    private final int maxPayloadBytes;
    private final ResendDetection requests;
    private final OriginatorQuota quota;
    private final AlertThrottle alerts;
    private final LevelOneAlertGuard guard;
    private final RequestId requestId = new RequestId();
    private int classLevel;
    private int level;
    private long trtNs;
    private long acceptTimeNs;
    private int flags;

    /**
     * @param policy          classifies messages into levels and lanes.
     * @param metrics         counts what is decided.
     * @param maxPayloadBytes the largest payload admitted.
     * @param requests        resend detection ({@link ResendDetection#NONE} to admit every resend).
     * @param quota           the originators' quota ({@link OriginatorQuota#NONE} for none).
     * @param alerts          the alert throttle ({@link AlertThrottle#NONE} for none).
     * @param guard           the level-1 alert guard ({@link LevelOneAlertGuard#NONE} for none).
     */
    public AdmissionRules(
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final int maxPayloadBytes,
        final ResendDetection requests,
        final OriginatorQuota quota,
        final AlertThrottle alerts,
        final LevelOneAlertGuard guard)
    {
        this.policy = policy;
        this.metrics = metrics;
        this.maxPayloadBytes = maxPayloadBytes;
        this.requests = requests;
        this.quota = quota;
        this.alerts = alerts;
        this.guard = guard;
    }

    /**
     * Decide where a submission goes, or answer it.
     *
     * @param submission its kind, code, RequestID and payload in the accepted-message layout.
     * @param nowNs      the time the decision is made at: the engine's clock, or the cluster's log time.
     * @param result     reset, then filled when the submission is answered here.
     * @return the lane to place it in, with {@link #level()} and {@link #trtNs()} set; or -1 when it was answered.
     */
    public int decide(final AcceptedMessageFlyweight submission, final long nowNs, final AdmissionResult result)
    {
        result.reset();
        final MessageKind messageKind = MessageKind.fromValue(submission.kind());
        if (null == messageKind)
        {
            return rejected(result, RejectReason.UNKNOWN_KIND);
        }
        final int code = submission.code();
        if (messageKind.carriesSrv() ? !SrvCode.isValid(code) : !AlertCode.isValid(code))
        {
            return rejected(result, RejectReason.MALFORMED);
        }
        final int commandVariant = submission.commandVariant();
        if (!CommandVariant.isValid(commandVariant))
        {
            return rejected(result, RejectReason.MALFORMED);
        }
        final int length = submission.payloadLength();
        if (length < 0)
        {
            return rejected(result, RejectReason.MALFORMED);
        }
        if (length > maxPayloadBytes)
        {
            return rejected(result, RejectReason.TOO_LARGE);
        }
        final int rule = policy.classify(messageKind, code);
        classLevel = policy.level(rule);
        // A storm of one alert from one device is cut here; supply, credit and outage alerts (those the policy in
        // force puts at level 1) are what the top lane exists for and are never throttled.
        if (MessageKind.ALERT == messageKind && 1 != classLevel && !alerts.admit(submission.target(), code, nowNs))
        {
            return rejected(result, RejectReason.THROTTLED);
        }
        trtNs = policy.trtNs(rule);
        acceptTimeNs = nowNs;
        flags = 0;
        submission.readRequestId(requestId);
        final boolean secondStep = MessageKind.SERVICE_REQUEST == messageKind &&
            CommandVariant.isSecondStep(commandVariant);
        final long original = requests.find(submission, nowNs);
        if (original >= 0)
        {
            if (secondStep && requests.lastFoundFirstStep())
            {
                // The signed pre-command of a Critical command whose first step is remembered: one command, so it
                // keeps the first step's level and its TRT runs from the first step's acceptance.
                level = requests.lastFoundLevel();
                acceptTimeNs = requests.lastFoundAcceptTimeNs();
                flags = AcceptedMessageDescriptor.FLAG_LINKED_STEP;
                return policy.laneOfLevel(level);
            }
            metrics.onDuplicate(classLevel);
            result.duplicate(classLevel, original, requests.lastFoundPending());
            return -1;
        }
        // One level-1 alert from a whole region (a supply restoration) queues below the top lane past its code's
        // rate: admitted, never dropped, and judged by the TRT of the level it waits in, since its delay there is the
        // point. It takes none of its originator's quota.
        level = MessageKind.ALERT == messageKind ? guard.admit(code, classLevel, nowNs) : classLevel;
        if (level != classLevel)
        {
            trtNs = policy.levelTrtNs(level);
            return policy.laneOfLevel(level);
        }
        // Over its quota, an originator's top-level traffic queues at level 3: admitted, never dropped.
        level = quota.admit(requestId.originator(), classLevel, nowNs);
        return level == classLevel ? policy.lane(rule) : policy.laneOfLevel(level);
    }

    /**
     * Stamp what {@link #decide} decided on the placed copy of the submission: its id, level, TRT budget, accept time
     * and flags.
     *
     * @param placed    the copy in its ring slot or backlog.
     * @param messageId the id it is given.
     * @return {@code placed}.
     */
    public AcceptedMessageFlyweight stamp(final AcceptedMessageFlyweight placed, final long messageId)
    {
        return placed.messageId(messageId).level(level).trtNs(trtNs).acceptTimeNs(acceptTimeNs).flags(flags);
    }

    /** @return after a {@link #decide} that returned a lane: the level to admit the message at. */
    public int level()
    {
        return level;
    }

    /**
     * @return after a {@link #decide} that returned a lane: the accept time to stamp, the decision's time or, for a
     * linked second step, its first step's.
     */
    public long acceptTimeNs()
    {
        return acceptTimeNs;
    }

    /** @return after a {@link #decide} that returned a lane: the message's TRT budget, in nanoseconds. */
    public long trtNs()
    {
        return trtNs;
    }

    /**
     * The decided message was placed: count it, let resend detection remember it, answer ACCEPTED.
     *
     * @param placed the placed message, as {@link #stamp} left it.
     * @param result filled with the answer.
     */
    public void accepted(final AcceptedMessageFlyweight placed, final AdmissionResult result)
    {
        metrics.onAccepted(level);
        final boolean linked = 0 != (flags & AcceptedMessageDescriptor.FLAG_LINKED_STEP);
        final int demotedFrom = linked || level == classLevel ? 0 : classLevel;
        if (0 != demotedFrom)
        {
            metrics.onDemoted(classLevel);
        }
        if (MessageKind.SERVICE_REQUEST.value() == placed.kind() &&
            CommandVariant.isSecondStep(placed.commandVariant()))
        {
            metrics.onSecondStep(linked);
        }
        if (!requests.add(placed))
        {
            metrics.onDedupUntracked();
        }
        result.accepted(placed.messageId(), level, demotedFrom);
    }

    /**
     * The decided request was held until it is due: count what {@link #accepted} counts but the acceptance itself (a
     * held request is counted accepted at its level when it is released into its lane), let resend detection remember
     * it as pending under its held id, answer ACCEPTED with that id.
     *
     * @param held   the held request, as {@link #stamp} left it.
     * @param result filled with the answer.
     */
    public void held(final AcceptedMessageFlyweight held, final AdmissionResult result)
    {
        final int demotedFrom = level == classLevel ? 0 : classLevel;
        if (0 != demotedFrom)
        {
            metrics.onDemoted(classLevel);
        }
        if (!requests.add(held))
        {
            metrics.onDedupUntracked();
        }
        result.accepted(held.messageId(), level, demotedFrom);
    }

    /**
     * A held request fell due and was placed in its lane under a new id: count it accepted at its level; resend
     * detection's entry for its RequestID moves to the new id.
     *
     * @param placed the placed message, with its new id.
     */
    public void released(final AcceptedMessageFlyweight placed)
    {
        metrics.onAccepted(placed.level());
        if (!requests.add(placed))
        {
            metrics.onDedupUntracked();
        }
    }

    /**
     * A held request was cancelled: resend detection remembers its RequestID for the window, as for a completion.
     *
     * @param held   the held request, with its held id.
     * @param nowNs  the cancellation's time.
     */
    public void cancelled(final AcceptedMessageFlyweight held, final long nowNs)
    {
        requests.completed(held, nowNs);
    }

    /**
     * The decided message's lane had no room: answer FULL, naming the level.
     *
     * @param result filled with the answer.
     */
    public void full(final AdmissionResult result)
    {
        metrics.onFull(level);
        result.rejected(RejectReason.FULL, level);
    }

    /**
     * Answer a submission that was never decided (the engine is closing, the journal cannot be written).
     *
     * @param result filled with the answer.
     * @param reason why it was not admitted.
     */
    public void reject(final AdmissionResult result, final RejectReason reason)
    {
        metrics.onRejected(reason);
        result.rejected(reason, 0);
    }

    /**
     * A message completed: resend detection remembers its RequestID for the window from the given time.
     *
     * @param message     the completed message.
     * @param completedNs when it completed, on the same clock as {@link #decide}'s.
     */
    public void completed(final AcceptedMessageFlyweight message, final long completedNs)
    {
        requests.completed(message, completedNs);
    }

    /**
     * Put the alert-throttle windows that ended by the given time on record.
     *
     * @param nowNs now, on the same clock as {@link #decide}'s.
     * @return windows reported.
     */
    public int sweep(final long nowNs)
    {
        return alerts.sweep(nowNs);
    }

    /** @return the policy messages are classified by. */
    public PriorityPolicy policy()
    {
        return policy;
    }

    /**
     * Classify by another policy from the next {@link #decide} on. Decisions already made keep their level.
     *
     * @param policy a policy with the same lanes as the one it replaces.
     */
    public void policy(final PriorityPolicy policy)
    {
        this.policy = policy;
    }

    /** @return the largest payload admitted, in bytes. */
    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    private int rejected(final AdmissionResult result, final RejectReason reason)
    {
        reject(result, reason);
        return -1;
    }
}
