package io.otaprio.admission;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.message.MessageEvent;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.SrvCode;
import io.otaprio.ring.PriorityRings;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochNanoClock;

/**
 * The front door: validates, classifies and places a message in its lane, or says why not. Admission is atomic:
 * claim a slot in the lane's ring (never blocking), append the message to the accepted journal, publish the slot,
 * answer. A message given an id is in the journal (when journaling is on) and in a ring; anything else is
 * answered with a {@link RejectReason}; nothing is dropped silently.
 * <p>
 * Results are primitives so that the hot path allocates nothing: {@link #submit} returns the new message id
 * ({@code >= 0}) or {@code -reason.code()}; the level of the last accepted message is in {@link #lastLevel()}.
 * <p>
 * With a {@link RequestIdIndex}, a submit whose full RequestID matches a message still pending, or completed within
 * the index's window, is answered DUPLICATE and not queued again; {@link #lastDuplicateOf()} names the original
 * message. The index learns of completions through {@link #onCompleted}, called on this same thread by whoever
 * receives them (the gateway, as it drains the completion relay).
 * <p>
 * Threading: one admission thread (the gateway, or the embedding application's producer). The rings are
 * single-producer, so two threads must never submit concurrently. {@link #close()} may be called from any thread.
 */
public final class Admission
{
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;

    private final PriorityRings rings;
    private final PriorityPolicy policy;
    private final EngineMetrics metrics;
    private final EpochNanoClock clock;
    private final int maxPayloadBytes;
    private final AcceptedJournal journal;
    private final RequestIdIndex requests;
    private final OriginatorQuota quota;
    private AlertThrottle alerts;
    private long nextSweepNs;
    private volatile boolean closed;
    private volatile boolean journalFailing;
    private long journalFailuresAtStart;
    private long nextMessageId;
    private int lastLevel;
    private int lastDemotedFrom;
    private long lastDuplicateOf = -1;
    private boolean lastDuplicatePending;

    /**
     * @param rings           the lanes.
     * @param policy          classification.
     * @param metrics         counters.
     * @param clock           stamps accept time.
     * @param maxPayloadBytes larger payloads are rejected TOO_LARGE.
     * @param firstMessageId  id of the first message admitted (continues a journal's ids after restart).
     */
    public Admission(
        final PriorityRings rings,
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final int maxPayloadBytes,
        final long firstMessageId)
    {
        this(rings, policy, metrics, clock, maxPayloadBytes, firstMessageId, null);
    }

    /**
     * @param rings           the lanes.
     * @param policy          classification.
     * @param metrics         counters.
     * @param clock           stamps accept time.
     * @param maxPayloadBytes larger payloads are rejected TOO_LARGE.
     * @param firstMessageId  id of the first message admitted (continues a journal's ids after restart).
     * @param journal         where accepted messages are made durable before they are acknowledged, or null.
     */
    public Admission(
        final PriorityRings rings,
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final int maxPayloadBytes,
        final long firstMessageId,
        final AcceptedJournal journal)
    {
        this(rings, policy, metrics, clock, maxPayloadBytes, firstMessageId, journal, null);
    }

    /**
     * @param rings           the lanes.
     * @param policy          classification.
     * @param metrics         counters.
     * @param clock           stamps accept time.
     * @param maxPayloadBytes larger payloads are rejected TOO_LARGE.
     * @param firstMessageId  id of the first message admitted (continues a journal's ids after restart).
     * @param journal         where accepted messages are made durable before they are acknowledged, or null.
     * @param requests        resend detection, or null for none.
     */
    public Admission(
        final PriorityRings rings,
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final int maxPayloadBytes,
        final long firstMessageId,
        final AcceptedJournal journal,
        final RequestIdIndex requests)
    {
        this(rings, policy, metrics, clock, maxPayloadBytes, firstMessageId, journal, requests, null);
    }

