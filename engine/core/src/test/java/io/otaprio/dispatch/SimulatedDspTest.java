package io.otaprio.dispatch;

import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.testing.Submissions;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated DSP driven with explicit times: no thread, no sleeping, so each assertion is exact.
 */
class SimulatedDspTest
{
    private static final long MS = 1_000_000L;

    @Test
    void shouldCompleteEachMessageWhenItsServiceTimeHasPassed()
    {
        final ServiceTimes times = ServiceTimes.builder(2 * MS, ServiceTimes.Distribution.FIXED)
            .srv("11.1", 10 * MS)
            .build();
        final SimulatedDsp dsp = new SimulatedDsp(4, times, 1);
        final List<Long> completed = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        dsp.onStart((slot, messageId, outcome) -> slots.add(slot) && completed.add(messageId));

        final long t0 = 1_000 * MS;
        dsp.dispatch(event(1, "4.8.1"), 0, t0);
        dsp.dispatch(event(2, "11.1"), 1, t0);
        dsp.dispatch(event(3, "2.2"), 2, t0 + MS);

        pollUntil(dsp, t0 + MS);
        assertEquals(List.of(), completed);
        pollUntil(dsp, t0 + 2 * MS + SimulatedDsp.TICK_RESOLUTION_NS);
        assertEquals(List.of(1L), completed);
        pollUntil(dsp, t0 + 3 * MS + SimulatedDsp.TICK_RESOLUTION_NS);
        assertEquals(List.of(1L, 3L), completed);
        pollUntil(dsp, t0 + 9 * MS);
        assertEquals(List.of(1L, 3L), completed, "firmware takes 10ms");
        pollUntil(dsp, t0 + 10 * MS + SimulatedDsp.TICK_RESOLUTION_NS);
        assertEquals(List.of(1L, 3L, 2L), completed);
        assertEquals(List.of(0, 2, 1), slots, "each completion carries its message's slot");
    }

    @Test
    void shouldCatchUpWithNowInOneDutyCycleWhenTheSchedulerWasBusy()
    {
        final SimulatedDsp dsp = new SimulatedDsp(64, ServiceTimes.builder(MS, ServiceTimes.Distribution.FIXED)
            .build(), 1);
        final List<Long> completed = new ArrayList<>();
        dsp.onStart((slot, messageId, outcome) -> completed.add(messageId));
        final long t0 = 5_000 * MS;
        for (int i = 0; i < 40; i++)
        {
            dsp.dispatch(event(i, "4.8.1"), i, t0 + i * 100_000L);
        }

        // One duty cycle 50 ms later: a wheel that moved one tick per poll would release a tick's worth only.
        assertEquals(40, dsp.doWork(t0 + 50 * MS));
        assertEquals(40, completed.size());
    }

    @Test
    void shouldRetryACompletionTheQueueCouldNotTake()
    {
        final SimulatedDsp dsp = new SimulatedDsp(1, ServiceTimes.builder(MS, ServiceTimes.Distribution.FIXED)
            .build(), 1);
        final List<Long> completed = new ArrayList<>();
        final boolean[] accept = { false };
        dsp.onStart((slot, messageId, outcome) ->
        {
            if (accept[0])
            {
                completed.add(messageId);
            }
            return accept[0];
        });
        dsp.dispatch(event(9, "2.2"), 0, 0);
        pollUntil(dsp, 2 * MS);
        assertEquals(List.of(), completed);
        accept[0] = true;
        pollUntil(dsp, 3 * MS);
        assertEquals(List.of(9L), completed);
    }

    @Test
    void shouldDrawExponentialServiceTimesAroundTheMean()
    {
        final ServiceTimes times = ServiceTimes.builder(4 * MS, ServiceTimes.Distribution.EXPONENTIAL).build();
        final SplittableRandom random = new SplittableRandom(11);
        final int n = 200_000;
        double sum = 0;
        long max = 0;
        for (int i = 0; i < n; i++)
        {
            final long sample = times.sampleNs(MessageKind.SERVICE_REQUEST.value(), SrvCode.parse("4.8.1"), random);
            assertTrue(sample >= 1);
            sum += sample;
            max = Math.max(max, sample);
        }
        final double mean = sum / n;
        assertTrue(Math.abs(mean - 4 * MS) < 0.02 * 4 * MS, "mean " + mean);
        assertTrue(max > 8 * 4 * MS, "an exponential tail, max " + max);
    }

