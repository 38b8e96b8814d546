package io.otaprio.admission;

import io.otaprio.engine.EngineContext;
import io.otaprio.metrics.MetricsSnapshot;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.ring.PriorityRings;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A supply restoration through admission with the shipped policy: one Supply Outage Restored alert from each of
 * thousands of devices within a second. Past the code's rate the alerts are admitted at level 3 (never refused, never
 * THROTTLED, the answer names level 1 as demotedFrom), while the top-ups sent among them, and a storm of a level-2
 * alert, keep the level the policy gives them.
 */
class LevelOneStormAdmissionTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final PriorityPolicy SHIPPED = PriorityPolicy.load(Path.of("../../conf/priority-policy.yaml"));
    private static final int SUPPLY_OUTAGE_RESTORED = 0x8F35;
    private static final int DEVICE_COMMISSIONED = 0x8F69;
    private static final int TOP_UP = SrvCode.parse("2.2");
    private static final long PER_SECOND = 100;
    private static final long BURST = 1000;

    @Test
    void shouldDemoteTheRestorationStormPastItsRateAndKeepTopUpsAtLevelOne()
    {
        assertEquals(1, SHIPPED.level(SHIPPED.classify(MessageKind.ALERT, SUPPLY_OUTAGE_RESTORED)));
        assertEquals(1, SHIPPED.level(SHIPPED.classify(MessageKind.SERVICE_REQUEST, TOP_UP)));
        assertEquals(2, SHIPPED.level(SHIPPED.classify(MessageKind.ALERT, DEVICE_COMMISSIONED)));

        final long[] now = { 10 * SECOND };
        // The identical-alert throttle on as shipped: the storm is one alert per device, and level-1 alerts are
        // excluded from it anyway, so nothing may come back THROTTLED.
        final EngineContext ctx = TestEngines.context().policy(SHIPPED).clock(() -> now[0])
            .ringSizes(8192, 8192, 8192, 8192).maxPayloadBytes(8).alertThrottle(60 * SECOND, 5)
            .alertGuard(PER_SECOND, BURST, 3, 1024).conclude();
        final Admission admission = new Admission(ctx);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final AdmissionResult result = new AdmissionResult();
        final long startNs = now[0];
        long alertsAtLevelOne = 0;
        long alertsDemoted = 0;
        long topUps = 0;
        for (int i = 0; i < 5000; i++)
        {
            now[0] = startNs + i * (SECOND / 5000);
            assertTrue(admission.submit(Submissions.of(MessageKind.ALERT.value(), SUPPLY_OUTAGE_RESTORED,
                new RequestId(0xD00D, 0x0012_4B00_0000_0000L + i, i), payload, 0, 8), result), result.toString());
            if (1 == result.level())
            {
                assertEquals(0, result.demotedFrom());
                alertsAtLevelOne++;
            }
            else
            {
                assertEquals(3, result.level(), "admitted at the guard's level");
                assertEquals(1, result.demotedFrom(), "the answer says which level it would have had");
                alertsDemoted++;
            }
            if (i % 50 == 0)
            {
                assertTrue(admission.submit(Submissions.of(MessageKind.SERVICE_REQUEST.value(), TOP_UP,
                    new RequestId(0x5EED, 0x0012_4B00_0000_0000L + i, 1_000_000 + i), payload, 0, 8), result));
                assertEquals(1, result.level(), "a top-up amid the storm");
                assertEquals(0, result.demotedFrom());
                topUps++;
            }
            if (i % 10 == 0)
            {
                assertTrue(admission.submit(Submissions.of(MessageKind.ALERT.value(), DEVICE_COMMISSIONED,
                    new RequestId(0xD00D, 0x0012_4B00_0100_0000L + i, i), payload, 0, 8), result));
                assertEquals(2, result.level(), "only level-1 alerts are guarded");
            }
        }

        final double elapsedSeconds = (double)(now[0] - startNs) / SECOND;
        assertTrue(alertsAtLevelOne <= BURST + PER_SECOND * elapsedSeconds, alertsAtLevelOne + " at level 1");
        assertTrue(alertsAtLevelOne >= BURST + PER_SECOND * elapsedSeconds - 1, alertsAtLevelOne + " at level 1");
        assertEquals(5000 - alertsAtLevelOne, alertsDemoted);

        final PriorityRings rings = ctx.rings();
        assertEquals(alertsAtLevelOne + topUps, rings.depth(SHIPPED.laneOfLevel(1)));
        assertEquals(alertsDemoted, rings.depth(SHIPPED.laneOfLevel(3)));
        final MetricsSnapshot snapshot = ctx.metrics().snapshot(new long[4], new long[5]);
        assertEquals(alertsDemoted, snapshot.level(1).demoted());
        assertEquals(alertsDemoted, snapshot.level(3).accepted());
        assertEquals(0, snapshot.rejectedTotal(), "nothing refused, nothing THROTTLED");
        final LevelOneAlertGuard guard = ctx.levelOneAlertGuard();
        assertEquals(alertsDemoted, guard.demoted());
        assertEquals(List.of(new DemotedAlertCode(SUPPLY_OUTAGE_RESTORED, alertsDemoted)), guard.topDemoted(10));
        assertEquals(0, guard.untracked());
    }

    @Test
    void shouldDecideAlikeOnEveryCopyOfTheRulesAndJudgeADemotedAlertByItsNewLevelsTrt()
    {
        // Two copies of the rules, as two cluster nodes replaying the same log with its times.
        final EngineContext ctx = TestEngines.context().policy(SHIPPED).ringSizes(8, 8, 8, 8).maxPayloadBytes(8)
            .conclude();
        final AdmissionRules[] copies = new AdmissionRules[2];
        for (int i = 0; i < copies.length; i++)
        {
            copies[i] = new AdmissionRules(SHIPPED, ctx.metrics(), 8, ResendDetection.NONE, OriginatorQuota.NONE,
                AlertThrottle.NONE, new TokenBucketAlertGuard(PER_SECOND, 10, 3, 16));
        }
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final AdmissionResult result = new AdmissionResult();
        int demoted = 0;
        for (int i = 0; i < 200; i++)
        {
            final long nowNs = 5 * SECOND + i * (SECOND / 1000);
            final int code = 0 == i % 3 ? 0x8F36 : SUPPLY_OUTAGE_RESTORED;
            final int lane = copies[0].decide(Submissions.of(MessageKind.ALERT.value(), code,
                new RequestId(0xD00D, i, i), payload, 0, 8), nowNs, result);
            assertEquals(lane, copies[1].decide(Submissions.of(MessageKind.ALERT.value(), code,
                new RequestId(0xD00D, i, i), payload, 0, 8), nowNs, result), "alert " + i);
            assertEquals(copies[0].level(), copies[1].level(), "alert " + i);
            assertEquals(SHIPPED.laneOfLevel(copies[0].level()), lane);
            assertEquals(SHIPPED.levelTrtNs(copies[0].level()), copies[0].trtNs(),
                "judged by the TRT of the level it waits in");
            demoted += 3 == copies[0].level() ? 1 : 0;
        }
        assertTrue(200 - demoted <= 2 * (10 + 20) && 200 - demoted >= 2 * (10 + 20) - 2,
            (200 - demoted) + " at level 1: two codes, each its burst of 10 and 100/s for 0.2 s");
        assertEquals(SECOND, SHIPPED.levelTrtNs(1));
        assertEquals(10 * SECOND, SHIPPED.levelTrtNs(3));
        ctx.close();
    }
}
