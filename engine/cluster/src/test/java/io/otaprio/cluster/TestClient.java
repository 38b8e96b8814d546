package io.otaprio.cluster;

import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.Header;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster client with its own media driver, speaking {@link ClusterMessages}: what a node's gateway does, driven
 * by a test. Answers are kept by correlation id, completions in arrival order.
 */
final class TestClient implements AutoCloseable, EgressListener
{
    private final MediaDriver driver;
    private final AeronCluster client;
    private final int clientId;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
    private final Long2ObjectHashMap<AdmissionResult> answers = new Long2ObjectHashMap<>();
    private final List<Long> done = new ArrayList<>();
    private final java.util.TreeMap<Long, byte[]> unanswered = new java.util.TreeMap<>();
    private long nextCorrelationId = 1;
    private int newLeaders;
    private boolean resendDue;

    TestClient(final TestCluster cluster, final Path aeronDir, final int clientId)
    {
        this.clientId = clientId;
        driver = MediaDriver.launch(new MediaDriver.Context()
            .aeronDirectoryName(aeronDir.toString())
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100)))
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        client = AeronCluster.connect(ClusterNode.clientContext(cluster.settings(0), driver.aeronDirectoryName())
            .egressListener(this)
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(10)));
        buffer.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.HELLO, ClusterMessages.ORDER);
        buffer.putInt(ClusterMessages.CLIENT_ID_OFFSET, clientId, ClusterMessages.ORDER);
        buffer.putLong(ClusterMessages.HELLO_LAST_DONE_OFFSET, -1, ClusterMessages.ORDER);
        offer(ClusterMessages.HELLO_LENGTH);
    }

    /**
     * @return the correlation id its answer will carry.
     */
    long submit(final int code, final long originator, final long target, final long counter)
    {
        final long correlationId = nextCorrelationId++;
        buffer.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.SUBMIT, ClusterMessages.ORDER);
        buffer.putInt(ClusterMessages.CLIENT_ID_OFFSET, clientId, ClusterMessages.ORDER);
        buffer.putLong(ClusterMessages.CORRELATION_ID_OFFSET, correlationId, ClusterMessages.ORDER);
        submission.wrap(buffer, ClusterMessages.SUBMISSION_OFFSET).clear()
            .kind(MessageKind.SERVICE_REQUEST.value())
            .code(code)
            .requestId(new RequestId(originator, target, counter))
            .payload(buffer, 0, 8);
        final int length = ClusterMessages.SUBMISSION_OFFSET + submission.encodedLength();
        final byte[] copy = new byte[length];
        buffer.getBytes(0, copy);
        unanswered.put(correlationId, copy);
        offer(length);
        return correlationId;
    }

    void complete(final long messageId, final int outcome)
    {
        buffer.setMemory(0, ClusterMessages.COMPLETED_LENGTH, (byte)0);
        buffer.putInt(ClusterMessages.TYPE_OFFSET, ClusterMessages.COMPLETED, ClusterMessages.ORDER);
        final int record = ClusterMessages.COMPLETED_RECORD_OFFSET;
        new AcceptedMessageFlyweight().wrap(buffer, record).clear().messageId(messageId);
        buffer.putLong(record + CompletedMessage.DISPATCH_TIME_OFFSET, 1, ClusterMessages.ORDER);
        buffer.putLong(record + CompletedMessage.COMPLETED_TIME_OFFSET, 2, ClusterMessages.ORDER);
        buffer.putLong(record + CompletedMessage.OUTCOME_OFFSET, outcome, ClusterMessages.ORDER);
        offer(ClusterMessages.COMPLETED_LENGTH);
    }

    AdmissionResult awaitAnswer(final long correlationId, final long timeoutMs)
    {
        TestCluster.await(() ->
        {
            poll();
            return answers.containsKey(correlationId);
        }, timeoutMs, "the answer to " + correlationId);
        return answers.get(correlationId);
    }

    AdmissionResult answer(final long correlationId)
    {
        return answers.get(correlationId);
    }

    List<Long> done()
    {
        return done;
    }

    int newLeaders()
    {
        return newLeaders;
    }

    int poll()
    {
        final int work = client.pollEgress();
        if (resendDue)
        {
            // The cluster client does not retransmit: what went to the old leader and was not committed is gone,
            // and what was committed comes back DUPLICATE. Either way, nothing is lost.
            resendDue = false;
            for (final byte[] submit : unanswered.values())
            {
                buffer.putBytes(0, submit);
                offer(submit.length);
            }
        }
        return work;
    }

    public void onMessage(
        final long clusterSessionId,
        final long timestamp,
        final DirectBuffer message,
        final int offset,
        final int length,
        final Header header)
    {
        if (ClusterMessages.BATCH == message.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER))
        {
            FrameBatch.forEach(message, offset, (buffer, frame, frameLength) -> onFrame(buffer, frame));
        }
        else
        {
            onFrame(message, offset);
        }
    }

    private void onFrame(final DirectBuffer message, final int offset)
    {
        final int type = message.getInt(offset + ClusterMessages.TYPE_OFFSET, ClusterMessages.ORDER);
        if (ClusterMessages.ANSWER == type)
        {
            final long correlationId = message.getLong(offset + ClusterMessages.CORRELATION_ID_OFFSET,
                ClusterMessages.ORDER);
            if (null != unanswered.remove(correlationId))
            {
                // The first answer counts: a resend of a committed submission is answered a second time.
                answers.put(correlationId,
                    new AdmissionResult().decode(message, offset + ClusterMessages.ANSWER_RESULT_OFFSET));
            }
        }
        else if (ClusterMessages.DONE == type)
        {
            done.add(new CompletedMessage().wrap(message, offset + ClusterMessages.DONE_RECORD_OFFSET)
                .message().messageId());
        }
    }

    public void onNewLeader(
        final long clusterSessionId,
        final long leadershipTermId,
        final int leaderMemberId,
        final String ingressEndpoints)
    {
        newLeaders++;
        resendDue = true;
    }

    private void offer(final int length)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.offer(buffer, 0, length) < 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("the cluster took nothing for 10 s");
            }
            client.pollEgress();
            Thread.onSpinWait();
        }
    }

    public void close()
    {
        CloseHelper.closeAll(client, driver);
    }
}
