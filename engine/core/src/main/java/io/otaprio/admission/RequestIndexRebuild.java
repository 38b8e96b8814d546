package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.HeldLog;
import io.otaprio.journal.HeldRecovery;
import io.otaprio.journal.HeldRequest;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.EngineMetrics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Resend detection across a restart: recovery's scans tell this of every pending message and every message
 * completed within the window before now, with its RequestID, and the index is filled with them before the
 * gateway opens, so a client resending after a DR event is answered DUPLICATE as it would have been before.
 * <p>
 * Completed entries are fed in completion order (the index expires them from a FIFO); start-up only, so the list
 * that sorts them may allocate.
 */
public final class RequestIndexRebuild
{
    private RequestIndexRebuild()
    {
    }

    /**
     * Recover the journal and fill the index.
     *
     * @param journal  the journal.
     * @param requests the empty index to fill.
     * @param nowNs    now on the engine's clock: completions since {@code nowNs - window} are remembered.
     * @param metrics  counts requests the index had no room for.
     * @return what recovery found.
     */
    public static Recovered recover(
        final JournalConfig journal, final ResendDetection requests, final long nowNs, final EngineMetrics metrics)
    {
        final List<Completion> completed = new ArrayList<>();
        final Recovered recovered = JournalRecovery.recover(journal, nowNs - requests.windowNs(),
            (message, completedNs) ->
            {
                if (completedNs < 0)
                {
                    if (!requests.add(message))
                    {
                        metrics.onDedupUntracked();
                    }
                }
                else
                {
                    // Only the header is needed: resend detection reads kind, RequestID, id, level and accept time.
                    final UnsafeBuffer header = new UnsafeBuffer(new byte[AcceptedMessageDescriptor.HEADER_LENGTH]);
                    header.putBytes(0, message.buffer(), message.offset(), AcceptedMessageDescriptor.HEADER_LENGTH);
                    completed.add(new Completion(header, completedNs));
                }
            });
        completed.sort(Comparator.comparingLong(Completion::completedNs));
        final AcceptedMessageFlyweight message = new AcceptedMessageFlyweight();
        for (final Completion completion : completed)
        {
            message.wrap(completion.header(), 0);
            if (requests.add(message))
            {
                requests.completed(message, completion.completedNs());
            }
        }
        return recovered;
    }

    /**
     * Remember the held requests recovery found live, as pending under their held ids, so that a resend after a
     * restart is answered DUPLICATE; and find those that were in fact released before the crash (the accepted
     * journal holds their RequestID under a newer id, pending or completed within the window, but the RELEASED record
     * was not written): those get their RELEASED record now and are not held again. Call after {@link #recover}.
     *
     * @param found    what the held queue's scan found.
     * @param requests resend detection, filled from the accepted journal.
     * @param log      the held store, to record RELEASED in.
     * @param nowNs    now on the engine's clock.
     * @param metrics  counts requests the index had no room for.
     * @return the requests still held, in due order: to arm.
     */
    public static List<HeldRequest> rememberHeld(
        final HeldRecovery found, final ResendDetection requests, final HeldLog log, final long nowNs,
        final EngineMetrics metrics)
    {
        final List<HeldRequest> stillHeld = new ArrayList<>();
        final AcceptedMessageFlyweight header = new AcceptedMessageFlyweight();
        for (final HeldRequest request : found.live())
        {
            header.wrap(request.header(), 0);
            final long known = requests.find(header, nowNs);
            if (known > request.heldId())
            {
                log.released(request.heldId(), known);
                continue;
            }
            if (!requests.add(header))
            {
                metrics.onDedupUntracked();
            }
            stillHeld.add(request);
        }
        return stillHeld;
    }

    private record Completion(UnsafeBuffer header, long completedNs)
    {
    }
}