    /**
     * @param rings           the lanes.
     * @param policy          classification.
     * @param metrics         counters.
     * @param clock           stamps accept time.
     * @param maxPayloadBytes larger payloads are rejected TOO_LARGE.
     * @param firstMessageId  id of the first message admitted (continues a journal's ids after restart).
     * @param journal         where accepted messages are made durable before they are acknowledged, or null.
     * @param requests        resend detection, or null for none.
     * @param quota           per-originator quota of the top levels, or null for none.
     */
    public Admission(
        final PriorityRings rings,
        final PriorityPolicy policy,
        final EngineMetrics metrics,
        final EpochNanoClock clock,
        final int maxPayloadBytes,
        final long firstMessageId,
        final AcceptedJournal journal,
        final RequestIdIndex requests,
        final OriginatorQuota quota)
    {
        this.journal = journal;
        this.quota = quota;
        this.requests = requests;
        this.rings = rings;
        this.policy = policy;
        this.metrics = metrics;
        this.clock = clock;
        this.maxPayloadBytes = maxPayloadBytes;
        this.nextMessageId = firstMessageId;
    }

    /**
     * Admit one message.
     *
     * @param kind          {@link MessageKind#value()}.
     * @param code          packed {@link SrvCode} for service requests and responses, 16-bit alert code for alerts.
     * @param originator    RequestID originator EUI-64.
     * @param target        RequestID target EUI-64.
     * @param counter       RequestID counter.
     * @param payload       buffer holding the payload.
     * @param offset        payload offset in it.
     * @param length        payload length in bytes.
     * @return the message id ({@code >= 0}) or {@code -reason.code()} of a {@link RejectReason}.
     */
    public long submit(
        final int kind,
        final int code,
        final long originator,
        final long target,
        final long counter,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (closed)
        {
            return reject(RejectReason.UNAVAILABLE);
        }
        final MessageKind messageKind = MessageKind.fromValue(kind);
        if (null == messageKind)
        {
            return reject(RejectReason.UNKNOWN_KIND);
        }
        if (messageKind.carriesSrv() ? !SrvCode.isValid(code) : (code < 0 || code > 0xFFFF))
        {
            return reject(RejectReason.MALFORMED);
        }
        if (length < 0)
        {
            return reject(RejectReason.MALFORMED);
        }
        if (length > maxPayloadBytes)
        {
            return reject(RejectReason.TOO_LARGE);
        }
        final long nowNs = clock.nanoTime();
        // Before classification: a storm of one alert from one device is cut here, whatever its level would be.
        if (MessageKind.ALERT == messageKind && null != alerts && !alerts.admit(target, code, nowNs))
        {
            return reject(RejectReason.THROTTLED);
        }

        final int rule = policy.classify(messageKind, code);
        final int classLevel = policy.level(rule);
        if (null != requests)
        {
            final long original = requests.find(originator, target, counter, nowNs);
            if (original >= 0)
            {
                lastDuplicateOf = original;
                lastDuplicatePending = requests.lastFoundPending();
                lastLevel = classLevel;
                metrics.onDuplicate(classLevel);
                return -RejectReason.DUPLICATE.code();
            }
        }
        // Over its quota, an originator's top-level traffic queues at level 3: admitted, never dropped.
        final int level = null == quota ? classLevel : quota.admit(originator, classLevel, nowNs);
        final int lane = level == classLevel ? policy.lane(rule) : policy.laneOfLevel(level);
        final RingBuffer<MessageEvent> ring = rings.ring(lane);

        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            // A singleton without a stack trace: a full lane is an everyday value here, not a failure.
            metrics.onFull(level);
            return -RejectReason.FULL.code();
        }

