package io.otaprio.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;
import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.SubmissionSink;
import io.otaprio.admission.Transport;
import io.otaprio.gateway.Gateway;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A cluster node's front end: the TCP gateway's submissions go into the cluster, and the gateway hears the answers
 * once the cluster has committed and decided them. Wraps the node's {@link Gateway} in the admission agent's duty
 * cycle.
 * <pre>
 *   client ─TCP─► Gateway ─SUBMIT─► cluster ingress (to the leader, wherever it is) ─► log ─► every node's service
 *   client ◄TCP── Gateway ◄─ANSWER── leader's service (after commit)
 *   leader's scheduler ─completion─► relay ─► this ─COMPLETED─► log ─► service ─DONE─► the submitting node ─► client
 * </pre>
 * Submissions not yet answered are kept in order; when the cluster client reports a new leader they are offered
 * again (the cluster client does not retransmit, so what the old leader had not committed would be lost). A resend
 * of one that was committed is answered twice; the first answer counts. Completions the leader's scheduler reports
 * are kept until the cluster takes them. Without a cluster (no leader yet, or a majority lost) every submission is
 * answered UNAVAILABLE at once: nothing is acknowledged that a majority does not have.
 * <p>
 * Threading: the admission thread, which also polls the cluster client; nothing here blocks.
 */
public final class ClusterTransport implements Transport, SubmissionSink, EgressListener
{
    private static final System.Logger LOG = System.getLogger(ClusterTransport.class.getName());
    private static final long KEEP_ALIVE_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONNECT_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int ENTRY_CONNECTION_OFFSET = 0;
    private static final int ENTRY_SUBMIT_OFFSET = 8;
    private static final int MAX_UNANSWERED_BYTES = 64 * 1024 * 1024;
    private static final int MAX_UNSENT_BYTES = 64 * 1024 * 1024;
    private static final int DRAIN_LIMIT = 4096;
    /** Levels at or above this (1 supply, 2 engineer on site) always wait for a log that is behind. */
    private static final int PROTECTED_LEVEL = 2;
    /** Completions and marks kept to send again at a leader change: some seconds' worth at the DSP's rate. */
    private static final int RECENT_FRAMES = 64 * 1024;
    /** No DONE had yet: the first one sets where this node's numbering starts (a restarted node asks for no past). */
    private static final long NONE_YET = -1;

    private final Gateway gateway;
    private final PriorityPolicy policy;
    private final int maxUnanswered;
    private final AeronCluster.Context clientContext;
    private final int clientId;
    private final ErrorHandler errorHandler;
    private final UnsafeBuffer entry;
    private final UnsafeBuffer completedFrame = new UnsafeBuffer(new byte[ClusterMessages.COMPLETED_LENGTH]);
    private final UnsafeBuffer helloFrame = new UnsafeBuffer(new byte[ClusterMessages.HELLO_LENGTH]);
    private final ExpandableRingBuffer unanswered = new ExpandableRingBuffer(64 * 1024, MAX_UNANSWERED_BYTES, true);
    private final ExpandableRingBuffer unsent =
        new ExpandableRingBuffer(64 * 1024, MAX_UNSENT_BYTES, true);
    private final AdmissionResult answer = new AdmissionResult();
    private final AdmissionResult unavailable = new AdmissionResult();
    private final AcceptedMessageFlyweight entryMessage = new AcceptedMessageFlyweight();
    private final RequestId requestId = new RequestId();
    private final CompletedMessage done = new CompletedMessage();
    private final ExpandableRingBuffer.MessageConsumer onAnswered = this::onAnswered;
    private final ExpandableRingBuffer.MessageConsumer offerEntry = this::offerEntry;
    private final ExpandableRingBuffer.MessageConsumer sendUnsent = this::sendUnsent;
    private final FrameBatch.FrameHandler resendRecent = this::resendRecent;
    private final FrameHistory recent;
    private final DispatchMarks.BatchHandler onMarks = this::onMarks;
    private final DispatchMarks marks;
    private final UnsafeBuffer marksFrame;
    private final ExpandableRingBuffer.MessageConsumer failEntry = this::failEntry;
    private AeronCluster.AsyncConnect connecting;
    private AeronCluster client;
    private long nextSequence = 1;
    private long answeredSequence;
    private long offeredSequence;
    private long queuedSequence;
    private final FrameBatch submitBatch =
        new FrameBatch(ClusterMessages.MAX_MESSAGE_LENGTH, ClusterMessages.MAX_BATCH_LENGTH);
    private final FrameBatch controlBatch = new FrameBatch(ClusterMessages.MAX_BATCH_LENGTH);
    private final FrameBatch.FrameHandler onEgressFrame = this::onEgressFrame;
    private long lastDone = NONE_YET;
    private boolean resyncAsked;
    private boolean helloDue;
    private long nowNs;
    private long lastOfferNs;
    private long nextConnectNs;
    private volatile boolean connected;
    private volatile long unavailableAnswers;
    private volatile long droppedCompletions;
    private volatile long shedSubmissions;

