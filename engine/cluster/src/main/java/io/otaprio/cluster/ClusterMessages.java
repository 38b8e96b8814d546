package io.otaprio.cluster;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.scheduler.CompletedMessage;

import java.nio.ByteOrder;

/**
 * The messages a node's components exchange through the cluster: ingress (into the replicated log) and egress
 * (from the leader's service to one client session). Internal to otaprio, never seen by outside clients, who speak
 * the TCP protocol of {@code docs/protocol.md} to any node. Little-endian; every message starts with its type (i32).
 * <pre>
 * Ingress (committed to the log, applied by every node's service, in log order):
 *   SUBMIT     type | clientId i32 | correlationId i64 | submission (accepted-message layout: kind, code, RequestID,
 *              payload; the rest is decided by the service)
 *   COMPLETED  type | pad i32 | completed message (the header as accepted, dispatch and completion times, outcome)
 *   HELLO      type | clientId i32 | last DONE number received i64, or -1 for none yet
 *              (binds the session to the client id; the leader sends again every DONE after that number)
 *   DISPATCHED type | count i32 | messageId i64 x count   (the leader's scheduler dispatched these)
 *
 *   BATCH      type | count i32 | { length i32 | pad i32 | one of the above, padded to 8 } x count
 *
 * Egress (leader only, to the session that asked or that last spoke for the client id):
 *   ANSWER     type | pad i32 | correlationId i64 | originator i64 | target i64 | counter i64 | AdmissionResult
 *   DONE       type | pad i32 | number i64 (1, 2, 3... per client id) | completed message (as COMPLETED)
 *   BATCH      as above, of ANSWERs or DONEs
 * </pre>
 * A client id names a submitter across reconnects and failovers (a cluster session id changes when the client
 * reconnects to a new leader): a node's gateway uses its member id.
 */
public final class ClusterMessages
{
    /** Byte order of every field. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** Offset of every message's type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of a SUBMIT's or HELLO's client id. */
    public static final int CLIENT_ID_OFFSET = 4;
    /** Offset of a SUBMIT's or ANSWER's correlation id. */
    public static final int CORRELATION_ID_OFFSET = 8;

    /** Ingress: a submission to admit. */
    public static final int SUBMIT = 1;
    /** Offset of a SUBMIT's submission. */
    public static final int SUBMISSION_OFFSET = 16;

    /** Ingress: the leader's scheduler completed a message. */
    public static final int COMPLETED = 2;
    /** Offset of a COMPLETED's completed-message record. */
    public static final int COMPLETED_RECORD_OFFSET = 8;
    /** Length of a COMPLETED message. */
    public static final int COMPLETED_LENGTH = COMPLETED_RECORD_OFFSET + CompletedMessage.LENGTH;

    /** Ingress: a client introduces itself, so its completions reach this session. */
    public static final int HELLO = 3;
    /** Offset of a HELLO's last DONE number received. */
    public static final int HELLO_LAST_DONE_OFFSET = 8;
    /** Length of a HELLO. */
    public static final int HELLO_LENGTH = 16;

    /** Ingress: the leader's scheduler dispatched these messages (one scheduler duty cycle's). */
    public static final int DISPATCHED = 4;
    /** Offset of a DISPATCHED's count; the ids follow it. */
    public static final int DISPATCHED_COUNT_OFFSET = 4;

    /** Ingress and egress: several of the other frames in one message ({@link FrameBatch}). */
    public static final int BATCH = 5;
    /**
     * The most frames are batched up to: well below the largest message of a 1 MiB term (128 KiB), as the batches of
     * small messages always were (a batch near the flow-control window would wait a round trip per log entry).
     */
    public static final int MAX_BATCH_LENGTH = 64 * 1024;

    /**
     * The largest batch: a SUBMIT of a 64 KiB payload (65,616 bytes, 65,632 in a batch) goes alone in a batch of up to
     * this, still below the largest message of a 1 MiB term (128 KiB) with room for Aeron's headers.
     */
    public static final int MAX_MESSAGE_LENGTH = 96 * 1024;

    /** Egress: the answer to one SUBMIT. */
    public static final int ANSWER = 101;
    /** Offset of an ANSWER's RequestID originator; target and counter follow. */
    public static final int ANSWER_REQUEST_ID_OFFSET = 16;
    /** Offset of an ANSWER's admission result. */
    public static final int ANSWER_RESULT_OFFSET = 40;
    /** Length of an ANSWER. */
    public static final int ANSWER_LENGTH = ANSWER_RESULT_OFFSET + AdmissionResult.ENCODED_LENGTH;

    /** Egress: a message the client submitted has completed. */
    public static final int DONE = 102;
    /** Offset of a DONE's number. */
    public static final int DONE_NUMBER_OFFSET = 8;
    /** Offset of a DONE's completed-message record. */
    public static final int DONE_RECORD_OFFSET = 16;
    /** Length of a DONE message. */
    public static final int DONE_LENGTH = DONE_RECORD_OFFSET + CompletedMessage.LENGTH;

    private ClusterMessages()
    {
    }

    /**
     * @param maxPayloadBytes the largest payload admitted.
     * @return the longest SUBMIT.
     */
    public static int maxSubmitLength(final int maxPayloadBytes)
    {
        return SUBMISSION_OFFSET + AcceptedMessageDescriptor.encodedLength(maxPayloadBytes);
    }
}
