package io.otaprio.admission;

import io.otaprio.protocol.AlertCode;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The level-1 alert guard: per alert code across all devices, level-1 alerts beyond burst + rate x elapsed are
 * admitted at the guard's lower level, never refused; other levels untouched; codes beyond the table counted.
 */
class LevelOneAlertGuardTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final int RESTORED = 0x8F35;
    private static final int RESTORED_LONG = 0x8F36;
    private static final int DCC_OUTAGE = AlertCode.packDccAlert("N24");

    @Test
    void shouldAdmitTheBurstThenTheRateAndDemoteTheRest()
    {
        final LevelOneAlertGuard guard = new TokenBucketAlertGuard(10, 5, 3, 16);
        long now = 3 * SECOND;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(1, guard.admit(RESTORED, 1, now), "the burst");
        }
        assertEquals(3, guard.admit(RESTORED, 1, now), "over the code's rate: demoted");
        assertEquals(1, guard.admit(RESTORED_LONG, 1, now), "another code has its own bucket");
        assertEquals(1, guard.admit(DCC_OUTAGE, 1, now), "a DCC alert code is a code of its own");
        assertEquals(2, guard.admit(RESTORED, 2, now), "other levels are never touched");
        assertEquals(4, guard.admit(RESTORED, 4, now));

        now += SECOND / 10;
        assertEquals(1, guard.admit(RESTORED, 1, now), "one token back after 100 ms at 10/s");
        assertEquals(3, guard.admit(RESTORED, 1, now));
        now += 60 * SECOND;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(1, guard.admit(RESTORED, 1, now), "refilled to the burst, not beyond");
        }
        assertEquals(3, guard.admit(RESTORED, 1, now));

        assertEquals(3, guard.demoted());
        assertEquals(3, guard.codes());
        assertEquals(List.of(new DemotedAlertCode(RESTORED, 3)), guard.topDemoted(10));
    }

    @Test
    void shouldKeepLevelOneForCodesTheFullTableCannotTrackAndCountThem()
    {
        final LevelOneAlertGuard guard = new TokenBucketAlertGuard(1, 1, 4, 2);
        assertEquals(1, guard.admit(RESTORED, 1, 0));
        assertEquals(4, guard.admit(RESTORED, 1, 0), "demoted to the configured level");
        assertEquals(1, guard.admit(RESTORED_LONG, 1, 0));
        assertEquals(2, guard.admit(DCC_OUTAGE, 2, 0), "a level-2 alert takes no place in the table");
        assertEquals(1, guard.admit(DCC_OUTAGE, 1, 0), "the table is full: not limited");
        assertEquals(1, guard.admit(DCC_OUTAGE, 1, 0));
        assertEquals(2, guard.untracked());
        assertEquals(2, guard.codes());
    }

    @Test
    void shouldRefuseSettingsOutOfRangeNamingThem()
    {
        assertMessage("alerts guard demoteTo must be 2..4, got 1", () -> new TokenBucketAlertGuard(1, 1, 1, 1));
        assertMessage("alerts guard demoteTo must be 2..4, got 5", () -> new TokenBucketAlertGuard(1, 1, 5, 1));
        assertMessage("alerts guard perSecond must be 1..10^9, got 0", () -> new TokenBucketAlertGuard(0, 1, 3, 1));
        assertMessage("alerts guard burst must be 1..10^9, got 0", () -> new TokenBucketAlertGuard(1, 0, 3, 1));
        assertMessage("alerts guard maxCodes must be 1..1048576, got 0", () -> new TokenBucketAlertGuard(1, 1, 3, 0));
    }

    @Test
    void shouldGuardNothingWhenOff()
    {
        for (int level = 1; level <= 4; level++)
        {
            assertEquals(level, LevelOneAlertGuard.NONE.admit(RESTORED, level, 0));
        }
        assertEquals(0, LevelOneAlertGuard.NONE.demoted());
        assertEquals(List.of(), LevelOneAlertGuard.NONE.topDemoted(10));
    }

    @Test
    void shouldAdmitAtLevelOneAllTheRateAllowsUnderSustainedOverload()
    {
        // Work conserving: a code flooding at 1,000/s for 10 s against 100/s and a burst of 50 has every token it
        // earns used, not just some of them.
        final LevelOneAlertGuard guard = new TokenBucketAlertGuard(100, 50, 3, 4);
        final long startNs = 5 * SECOND;
        long admitted = 0;
        long lastNs = startNs;
        for (long t = startNs; t < startNs + 10 * SECOND; t += SECOND / 1000)
        {
            admitted += 1 == guard.admit(RESTORED, 1, t) ? 1 : 0;
            lastNs = t;
        }
        final double allowed = 50 + 100.0 * (lastNs - startNs) / SECOND;
        assertTrue(admitted <= allowed && admitted >= allowed - 1, admitted + " admitted of " + allowed + " allowed");
        assertEquals(10_000 - admitted, guard.demoted());
    }

    @Test
    void shouldAllocateNothingPerAlert()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final LevelOneAlertGuard guard = new TokenBucketAlertGuard(100, 1000, 3, 64);
        final int[] codes = { RESTORED, RESTORED_LONG, DCC_OUTAGE, 0x8F57 };
        long sink = admitMany(guard, codes, 0);
        // The least of several rounds: the JIT compiling the loop may allocate on this thread once or twice, a
        // per-alert allocation would show in every round (200,000 x at least 16 bytes).
        long allocated = Long.MAX_VALUE;
        for (int round = 1; round <= 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            sink += admitMany(guard, codes, round * 100 * SECOND);
            allocated = Math.min(allocated, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertTrue(sink > 0);
        assertTrue(allocated < 1024, allocated + " bytes allocated by 200,000 admissions");
    }

    private static long admitMany(final LevelOneAlertGuard guard, final int[] codes, final long startNs)
    {
        long levels = 0;
        for (int i = 0; i < 200_000; i++)
        {
            levels += guard.admit(codes[i & 3], 1 + (i % 5 == 0 ? 1 : 0), startNs + i * 1_000L);
        }
        return levels;
    }

    /**
     * The model: random alerts over a few codes and levels at random, non-decreasing times. Whatever the guard
     * answers, for every code the level-1 admissions in any stretch [s, e] of its alerts are at most
     * burst + rate x (e - s); every other level-1 alert is at the guard's level, never another; other levels come back
     * as they went in; codes beyond the table are all kept at level 1 and counted; the summary's counts are the
     * demotions per code.
     */
    @Test
    void shouldNeverAdmitMoreThanBurstPlusRateTimesElapsedPerCode()
    {
        final int[] codes = { RESTORED, RESTORED_LONG, 0x8F57, 0x8F0F, DCC_OUTAGE, AlertCode.packDccAlert("AD1") };
        final long[] rates = { 1, 7, 100, 1000 };
        final long[] bursts = { 1, 5, 50 };
        for (int seed = 1; seed <= 200; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final long rate = rates[random.nextInt(rates.length)];
            final long burst = bursts[random.nextInt(bursts.length)];
            final int demoteTo = 2 + random.nextInt(3);
            final int maxCodes = 1 + random.nextInt(codes.length + 1);
            final LevelOneAlertGuard guard = new TokenBucketAlertGuard(rate, burst, demoteTo, maxCodes);
            final String context = "seed " + seed + ": rate " + rate + ", burst " + burst + ", maxCodes " + maxCodes;

            final Map<Integer, List<Long>> admittedAtNs = new HashMap<>();
            final Map<Integer, Long> demotedByCode = new HashMap<>();
            final Set<Integer> tracked = new HashSet<>();
            long untracked = 0;
            long nowNs = random.nextLong(1L << 50);
            for (int i = 0; i < 3000; i++)
            {
                // Mostly close together (a storm), sometimes a long quiet spell.
                nowNs += random.nextInt(10) == 0 ? random.nextLong(3 * SECOND) : random.nextLong(SECOND / rate + 1);
                final int code = codes[random.nextInt(codes.length)];
                final int level = random.nextInt(5) == 0 ? 2 + random.nextInt(3) : 1;
                final int admitted = guard.admit(code, level, nowNs);
                if (1 != level)
                {
                    assertEquals(level, admitted, context + ": only level 1 is guarded");
                    continue;
                }
                if (!tracked.contains(code) && tracked.size() == maxCodes)
                {
                    assertEquals(1, admitted, context + ": an untracked code keeps level 1");
                    untracked++;
                    continue;
                }
                tracked.add(code);
                if (1 == admitted)
                {
                    admittedAtNs.computeIfAbsent(code, c -> new ArrayList<>()).add(nowNs);
                }
                else
                {
                    assertEquals(demoteTo, admitted, context + ": demoted to the guard's level, never refused");
                    demotedByCode.merge(code, 1L, Long::sum);
                }
            }

            for (final Map.Entry<Integer, List<Long>> entry : admittedAtNs.entrySet())
            {
                assertWithinBucket(entry.getValue(), rate, burst, context + ": code " +
                    AlertCode.toString(entry.getKey()));
            }
            assertEquals(untracked, guard.untracked(), context);
            assertEquals(tracked.size(), guard.codes(), context);
            assertEquals(demotedByCode.values().stream().mapToLong(Long::longValue).sum(), guard.demoted(), context);
            for (final DemotedAlertCode line : guard.topDemoted(codes.length))
            {
                assertEquals(demotedByCode.get(line.code()), line.count(), context);
            }
            assertEquals(demotedByCode.size(), guard.topDemoted(codes.length).size(), context);
        }
    }

    /**
     * For every stretch [s, e] of the admissions, (e - s + 1) - burst <= rate x (t_e - t_s), in nanoseconds: with
     * k_i = i x 10^9 - rate x t_i that is k_e - k_s <= (burst - 1) x 10^9, so it is enough to compare each k_e with
     * the least k_s before it.
     */
    private static void assertWithinBucket(
        final List<Long> admittedAtNs, final long rate, final long burst, final String context)
    {
        final long firstNs = admittedAtNs.get(0);
        long least = Long.MAX_VALUE;
        for (int i = 0; i < admittedAtNs.size(); i++)
        {
            final long k = i * SECOND - rate * (admittedAtNs.get(i) - firstNs);
            least = Math.min(least, k);
            assertTrue(k - least <= (burst - 1) * SECOND, context + ": admission " + i + " at level 1 exceeds burst " +
                "+ rate x elapsed");
        }
    }

    private static void assertMessage(final String message, final Runnable construction)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, construction::run).getMessage());
    }
}
