package io.otaprio.admission;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What admission's open-addressing tables share: the sizing rule, whose message names the setting, and the top-N
 * summary, largest count first, slot order among equals, used slots with a count only.
 */
class OpenAddressingTest
{
    @Test
    void shouldGiveTwiceTheEntriesRoundedUpToAPowerOfTwo()
    {
        assertEquals(2, OpenAddressing.slots("s", 1, 8));
        assertEquals(8, OpenAddressing.slots("s", 3, 8));
        assertEquals(16, OpenAddressing.slots("s", 8, 8));
    }

    @Test
    void shouldRefuseALimitOutsideItsRangeNamingTheSetting()
    {
        assertEquals("dedup maxEntries must be 1..8, got 0", assertThrows(IllegalArgumentException.class,
            () -> OpenAddressing.slots("dedup maxEntries", 0, 8)).getMessage());
        assertEquals("quota maxOriginators must be 1..8, got 9", assertThrows(IllegalArgumentException.class,
            () -> OpenAddressing.slots("quota maxOriginators", 9, 8)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RequestIdIndex(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketQuota(1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class,
            () -> new WindowedAlertThrottle(1, 1, new boolean[0x10000], (1 << 26) + 1, AlertThrottle.Summary.NONE));
    }

    @Test
    void shouldSummariseTheLargestCountsFirstLeavingOutEmptyAndUncountedSlots()
    {
        final boolean[] used = { true, true, false, true, true, true };
        final long[] counts = { 3, 0, 9, 7, 3, 1 };
        final TopCounts.Entry<String> entry = (slot, count) -> slot + ":" + count;

        assertEquals(List.of("3:7", "0:3", "4:3", "5:1"), TopCounts.top(10, used, counts, entry));
        assertEquals(List.of("3:7", "0:3"), TopCounts.top(2, used, counts, entry));
        assertEquals(List.of(), TopCounts.top(0, used, counts, entry));
    }

    @Test
    void shouldRankTheQuotasOffendersByDemotedMessages()
    {
        final TokenBucketQuota quota = new TokenBucketQuota(1, 1, 1, 4);
        for (int i = 0; i < 3; i++)
        {
            quota.admit(0xA, 1, 0);
            quota.admit(0xB, 1, 0);
        }
        quota.admit(0xB, 1, 0);
        quota.admit(0xC, 1, 0);

        assertEquals(List.of(new OriginatorCount(0xB, 3), new OriginatorCount(0xA, 2)), quota.topOffenders(10));
        assertEquals(List.of(new OriginatorCount(0xB, 3)), quota.topOffenders(1));
    }
}
