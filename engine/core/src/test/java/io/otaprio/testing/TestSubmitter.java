package io.otaprio.testing;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.MessageSource;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a test thread submit into a running engine as an in-process client would: each submission is queued for the
 * admission thread, which submits it in its next duty cycle through this {@link MessageSource} and answers the test
 * thread. {@link #submit} blocks for the answer (an engine with its own threads); {@link #offer} returns at once, for
 * an engine the test drives itself ({@code ThreadingMode.INVOKER}). Completions are recorded as they are relayed.
 * <p>
 * Threading: any test thread submits; {@link #poll} and {@link #onCompleted} run on the admission thread.
 */
public final class TestSubmitter implements MessageSource
{
    /** How long {@link #submit} waits for the admission thread. */
    public static final long TIMEOUT_MS = 10_000;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight().wrap(
        new UnsafeBuffer(new byte[AcceptedMessageDescriptor.encodedLength(64 * 1024 + 64)]), 0);
    private final AdmissionResult result = new AdmissionResult();
    private final List<Completion> completions = new ArrayList<>();
    private volatile boolean closed;

    /**
     * What admission answered.
     *
     * @param reason            null when admitted.
     * @param messageId         the admitted message's id, else -1.
     * @param level             the level admitted at (for FULL and DUPLICATE, the policy's level).
     * @param demotedFrom       the level the quota demoted it from, else 0.
     * @param originalMessageId for a DUPLICATE, the original; else -1.
     * @param originalPending   for a DUPLICATE, whether the original is still pending.
     * @param cancelled         for an accepted cancellation, the held requests it removed.
     */
    public record Answer(
        RejectReason reason,
        long messageId,
        int level,
        int demotedFrom,
        long originalMessageId,
        boolean originalPending,
        int cancelled)
    {
        /** @return true when admitted. */
        public boolean accepted()
        {
            return null == reason;
        }

        /** @return the message id when admitted, else minus the reason's code (the engine's old return code). */
        public long id()
        {
            return null == reason ? messageId : -reason.code();
        }
    }

    /**
     * A completion the engine relayed.
     *
     * @param messageId the message.
     * @param requestId its RequestID.
     * @param level     its class level.
     * @param outcome   the dispatcher's outcome.
     * @param latencyNs accept to completion.
     */
    public record Completion(long messageId, RequestId requestId, int level, int outcome, long latencyNs)
    {
    }

    private record Pending(
        int kind, int code, RequestId requestId, byte[] payload, int commandVariant, long dueAtNs,
        CompletableFuture<Answer> answer)
    {
    }

    /**
     * Submit and wait for the answer.
     *
     * @param kind      message kind value.
     * @param code      packed SRV or alert code.
     * @param requestId the RequestID.
     * @param payload   payload bytes.
     * @param offset    where they start.
     * @param length    how many.
     * @return admission's answer.
     */
    public Answer submit(
        final int kind,
        final int code,
        final RequestId requestId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        try
        {
            return offer(kind, code, requestId, payload, offset, length).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new AssertionError("no answer from the admission thread within " + TIMEOUT_MS + " ms", ex);
        }
    }

    /**
     * Queue a submission for the admission thread.
     *
     * @param kind      message kind value.
     * @param code      packed SRV or alert code.
     * @param requestId the RequestID.
     * @param payload   payload bytes.
     * @param offset    where they start.
     * @param length    how many.
     * @return completed with admission's answer.
     */
    public CompletableFuture<Answer> offer(
        final int kind,
        final int code,
        final RequestId requestId,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        final byte[] bytes = new byte[Math.max(0, length)];
        payload.getBytes(offset, bytes, 0, bytes.length);
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        if (closed)
        {
            answer.completeExceptionally(new IllegalStateException("the engine has closed"));
            return answer;
        }
        queue.add(new Pending(kind, code, new RequestId().set(requestId), bytes, 0, Admission.NOT_FUTURE_DATED,
            answer));
        return answer;
    }

    /**
     * Submit a message with no payload and a DUIS CommandVariant and wait for the answer.
     *
     * @param kind           message kind value.
     * @param code           packed SRV or alert code.
     * @param requestId      the RequestID.
     * @param commandVariant the DUIS CommandVariant.
     * @return admission's answer.
     */
    public Answer submit(final int kind, final int code, final RequestId requestId, final int commandVariant)
    {
        return submitDated(kind, code, requestId, commandVariant, Admission.NOT_FUTURE_DATED);
    }

    /**
     * Submit a dated message with no payload through {@link Admission#submitDated} and wait for the answer.
     *
     * @param kind           message kind value.
     * @param code           packed SRV or alert code.
     * @param requestId      the RequestID.
     * @param commandVariant the DUIS CommandVariant.
     * @param dueAtNs        its due time, or {@link Admission#NOT_FUTURE_DATED} or {@link Admission#CANCELS_HELD}.
     * @return admission's answer.
     */
    public Answer submitDated(
        final int kind, final int code, final RequestId requestId, final int commandVariant, final long dueAtNs)
    {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        queue.add(new Pending(kind, code, new RequestId().set(requestId), new byte[0], commandVariant, dueAtNs,
            answer));
        try
        {
            return answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new AssertionError("no answer from the admission thread within " + TIMEOUT_MS + " ms", ex);
        }
    }

    /** @return the completions relayed so far, in order. */
    public synchronized List<Completion> completions()
    {
        return new ArrayList<>(completions);
    }

    public int poll(final Admission admission, final long nowNs)
    {
        int work = 0;
        Pending pending;
        while (null != (pending = queue.poll()))
        {
            submission.clear()
                .kind(pending.kind())
                .code(pending.code())
                .requestId(pending.requestId())
                .commandVariant(pending.commandVariant())
                .payload(new UnsafeBuffer(pending.payload()), 0, pending.payload().length);
            admission.submitDated(submission, pending.dueAtNs(), result);
            pending.answer().complete(new Answer(result.reason(), result.messageId(), result.level(),
                result.demotedFrom(), result.originalMessageId(), result.originalPending(), result.cancelled()));
            work++;
        }
        return work;
    }

    public synchronized void onCompleted(final CompletedMessage completed)
    {
        completions.add(new Completion(completed.message().messageId(),
            completed.message().readRequestId(new RequestId()), completed.message().level(), completed.outcome(),
            completed.latencyNs()));
    }

    public void onClose()
    {
        closed = true;
        Pending pending;
        while (null != (pending = queue.poll()))
        {
            pending.answer().completeExceptionally(new IllegalStateException("the engine has closed"));
        }
    }
}
