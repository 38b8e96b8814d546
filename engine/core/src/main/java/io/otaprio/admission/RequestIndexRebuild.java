package io.otaprio.admission;

import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
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

    private record Completion(UnsafeBuffer header, long completedNs)
    {
    }
}
