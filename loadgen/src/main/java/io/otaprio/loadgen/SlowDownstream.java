package io.otaprio.loadgen;

import io.otaprio.engine.EngineContext;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;

import java.util.concurrent.TimeUnit;

/**
 * The {@code slow-downstream} scenario of {@code ./otaprio simulate}: a firmware campaign on a slow downstream. Update
 * Firmware (SRV 11.1) takes seconds at the simulated DSP, as a large image does in reality, instead of the configured
 * tens of milliseconds, and is {@link #FIRMWARE_SHARE} of the usual mix instead of its 1%; the mix is offered at about
 * the DSP's capacity for it. Firmware is then nearly all of the DSP's busy time: it holds the K slots but for the
 * few that fast messages pass through, and often all of them, and a top-up then waits for the fastest of them to
 * finish. (At 1% the fast messages in flight at any time free a slot within milliseconds, and a top-up hardly waits:
 * what holds every slot is a campaign.) Run twice with the same seed, with the configured {@code dsp.reserved} and with
 * none, it shows what the protected fast lane does for the top levels and what it costs in throughput.
 */
public final class SlowDownstream
{
    /** Its {@code --scenario} name. */
    public static final String SCENARIO = "slow-downstream";

    /** The slow work: Update Firmware. */
    public static final String FIRMWARE_SRV = "11.1";

    /** Mean service time of a firmware request at the simulated DSP in this scenario. */
    public static final long FIRMWARE_SERVICE_NS = TimeUnit.SECONDS.toNanos(2);

    /** Firmware requests' share of the messages in this scenario: a campaign. */
    public static final double FIRMWARE_SHARE = 0.05;

    /** The offered rate, unless {@code --rate} says otherwise, as a share of the DSP's capacity for the mix. */
    public static final double LOAD_OF_CAPACITY = 0.95;

    private SlowDownstream()
    {
    }

    /**
     * @param ctx an engine context as configured.
     * @return it, its simulated DSP taking {@link #FIRMWARE_SERVICE_NS} on average per firmware request.
     */
    public static EngineContext slowFirmware(final EngineContext ctx)
    {
        return ctx.simulatedDsp(ctx.dspSlots(), ctx.serviceTimes().withSrv(FIRMWARE_SRV, FIRMWARE_SERVICE_NS),
            ctx.dspSeed());
    }

    /**
     * @param mix a traffic mix with firmware requests in it.
     * @return the same mix with firmware requests {@link #FIRMWARE_SHARE} of it.
     * @throws IllegalArgumentException if the mix has no firmware requests.
     */
    public static TrafficMix firmwareCampaign(final TrafficMix mix)
    {
        return mix.withShare(MessageKind.SERVICE_REQUEST, SrvCode.parse(FIRMWARE_SRV), FIRMWARE_SHARE,
            "SRV " + FIRMWARE_SRV);
    }

    /**
     * @param ctx an engine context.
     * @return its reservation in words, e.g. {@code dsp.reserved 4 slots for levels 1-2}, or {@code none}.
     */
    public static String describeReservation(final EngineContext ctx)
    {
        return 0 == ctx.reservedSlots() ? "none" : "dsp.reserved " + ctx.reservedSlots() + " slots for " +
            (1 == ctx.reservedLevels() ? "level 1" : "levels 1-" + ctx.reservedLevels());
    }
}
