package io.otaprio.journal;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A held request that recovery found live in the held queue: its id, due time, level, where its latest HELD record is,
 * and a copy of its message header (kind, RequestID, SRV: what resend detection and cancellation match on).
 *
 * @param heldId the id it was answered with.
 * @param dueNs  when it falls due, epoch nanos.
 * @param level  the level it is to be queued at.
 * @param index  the Chronicle index of its latest HELD record.
 * @param header its message's {@link AcceptedMessageDescriptor#HEADER_LENGTH} header bytes.
 */
public record HeldRequest(long heldId, long dueNs, int level, long index, UnsafeBuffer header)
{
}
