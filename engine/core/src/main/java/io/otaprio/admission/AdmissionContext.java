package io.otaprio.admission;

import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.HeldLog;
import io.otaprio.journal.PageToucher;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletionRelay;
import io.otaprio.scheduler.HeldIdRelay;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochNanoClock;

import java.util.List;

/**
 * What {@link Admission} and the {@link AdmissionAgent} are built from: the parts of a concluded engine context they
 * read, and only those. The engine's context implements it.
 */
public interface AdmissionContext
{
    /** @return the lanes to admit into. */
    PriorityRings rings();

    /** @return classification. */
    PriorityPolicy policy();

    /** @return the figures to update. */
    EngineMetrics metrics();

    /** @return stamps accept time (epoch nanos). */
    EpochNanoClock clock();

    /** @return larger payloads are rejected TOO_LARGE. */
    int maxPayloadBytes();

    /** @return the id of the first message admitted (continues a journal's ids after a restart). */
    long nextMessageId();

    /** @return where accepted messages are made durable before they are acknowledged, or {@link AcceptedLog#NONE}. */
    AcceptedLog acceptedLog();

    /**
     * @return what an idle duty cycle does for the journals: fault in the pages ahead of their writers; by default
     * nothing.
     */
    default PageToucher journalToucher()
    {
        return PageToucher.NONE;
    }

    /** @return resend detection, or {@link ResendDetection#NONE}. */
    ResendDetection resendDetection();

    /** @return the per-originator quota of the top levels, or {@link OriginatorQuota#NONE}. */
    OriginatorQuota originatorQuota();

    /** @return alert-storm throttling, or {@link AlertThrottle#NONE}. */
    AlertThrottle alertThrottle();

    /** @return the aggregate guard of level-1 alerts, or {@link LevelOneAlertGuard#NONE}. */
    LevelOneAlertGuard levelOneAlertGuard();

    /** @return puts the recovered backlog back into the lanes, level 1 first. */
    ReplayFeeder replayFeeder();

    /** @return recovered messages put back into the lanes per duty cycle while a replay runs. */
    int replayFeedLimit();

    /** @return where the end of the replay is stamped; milestones never reached by default. */
    default RecoveryMilestones recoveryMilestones()
    {
        return RecoveryMilestones.none();
    }

    /** @return completions from the scheduler thread. */
    CompletionRelay completionRelay();

    /** @return completions taken from the relay per duty cycle. */
    int completionDrainLimit();

    /** @return where messages come from and answers go: the TCP gateway, in-process sources. */
    List<Transport> transports();

    /** @return told of errors caught at the duty cycle's boundary. */
    ErrorHandler errorHandler();

    /**
     * @return the future-dated requests held until due (recovered ones already armed); by default an empty set kept in
     * memory.
     */
    default HeldRequests heldRequests()
    {
        return new HeldRequests(HeldLog.memory(), 0);
    }

    /** @return where admission tells the scheduler of held ids; by default one nobody drains. */
    default HeldIdRelay heldIdRelay()
    {
        return new HeldIdRelay(1024);
    }

    /** @return where a reloaded policy is handed to admission; by default one nobody offers to. */
    default PolicySwitch policySwitch()
    {
        return new PolicySwitch();
    }
}
