package io.otaprio.loadgen;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the outage-restoration scenario reports of a run: top-ups picked out of the traffic (sent, refused, latency
 * and share within TRT), restoration alerts and how many were demoted, FULL per level; and the one table and JSON
 * that put the run with the guard beside the run without.
 */
class RestorationComparisonTest
{
    private static final long MS = 1_000_000L;
    private static final TrafficMix MIX = TrafficMix.parse(String.join("\n",
        "messages:",
        "  - { srv: \"2.2\", weight: 1 }",
        "  - { srv: \"4.8.1\", weight: 1 }",
        ""), "mix.yaml");
    private static final TrafficMix.Type RESTORED = LoadProfile.Storm.SUPPLY_RESTORED.alerts().get(0);

    @Test
    void shouldPickOutTopUpsAndRestorationAlertsAndCountFullPerLevel()
    {
        final RestorationFigures figures = withGuard();
        assertEquals(3, figures.topUpsSent());
        assertEquals(1, figures.topUpsRejected());
        assertEquals(2, figures.topUpLatency().count(), "the read's completion is not a top-up's");
        assertEquals(50.0, figures.topUpWithinTrtPct(), 1e-9, "5 ms within the 1 s TRT, 2 s not");
        assertEquals(1_000 * MS, figures.topUpTrtNs());
        assertEquals(5, figures.alertsSent());
        assertEquals(3, figures.alertsDemoted());
        assertEquals(1, figures.full(1));
        assertEquals(1, figures.full(3));
        assertEquals(0, figures.full(4));
    }

    @Test
    void shouldPutBothRunsInOneTableAndOneJsonObject()
    {
        final RestorationFigures without = new RestorationFigures(MIX);
        without.onAnswered(message(0, MIX.type(0)), accepted(0));
        without.onCompleted(completed(MessageKind.SERVICE_REQUEST, MIX.type(0).code()), 1_500 * MS);
        final RestorationComparison comparison = new RestorationComparison(
            new RestorationComparison.Guard(100, 1000, 3), result(), withGuard(), result(), without);

        final String table = comparison.table();
        assertTrue(table.contains("guard on (100/s per code, burst 1000, excess to level 3) and off"), table);
        assertTrue(table.matches("(?s).*top-ups \\(SRV 2\\.2\\) +5\\.0ms +2\\.0s +50\\.00% +1 +1\\.5s +1\\.5s " +
            "+0\\.00% +0\\n.*"), table);
        assertTrue(table.matches("(?s).*level 1 +4\\.0ms +9\\.0ms +100\\.00% +1 +4\\.0ms +9\\.0ms +100\\.00% +0\\n.*"),
            table);
        assertTrue(table.contains("restoration alerts: 5 sent; demoted to level 3: 3 with the guard, 0 without"),
            table);

        final String json = comparison.json();
        assertTrue(json.startsWith("{\"scenario\":\"outage-restoration\",\"seed\":7,\"guard\":{\"perSecond\":100," +
            "\"burst\":1000,\"demoteTo\":3},\"on\":{\"result\":{\"scenario\":\"outage-restoration\","), json);
        assertTrue(json.contains("\"topUps\":{\"sent\":3,\"rejected\":1,\"completed\":2,\"p50Us\":5003,"), json);
        assertTrue(json.contains("\"withinTrtPct\":50.000},\"restorationAlerts\":{\"sent\":5,\"demoted\":3}," +
            "\"fullByLevel\":[1,0,1,0]},\"off\":{"), json);
    }

    private static RestorationFigures withGuard()
    {
        final RestorationFigures figures = new RestorationFigures(MIX);
        figures.onAnswered(message(0, MIX.type(0)), accepted(0));
        figures.onAnswered(message(1, MIX.type(0)), accepted(0));
        figures.onAnswered(message(2, MIX.type(0)), new AdmissionResult().full(1));
        figures.onAnswered(message(1, MIX.type(1)), accepted(0));
        figures.onAnswered(message(MIX.size(), RESTORED), accepted(0));
        for (int i = 0; i < 3; i++)
        {
            figures.onAnswered(message(MIX.size(), RESTORED), accepted(1));
        }
        figures.onAnswered(message(MIX.size(), RESTORED), new AdmissionResult().full(3));
        figures.onCompleted(completed(MessageKind.SERVICE_REQUEST, MIX.type(0).code()), 5 * MS);
        figures.onCompleted(completed(MessageKind.SERVICE_REQUEST, MIX.type(0).code()), 2_000 * MS);
        figures.onCompleted(completed(MessageKind.SERVICE_REQUEST, MIX.type(1).code()), 9 * MS);
        return figures;
    }

    private static ScheduledMessage message(final int typeIndex, final TrafficMix.Type type)
    {
        final ScheduledMessage message = new ScheduledMessage();
        message.content(type, typeIndex, 1, 2, 0, 0);
        return message;
    }

    /** An ACCEPTED answer as admission gives it, through its wire form (its setters are admission's own). */
    private static AdmissionResult accepted(final int demotedFrom)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[AdmissionResult.ENCODED_LENGTH]);
        buffer.putByte(1, (byte)(0 == demotedFrom ? 1 : 3));
        buffer.putByte(2, (byte)demotedFrom);
        buffer.putLong(8, 42, ByteOrder.LITTLE_ENDIAN);
        final AdmissionResult result = new AdmissionResult().decode(buffer, 0);
        assertTrue(result.isAccepted() && RejectReason.FULL != result.reason());
        return result;
    }

    private static AcceptedMessageFlyweight completed(final MessageKind kind, final int code)
    {
        return new AcceptedMessageFlyweight().wrap(new UnsafeBuffer(new byte[AcceptedMessageDescriptor
            .encodedLength(0)]), 0).clear().kind(kind.value()).code(code).level(1).trtNs(1_000 * MS);
    }

    private static SimulationResult result()
    {
        final List<LevelReport> levels = new ArrayList<>();
        for (int level = 1; level <= 4; level++)
        {
            levels.add(new LevelReport(level, 10, new LatencySummary(10, 4_000, 9_000, 9_500, 9_900),
                1_000 * MS * level, 100.0));
        }
        return new SimulationResult(new LoadRun("outage-restoration", "default", 7_545, 70, 0.5, levels,
            "steady ...", 7), 100, 100, 100, new long[RejectReason.values().length + 1], 0, 100);
    }
}
