package io.otaprio.journal;

import org.agrona.collections.Long2LongHashMap;

/**
 * The highest message id each cycle (file) of the outcomes queue references: what retention judges a cycle by, a
 * cycle being deletable once the completion watermark has passed every id in it. Learnt from a scan of the queue
 * (recovery's, handed on, or the writer's own when opened without one) and kept up to date by the writer.
 * <p>
 * Threading: filled by one scan, then owned by the outcomes writer.
 */
final class OutcomeCycles
{
    /** A cycle never seen: nothing is known of it. */
    static final long NO_ID = Long.MIN_VALUE;

    private static final int NO_CYCLE = Integer.MIN_VALUE;

    private final Long2LongHashMap maxIdByCycle = new Long2LongHashMap(NO_ID);
    private boolean scanned;
    // The cycle being noted, its running maximum kept out of the map: a scan notes millions of records of a few
    // cycles, and ids mostly rise, so each record would otherwise be a map write.
    private int currentCycle = NO_CYCLE;
    private long currentMaxId = NO_ID;

    /**
     * @param cycle     a cycle of the outcomes queue.
     * @param messageId an id a record of it references, or {@link #NO_ID} for a record that references none (a
     *                  checkpoint).
     */
    void note(final int cycle, final long messageId)
    {
        if (cycle != currentCycle)
        {
            if (NO_CYCLE != currentCycle)
            {
                maxIdByCycle.put(currentCycle, currentMaxId);
            }
            currentCycle = cycle;
            currentMaxId = maxIdByCycle.get(cycle);
        }
        // A cycle with only checkpoints is recorded as NO_ID + 1: known, and referencing no message.
        final long id = Math.max(messageId, NO_ID + 1);
        if (id > currentMaxId)
        {
            currentMaxId = id;
        }
    }

    /**
     * @param cycle a cycle.
     * @return the highest id it references, {@code NO_ID + 1} for none, or {@link #NO_ID} when never seen.
     */
    long maxId(final int cycle)
    {
        return cycle == currentCycle ? currentMaxId : maxIdByCycle.get(cycle);
    }

    /** @param cycle a cycle deleted. */
    void remove(final int cycle)
    {
        if (cycle == currentCycle)
        {
            currentCycle = NO_CYCLE;
            currentMaxId = NO_ID;
        }
        maxIdByCycle.remove(cycle);
    }

    /** The whole queue as it stood has been scanned into this. */
    void scanned()
    {
        scanned = true;
    }

    /** @return whether the whole queue has been scanned into this, so that a writer need not scan it again. */
    boolean isScanned()
    {
        return scanned;
    }
}