        final long messageId = nextMessageId;
        final long acceptTimeNs = nowNs;
        final long trtNs = policy.trtNs(rule);
        final MessageEvent event = ring.get(sequence);
        if (null != journal)
        {
            final long index = journal.append(messageId, kind, level, code, originator, target, counter,
                acceptTimeNs, trtNs, payload, offset, length);
            if (index < 0)
            {
                // The slot is claimed and cannot be given back: publish it empty so the lane keeps moving.
                event.setVoid();
                ring.publish(sequence);
                onJournalFailed();
                return reject(RejectReason.UNAVAILABLE);
            }
            if (journalFailing)
            {
                onJournalRecovered();
            }
            event.set(messageId, originator, target, counter, kind, code, level, rule, trtNs, acceptTimeNs,
                payload, offset, length);
            event.acceptedIndex(index);
        }
        else
        {
            event.set(messageId, originator, target, counter, kind, code, level, rule, trtNs, acceptTimeNs,
                payload, offset, length);
        }
        ring.publish(sequence);
        nextMessageId = messageId + 1;
        metrics.onAccepted(level);
        lastLevel = level;
        lastDemotedFrom = level == classLevel ? 0 : classLevel;
        if (0 != lastDemotedFrom)
        {
            metrics.onDemoted(classLevel);
        }
        if (null != requests && !requests.add(originator, target, counter, messageId))
        {
            metrics.onDedupUntracked();
        }
        return messageId;
    }

    /**
     * A message completed: resend detection remembers its RequestID for the window from now on. Admission thread;
     * a no-op without resend detection.
     *
     * @param originator  RequestID originator.
     * @param target      RequestID target.
     * @param counter     RequestID counter.
     * @param messageId   the completed message.
     * @param completedNs its completion time on the engine's clock.
     */
    public void onCompleted(
        final long originator, final long target, final long counter, final long messageId, final long completedNs)
    {
        if (null != requests)
        {
            requests.completed(originator, target, counter, messageId, completedNs);
        }
    }

    /** @return the clock admission stamps with (the engine's). */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /** @return after an accepted message: the level the policy gave it if its quota demoted it, else 0. */
    public int lastDemotedFrom()
    {
        return lastDemotedFrom;
    }

    /**
     * @return true from a failed accepted-journal append (disk full, file system gone) until the next one that
     * succeeds; meanwhile every submit is answered UNAVAILABLE and tries the journal again. Any thread.
     */
    public boolean journalFailing()
    {
        return journalFailing;
    }

    /**
     * Turn alert-storm throttling on. Before the first submit.
     *
     * @param alerts the throttle, or null for none.
     * @return this.
     */
    public Admission alertThrottle(final AlertThrottle alerts)
    {
        this.alerts = alerts;
        return this;
    }

    /**
     * Admission thread, between submits (the gateway calls it every duty cycle): once a second, report the throttled
     * alert windows that ended while their device was quiet. Cheap when it is not time yet.
     *
     * @param nowNs now, on the engine's clock.
     * @return windows reported.
     */
    public int poll(final long nowNs)
    {
        if (null == alerts || nowNs - nextSweepNs < 0)
        {
            return 0;
        }
        nextSweepNs = nowNs + SWEEP_INTERVAL_NS;
        return alerts.sweep(nowNs);
    }

    /** @return the alert-storm throttle, or null when off. */
    public AlertThrottle alertThrottle()
    {
        return alerts;
    }

    /** @return the per-originator quota, or null when off. */
    public OriginatorQuota quota()
    {
        return quota;
    }

    /** @return after a DUPLICATE: the id of the message the RequestID was admitted as. */
    public long lastDuplicateOf()
    {
        return lastDuplicateOf;
    }

    /** @return after a DUPLICATE: whether that message is still pending (false: completed within the window). */
    public boolean lastDuplicatePending()
    {
        return lastDuplicatePending;
    }

    /** @return resend detection, or null when off. */
    public RequestIdIndex requests()
    {
        return requests;
    }

    /** @return level 1..4 of the last accepted message. */
    public int lastLevel()
    {
        return lastLevel;
    }

    /** @return the id the next accepted message will get. */
    public long nextMessageId()
    {
        return nextMessageId;
    }

    /** @return the largest payload admitted, in bytes. */
    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /** @return the accepted journal, or null when journaling is off. */
    public AcceptedJournal journal()
    {
        return journal;
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
            LOG.log(System.Logger.Level.ERROR, "accepted journal " + journal.config().acceptedDirectory() +
                " cannot be written (" + journal.lastFailure() + "): answering UNAVAILABLE and retrying the journal " +
                "with each submit; the backlog keeps draining");
        }
    }

    private void onJournalRecovered()
    {
        journalFailing = false;
        LOG.log(System.Logger.Level.WARNING, "accepted journal " + journal.config().acceptedDirectory() +
            " writable again after " + (journal.failures() - journalFailuresAtStart) + " failed appends: " +
            "admitting again");
    }

    private long reject(final RejectReason reason)
    {
        metrics.onRejected(reason);
        return -reason.code();
    }
}
