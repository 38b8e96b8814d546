package io.otaprio.loadgen;

import io.otaprio.admission.AdmissionResult;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.SrvCode;
import org.HdrHistogram.Histogram;

/**
 * What one run of the outage-restoration scenario did to the messages it is about, beside the per-level figures:
 * the top-ups (SRV 2.2 service requests: what the top lane is there for) with their latency from the intended send
 * time and their TRT, the restoration's alerts and how many the level-1 alert guard demoted, and the FULL answers per
 * level (a full top lane refuses top-ups too).
 * <p>
 * Threading: written on the engine's admission thread as a {@link Simulation.Observer}; read after
 * {@link Simulation#run(Simulation.Settings, Simulation.Observer)} has returned.
 */
public final class RestorationFigures implements Simulation.Observer
{
    /** The top-up: Top Up Device. */
    public static final int TOP_UP_SRV = SrvCode.parse("2.2");

    private final int mixTypes;
    private final Histogram topUpLatencyUs =
        new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US, EngineMetrics.SIGNIFICANT_DIGITS);
    private final long[] fullByLevel = new long[PriorityPolicy.LEVELS + 1];
    private long topUpsSent;
    private long topUpsRejected;
    private long topUpsWithinTrt;
    private long topUpTrtNs;
    private long alertsSent;
    private long alertsDemoted;

    /**
     * @param mix the run's traffic mix: a message whose type index is beyond it is a restoration alert.
     */
    public RestorationFigures(final TrafficMix mix)
    {
        this.mixTypes = mix.size();
    }

    public void onAnswered(final ScheduledMessage message, final AdmissionResult result)
    {
        final boolean accepted = result.isAccepted();
        if (!accepted && RejectReason.FULL == result.reason())
        {
            fullByLevel[result.level()]++;
        }
        final TrafficMix.Type type = message.type();
        if (MessageKind.SERVICE_REQUEST == type.kind() && TOP_UP_SRV == type.code())
        {
            topUpsSent++;
            topUpsRejected += accepted ? 0 : 1;
        }
        else if (message.typeIndex() >= mixTypes)
        {
            alertsSent++;
            alertsDemoted += accepted && 0 != result.demotedFrom() ? 1 : 0;
        }
    }

    public void onCompleted(final AcceptedMessageFlyweight message, final long latencyNs)
    {
        if (MessageKind.SERVICE_REQUEST.value() == message.kind() && TOP_UP_SRV == message.code())
        {
            topUpLatencyUs.recordValue(Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000)));
            topUpTrtNs = message.trtNs();
            topUpsWithinTrt += latencyNs <= topUpTrtNs ? 1 : 0;
        }
    }

    /** @return top-ups sent. */
    public long topUpsSent()
    {
        return topUpsSent;
    }

    /** @return top-ups refused (FULL when the top lane was full). */
    public long topUpsRejected()
    {
        return topUpsRejected;
    }

    /** @return completed top-ups' latency from their intended send time, in microseconds. */
    public LatencySummary topUpLatency()
    {
        return LatencySummary.of(topUpLatencyUs);
    }

    /** @return the top-ups' TRT budget, as admission stamped it; 0 if none completed. */
    public long topUpTrtNs()
    {
        return topUpTrtNs;
    }

    /** @return the share of completed top-ups within their TRT, percent (100 when none completed). */
    public double topUpWithinTrtPct()
    {
        final long completed = topUpLatencyUs.getTotalCount();
        return 0 == completed ? 100.0 : 100.0 * topUpsWithinTrt / completed;
    }

    /** @return restoration alerts sent. */
    public long alertsSent()
    {
        return alertsSent;
    }

    /** @return restoration alerts admitted below the level the policy gave them (by the level-1 alert guard). */
    public long alertsDemoted()
    {
        return alertsDemoted;
    }

    /**
     * @param level 1..4.
     * @return submissions of that level answered FULL.
     */
    public long full(final int level)
    {
        return fullByLevel[level];
    }
}
