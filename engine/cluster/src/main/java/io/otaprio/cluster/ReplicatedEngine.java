package io.otaprio.cluster;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.Header;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.AdmissionRules;
import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.Recovered;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's replicated state machine, run by every node on the committed log (Aeron Cluster delivers an entry
 * only once a majority has it): admission's decisions, the backlog of pending messages and the journal of each node.
 * <ul>
 *   <li><b>SUBMIT</b>: the shared {@link AdmissionRules} decide at the log's time (never a wall clock); an admitted
 *       message gets the next id, its level, TRT budget and the log time as accept time, joins its lane in the
 *       {@link Backlog} and this node's accepted journal; the leader answers the session (an Ack therefore means a
 *       majority has the message) and feeds its lanes.</li>
 *   <li><b>COMPLETED</b>: the message leaves the backlog, its outcome goes to this node's outcome journal, resend
 *       detection remembers it, and the leader tells the client that submitted it.</li>
 *   <li><b>HELLO</b>: completions for that client id go to this session from now on.</li>
 * </ul>
 * Deterministic by construction: time is the log's, maps are only looked up (never iterated), nothing reads the
 * node's own clock, files or role when deciding. Output seen outside the cluster (answers, lanes) is the leader's
 * alone. A running {@link StateDigest} of every decision lets tests compare nodes.
 * <p>
 * The journal is each node's projection of the log: a restarted node replays the log from the start, so messages
 * and outcomes its journal already holds are not written again.
 * <p>
 * Threading: Aeron's service container thread; {@link #stateHash()}, {@link #applied()}, {@link #pending()} and
 * {@link #isLeader()} may be read from any thread.
 */
public final class ReplicatedEngine implements ClusteredService
{
    private static final int EGRESS_ATTEMPTS = 3;
    private static final int FEED_LIMIT = 256;
    private static final long SWEEP_INTERVAL_NS = 1_000_000_000L;
    private static final long NO_SESSION = -1;
    private static final int COMPLETIONS_KEPT_PER_CLIENT = 1 << 16;

    private final AdmissionRules rules;
    private final Backlog backlog;
    private final AcceptedLog acceptedJournal;
    private final OutcomeLog outcomeJournal;
    private final Recovered journaled;
    private final LaneFeed laneFeed;
    private final StateDigest digest = new StateDigest();
    private final AdmissionResult result = new AdmissionResult();
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
    private final CompletedMessage completed = new CompletedMessage();
    private final Long2LongHashMap sessionByClientId = new Long2LongHashMap(NO_SESSION);
    private final UnsafeBuffer egress = new UnsafeBuffer(new byte[ClusterMessages.DONE_LENGTH +
        ClusterMessages.ANSWER_LENGTH]);
    private final Int2ObjectHashMap<ClientCompletions> completionsByClientId = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<FrameBatch> doneByClientId = new Int2ObjectHashMap<>();
    private final IntArrayList dirtyClients = new IntArrayList();
    private final FrameBatch answers = new FrameBatch(ClusterMessages.MAX_BATCH_LENGTH);
    private final FrameBatch.FrameHandler onFrame = this::onFrame;
    private ClientSession currentSession;
    private long currentTimestamp;
    private final UnsafeBuffer stamped;
    private Cluster cluster;
    private IdleStrategy idle;
    private long nextMessageId;
    private long nextSweepNs;
    private final ClusterCounters counters;
    private boolean leader;

    /**
     * @param parts the rules, lanes, journals and feed this node's service works with.
     */
    public ReplicatedEngine(final ReplicatedParts parts)
    {
        this.rules = parts.rules();
        this.backlog = new Backlog(parts.laneSizes(), parts.rules().maxPayloadBytes());
        this.acceptedJournal = parts.acceptedJournal();
        this.outcomeJournal = parts.outcomeJournal();
        this.journaled = parts.journaled();
        this.laneFeed = parts.laneFeed();
        this.nextMessageId = parts.firstMessageId();
        this.counters = parts.counters();
        this.stamped = new UnsafeBuffer(new byte[ClusterMessages.maxSubmitLength(parts.rules().maxPayloadBytes())]);
    }

    public void onStart(final Cluster cluster, final Image snapshotImage)
    {
        this.cluster = cluster;
        this.idle = cluster.idleStrategy();
        if (null != snapshotImage)
        {
            throw new IllegalStateException("otaprio takes no snapshots: its state is rebuilt from the whole log");
        }
    }

    public void onSessionOpen(final ClientSession session, final long timestamp)
    {
        digest.add(session.id());
    }

    public void onSessionClose(final ClientSession session, final long timestamp, final CloseReason closeReason)
    {
        digest.add(-session.id());
    }

    public void onSessionMessage(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        currentSession = session;
        currentTimestamp = timestamp;
        if (ClusterMessages.BATCH == buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER))
        {
            FrameBatch.forEach(buffer, offset, onFrame);
        }
        else
        {
            onFrame(buffer, offset, length);
        }
        if (timestamp - nextSweepNs >= 0)
        {
            nextSweepNs = timestamp + SWEEP_INTERVAL_NS;
            rules.sweep(timestamp);
        }
        if (leader)
        {
            flushAnswers(session);
            flushDones();
        }
        digest.publish();
        counters.stateHash.setRelease(digest.value());
        counters.pending.setRelease(backlog.size());
        counters.applied.incrementRelease();
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final ClientSession session = currentSession;
        final long timestamp = currentTimestamp;
        final int type = buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER);
        switch (type)
        {
            case ClusterMessages.SUBMIT:
                onSubmit(session, timestamp, buffer, offset, length);
                break;

            case ClusterMessages.COMPLETED:
                onCompleted(timestamp, buffer, offset, length);
                break;

            case ClusterMessages.DISPATCHED:
                onDispatched(timestamp, buffer, offset);
                break;

            case ClusterMessages.HELLO:
                onHello(session, buffer, offset);
                break;

            default:
                // Every node ignores it alike: a newer client's message, not a reason to diverge or stop.
                digest.add(type);
                break;
        }
    }

    public void onTimerEvent(final long correlationId, final long timestamp)
    {
    }

    public void onTakeSnapshot(final ExclusivePublication snapshotPublication)
    {
        throw new UnsupportedOperationException("otaprio takes no snapshots: its state is rebuilt from the whole log");
    }

    public void onRoleChange(final Cluster.Role newRole)
    {
        final boolean nowLeader = Cluster.Role.LEADER == newRole;
        if (nowLeader && !leader)
        {
            // A new leader's rings hold nothing of this backlog: every pending message goes in again, lane 0 first,
            // including those the old leader had dispatched (again: at least once, and counted).
            backlog.rewindFeed();
            counters.redispatched.getAndAddRelease(backlog.dispatched());
            counters.leaderships.incrementRelease();
        }
        leader = nowLeader;
        counters.role.setRelease(nowLeader ? ClusterCounters.LEADER : ClusterCounters.FOLLOWER);
    }

    public void onTerminate(final Cluster cluster)
    {
        outcomeJournal.flush();
    }

    public int doBackgroundWork(final long nowNs)
    {
        int work = 0;
        if (outcomeJournal.bufferedRecords() > 0)
        {
            final int flushed = outcomeJournal.flush();
            if (flushed < 0)
            {
                counters.journalFailures.incrementRelease();
            }
            else
            {
                work += flushed;
            }
        }
        if (leader)
        {
            work += laneFeed.feed(backlog, FEED_LIMIT);
        }
        return work;
    }

    /** @return the digest of every decision so far; equal on nodes that applied the same log. Any thread. */
    public long stateHash()
    {
        return digest.value();
    }

    /** @return log messages applied. Any thread. */
    public long applied()
    {
        return counters.applied.get();
    }

    /** @return accepted messages not yet completed. Any thread. */
    public long pending()
    {
        return counters.pending.get();
    }

    /** @return true while this node leads (answers clients and feeds its lanes). Any thread. */
    public boolean isLeader()
    {
        return ClusterCounters.LEADER == counters.role.get();
    }

    /**
     * @return pending messages this node took over as leader that an earlier leader had dispatched (it dispatches
     * them again). Any thread.
     */
    public long redispatched()
    {
        return counters.redispatched.get();
    }

    /**
     * @return completions a client asked for again after a leader change that were no longer kept (it missed more
     * than the last 65,536). Any thread.
     */
    public long completionsForgotten()
    {
        return counters.completionsForgotten.get();
    }

    /** @return this node's journal writes that failed (its disk): decisions do not change. Any thread. */
    public long journalFailures()
    {
        return counters.journalFailures.get();
    }

    /** @return times this node became leader. Any thread. */
    public long leaderships()
    {
        return counters.leaderships.get();
    }

    /** @return answers and completions the leader could not send (the client was gone or not reading). */
    public long egressDropped()
    {
        return counters.egressDropped.get();
    }

    private void onSubmit(
        final ClientSession session,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int clientId = buffer.getInt(offset + ClusterMessages.CLIENT_ID_OFFSET, ClusterMessages.ORDER);
        final long correlationId = buffer.getLong(offset + ClusterMessages.CORRELATION_ID_OFFSET,
            ClusterMessages.ORDER);
        sessionByClientId.put(clientId, session.id());
        final int submissionLength = length - ClusterMessages.SUBMISSION_OFFSET;
        stamped.putBytes(0, buffer, offset + ClusterMessages.SUBMISSION_OFFSET, submissionLength);
        submission.wrap(stamped, 0);

        final int lane = rules.decide(submission, timestamp, result);
        if (lane >= 0)
        {
            if (backlog.hasRoom(lane))
            {
                final long messageId = nextMessageId++;
                rules.stamp(submission, messageId);
                backlog.add(lane, submission, clientId);
                if (messageId >= journaled.nextMessageId() &&
                    acceptedJournal.append(stamped, 0, submission.encodedLength()) < 0)
                {
                    // This node's disk, not a decision: every node admits it alike, the log keeps it.
                    counters.journalFailures.incrementRelease();
                }
                rules.accepted(submission, result);
                digest.add(messageId);
                digest.add(lane);
                digest.add(rules.level());
                digest.add(rules.acceptTimeNs());
            }
            else
            {
                rules.full(result);
            }
        }
        else if (result.originalPending())
        {
            // Whoever resent it waits for it now (a client that moved to another node after losing its own).
            backlog.rebind(result.originalMessageId(), clientId);
        }
        digest.add(null == result.reason() ? 0 : result.reason().code());
        digest.add(result.originalMessageId());

        if (leader)
        {
            answer(session, correlationId);
            laneFeed.feed(backlog, FEED_LIMIT);
        }
    }

    private void onCompleted(final long timestamp, final DirectBuffer buffer, final int offset, final int length)
    {
        completed.wrap(buffer, offset + ClusterMessages.COMPLETED_RECORD_OFFSET);
        final long messageId = completed.message().messageId();
        final AcceptedMessageFlyweight pendingMessage = backlog.find(messageId);
        if (null == pendingMessage)
        {
            // Completed already (a message dispatched twice across a failover completes twice): counted once.
            digest.add(-messageId);
            return;
        }
        rules.completed(pendingMessage, timestamp);
        final int clientId = backlog.remove(messageId);
        if (!journaled.isCompleted(messageId))
        {
            outcomeJournal.completed(messageId, completed.dispatchTimeNs(), completed.completedTimeNs(),
                completed.outcome());
        }
        digest.add(messageId);
        digest.add(completed.outcome());
        final ClientCompletions owed = owed(clientId);
        final long number = owed.add(buffer, offset + ClusterMessages.COMPLETED_RECORD_OFFSET);
        if (leader)
        {
            done(clientId, owed, number);
        }
    }

    private ClientCompletions owed(final int clientId)
    {
        ClientCompletions owed = completionsByClientId.get(clientId);
        if (null == owed)
        {
            // Once per client id for the life of the cluster: node ids, and a test's clients.
            owed = new ClientCompletions(COMPLETIONS_KEPT_PER_CLIENT);
            completionsByClientId.put(clientId, owed);
        }
        return owed;
    }

    private void onHello(final ClientSession session, final DirectBuffer buffer, final int offset)
    {
        final int clientId = buffer.getInt(offset + ClusterMessages.CLIENT_ID_OFFSET, ClusterMessages.ORDER);
        final long lastReceived = buffer.getLong(offset + ClusterMessages.HELLO_LAST_DONE_OFFSET,
            ClusterMessages.ORDER);
        sessionByClientId.put(clientId, session.id());
        if (!leader || lastReceived < 0)
        {
            // A client with no past (a node just started) wants only what completes from now on.
            return;
        }
        // A client that saw a new leader: whatever the old leader committed and did not get to send, sent now.
        final ClientCompletions owed = owed(clientId);
        final long from = Math.max(lastReceived + 1, owed.oldest());
        if (lastReceived + 1 < from)
        {
            counters.completionsForgotten.getAndAddRelease(from - lastReceived - 1);
        }
        for (long number = from; number <= owed.last(); number++)
        {
            done(clientId, owed, number);
        }
    }

    private void onDispatched(final long timestamp, final DirectBuffer buffer, final int offset)
    {
        final int count = buffer.getInt(offset + ClusterMessages.DISPATCHED_COUNT_OFFSET, ClusterMessages.ORDER);
        for (int i = 0; i < count; i++)
        {
            final long messageId = buffer.getLong(offset + ClusterMessages.DISPATCHED_COUNT_OFFSET + 4 + 8 * i,
                ClusterMessages.ORDER);
            if (backlog.markDispatched(messageId))
            {
                digest.add(messageId);
                if (messageId >= journaled.nextMessageId())
                {
                    outcomeJournal.dispatched(messageId, timestamp);
                }
            }
        }
    }

    private void answer(final ClientSession session, final long correlationId)
    {
        egress.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.ANSWER, ClusterMessages.ORDER);
        egress.putInt(ClusterMessages.CLIENT_ID_OFFSET, 0, ClusterMessages.ORDER);
        egress.putLong(ClusterMessages.CORRELATION_ID_OFFSET, correlationId, ClusterMessages.ORDER);
        egress.putLong(ClusterMessages.ANSWER_REQUEST_ID_OFFSET, submission.originator(), ClusterMessages.ORDER);
        egress.putLong(ClusterMessages.ANSWER_REQUEST_ID_OFFSET + 8, submission.target(), ClusterMessages.ORDER);
        egress.putLong(ClusterMessages.ANSWER_REQUEST_ID_OFFSET + 16, submission.counter(), ClusterMessages.ORDER);
        result.encode(egress, ClusterMessages.ANSWER_RESULT_OFFSET);
        if (!answers.fits(ClusterMessages.ANSWER_LENGTH))
        {
            flushAnswers(session);
        }
        answers.add(egress, 0, ClusterMessages.ANSWER_LENGTH);
    }

    private void flushAnswers(final ClientSession session)
    {
        if (answers.count() > 0)
        {
            answers.seal();
            offer(session, answers.buffer(), answers.length());
            answers.reset();
        }
    }

    private void done(final int clientId, final ClientCompletions owed, final long number)
    {
        egress.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.DONE, ClusterMessages.ORDER);
        egress.putInt(ClusterMessages.CLIENT_ID_OFFSET, 0, ClusterMessages.ORDER);
        egress.putLong(ClusterMessages.DONE_NUMBER_OFFSET, number, ClusterMessages.ORDER);
        owed.copy(number, egress, ClusterMessages.DONE_RECORD_OFFSET);
        FrameBatch batch = doneByClientId.get(clientId);
        if (null == batch)
        {
            // Once per client id for the life of the node.
            batch = new FrameBatch(ClusterMessages.MAX_BATCH_LENGTH);
            doneByClientId.put(clientId, batch);
        }
        if (!batch.fits(ClusterMessages.DONE_LENGTH))
        {
            flushDone(clientId, batch);
        }
        if (0 == batch.count())
        {
            dirtyClients.addInt(clientId);
        }
        batch.add(egress, 0, ClusterMessages.DONE_LENGTH);
    }

    private void flushDones()
    {
        for (int i = 0; i < dirtyClients.size(); i++)
        {
            final int clientId = dirtyClients.getInt(i);
            flushDone(clientId, doneByClientId.get(clientId));
        }
        dirtyClients.clear();
    }

    private void flushDone(final int clientId, final FrameBatch batch)
    {
        if (0 == batch.count())
        {
            return;
        }
        final long sessionId = sessionByClientId.get(clientId);
        final ClientSession session = NO_SESSION == sessionId ? null : cluster.getClientSession(sessionId);
        if (null == session)
        {
            counters.egressDropped.incrementRelease();
        }
        else
        {
            batch.seal();
            offer(session, batch.buffer(), batch.length());
        }
        batch.reset();
    }

    private void offer(final ClientSession session, final DirectBuffer buffer, final int length)
    {
        // Bounded: a client that does not read must not stall the log for every other client and node. It resends,
        // and resend detection answers from the replicated state.
        for (int attempt = 0; attempt < EGRESS_ATTEMPTS; attempt++)
        {
            if (session.offer(buffer, 0, length) > 0)
            {
                return;
            }
            idle.idle();
        }
        counters.egressDropped.incrementRelease();
    }
}