    @Test
    void shouldMatchTheMostSpecificOverride()
    {
        final ServiceTimes times = ServiceTimes.builder(4 * MS, ServiceTimes.Distribution.FIXED)
            .srv("8.*", 6 * MS)
            .srv("8.1.*", 7 * MS)
            .srv("8.1.1", 8 * MS)
            .alert(0x8F0F, MS)
            .build();
        final int sr = MessageKind.SERVICE_REQUEST.value();
        assertEquals(8 * MS, times.meanNs(sr, SrvCode.parse("8.1.1")));
        assertEquals(7 * MS, times.meanNs(sr, SrvCode.parse("8.1.2")));
        assertEquals(6 * MS, times.meanNs(sr, SrvCode.parse("8.7")));
        assertEquals(4 * MS, times.meanNs(sr, SrvCode.parse("4.8.1")));
        assertEquals(MS, times.meanNs(MessageKind.ALERT.value(), 0x8F0F));
        assertEquals(4 * MS, times.meanNs(MessageKind.ALERT.value(), 0x8F10));
        assertThrows(IllegalArgumentException.class,
            () -> ServiceTimes.builder(MS, ServiceTimes.Distribution.FIXED).srv("2.2", MS).srv("2.2", MS));
        assertThrows(IllegalArgumentException.class,
            () -> ServiceTimes.builder(MS, ServiceTimes.Distribution.FIXED).srv("2..2", MS));
    }

    @Test
    void shouldSetOneSrvAnewKeepingEveryOtherOverride()
    {
        final ServiceTimes configured = ServiceTimes.builder(4 * MS, ServiceTimes.Distribution.EXPONENTIAL)
            .srv("11.1", 20 * MS)
            .srv("8.7.*", 6 * MS)
            .alert(0x8F0F, MS)
            .build();
        final ServiceTimes slowFirmware = configured.withSrv("11.01", 2_000 * MS);
        final int sr = MessageKind.SERVICE_REQUEST.value();
        assertEquals(2_000 * MS, slowFirmware.meanNs(sr, SrvCode.parse("11.1")), "11.01 is 11.1: replaced");
        assertEquals(20 * MS, configured.meanNs(sr, SrvCode.parse("11.1")), "the configured table is unchanged");
        assertEquals(6 * MS, slowFirmware.meanNs(sr, SrvCode.parse("8.7.2")));
        assertEquals(MS, slowFirmware.meanNs(MessageKind.ALERT.value(), 0x8F0F));
        assertEquals(4 * MS, slowFirmware.meanNs(sr, SrvCode.parse("4.8.1")));
        assertEquals(ServiceTimes.Distribution.EXPONENTIAL, slowFirmware.distribution());
        assertEquals(3 * MS, configured.withSrv("8.7.*", 3 * MS).meanNs(sr, SrvCode.parse("8.7.1")));
        assertEquals(3 * MS, configured.withSrv("2.2", 3 * MS).meanNs(sr, SrvCode.parse("2.2")), "or added");
    }

    @Test
    void shouldReportCapacityAsSlotsOverMeanServiceTime()
    {
        final SimulatedDsp dsp = new SimulatedDsp(32, ServiceTimes.builder(4 * MS,
            ServiceTimes.Distribution.FIXED).build(), 1);
        assertEquals(8_000.0, dsp.capacityPerSecond(4 * MS), 1e-9);
    }

    private static void pollUntil(final SimulatedDsp dsp, final long nowNs)
    {
        // The wheel advances a tick per poll, so poll until it has caught up with now.
        for (int i = 0; i < 100_000 && dsp.doWork(nowNs) >= 0; i++)
        {
            if (i > 1_000 && dsp.doWork(nowNs) == 0)
            {
                break;
            }
        }
    }

    private static AcceptedMessageFlyweight event(final long messageId, final String srv)
    {
        return Submissions.of(MessageKind.SERVICE_REQUEST.value(), SrvCode.parse(srv), new RequestId(1, 2, 3),
            new UnsafeBuffer(new byte[0]), 0, 0).messageId(messageId);
    }
}
