package io.otaprio.journal;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The outcomes writer opened after a recovery takes the highest id of each cycle from recovery's scan instead of
 * reading the queue again: what it takes must be exactly what its own scan would have found, or retention would
 * delete a cycle that still holds live outcomes, or keep one for ever.
 */
class OutcomeCyclesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLearnFromRecoveryWhatTheWritersOwnScanFinds() throws Exception
    {
        final JournalConfig config = new JournalConfig(dir.resolve("j")).rollCycle("TEST_SECONDLY");
        try (OutcomeJournal outcomes = OutcomeJournal.open(config))
        {
            // One cycle of completions 0..9, one with only a checkpoint, one of completions 10..19 out of order.
            awaitNextSecond();
            for (int id = 0; id < 10; id++)
            {
                outcomes.completed(id, id, id + 1, 0);
            }
            assertTrue(outcomes.flush() > 0);
            awaitNextSecond();
            assertTrue(outcomes.checkpoint(10, -1) >= 0, outcomes.lastFailure());
            awaitNextSecond();
            for (int id = 19; id >= 10; id--)
            {
                outcomes.dispatched(id, id);
            }
            assertTrue(outcomes.flush() > 0);
        }

        final Recovered recovered = JournalRecovery.recover(config);
        final OutcomeCycles fromRecovery = recovered.outcomeCycles();
        assertTrue(fromRecovery.isScanned());
        final OutcomeCycles own = new OutcomeCycles();
        try (SingleChronicleQueue queue = JournalDirectory.openQueue(config, config.outcomesDirectory(), true);
            ExcerptTailer tailer = queue.createTailer())
        {
            OutcomeScan.scan(tailer, config.outcomesDirectory(), new DocumentCopy(1024), own);
            final int first = queue.firstCycle();
            final int last = queue.lastCycle();
            assertTrue(last - first >= 2, "three cycles written: " + first + ".." + last);
            int known = 0;
            for (int cycle = first; cycle <= last; cycle++)
            {
                assertEquals(own.maxId(cycle), fromRecovery.maxId(cycle), "cycle " + cycle);
                known += own.maxId(cycle) != OutcomeCycles.NO_ID ? 1 : 0;
            }
            assertEquals(3, known);
            assertEquals(9, own.maxId(first));
            assertEquals(OutcomeCycles.NO_ID + 1, own.maxId(first + 1), "a checkpoint references no message");
            assertEquals(19, own.maxId(last));
        }
    }

    private static void awaitNextSecond() throws InterruptedException
    {
        final long now = System.currentTimeMillis();
        Thread.sleep(1_000 - now % 1_000 + 20);
    }
}
