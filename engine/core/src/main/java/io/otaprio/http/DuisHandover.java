package io.otaprio.http;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageDescriptor;
import org.agrona.BitUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two single-producer single-consumer queues between the DUIS endpoint's thread, which reads HTTP and parses XML,
 * and the admission thread, which admits: parsing a 27 KB document takes long enough that it must not hold up the
 * admission thread's other transports, so it happens on the other side of these.
 * <pre>
 *   endpoint ──submissions──► admission       record: connection id (i64) | due at (i64) | submission
 *                                                     (accepted-message layout)
 *   endpoint ◄──answers────── admission       record: connection id (i64) | AdmissionResult (24 bytes)
 * </pre>
 * Records are written in place (Agrona's {@code tryClaim}/{@code commit}), so handing a message over copies it once,
 * from the socket's buffer into the queue, and admission copies it from there into its ring slot. A connection has at
 * most one request outstanding and the endpoint reads at most one answer per connection per duty cycle, so the answers
 * queue, sized for twice every connection's answer, never fills.
 */
public final class DuisHandover
{
    /** Record type of a submission. */
    static final int SUBMISSION = 1;
    /** Record type of an answer. */
    static final int ANSWER = 2;
    /** Offset of the connection id in both records. */
    static final int CONNECTION_ID_OFFSET = 0;
    /** Offset of the answer, after the connection id. */
    static final int BODY_OFFSET = BitUtil.SIZE_OF_LONG;
    /**
     * Offset of a submission's due time (i64): its {@code ExecutionDateTime} in epoch nanos,
     * {@code Admission.NOT_FUTURE_DATED} when it has none, {@code Admission.CANCELS_HELD} for a cancellation.
     */
    static final int DUE_AT_OFFSET = BitUtil.SIZE_OF_LONG;
    /** Offset of the submission, after the connection id and the due time. */
    static final int SUBMISSION_OFFSET = 2 * BitUtil.SIZE_OF_LONG;
    /** Byte order of the connection id. */
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final RingBuffer submissions;
    private final RingBuffer answers;

    /**
     * @param maxPayloadBytes the largest document: the submissions queue holds at least four of the largest.
     * @param maxConnections  connections served at once: the answers queue holds one answer for each.
     */
    public DuisHandover(final int maxPayloadBytes, final int maxConnections)
    {
        final int largest = SUBMISSION_OFFSET + AcceptedMessageDescriptor.encodedLength(maxPayloadBytes);
        // A record may take at most an eighth of an Agrona ring buffer.
        final int submissionsBytes = BitUtil.findNextPositivePowerOfTwo(Math.max(1 << 20, 8 * (largest + 8)));
        // Outstanding at once: one answer per connection, plus the endpoint's read batch (at most one per connection,
        // released when the batch ends); twice that again for the padding at the wrap.
        final int answersBytes = BitUtil.findNextPositivePowerOfTwo(
            Math.max(4096, 4 * maxConnections * (BODY_OFFSET + AdmissionResult.ENCODED_LENGTH + 8)));
        submissions = new OneToOneRingBuffer(buffer(submissionsBytes));
        answers = new OneToOneRingBuffer(buffer(answersBytes));
    }

    /** @return endpoint to admission: submissions. */
    RingBuffer submissions()
    {
        return submissions;
    }

    /** @return admission to endpoint: answers. */
    RingBuffer answers()
    {
        return answers;
    }

    private static UnsafeBuffer buffer(final int capacity)
    {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH));
    }
}