    /**
     * @param gateway         the node's TCP gateway, bound.
     * @param clientContext   the cluster client's context: every member's ingress, this node's media driver.
     * @param clientId        who this node is to the cluster (its member id): completions of what it submitted come
     *                        back to it, whichever session it has by then.
     * @param maxPayloadBytes the largest payload a submission may carry.
     * @param marks           the leader's scheduler's dispatches, to put into the log.
     * @param policy          classifies what waits for the log when it is behind: levels 3 and 4 are then refused.
     * @param maxUnanswered   submissions waiting for the cluster's answer beyond which levels 3 and 4 are refused.
     * @param errorHandler    where unexpected errors of the cluster client go.
     */
    public ClusterTransport(
        final Gateway gateway,
        final AeronCluster.Context clientContext,
        final int clientId,
        final int maxPayloadBytes,
        final DispatchMarks marks,
        final PriorityPolicy policy,
        final int maxUnanswered,
        final ErrorHandler errorHandler)
    {
        this.policy = policy;
        this.maxUnanswered = maxUnanswered;
        this.marks = marks;
        this.recent = new FrameHistory(RECENT_FRAMES, Math.max(ClusterMessages.COMPLETED_LENGTH,
            ClusterMessages.DISPATCHED_COUNT_OFFSET + marks.maxRecordLength()));
        this.marksFrame = new UnsafeBuffer(new byte[ClusterMessages.DISPATCHED_COUNT_OFFSET + marks.maxRecordLength()]);
        this.gateway = gateway;
        this.clientContext = clientContext.egressListener(this).errorHandler(errorHandler);
        this.clientId = clientId;
        this.errorHandler = errorHandler;
        this.entry = new UnsafeBuffer(new byte[ENTRY_SUBMIT_OFFSET + ClusterMessages.maxSubmitLength(maxPayloadBytes)]);
        helloFrame.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.HELLO, ClusterMessages.ORDER);
        helloFrame.putInt(ClusterMessages.CLIENT_ID_OFFSET, clientId, ClusterMessages.ORDER);
    }

    public void onStart(final Admission admission)
    {
        gateway.onStart(admission);
        gateway.submitTo(this);
    }

    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int work = 0;
        if (null == client || client.isClosed())
        {
            work += connect();
        }
        else
        {
            work += client.pollEgress();
            if (client.isClosed())
            {
                onClusterLost("the cluster client closed (no leader within its timeout)");
            }
            else
            {
                // Before this cycle's completions (the relay is drained after doWork): a message's DISPATCHED goes
                // into the log ahead of its COMPLETED.
                work += marks.drain(onMarks, Integer.MAX_VALUE);
                work += sendPending();
            }
        }
        work += gateway.doWork(nowNs);
        return work;
    }

    /**
     * End of the duty cycle: this cycle's completions and marks, then its submissions, each as one message.
     *
     * @param nowNs the engine's epoch time at the start of the duty cycle.
     * @return units of work done.
     */
    public int flush(final long nowNs)
    {
        return flushControl() + flushSubmits() + gateway.flush(nowNs);
    }

    /**
     * The leader's scheduler completed a message: it goes into the log, so that every node's backlog and journal
     * know, and the node that submitted it answers its client.
     */
    public void onCompleted(final CompletedMessage completed)
    {
        completedFrame.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.COMPLETED, ClusterMessages.ORDER);
        completedFrame.putInt(ClusterMessages.CLIENT_ID_OFFSET, clientId, ClusterMessages.ORDER);
        completedFrame.putBytes(ClusterMessages.COMPLETED_RECORD_OFFSET, completed.buffer(), completed.offset(),
            CompletedMessage.LENGTH);
        send(completedFrame, ClusterMessages.COMPLETED_LENGTH);
    }

    public void onClose()
    {
        try
        {
            gateway.onClose();
        }
        finally
        {
            CloseHelper.quietClose(client);
            connected = false;
        }
    }

    public boolean submit(
        final AcceptedMessageFlyweight submission,
        final long correlationId,
        final AdmissionResult result)
    {
        if (!connected)
        {
            unavailableAnswers++;
            result.unavailable();
            return true;
        }
        if (nextSequence - 1 - answeredSequence >= maxUnanswered)
        {
            // The log is behind: a queue forming here would be first come first served, ahead of the lanes. Only
            // what protects supply or an engineer on site joins it; the rest is told FULL, as a full lane would.
            final MessageKind kind = MessageKind.fromValue(submission.kind());
            final int level = null == kind ? PriorityPolicy.LEVELS : policy.level(policy.classify(kind,
                submission.code()));
            if (level > PROTECTED_LEVEL)
            {
                shedSubmissions++;
                result.full(level);
                return true;
            }
        }
        final int submitLength = ClusterMessages.SUBMISSION_OFFSET + submission.encodedLength();
        final long sequence = nextSequence;
        entry.putLong(ENTRY_CONNECTION_OFFSET, correlationId, ClusterMessages.ORDER);
        final int frame = ENTRY_SUBMIT_OFFSET;
        entry.putInt(frame + ClusterMessages.TYPE_OFFSET, ClusterMessages.SUBMIT, ClusterMessages.ORDER);
        entry.putInt(frame + ClusterMessages.CLIENT_ID_OFFSET, clientId, ClusterMessages.ORDER);
        entry.putLong(frame + ClusterMessages.CORRELATION_ID_OFFSET, sequence, ClusterMessages.ORDER);
        entry.putBytes(frame + ClusterMessages.SUBMISSION_OFFSET, submission.buffer(), submission.offset(),
            submission.encodedLength());
        final int entryLength = ENTRY_SUBMIT_OFFSET + submitLength;
        if (unanswered.maxCapacity() - unanswered.size() < entryLength + 2 * ExpandableRingBuffer.HEADER_ALIGNMENT)
        {
            // Too much waiting for the cluster already: the client resends.
            unavailableAnswers++;
            result.unavailable();
            return true;
        }
        unanswered.append(entry, 0, entryLength);
        nextSequence = sequence + 1;
        // In sequence order only: answers come in log order, and an answer skips every earlier entry it finds.
        // Behind (back-pressure, an election under way) it waits its turn in sendPending.
        if (queuedSequence == sequence - 1)
        {
            batchSubmit(entry, frame, submitLength, sequence);
        }
        return false;
    }

    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final Header header)
    {
        if (ClusterMessages.BATCH == buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER))
        {
            FrameBatch.forEach(buffer, offset, onEgressFrame);
        }
        else
        {
            onEgressFrame(buffer, offset, length);
        }
    }

    private void onEgressFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        final int type = buffer.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER);
        if (ClusterMessages.ANSWER == type)
        {
            final long sequence = buffer.getLong(offset + ClusterMessages.CORRELATION_ID_OFFSET, ClusterMessages.ORDER);
            if (sequence > answeredSequence)
            {
                answer.decode(buffer, offset + ClusterMessages.ANSWER_RESULT_OFFSET);
                answeredSequence = sequence;
                unanswered.consume(onAnswered, Integer.MAX_VALUE);
            }
        }
        else if (ClusterMessages.DONE == type)
        {
            // Numbered per client: one sent again after a leader change, and already had, is had once.
            final long number = buffer.getLong(offset + ClusterMessages.DONE_NUMBER_OFFSET, ClusterMessages.ORDER);
            if (NONE_YET == lastDone || number == lastDone + 1)
            {
                lastDone = number;
                resyncAsked = false;
                gateway.onCompleted(done.wrap(buffer, offset + ClusterMessages.DONE_RECORD_OFFSET));
            }
            else if (number > lastDone + 1 && !resyncAsked)
            {
                // One went missing (the leader could not send it): ask for everything after the last one had.
                resyncAsked = true;
                helloDue = true;
            }
        }
    }

    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        // What the old leader had not answered may not be in the log: offer it all again, in order.
        offeredSequence = answeredSequence;
        queuedSequence = answeredSequence;
        submitBatch.reset();
        helloDue = true;
        recent.forEach(resendRecent);
        LOG.log(System.Logger.Level.INFO, "cluster leader is now member " + leaderMemberId + " (term " +
            leadershipTermId + "); offering " + unanswered.size() + " bytes of unanswered submissions again");
    }

    /** @return true while the cluster client has a session with a leader. Any thread. */
    public boolean isConnected()
    {
        return connected;
    }

    /** @return submissions answered UNAVAILABLE because no cluster could take them. Any thread. */
    public long unavailableAnswers()
    {
        return unavailableAnswers;
    }

    /** @return submissions of levels 3 and 4 answered FULL because the log was behind. Any thread. */
    public long shedSubmissions()
    {
        return shedSubmissions;
    }

    /** @return completions and dispatch marks dropped because too many waited for a cluster. Any thread. */
    public long droppedCompletions()
    {
        return droppedCompletions;
    }

    private int connect()
    {
        if (null == connecting)
        {
            if (nowNs - nextConnectNs < 0)
            {
                return 0;
            }
            connecting = AeronCluster.asyncConnect(clientContext.clone());
        }
        try
        {
            final AeronCluster connectedClient = connecting.poll();
            if (null == connectedClient)
            {
                return 0;
            }
            connecting = null;
            client = connectedClient;
            connected = true;
            offeredSequence = answeredSequence;
            queuedSequence = answeredSequence;
            submitBatch.reset();
            // The old client may have offered its last completions and marks to a leader that had died.
            recent.forEach(resendRecent);
            helloDue = true;
            LOG.log(System.Logger.Level.INFO, "connected to the cluster, leader member " +
                connectedClient.leaderMemberId());
            return 1;
        }
        catch (final RuntimeException ex)
        {
            // No leader reachable within the client's timeout: try again shortly, answering UNAVAILABLE meanwhile.
            CloseHelper.quietClose(connecting);
            connecting = null;
            nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
            return 0;
        }
    }

    private void onClusterLost(final String why)
    {
        LOG.log(System.Logger.Level.WARNING, why + ": answering UNAVAILABLE until a leader is reachable");
        CloseHelper.quietClose(client);
        client = null;
        connected = false;
        nextConnectNs = nowNs + RECONNECT_INTERVAL_NS;
        // Whether the cluster committed them is unknown: the clients resend, and resend detection sorts it out.
        unanswered.consume(failEntry, Integer.MAX_VALUE);
        answeredSequence = nextSequence - 1;
        offeredSequence = answeredSequence;
        queuedSequence = answeredSequence;
        submitBatch.reset();
    }

    private int sendPending()
    {
        int work = 0;
        helloFrame.putLong(ClusterMessages.HELLO_LAST_DONE_OFFSET, lastDone, ClusterMessages.ORDER);
        if (helloDue && offer(helloFrame, 0, ClusterMessages.HELLO_LENGTH))
        {
            helloDue = false;
            work++;
        }
        if (queuedSequence < nextSequence - 1)
        {
            work += unanswered.forEach(offerEntry, Integer.MAX_VALUE);
            work += flushSubmits();
        }
        if (!unsent.isEmpty())
        {
            work += unsent.consume(sendUnsent, DRAIN_LIMIT);
        }
        if (nowNs - lastOfferNs > KEEP_ALIVE_INTERVAL_NS && client.sendKeepAlive())
        {
            lastOfferNs = nowNs;
        }
        return work;
    }

    private boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == client)
        {
            return false;
        }
        try
        {
            if (client.offer(buffer, offset, length) > 0)
            {
                lastOfferNs = nowNs;
                return true;
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
        return false;
    }

    /** In order behind anything not yet sent; kept for the next duty cycle when the cluster cannot take it now. */
    private void send(final UnsafeBuffer frame, final int length)
    {
        remember(frame, 0, length);
        if (!controlBatch.fits(length))
        {
            flushControl();
        }
        controlBatch.add(frame, 0, length);
    }

    /**
     * Keep the latest completions and dispatch marks: an offer the client accepted may still have gone to a leader
     * that had just died (its ingress looks connected until its image times out), and the cluster client does not
     * retransmit. Sent again at every leader change; the service applies each once.
     */
    private void remember(final DirectBuffer frame, final int offset, final int length)
    {
        recent.add(frame, offset, length);
    }

    private void resendRecent(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!unsent.append(buffer, offset, length))
        {
            droppedCompletions++;
        }
    }

    private void onMarks(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        marksFrame.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.DISPATCHED, ClusterMessages.ORDER);
        marksFrame.putBytes(ClusterMessages.DISPATCHED_COUNT_OFFSET, buffer, offset, length);
        send(marksFrame, ClusterMessages.DISPATCHED_COUNT_OFFSET + length);
    }

    private boolean onAnswered(final MutableDirectBuffer buffer, final int offset, final int length, final int head)
    {
        final int frame = offset + ENTRY_SUBMIT_OFFSET;
        final long sequence = buffer.getLong(frame + ClusterMessages.CORRELATION_ID_OFFSET, ClusterMessages.ORDER);
        if (sequence > answeredSequence)
        {
            return false;
        }
        final long connectionId = buffer.getLong(offset + ENTRY_CONNECTION_OFFSET, ClusterMessages.ORDER);
        final AcceptedMessageFlyweight submission = readRequestId(buffer, frame);
        if (sequence == answeredSequence)
        {
            gateway.onAnswer(connectionId, submission.readRequestId(requestId), answer);
        }
        else
        {
            // An answer the leader could not send (its egress was full): the client resends, resend detection knows.
            unavailableAnswers++;
            gateway.onAnswer(connectionId, submission.readRequestId(requestId), unavailable.unavailable());
        }
        return true;
    }

    private boolean offerEntry(final MutableDirectBuffer buffer, final int offset, final int length, final int head)
    {
        final int frame = offset + ENTRY_SUBMIT_OFFSET;
        final long sequence = buffer.getLong(frame + ClusterMessages.CORRELATION_ID_OFFSET, ClusterMessages.ORDER);
        if (sequence <= queuedSequence)
        {
            return true;
        }
        batchSubmit(buffer, frame, length - ENTRY_SUBMIT_OFFSET, sequence);
        return queuedSequence == sequence;
    }

    /** Queue a SUBMIT into this cycle's batch, which goes out whole: sent first when it is full. */
    private void batchSubmit(final DirectBuffer buffer, final int frame, final int length, final long sequence)
    {
        if (!submitBatch.fits(length))
        {
            flushSubmits();
        }
        if (queuedSequence == sequence - 1)
        {
            submitBatch.add(buffer, frame, length);
            queuedSequence = sequence;
        }
    }

    private int flushSubmits()
    {
        if (0 == submitBatch.count())
        {
            return 0;
        }
        submitBatch.seal();
        if (offer(submitBatch.buffer(), 0, submitBatch.length()))
        {
            offeredSequence = queuedSequence;
        }
        else
        {
            // Not taken (back-pressure, no leader this instant): they are in the unanswered queue, offered again.
            queuedSequence = offeredSequence;
        }
        submitBatch.reset();
        return 1;
    }

    private int flushControl()
    {
        if (0 == controlBatch.count())
        {
            return 0;
        }
        controlBatch.seal();
        if ((!unsent.isEmpty() || !offer(controlBatch.buffer(), 0, controlBatch.length())) &&
            !unsent.append(controlBatch.buffer(), 0, controlBatch.length()))
        {
            droppedCompletions += controlBatch.count();
        }
        controlBatch.reset();
        return 1;
    }

    private boolean sendUnsent(final MutableDirectBuffer buffer, final int offset, final int length, final int head)
    {
        return offer(buffer, offset, length);
    }

    private boolean failEntry(final MutableDirectBuffer buffer, final int offset, final int length, final int head)
    {
        final long connectionId = buffer.getLong(offset + ENTRY_CONNECTION_OFFSET, ClusterMessages.ORDER);
        unavailableAnswers++;
        gateway.onAnswer(connectionId, readRequestId(buffer, offset + ENTRY_SUBMIT_OFFSET).readRequestId(requestId),
            unavailable.unavailable());
        return true;
    }

    private AcceptedMessageFlyweight readRequestId(final DirectBuffer buffer, final int frame)
    {
        return entryMessage.wrap(buffer, frame + ClusterMessages.SUBMISSION_OFFSET);
    }
}
