package io.otaprio.http;

import io.otaprio.admission.Admission;
import io.otaprio.admission.AdmissionResult;
import io.otaprio.admission.Transport;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.scheduler.CompletedMessage;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The admission side of the DUIS endpoint: takes the submissions the endpoint parsed, admits each, and hands the
 * answer back. Completions of DUIS submissions are journaled and counted like any other; nobody is called back.
 * <p>
 * Threading: the admission thread.
 */
public final class DuisTransport implements Transport
{
    private static final int SUBMISSIONS_PER_CYCLE = 64;

    private final RingBuffer submissions;
    private final RingBuffer answers;
    private final AcceptedMessageFlyweight submission = new AcceptedMessageFlyweight();
    private final AdmissionResult result = new AdmissionResult();
    private final MessageHandler onSubmission = this::onSubmission;
    private Admission admission;

    /**
     * @param handover the queues shared with the endpoint.
     */
    public DuisTransport(final DuisHandover handover)
    {
        this.submissions = handover.submissions();
        this.answers = handover.answers();
    }

    public void onStart(final Admission admission)
    {
        this.admission = admission;
    }

    public int doWork(final long nowNs)
    {
        return submissions.read(onSubmission, SUBMISSIONS_PER_CYCLE);
    }

    public void onCompleted(final CompletedMessage completed)
    {
    }

    public void onClose()
    {
    }

    private void onSubmission(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long connectionId = buffer.getLong(index + DuisHandover.CONNECTION_ID_OFFSET, DuisHandover.ORDER);
        final long dueAtNs = buffer.getLong(index + DuisHandover.DUE_AT_OFFSET, DuisHandover.ORDER);
        submission.wrap(buffer, index + DuisHandover.SUBMISSION_OFFSET);
        admission.submitDated(submission, dueAtNs, result);
        final int claimed = answers.tryClaim(
            DuisHandover.ANSWER, DuisHandover.BODY_OFFSET + AdmissionResult.ENCODED_LENGTH);
        if (claimed < 0)
        {
            // Sized for one answer per connection, and a connection waits for its answer before sending more.
            throw new IllegalStateException("DUIS answers queue full: more answers outstanding than connections");
        }
        final MutableDirectBuffer out = answers.buffer();
        out.putLong(claimed + DuisHandover.CONNECTION_ID_OFFSET, connectionId, DuisHandover.ORDER);
        result.encode(out, claimed + DuisHandover.BODY_OFFSET);
        answers.commit(claimed);
    }
}
