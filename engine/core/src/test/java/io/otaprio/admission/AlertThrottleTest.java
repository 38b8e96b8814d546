package io.otaprio.admission;

import io.otaprio.dispatch.ImmediateDispatcher;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.ThreadingMode;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.ThrottleJournal;
import io.otaprio.journal.ThrottleSummary;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Alert storms: identical alerts beyond the limit per window are answered THROTTLED before classification, the
 * first of each window still pass, other devices and other codes are untouched, excluded (supply) codes never
 * throttled, and every throttled alert is counted per (device, code).
 */
class AlertThrottleTest
{
    private static final long SECOND = 1_000_000_000L;
    /** Average RMS Voltage above Average RMS Over Voltage Threshold (GBCS): on no list, as a storm alert is. */
    private static final int STORM = 0x8002;
    private static final int SUPPLY = 0x8F1C;

    @Test
    void shouldLetTheFirstOfEachWindowThroughAndCountTheRest()
    {
        final boolean[] excluded = new boolean[0x10000];
        excluded[SUPPLY] = true;
        final AlertThrottle throttle =
            new WindowedAlertThrottle(10 * SECOND, 2, excluded, 8, AlertThrottle.Summary.NONE);
        long now = SECOND;
        assertTrue(throttle.admit(7, STORM, now));
        assertTrue(throttle.admit(7, STORM, now));
        assertFalse(throttle.admit(7, STORM, now), "the third identical alert in the window");
        assertFalse(throttle.admit(7, STORM, now + 9 * SECOND));
        assertTrue(throttle.admit(8, STORM, now), "another device");
        assertTrue(throttle.admit(7, STORM + 1, now), "another code");
        for (int i = 0; i < 10; i++)
        {
            assertTrue(throttle.admit(7, SUPPLY, now), "excluded codes are never throttled");
        }
        now += 10 * SECOND;
        assertTrue(throttle.admit(7, STORM, now), "a new window");
        assertTrue(throttle.admit(7, STORM, now));
        assertFalse(throttle.admit(7, STORM, now));

        assertEquals(List.of(new ThrottledPair(7, STORM, 3)), throttle.topThrottled(5));
    }

    @Test
    void shouldAnswerThrottledBeforeClassificationAndNeverThrottleLevelOneAlerts()
    {
        final PriorityPolicy policy = TestPolicies.fourLevels();
        final long[] now = { SECOND };
        final EngineContext ctx = TestEngines.context().policy(policy).clock(() -> now[0]).ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(8).alertThrottle(60 * SECOND, 1).conclude();
        final Admission admission = new Admission(ctx);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final int levelOneAlert = TestPolicies.LEVEL_ONE_ALERT;
        final AdmissionResult result = new AdmissionResult();

        assertTrue(admission.submit(alert(payload, 0x42, STORM, 1), result));
        assertFalse(admission.submit(alert(payload, 0x42, STORM, 2), result));
        assertEquals(RejectReason.THROTTLED, result.reason());
        assertFalse(admission.submit(alert(payload, 0x42, STORM, 3), result));
        assertEquals(RejectReason.THROTTLED, result.reason());
        for (int i = 0; i < 5; i++)
        {
            assertTrue(admission.submit(alert(payload, 0x42, levelOneAlert, 10 + i), result),
                "a level-1 alert never is");
            assertEquals(1, result.level());
        }
        assertEquals(2, ctx.metrics().snapshot(new long[4], new long[5]).rejected(RejectReason.THROTTLED));
    }

    @Test
    void shouldRecordEachWindowsThrottledAlertsInTheJournal(@TempDir final Path dir) throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        // INVOKER: the test thread is the admission thread, so it may sweep the throttle's windows at chosen times.
        try (Engine engine = Engine.launch(TestEngines.context()
            .threadingMode(ThreadingMode.INVOKER)
            .dispatcher(new ImmediateDispatcher(4))
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(8)
            .journal(journal)
            .alertThrottle(1_000_000_000L, 1)))   // a window longer than a slow machine's pause between submits
        {
            final Admission admission = engine.admission();
            final AdmissionResult result = new AdmissionResult();
            assertTrue(admission.submit(alert(payload, 0x42, STORM, 1), result));
            for (int i = 0; i < 4; i++)
            {
                assertFalse(admission.submit(alert(payload, 0x42, STORM, 2 + i), result));
                assertEquals(RejectReason.THROTTLED, result.reason());
            }
            assertTrue(admission.submit(alert(payload, 0x43, STORM, 8), result));
            assertFalse(admission.submit(alert(payload, 0x43, STORM, 9), result));
            assertEquals(RejectReason.THROTTLED, result.reason());
            final long t0 = admission.clock().nanoTime();
            assertEquals(0, admission.poll(t0), "the windows have not ended yet");
            assertEquals(0, admission.poll(t0 + 500_000_000L), "swept once a second, not on every call");
            assertEquals(2, admission.poll(t0 + 1_000_000_000L), "the storm stopped: both windows reported");
            assertEquals(0, admission.poll(t0 + 2_000_000_000L), "each window reported once");
        }

        final List<ThrottleSummary> summaries = ThrottleJournal.read(journal);
        assertEquals(2, summaries.size());
        final ThrottleSummary first = summaries.get(0).device() == 0x42 ? summaries.get(0) : summaries.get(1);
        assertEquals(STORM, first.code());
        assertEquals(4, first.throttled(), "how many were throttled");
        assertEquals(1_000_000_000L, first.windowEndNs() - first.windowStartNs(), "the window");
    }

    private static AcceptedMessageFlyweight alert(
        final UnsafeBuffer payload, final long device, final int code, final long counter)
    {
        return Submissions.of(MessageKind.ALERT.value(), code, new RequestId(1, device, counter), payload, 0, 8);
    }
}
