package io.otaprio.admission;

import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalRecovery;
import io.otaprio.journal.Recovered;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.protocol.RequestId;

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
        final RequestId requestId = new RequestId();
        final List<long[]> completed = new ArrayList<>();
        final Recovered recovered = JournalRecovery.recover(journal, nowNs - requests.windowNs(),
            (originator, target, counter, messageId, completedNs) ->
            {
                if (completedNs < 0)
                {
                    if (!requests.add(requestId.set(originator, target, counter), messageId))
                    {
                        metrics.onDedupUntracked();
                    }
                }
                else
                {
                    completed.add(new long[]{ originator, target, counter, messageId, completedNs });
                }
            });
        completed.sort(Comparator.comparingLong(entry -> entry[4]));
        for (final long[] entry : completed)
        {
            requestId.set(entry[0], entry[1], entry[2]);
            if (requests.add(requestId, entry[3]))
            {
                requests.completed(requestId, entry[3], entry[4]);
            }
        }
        return recovered;
    }
}
