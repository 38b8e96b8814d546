package io.otaprio.journal;

import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * What a scan of the held queue found at start-up: the live held requests (HELD minus RELEASED minus CANCELLED), in
 * due order, every held id the queue still names, and the highest.
 */
public final class HeldRecovery
{
    private final List<HeldRequest> live = new ArrayList<>();
    private final LongHashSet heldIds = new LongHashSet();
    private long highestId = -1;

    HeldRecovery()
    {
    }

    /** @return nothing held: a new journal, or none. */
    public static HeldRecovery none()
    {
        return new HeldRecovery();
    }

    /** @return the live held requests, earliest due first (ties by id). */
    public List<HeldRequest> live()
    {
        return live;
    }

    /**
     * @return every held id with a HELD record in the retained queue, live or not: ids never in the accepted journal,
     * which the completion watermark must step over.
     */
    public LongHashSet heldIds()
    {
        return heldIds;
    }

    /** @return the highest held id the queue names, or -1: message ids must continue above it. */
    public long highestId()
    {
        return highestId;
    }

    void noteHeld(final long heldId)
    {
        heldIds.add(heldId);
        highestId = Math.max(highestId, heldId);
    }
}
