package io.otaprio.admission;

import io.otaprio.engine.EngineContext;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-originator quota: a token bucket per sender at the protected levels, the excess admitted at level 3
 * (never refused), other senders and other levels untouched, counted per level and per originator.
 */
class OriginatorQuotaTest
{
    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowTheBurstThenTheRateAndDemoteTheRest()
    {
        final OriginatorQuota quota = new TokenBucketQuota(2, 10, 5, 16);
        long now = 7 * SECOND;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(1, quota.admit(0xA, 1, now), "the burst");
        }
        assertEquals(3, quota.admit(0xA, 1, now), "over quota: demoted");
        assertEquals(3, quota.admit(0xA, 2, now), "level 2 shares the bucket");
        assertEquals(4, quota.admit(0xA, 4, now), "unprotected levels are never touched");
        assertEquals(3, quota.admit(0xA, 3, now));
        assertEquals(1, quota.admit(0xB, 1, now), "another originator has its own bucket");

        now += SECOND / 10;
        assertEquals(1, quota.admit(0xA, 1, now), "one token back after 100 ms at 10/s");
        assertEquals(3, quota.admit(0xA, 1, now));
        now += 10 * SECOND;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(1, quota.admit(0xA, 1, now), "refilled to the burst, not beyond");
        }
        assertEquals(3, quota.admit(0xA, 1, now));

        assertEquals(List.of(new OriginatorCount(0xA, 4)), quota.topOffenders(10));
    }

    @Test
    void shouldLimitOnlyLevelOneWhenConfiguredSoAndLeaveUntrackedSendersAlone()
    {
        final OriginatorQuota quota = new TokenBucketQuota(1, 1, 1, 2);
        assertEquals(1, quota.admit(1, 1, 0));
        assertEquals(2, quota.admit(1, 2, 0), "level 2 is not protected");
        assertEquals(1, quota.admit(2, 1, 0));
        assertEquals(1, quota.admit(3, 1, 0), "the table is full: not limited");
        assertEquals(1, quota.admit(3, 1, 0));
        assertEquals(2, quota.untracked());
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketQuota(3, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketQuota(2, 0, 1, 1));
    }

    @Test
    void shouldAdmitTheExcessAtLevelThreeAndSaySo()
    {
        final long[] now = { SECOND };
        final EngineContext ctx = TestEngines.context().clock(() -> now[0]).ringSizes(8, 8, 8, 8).maxPayloadBytes(8)
            .quota(2, 1, 2, 16).conclude();
        final EngineMetrics metrics = ctx.metrics();
        final PriorityRings rings = ctx.rings();
        final Admission admission = new Admission(ctx);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final AdmissionResult result = new AdmissionResult();
        for (int i = 0; i < 4; i++)
        {
            assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(),
                TestPolicies.SRV_OF_LEVEL[1],
                new RequestId(0xF100D, 2, i), payload, 0, 8), result), "admitted, never refused");
            assertEquals(i < 2 ? 1 : 3, result.level());
            assertEquals(i < 2 ? 0 : 1, result.demotedFrom());
        }
        assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
            new RequestId(0xCA1, 2, 9), payload, 0, 8), result));
        assertEquals(1, result.level(), "a quiet originator keeps level 1");

        assertEquals(3, rings.depth(0), "level-1 lane: two of the flooder's, one of the other's");
        assertEquals(2, rings.depth(2), "level-3 lane: the flooder's excess");
        final MetricsSnapshot snapshot = metrics.snapshot(new long[4], new long[5]);
        assertEquals(2, snapshot.level(1).demoted());
        assertEquals(3, snapshot.level(1).accepted());
        assertEquals(2, snapshot.level(3).accepted());
    }
}
