package io.otaprio.engine;

import io.otaprio.admission.AdmissionContext;
import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.HeldRequests;
import io.otaprio.admission.LevelOneAlertGuard;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.admission.PolicySwitch;
import io.otaprio.admission.RequestIdIndex;
import io.otaprio.admission.RequestIndexRebuild;
import io.otaprio.admission.ResendDetection;
import io.otaprio.admission.TokenBucketAlertGuard;
import io.otaprio.admission.TokenBucketQuota;
import io.otaprio.admission.Transport;
import io.otaprio.admission.WindowedAlertThrottle;
import io.otaprio.config.HostPort;
import io.otaprio.dispatch.CompletionQueue;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.gateway.Gateway;
import io.otaprio.gateway.GatewayContext;
import io.otaprio.gateway.GatewayCounters;
import io.otaprio.http.DocumentReader;
import io.otaprio.http.DuisCounters;
import io.otaprio.http.DuisDocumentReader;
import io.otaprio.http.DuisEndpoint;
import io.otaprio.http.DuisHandover;
import io.otaprio.http.DuisTransport;
import io.otaprio.identity.ListenerSecurity;
import io.otaprio.identity.TlsServer;
import io.otaprio.journal.AcceptedJournal;
import io.otaprio.journal.AcceptedJournalReader;
import io.otaprio.journal.AcceptedLog;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.HeldJournal;
import io.otaprio.journal.HeldLog;
import io.otaprio.journal.HeldRecovery;
import io.otaprio.journal.HeldRequest;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalLock;
import io.otaprio.journal.OutcomeJournal;
import io.otaprio.journal.OutcomeLog;
import io.otaprio.journal.PageToucher;
import io.otaprio.journal.PolicyJournal;
import io.otaprio.journal.PolicyLog;
import io.otaprio.journal.Recovered;
import io.otaprio.journal.ThrottleJournal;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PolicyFile;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.Framing;
import io.otaprio.recovery.RecoveryMilestones;
import io.otaprio.recovery.ReplayFeeder;
import io.otaprio.ring.PayloadStore;
import io.otaprio.ring.PriorityRings;
import io.otaprio.scheduler.CompletionListener;
import io.otaprio.scheduler.CompletionRelay;
import io.otaprio.scheduler.HeldIdRelay;
import io.otaprio.scheduler.SchedulerContext;
import io.otaprio.status.ErrorLogHandler;
import io.otaprio.status.FirstErrorPrinter;
import io.otaprio.status.StatusFile;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Everything an {@link Engine} is built from: every setting, with its default from {@link Configuration}, and, once
 * {@link #conclude()} has run, the parts the engine's agents share: the rings, the metrics, the completion queue and
 * relay, the journals and what recovery found, resend detection, the quota, the alert throttle, the level-1 alert guard
 * and the transports.
 * Each agent is then built from this one concluded context ({@code new Scheduler(ctx)}, as Aeron builds its media
 * driver), and reads only the parts it needs, through the narrow view its package defines ({@link SchedulerContext},
 * {@link AdmissionContext}, {@link GatewayContext}).
 * <p>
 * The defaults are the engine process's: a TCP gateway on 127.0.0.1:7400, the metrics endpoint on 127.0.0.1:9400, a
 * journal in {@code ./journal-data}. An engine embedded in another process usually turns the listeners off
 * ({@link Configuration#OFF}) and gives its own journal directory, or none. Optional parts are never null once
 * concluded: resend detection, the quota, the throttle and the guard are no-op objects when off.
 * <p>
 * {@link #conclude()} validates every value before anything is opened, naming the setting and the value at fault;
 * then it locks the journal directory (refusing one a live engine holds, naming its pid, and taking over one left by a
 * crash), opens the journals (recovering their backlog) and binds the gateway, and closes what it opened if a later
 * step fails.
 * <p>
 * Threading: configure and conclude on one thread, then hand to {@link Engine#launch}; not changed afterwards.
 */
public final class EngineContext implements AdmissionContext, SchedulerContext, GatewayContext, AutoCloseable
{
    private static final int HELD_ID_RELAY_CAPACITY = 4096;
    private static final System.Logger LOG = System.getLogger(EngineContext.class.getName());

    private PriorityPolicy policy;
    private PolicyFile policyFile;
    private final PolicySwitch policySwitch = new PolicySwitch();
    private PolicyJournal policyJournal;
    private PolicyReloader policyReloader;
    private Consumer<String> reloadReport = PolicyReloader.LOGGED;
    private String adminListen = Configuration.OFF;
    private final EnumSet<Listener> insecure = EnumSet.noneOf(Listener.class);
    private TlsServer tls = TlsServer.PLAINTEXT;
    private ListenerSecurity gatewaySecurity;
    private ListenerSecurity duisSecurity;
    private int[] ringSizes = Configuration.ringSizesDefault();
    private int maxPayloadBytes = Configuration.MAX_PAYLOAD_BYTES_DEFAULT;
    private int inlinePayloadBytes = Configuration.INLINE_PAYLOAD_BYTES_DEFAULT;
    private int[] payloadStoreBytes;
    private ThreadingMode threadingMode = Configuration.THREADING_MODE_DEFAULT;
    private IdleStrategy schedulerIdleStrategy;
    private IdleStrategy admissionIdleStrategy;
    private IdleStrategy sharedIdleStrategy;
    private Dispatcher dispatcher;
    private int dspSlots = Configuration.DSP_SLOTS_DEFAULT;
    private ServiceTimes serviceTimes = ServiceTimes.builder(
        Configuration.DSP_MEAN_SERVICE_NS_DEFAULT, Configuration.DSP_DISTRIBUTION_DEFAULT).build();
    private long dspSeed = Configuration.DSP_SEED_DEFAULT;
    private int reservedSlots = Configuration.DSP_RESERVED_SLOTS_DEFAULT;
    private int reservedLevels = Configuration.DSP_RESERVED_LEVELS_DEFAULT;
    private EpochNanoClock clock;
    private ErrorHandler errorHandler;
    private StatusFile statusFile;
    private long firstMessageId;
    private boolean journalWrittenElsewhere;
    private OutcomeLog outcomeLog;
    private JournalConfig journal = new JournalConfig(Path.of(Configuration.JOURNAL_DIR_DEFAULT));
    private long dispatchTimeoutNs = Configuration.DISPATCH_TIMEOUT_NS_DEFAULT;
    private long dedupWindowNs = Configuration.DEDUP_WINDOW_NS_DEFAULT;
    private int dedupMaxEntries = Configuration.DEDUP_MAX_ENTRIES_DEFAULT;
    private int quotaLevels = Configuration.QUOTA_LEVELS_DEFAULT;
    private long quotaTokensPerSecond = Configuration.QUOTA_TOKENS_PER_SECOND_DEFAULT;
    private long quotaBurst = Configuration.QUOTA_BURST_DEFAULT;
    private int quotaMaxOriginators = Configuration.QUOTA_MAX_ORIGINATORS_DEFAULT;
    private long alertWindowNs = Configuration.ALERT_WINDOW_NS_DEFAULT;
    private int alertMaxPerWindow = Configuration.ALERT_MAX_PER_WINDOW_DEFAULT;
    private int[] alertExclusions = new int[0];
    private long alertGuardPerSecond = Configuration.ALERT_GUARD_PER_SECOND_DEFAULT;
    private long alertGuardBurst = Configuration.ALERT_GUARD_BURST_DEFAULT;
    private int alertGuardDemoteTo = Configuration.ALERT_GUARD_DEMOTE_TO_DEFAULT;
    private int alertGuardMaxCodes = Configuration.ALERT_GUARD_MAX_CODES_DEFAULT;
    private String gatewayListen = Configuration.GATEWAY_LISTEN_DEFAULT;
    private int maxConnections = Configuration.MAX_CONNECTIONS_DEFAULT;
    private int maxFrameBytes = Configuration.MAX_FRAME_BYTES_DEFAULT;
    private int outboundBufferBytes = Configuration.OUTBOUND_BUFFER_BYTES_DEFAULT;
    private int readBufferBytes = Configuration.READ_BUFFER_BYTES_DEFAULT;
    private int socketSendBufferBytes = Configuration.SOCKET_SEND_BUFFER_BYTES_DEFAULT;
    private long gatewayIdleTimeoutNs = Configuration.GATEWAY_IDLE_TIMEOUT_NS_DEFAULT;
    private int completionDrainLimit = Configuration.COMPLETION_DRAIN_LIMIT_DEFAULT;
    private int completionRelayCapacity = Configuration.COMPLETION_RELAY_CAPACITY_DEFAULT;
    private int replayFeedLimit = Configuration.REPLAY_FEED_LIMIT_DEFAULT;
    private String metricsListen = Configuration.METRICS_LISTEN_DEFAULT;
    private String duisListen = Configuration.DUIS_LISTEN_DEFAULT;
    private int duisMaxConnections = Configuration.DUIS_MAX_CONNECTIONS_DEFAULT;
    private long duisIdleTimeoutNs = Configuration.DUIS_IDLE_TIMEOUT_NS_DEFAULT;
    private IdleStrategy duisIdleStrategy;
    private Supplier<DocumentReader> documentReader = DuisDocumentReader::new;
    private DuisCounters duisCounters;
    private DuisEndpoint duisEndpoint;
    private Path hlogDirectory;
    private long reporterIntervalNs = Configuration.REPORTER_INTERVAL_NS_DEFAULT;
    private CompletionListener completionListener;
    private final List<Transport> transports = new ArrayList<>();
    private Function<Gateway, Transport> gatewayTransport = gateway -> gateway;

    private boolean concluded;
    private String gatewayHost;
    private int gatewayPort;
    private PriorityRings rings;
    private EngineMetrics metrics;
    private GatewayCounters gatewayCounters;
    private CompletionQueue completionQueue;
    private CompletionRelay completionRelay;
    private ResendDetection resendDetection;
    private OriginatorQuota originatorQuota;
    private AlertThrottle alertThrottle;
    private LevelOneAlertGuard levelOneAlertGuard;
    private Recovered recovered;
    private long nextMessageId;
    private AcceptedJournal acceptedJournal;
    private OutcomeJournal outcomeJournal;
    private ThrottleJournal throttleJournal;
    private HeldJournal heldJournal;
    private HeldRequests heldRequests;
    private HeldIdRelay heldIdRelay;
    private AcceptedJournalReader acceptedReader;
    private JournalLock journalLock;
    private ReplayFeeder replayFeeder;
    private RecoveryMilestones recoveryMilestones;
    private Gateway gateway;

    /**
     * Validate every setting, fill the defaults, then build the shared parts: rings, metrics, completion queue and
     * relay; open the journals and recover their backlog; build resend detection (rebuilt from the journal), the
     * quota, the alert throttle and the level-1 alert guard; bind the gateway. Runs once; later calls return at once.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and the value at fault.
     * @throws io.otaprio.journal.JournalException when the journal cannot be opened or recovered.
     * @throws java.io.UncheckedIOException naming the address when the gateway cannot listen.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        validate();
        warnInsecureListeners();
        if (null == clock)
        {
            clock = new OffsetEpochNanoClock();
        }
        if (null == schedulerIdleStrategy)
        {
            schedulerIdleStrategy = IdleStrategySpec.parse(Configuration.SCHEDULER_IDLE_DEFAULT);
        }
        if (null == admissionIdleStrategy)
        {
            admissionIdleStrategy = IdleStrategySpec.parse(Configuration.ADMISSION_IDLE_DEFAULT);
        }
        if (null == sharedIdleStrategy)
        {
            sharedIdleStrategy = IdleStrategySpec.parse(Configuration.SHARED_IDLE_DEFAULT);
        }
        if (null == duisIdleStrategy)
        {
            duisIdleStrategy = IdleStrategySpec.parse(Configuration.DUIS_IDLE_DEFAULT);
        }
        if (null == dispatcher)
        {
            dispatcher = new SimulatedDsp(dspSlots, serviceTimes, dspSeed);
        }
        concludeReservation();

        RecoveryScan scan = null;
        try
        {
            openStatus();
            metrics = new EngineMetrics(PriorityPolicy.LEVELS, statusFile.countersManager());
            recoveryMilestones = new RecoveryMilestones(statusFile.countersManager());
            resendDetection = newResendDetection();
            scan = startRecoveryScan();
            rings = new PriorityRings(laneSizes(), slotPayloadBytes(), laneStoreBytes());
            gatewayCounters = new GatewayCounters(statusFile.countersManager());
            duisCounters = new DuisCounters(statusFile.countersManager());
            gatewaySecurity = new ListenerSecurity("gateway", tls, statusFile.countersManager());
            duisSecurity = new ListenerSecurity("duis", tls, statusFile.countersManager());
            completionQueue = new CompletionQueue(dispatcher.slots(), clock);
            completionRelay = new CompletionRelay(completionRelayCapacity, CompletionListener.NONE);
            if (null == completionListener)
            {
                completionListener = completionRelay;
            }
            originatorQuota = newOriginatorQuota();
            levelOneAlertGuard = newLevelOneAlertGuard();
            heldIdRelay = new HeldIdRelay(HELD_ID_RELAY_CAPACITY);
            openJournal(scan);
            openPolicyJournal();
            // Without a journal nothing was recovered, so nothing is ever read back.
            replayFeeder = new ReplayFeeder(rings, policy, metrics,
                null == acceptedReader ? index -> null : acceptedReader::read, recovered, maxPayloadBytes);
            alertThrottle = newAlertThrottle(null == throttleJournal ? AlertThrottle.Summary.NONE :
                throttleJournal::append);
            if (!Configuration.OFF.equals(gatewayListen))
            {
                gateway = new Gateway(this);
                transports.add(0, gatewayTransport.apply(gateway));
            }
            if (!Configuration.OFF.equals(duisListen))
            {
                final HostPort listen = HostPort.parse("duis listen", duisListen, 0);
                final DuisHandover handover = new DuisHandover(maxPayloadBytes, duisMaxConnections);
                duisEndpoint = new DuisEndpoint(listen.host(), listen.port(), duisMaxConnections, maxPayloadBytes,
                    duisIdleTimeoutNs, documentReader.get(), handover, duisCounters, duisSecurity, clock);
                transports.add(new DuisTransport(handover));
            }
        }
        catch (final RuntimeException ex)
        {
            if (null != scan)
            {
                // Joined already when the failure came after openJournal (or was the scan's own): returns at once.
                scan.joinAfter(ex);
            }
            close();
            throw ex;
        }
        concluded = true;
        return this;
    }

    /**
     * Release what {@link #conclude()} opened: the gateway's sockets (already closed if its agent ran and stopped), the
     * journals and their reader, and the journal's lock. The engine calls it as it closes, after its agents have
     * stopped. Idempotent.
     */
    public void close()
    {
        if (null != gateway)
        {
            gateway.onClose();
        }
        if (null != duisEndpoint)
        {
            duisEndpoint.onClose();
        }
        CloseHelper.quietCloseAll(
            acceptedReader, heldJournal, throttleJournal, policyJournal, outcomeJournal, acceptedJournal, journalLock);
    }

    private void openStatus()
    {
        // Wall-clock time stamps, whatever clock the engine's latencies use: an operator reads them.
        final EpochClock epochClock = SystemEpochClock.INSTANCE;
        if (null == journal)
        {
            statusFile = StatusFile.inMemory(epochClock);
        }
        else
        {
            // Before anything reads or writes the journal or its status file: two engines on one journal would
            // number messages from the same id and write the same queues.
            journalLock = JournalLock.acquire(journal.directory());
            if (journalLock.tookOverStale())
            {
                LOG.log(System.Logger.Level.WARNING, "took over the journal " + journal.directory() + " of pid " +
                    journalLock.previousPid() + ", which is no longer running; recovering its backlog");
            }
            statusFile = StatusFile.map(journal.directory(), epochClock);
        }
        final AtomicCounter errors = statusFile.countersManager().newCounter("errors (./otaprio errors lists them)");
        errorHandler = new ErrorLogHandler(statusFile.errorLog(), errors, null != errorHandler ? errorHandler :
            new FirstErrorPrinter(System.err, null == journal ? "with no journal it is in memory, summed in /metrics" :
            "./otaprio errors --journal " + journal.directory()));
    }

    /**
     * Start reading the journal back, when the context has one of its own, while the rest of it is built.
     *
     * @return the running scan, or null with no journal of its own to recover.
     */
    private RecoveryScan startRecoveryScan()
    {
        if (null == journal || journalWrittenElsewhere)
        {
            return null;
        }
        // Slots never hold more than maxPayloadBytes, so the journal's buffers never have to grow.
        journal = journal.payloadCapacity(Math.max(1, maxPayloadBytes));
        return RecoveryScan.start(journal, resendDetection, dedupMaxEntries > 0, clock, metrics);
    }

    private void openJournal(final RecoveryScan scan)
    {
        if (null == scan)
        {
            recovered = Recovered.none();
            nextMessageId = firstMessageId;
            // Without a journal of its own, holds are kept in memory: they do not survive a restart.
            heldRequests = new HeldRequests(HeldLog.memory(), 0);
            return;
        }
        scan.join();
        recovered = scan.recovered();
        final HeldRecovery held = scan.held();
        // A held id may be the highest ever given: ids continue above it too.
        nextMessageId = Math.max(Math.max(firstMessageId, recovered.nextMessageId()), held.highestId() + 1);
        recoveryMilestones.scanned(recovered, scan.startNs(), scan.endNs(), nextMessageId);
        acceptedJournal = AcceptedJournal.open(journal);
        outcomeJournal = OutcomeJournal.open(journal, recovered, nextMessageId);
        acceptedReader = AcceptedJournalReader.open(journal);
        // A crash between a hold and the scheduler's next flush leaves a held id without its SKIPPED record: write it
        // now, before any agent runs, so the watermark steps over it in this run and after any later restart.
        final long watermark = outcomeJournal.watermark();
        held.heldIds().forEachLong((heldId) ->
        {
            if (heldId >= watermark && !recovered.isCompleted(heldId))
            {
                outcomeJournal.skipped(heldId);
            }
        });
        outcomeJournal.flush();
        heldJournal = HeldJournal.open(journal);
        heldRequests = new HeldRequests(heldJournal, journal.retainCompletedCycles());
        final List<HeldRequest> live = RequestIndexRebuild.rememberHeld(
            held, resendDetection, heldJournal, clock.nanoTime(), metrics);
        for (final HeldRequest request : live)
        {
            heldRequests.restore(request);
        }
        if (alertMaxPerWindow > 0)
        {
            // Throttled alerts are on record: one summary per device, code and window with how many.
            throttleJournal = ThrottleJournal.open(journal);
        }
    }

    private void openPolicyJournal()
    {
        final boolean ownJournal = null != journal && !journalWrittenElsewhere;
        if (ownJournal)
        {
            policyJournal = PolicyJournal.open(journal);
        }
        policyReloader = new PolicyReloader(policyFile(), ownJournal ? policyJournal : PolicyLog.NONE, policySwitch,
            statusFile.countersManager(), nextMessageId, clock.nanoTime(),
            journalWrittenElsewhere ? "a cluster node cannot reload its policy on its own (every node must classify " +
            "the replicated log alike): restart the nodes one at a time with the new file" : null,
            reloadReport);
    }

    private void validate()
    {
        if (null == policy)
        {
            throw new IllegalArgumentException("engine: a priority policy is required");
        }
        if (ringSizes.length != PriorityPolicy.LEVELS)
        {
            throw new IllegalArgumentException("engine: ringSizes needs one size per level (" + PriorityPolicy.LEVELS +
                "), got " + Arrays.toString(ringSizes));
        }
        for (int i = 0; i < ringSizes.length; i++)
        {
            if (ringSizes[i] < 2 || Integer.bitCount(ringSizes[i]) != 1)
            {
                throw new IllegalArgumentException(
                    "engine: ring size of level " + (i + 1) + " must be a power of two >= 2, got " + ringSizes[i]);
            }
        }
        check(maxPayloadBytes >= 0 && maxPayloadBytes <= Configuration.MAX_PAYLOAD_BYTES_LIMIT,
            "maxPayloadBytes must be 0.." + Configuration.MAX_PAYLOAD_BYTES_LIMIT, maxPayloadBytes);
        check(inlinePayloadBytes >= 0 && inlinePayloadBytes <= Configuration.MAX_PAYLOAD_BYTES_LIMIT,
            "inlinePayloadBytes must be 0.." + Configuration.MAX_PAYLOAD_BYTES_LIMIT, inlinePayloadBytes);
        validatePayloadStores();
        check(firstMessageId >= 0, "firstMessageId must be >= 0", firstMessageId);
        check(null != threadingMode, "threadingMode is required", threadingMode);
        check(dispatchTimeoutNs >= 0, "dispatchTimeoutNs must be >= 0 (0 = never)", dispatchTimeoutNs);
        check(dedupWindowNs >= 0, "dedupWindowNs must be >= 0", dedupWindowNs);
        check(dedupMaxEntries >= 0, "dedupMaxEntries must be >= 0 (0 = off)", dedupMaxEntries);
        check(quotaTokensPerSecond >= 0, "quota tokensPerSecond must be >= 0 (0 = off)", quotaTokensPerSecond);
        check(quotaBurst >= 0, "quota burst must be >= 0 (0 = one second's worth)", quotaBurst);
        check(alertMaxPerWindow >= 0, "alerts maxPerWindow must be >= 0 (0 = off)", alertMaxPerWindow);
        check(alertWindowNs > 0, "alerts window must be > 0", alertWindowNs);
        check(alertGuardPerSecond >= 0 && alertGuardPerSecond <= 1_000_000_000L,
            "alerts guard perSecond must be 0..10^9 (0 = off)", alertGuardPerSecond);
        check(alertGuardBurst >= 1 && alertGuardBurst <= 1_000_000_000L, "alerts guard burst must be 1..10^9",
            alertGuardBurst);
        check(alertGuardDemoteTo >= 2 && alertGuardDemoteTo <= PriorityPolicy.LEVELS,
            "alerts guard demoteTo must be 2.." + PriorityPolicy.LEVELS, alertGuardDemoteTo);
        check(alertGuardMaxCodes >= 1 && alertGuardMaxCodes <= TokenBucketAlertGuard.MAX_CODES_LIMIT,
            "alerts guard maxCodes must be 1.." + TokenBucketAlertGuard.MAX_CODES_LIMIT, alertGuardMaxCodes);
        check(null != serviceTimes, "dsp serviceTimes is required", serviceTimes);
        check(dspSlots >= 1, "dsp slots must be >= 1", dspSlots);
        check(reservedLevels >= 1 && reservedLevels < PriorityPolicy.LEVELS,
            "dsp reserved levels must be 1.." + (PriorityPolicy.LEVELS - 1), reservedLevels);
        check(completionDrainLimit >= 1, "completionDrainLimit must be >= 1", completionDrainLimit);
        check(replayFeedLimit >= 1, "replayFeedLimit must be >= 1", replayFeedLimit);
        check(completionRelayCapacity >= 1 && completionRelayCapacity <= 1 << 20,
            "completionRelayCapacity must be 1.." + (1 << 20), completionRelayCapacity);
        check(reporterIntervalNs > 0, "reporterIntervalNs must be > 0", reporterIntervalNs);
        if (!Configuration.OFF.equals(gatewayListen))
        {
            final HostPort listen = HostPort.parse("gateway listen", gatewayListen, 0);
            gatewayHost = listen.host();
            gatewayPort = listen.port();
            check(!gatewayHost.isBlank(), "gateway listen needs a host (127.0.0.1 for loopback)",
                "\"" + gatewayListen + "\"");
            check(maxConnections >= 1 && maxConnections <= 65536, "gateway maxConnections must be 1..65536",
                maxConnections);
            check(maxFrameBytes >= Framing.SUBMIT_FRAME_BASE_LENGTH && maxFrameBytes <=
                Configuration.MAX_FRAME_BYTES_LIMIT, "gateway maxFrameBytes must be " +
                Framing.SUBMIT_FRAME_BASE_LENGTH + ".." + Configuration.MAX_FRAME_BYTES_LIMIT, maxFrameBytes);
            check(readBufferBytes >= maxFrameBytes && readBufferBytes <= Configuration.BUFFER_BYTES_LIMIT,
                "gateway readBufferBytes must be maxFrameBytes (" + maxFrameBytes + ").." +
                Configuration.BUFFER_BYTES_LIMIT + " so that a whole frame fits", readBufferBytes);
            final int largestReply = Math.max(Framing.MAX_REJECT_FRAME_LENGTH, Framing.COMPLETED_FRAME_LENGTH);
            check(outboundBufferBytes >= largestReply && outboundBufferBytes <= Configuration.BUFFER_BYTES_LIMIT,
                "gateway outboundBufferBytes must be " + largestReply + ".." + Configuration.BUFFER_BYTES_LIMIT +
                " so that the largest reply fits", outboundBufferBytes);
            check(socketSendBufferBytes >= 0, "gateway socketSendBufferBytes must be >= 0 (0 = OS default)",
                socketSendBufferBytes);
            check(gatewayIdleTimeoutNs >= 0, "gateway idleTimeout must be >= 0 (0 = never)", gatewayIdleTimeoutNs);
        }
        if (!Configuration.OFF.equals(duisListen))
        {
            final HostPort listen = HostPort.parse("duis listen", duisListen, 0);
            check(!listen.host().isBlank(), "duis listen needs a host (127.0.0.1 for loopback)",
                "\"" + duisListen + "\"");
            check(duisMaxConnections >= 1 && duisMaxConnections <= 65536, "duis maxConnections must be 1..65536",
                duisMaxConnections);
            check(duisIdleTimeoutNs > 0, "duis idleTimeout must be > 0", duisIdleTimeoutNs);
            check(null != documentReader, "duis listen needs a document reader (the DUIS XML reader)", "none");
        }
        for (final Listener listener : Listener.values())
        {
            final String listen = listen(listener);
            if (Configuration.OFF.equals(listen))
            {
                continue;
            }
            final HostPort at = HostPort.parse(listener.section() + " listen", listen, 0);
            if (!insecure.contains(listener) && !at.isLoopback() && !secured(listener))
            {
                throw new IllegalArgumentException("engine: " + listener.section() + ".listen " + listen + " is " +
                    "not a loopback address and " + listener.section() + " has no TLS" +
                    (listener.tlsCapable() ? " (no tls: section)" : "") + ": anyone who can reach it could " +
                    listener.exposure() + ". Bind it to 127.0.0.1 (" + listener.option() + " 127.0.0.1:PORT), " +
                    (listener.tlsCapable() ? "configure tls: and clients:, " : "") + "or set " + listener.section() +
                    ".insecure: true in the configuration to accept that (warned at every start)");
            }
        }
    }

    private boolean secured(final Listener listener)
    {
        return listener.tlsCapable() && tls.enabled();
    }

    private String listen(final Listener listener)
    {
        return switch (listener)
        {
            case GATEWAY -> gatewayListen;
            case DUIS -> duisListen;
            case METRICS -> metricsListen;
            case ADMIN -> adminListen;
        };
    }

    private void warnInsecureListeners()
    {
        for (final Listener listener : insecure)
        {
            final String listen = listen(listener);
            if (!Configuration.OFF.equals(listen) && !HostPort.parse(listen, 0).isLoopback() && !secured(listener))
            {
                LOG.log(System.Logger.Level.WARNING, listener.section() + " listens on " + listen + " beyond " +
                    "loopback without TLS (" + listener.section() + ".insecure: true): anyone who can reach it can " +
                    listener.exposure());
            }
        }
    }

    /**
     * The reservation is checked against the dispatcher actually used (the simulated DSP's K, or an embedding
     * application's); under fifo there is one lane, so no level to reserve slots for: the baseline is run as the
     * "current arrangements" it stands for, and the setting is ignored with a warning rather than refused, so that
     * {@code --policy fifo} and {@code --compare-fifo} work with any configuration.
     */
    private void concludeReservation()
    {
        check(reservedSlots >= 0 && reservedSlots < dispatcher.slots(), "dsp reserved slots must be 0.." +
            (dispatcher.slots() - 1) + " (fewer than the dispatcher's " + dispatcher.slots() + " slots)",
            reservedSlots);
        if (reservedSlots > 0 && policy.isFifo())
        {
            LOG.log(System.Logger.Level.WARNING, "dsp.reserved (" + reservedSlots + " slots for levels 1.." +
                reservedLevels + ") is ignored under the fifo policy: one lane has no level to reserve them for");
            reservedSlots = 0;
        }
    }

    private void validatePayloadStores()
    {
        if (null == payloadStoreBytes)
        {
            return;
        }
        if (payloadStoreBytes.length != PriorityPolicy.LEVELS)
        {
            throw new IllegalArgumentException("engine: payloadStore needs one size per level (" +
                PriorityPolicy.LEVELS + "), got " + Arrays.toString(payloadStoreBytes));
        }
        final int largest = largestStoredMessageBytes();
        for (int i = 0; i < payloadStoreBytes.length; i++)
        {
            final int bytes = payloadStoreBytes[i];
            if (bytes < largest || bytes > Configuration.PAYLOAD_STORE_BYTES_LIMIT ||
                (bytes & (PayloadStore.ALIGNMENT - 1)) != 0)
            {
                throw new IllegalArgumentException("engine: payload store of level " + (i + 1) + " must be a " +
                    "multiple of " + PayloadStore.ALIGNMENT + " in " + largest + ".." +
                    Configuration.PAYLOAD_STORE_BYTES_LIMIT + " bytes" + (largest > 0 ? " (at least one message of " +
                    "maxPayloadBytes " + maxPayloadBytes + " with its 64-byte header)" : "") + ", got " + bytes);
            }
        }
    }

    /**
     * @return the bytes a store region of the largest message takes: 0 when every message fits a slot inline.
     */
    private int largestStoredMessageBytes()
    {
        return maxPayloadBytes <= inlinePayloadBytes ? 0 :
            PayloadStore.alignedLength(AcceptedMessageDescriptor.encodedLength(maxPayloadBytes));
    }

    /** @return each slot's inline payload capacity: never more than the largest payload admitted. */
    private int slotPayloadBytes()
    {
        return Math.min(inlinePayloadBytes, maxPayloadBytes);
    }

    /**
     * Payload store sizes actually built, per lane: none when every payload fits a slot; otherwise the configured
     * sizes, or by default {@link Configuration#PAYLOAD_STORE_BYTES_PER_SLOT_DEFAULT} per slot of the lane's ring (at
     * least four of the largest messages); under a fifo policy the single lane gets the sum.
     *
     * @return bytes per lane.
     */
    public int[] laneStoreBytes()
    {
        final int largest = largestStoredMessageBytes();
        final int[] perLevel = new int[PriorityPolicy.LEVELS];
        if (largest > 0)
        {
            for (int i = 0; i < perLevel.length; i++)
            {
                perLevel[i] = null != payloadStoreBytes ? payloadStoreBytes[i] : (int)Math.min(
                    Configuration.PAYLOAD_STORE_BYTES_LIMIT, Math.max(4L * largest,
                    (long)ringSizes[i] * Configuration.PAYLOAD_STORE_BYTES_PER_SLOT_DEFAULT));
            }
        }
        if (!policy.isFifo())
        {
            return perLevel;
        }
        long total = 0;
        for (final int bytes : perLevel)
        {
            total += bytes;
        }
        return new int[]{ (int)Math.min(Configuration.PAYLOAD_STORE_BYTES_LIMIT, total) };
    }

    private static void check(final boolean ok, final String rule, final Object value)
    {
        if (!ok)
        {
            throw new IllegalArgumentException("engine: " + rule + ", got " + value);
        }
    }

    private boolean[] alertExclusionTable()
    {
        // Alerts the policy in force puts at level 1 are never throttled either: admission asks it per alert, so
        // that a reloaded policy counts from its first message.
        final boolean[] excluded = new boolean[0x10000];
        for (final int code : alertExclusions)
        {
            excluded[code & 0xFFFF] = true;
        }
        return excluded;
    }

    /**
     * Ring sizes actually built: one lane per level, or under a fifo policy a single lane holding at least the sum
     * (rounded up to a power of two, as a Disruptor ring must be), so the baseline never rejects what the
     * prioritised engine would have queued.
     *
     * @return slots per lane.
     */
    public int[] laneSizes()
    {
        if (!policy.isFifo())
        {
            return ringSizes.clone();
        }
        long total = 0;
        for (final int size : ringSizes)
        {
            total += size;
        }
        return new int[]{ (int)Math.min(1 << 30, Long.highestOneBit(total - 1) << 1) };
    }

    /**
     * @param policy classification: which lane and TRT budget each message gets.
     * @return this.
     */
    public EngineContext policy(final PriorityPolicy policy)
    {
        this.policy = policy;
        this.policyFile = null;
        return this;
    }

    public PriorityPolicy policy()
    {
        return policy;
    }

    /**
     * The policy with the file it was read from and its digest: what {@code kill -HUP} and {@code policy reload} read
     * again, and what the journal records. A policy set with {@link #policy(PriorityPolicy)} has no file.
     *
     * @param policyFile the policy and its file.
     * @return this.
     */
    public EngineContext policyFile(final PolicyFile policyFile)
    {
        this.policy = policyFile.policy();
        this.policyFile = policyFile;
        return this;
    }

    /** @return the starting policy with its file and digest (no file when it was set as a policy). */
    public PolicyFile policyFile()
    {
        return null != policyFile && policyFile.policy() == policy ? policyFile : PolicyFile.of(policy);
    }

    /** @return where a reloaded policy is handed to admission. */
    public PolicySwitch policySwitch()
    {
        return policySwitch;
    }

    /** @return once concluded: reloads the policy file into the running engine. */
    public PolicyReloader policyReloader()
    {
        return policyReloader;
    }

    /**
     * @param report told the line each policy reload reports (default: the platform logger, INFO when applied and
     *               WARNING when refused); the engine command prints it time-stamped on stdout.
     * @return this.
     */
    public EngineContext reloadReport(final Consumer<String> report)
    {
        this.reloadReport = report;
        return this;
    }

    /**
     * @param listen {@code HOST:PORT} of the loopback admin endpoint ({@code POST /policy/reload}), or
     *               {@link Configuration#OFF} (the default of a context built in code; the shipped configuration
     *               turns it on, on 127.0.0.1).
     * @return this.
     */
    public EngineContext adminListen(final String listen)
    {
        this.adminListen = listen;
        return this;
    }

    /**
     * @param tls the engine's TLS for the gateway and the DUIS endpoint ({@link TlsServer#PLAINTEXT}, the default,
     *            for none): with it they may bind beyond loopback.
     * @return this.
     */
    public EngineContext tls(final TlsServer tls)
    {
        this.tls = Objects.requireNonNull(tls, "tls");
        return this;
    }

    /** @return the engine's TLS, or {@link TlsServer#PLAINTEXT}. */
    public TlsServer tls()
    {
        return tls;
    }

    /** @return the gateway's TLS, handshake counters and NOT_AUTHORISED counts. Concluded context. */
    public ListenerSecurity gatewaySecurity()
    {
        return gatewaySecurity;
    }

    /** @return the DUIS endpoint's TLS, handshake counters and NOT_AUTHORISED counts. Concluded context. */
    public ListenerSecurity duisSecurity()
    {
        return duisSecurity;
    }

    /**
     * @param listener   a listener.
     * @param isInsecure true to let it bind beyond loopback without TLS (warned at every start); false, the default,
     *                   refuses that at {@link #conclude()}.
     * @return this.
     */
    public EngineContext insecure(final Listener listener, final boolean isInsecure)
    {
        if (isInsecure)
        {
            insecure.add(listener);
        }
        else
        {
            insecure.remove(listener);
        }
        return this;
    }

    /**
     * @param listener a listener.
     * @return true when it may bind beyond loopback without TLS.
     */
    public boolean insecure(final Listener listener)
    {
        return insecure.contains(listener);
    }

    /** @return {@code HOST:PORT} of the admin endpoint, or {@link Configuration#OFF}. */
    public String adminListen()
    {
        return adminListen;
    }

    /**
     * @param ringSizes slots per level, level 1 first, each a power of two; a full ring rejects its level only.
     * @return this.
     */
    public EngineContext ringSizes(final int... ringSizes)
    {
        this.ringSizes = ringSizes.clone();
        return this;
    }

    /** @return slots per level, level 1 first. */
    public int[] ringSizes()
    {
        return ringSizes.clone();
    }

    /**
     * @param maxPayloadBytes largest payload admitted (copied into every ring slot); larger ones are TOO_LARGE.
     * @return this.
     */
    public EngineContext maxPayloadBytes(final int maxPayloadBytes)
    {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /**
     * @param inlinePayloadBytes payload bytes each ring slot holds in its own buffer (preallocated for every slot); a
     *                           larger payload, up to {@link #maxPayloadBytes()}, is held in its lane's payload store.
     * @return this.
     */
    public EngineContext inlinePayloadBytes(final int inlinePayloadBytes)
    {
        this.inlinePayloadBytes = inlinePayloadBytes;
        return this;
    }

    public int inlinePayloadBytes()
    {
        return inlinePayloadBytes;
    }

    /**
     * @param bytesPerLevel the payload store of each level's lane, level 1 first, in bytes: each a multiple of 8 that
     *                      holds at least one message of {@link #maxPayloadBytes()}; null for the default (2 KiB per
     *                      ring slot). A large message its lane's store has no room for is answered FULL.
     * @return this.
     */
    public EngineContext payloadStoreBytes(final int... bytesPerLevel)
    {
        this.payloadStoreBytes = null == bytesPerLevel ? null : bytesPerLevel.clone();
        return this;
    }

    /** @return the configured payload store sizes per level, or null for the default. */
    public int[] payloadStoreBytes()
    {
        return null == payloadStoreBytes ? null : payloadStoreBytes.clone();
    }

    /**
     * @param threadingMode how the agents are laid out on threads.
     * @return this.
     */
    public EngineContext threadingMode(final ThreadingMode threadingMode)
    {
        this.threadingMode = threadingMode;
        return this;
    }

    /** @return how the agents are laid out on threads. */
    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /**
     * @param idleStrategy the scheduler thread's, in {@link ThreadingMode#DEDICATED} (see {@link IdleStrategySpec}).
     * @return this.
     */
    public EngineContext schedulerIdleStrategy(final IdleStrategy idleStrategy)
    {
        this.schedulerIdleStrategy = idleStrategy;
        return this;
    }

    /** @return the scheduler thread's idle strategy. */
    public IdleStrategy schedulerIdleStrategy()
    {
        return schedulerIdleStrategy;
    }

    /**
     * @param idleStrategy the admission thread's, in {@link ThreadingMode#DEDICATED}.
     * @return this.
     */
    public EngineContext admissionIdleStrategy(final IdleStrategy idleStrategy)
    {
        this.admissionIdleStrategy = idleStrategy;
        return this;
    }

    /** @return the admission thread's idle strategy. */
    public IdleStrategy admissionIdleStrategy()
    {
        return admissionIdleStrategy;
    }

    /**
     * @param idleStrategy the one thread's, in {@link ThreadingMode#SHARED}.
     * @return this.
     */
    public EngineContext sharedIdleStrategy(final IdleStrategy idleStrategy)
    {
        this.sharedIdleStrategy = idleStrategy;
        return this;
    }

    /** @return the shared thread's idle strategy. */
    public IdleStrategy sharedIdleStrategy()
    {
        return sharedIdleStrategy;
    }

    /**
     * @param dispatcher downstream; by default the simulated DSP built from the dsp settings.
     * @return this.
     */
    public EngineContext dispatcher(final Dispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
        return this;
    }

    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * The simulated DSP, the default dispatcher: K parallel slots, each message held for a service time.
     *
     * @param slots        K, the scheduler's credit.
     * @param serviceTimes time per message.
     * @param seed         seed of the service times, for reproducible runs.
     * @return this.
     */
    public EngineContext simulatedDsp(final int slots, final ServiceTimes serviceTimes, final long seed)
    {
        this.dspSlots = slots;
        this.serviceTimes = serviceTimes;
        this.dspSeed = seed;
        return this;
    }

    /** @return K of the simulated DSP. */
    public int dspSlots()
    {
        return dspSlots;
    }

    /** @return the simulated DSP's service times. */
    public ServiceTimes serviceTimes()
    {
        return serviceTimes;
    }

    /** @return seed of the simulated DSP's service times. */
    public long dspSeed()
    {
        return dspSeed;
    }

    /**
     * The protected fast lane: while no more than {@code slots} of the dispatcher's K slots are free, only messages of
     * levels 1..{@code levels} are dispatched, so lower levels never hold more than K - {@code slots} at once and a
     * top-level message finds a free slot even when slow lower-level work fills the rest. Off (0) by default;
     * ignored, with a warning, under the fifo policy.
     *
     * @param slots  slots reserved, 0 to K - 1; 0 turns the reservation off.
     * @param levels 1 to 3: the levels that may take them.
     * @return this.
     */
    public EngineContext reservedSlots(final int slots, final int levels)
    {
        this.reservedSlots = slots;
        this.reservedLevels = levels;
        return this;
    }

    /** @return slots of the K only levels 1..{@link #reservedLevels()} may take; 0 when off (always under fifo). */
    public int reservedSlots()
    {
        return reservedSlots;
    }

    /** @return the levels that may take the reserved slots: 1..this. */
    public int reservedLevels()
    {
        return reservedLevels;
    }

    /** @return the lanes that may take a reserved slot: those below the lane of level {@link #reservedLevels()} + 1. */
    public int reservedLanes()
    {
        return policy.laneOfLevel(reservedLevels + 1);
    }

    /**
     * @param meanServiceNs the mean service time over a traffic mix.
     * @return messages per second the simulated DSP sustains: K / mean service time.
     */
    public double dspCapacityPerSecond(final double meanServiceNs)
    {
        return dspSlots * 1e9 / meanServiceNs;
    }

    /**
     * @param clock epoch time source; an {@link OffsetEpochNanoClock} by default.
     * @return this.
     */
    public EngineContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    public EpochNanoClock clock()
    {
        return clock;
    }

    /**
     * @param errorHandler told of errors caught at an agent's loop boundary, after they are counted and logged in the
     *                     distinct error log; the loop carries on. By default each kind of error is told once on
     *                     standard error.
     * @return this.
     */
    public EngineContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return once concluded, the handler every part reports errors to: it counts and logs, then tells the given. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @return the counters and the error log, in the journal directory's status file or in memory. */
    public StatusFile statusFile()
    {
        return statusFile;
    }

    /**
     * @param firstMessageId id of the first message admitted; a journal's ids continue above its highest anyway.
     * @return this.
     */
    public EngineContext firstMessageId(final long firstMessageId)
    {
        this.firstMessageId = firstMessageId;
        return this;
    }

    /**
     * @param journal where accepted messages and outcomes are journaled and recovered from, or null for no journal.
     * @return this.
     */
    public EngineContext journal(final JournalConfig journal)
    {
        this.journal = journal;
        return this;
    }

    /**
     * @param directory where to journal, keeping the other journal settings.
     * @return this.
     */
    public EngineContext journalDirectory(final Path directory)
    {
        this.journal = null == journal ? new JournalConfig(directory) : journal.directory(directory);
        return this;
    }

    /**
     * The journal directory's queues are written by someone else: a cluster node's replicated service, from the
     * committed log. The context still locks the directory and keeps its status file there, but neither recovers
     * nor opens the queues (and admission journals nothing itself).
     *
     * @param elsewhere true for a cluster node.
     * @return this.
     */
    public EngineContext journalWrittenElsewhere(final boolean elsewhere)
    {
        this.journalWrittenElsewhere = elsewhere;
        return this;
    }

    /** @return the id of the first message admitted when no journal says otherwise. */
    public long firstMessageId()
    {
        return firstMessageId;
    }

    /** @return the journal's configuration, or null when journaling is off. */
    public JournalConfig journal()
    {
        return journal;
    }

    /**
     * @param timeoutNs complete a dispatched message as timed out (failed) when its downstream has not reported a
     *                  completion this long after dispatch; 0 never does.
     * @return this.
     */
    public EngineContext dispatchTimeoutNs(final long timeoutNs)
    {
        this.dispatchTimeoutNs = timeoutNs;
        return this;
    }

    public long dispatchTimeoutNs()
    {
        return dispatchTimeoutNs;
    }

    /**
     * Resend detection: a submit whose RequestID matches a pending message, or one completed within the window, is
     * answered DUPLICATE. Rebuilt from the journal at start-up.
     *
     * @param windowNs   how long a completed request is remembered.
     * @param maxEntries most requests remembered at once, pending and completed; 0 turns resend detection off.
     * @return this.
     */
    public EngineContext dedup(final long windowNs, final int maxEntries)
    {
        this.dedupWindowNs = windowNs;
        this.dedupMaxEntries = maxEntries;
        return this;
    }

    /** @return how long a completed request is remembered for resend detection. */
    public long dedupWindowNs()
    {
        return dedupWindowNs;
    }

    /** @return most requests remembered for resend detection; 0 when it is off. */
    public int dedupMaxEntries()
    {
        return dedupMaxEntries;
    }

    /**
     * Per-originator quota of the top levels: a message of levels 1..{@code levels} from an originator over
     * {@code tokensPerSecond} (with bursts of {@code burst}) is admitted at level 3 instead. Off by default.
     *
     * @param levels          1 or 2: the levels protected.
     * @param tokensPerSecond sustained rate per originator; 0 turns the quota off.
     * @param burst           messages at once after a quiet period; 0 for one second's worth.
     * @param maxOriginators  originators tracked; beyond them new ones are not limited (counted).
     * @return this.
     */
    public EngineContext quota(final int levels, final long tokensPerSecond, final long burst, final int maxOriginators)
    {
        this.quotaLevels = levels;
        this.quotaTokensPerSecond = tokensPerSecond;
        this.quotaBurst = burst;
        this.quotaMaxOriginators = maxOriginators;
        return this;
    }

    /** @return levels 1..this are protected by the quota. */
    public int quotaLevels()
    {
        return quotaLevels;
    }

    /** @return sustained messages per second per originator at the protected levels; 0 when the quota is off. */
    public long quotaTokensPerSecond()
    {
        return quotaTokensPerSecond;
    }

    /** @return messages an originator may send at once after a quiet period; 0 for one second's worth. */
    public long quotaBurst()
    {
        return quotaBurst;
    }

    /**
     * Alert-storm throttling: beyond {@code maxPerWindow} identical alerts (same device, the RequestID target, and
     * code) per window, an alert is answered THROTTLED. Alerts the policy puts at level 1, and those listed, are never
     * throttled. Off by default.
     *
     * @param windowNs     the window.
     * @param maxPerWindow identical alerts let through per window; 0 turns throttling off.
     * @param excluded     further alert codes never throttled.
     * @return this.
     */
    public EngineContext alertThrottle(final long windowNs, final int maxPerWindow, final int... excluded)
    {
        this.alertWindowNs = windowNs;
        this.alertMaxPerWindow = maxPerWindow;
        this.alertExclusions = excluded.clone();
        return this;
    }

    /** @return the window identical alerts are counted over. */
    public long alertWindowNs()
    {
        return alertWindowNs;
    }

    /** @return identical alerts let through per window; 0 when throttling is off. */
    public int alertMaxPerWindow()
    {
        return alertMaxPerWindow;
    }

    /**
     * The aggregate guard of level-1 alerts: per alert code across all devices, a level-1 alert beyond
     * {@code perSecond} (with bursts of {@code burst}) is admitted at {@code demoteTo} instead, never refused.
     * Service requests and alerts of other levels are never touched. Off by default.
     *
     * @param perSecond sustained level-1 alerts per second per code; 0 turns the guard off.
     * @param burst     level-1 alerts of one code at once after a quiet period, >= 1.
     * @param demoteTo  the level the excess is admitted at, 2..4.
     * @param maxCodes  alert codes tracked; beyond them a new code is not limited (counted).
     * @return this.
     */
    public EngineContext alertGuard(final long perSecond, final long burst, final int demoteTo, final int maxCodes)
    {
        this.alertGuardPerSecond = perSecond;
        this.alertGuardBurst = burst;
        this.alertGuardDemoteTo = demoteTo;
        this.alertGuardMaxCodes = maxCodes;
        return this;
    }

    /** @return sustained level-1 alerts per second per code before the excess is demoted; 0 when the guard is off. */
    public long alertGuardPerSecond()
    {
        return alertGuardPerSecond;
    }

    /** @return level-1 alerts of one code admitted at level 1 at once after a quiet period. */
    public long alertGuardBurst()
    {
        return alertGuardBurst;
    }

    /** @return the level a level-1 alert over its code's rate is admitted at. */
    public int alertGuardDemoteTo()
    {
        return alertGuardDemoteTo;
    }

    /** @return alert codes the guard tracks. */
    public int alertGuardMaxCodes()
    {
        return alertGuardMaxCodes;
    }

    /**
     * @param listen {@code HOST:PORT} for the DUIS endpoint, {@code POST /duis} (port 0 for any free one), or
     *               {@link Configuration#OFF}.
     * @return this.
     */
    public EngineContext duisListen(final String listen)
    {
        this.duisListen = listen;
        return this;
    }

    /** @return {@code HOST:PORT} of the DUIS endpoint, or {@link Configuration#OFF}. */
    public String duisListen()
    {
        return duisListen;
    }

    /**
     * @param maxConnections HTTP connections the DUIS endpoint serves at once (each holds a buffer for the largest
     *                       document); more are accepted and closed.
     * @return this.
     */
    public EngineContext duisMaxConnections(final int maxConnections)
    {
        this.duisMaxConnections = maxConnections;
        return this;
    }

    /** @return HTTP connections the DUIS endpoint serves at once. */
    public int duisMaxConnections()
    {
        return duisMaxConnections;
    }

    /**
     * @param idleTimeoutNs a DUIS connection that sends nothing this long is closed; a request not all there by then
     *                      is answered 408 first.
     * @return this.
     */
    public EngineContext duisIdleTimeoutNs(final long idleTimeoutNs)
    {
        this.duisIdleTimeoutNs = idleTimeoutNs;
        return this;
    }

    /** @return the DUIS endpoint's idle timeout. */
    public long duisIdleTimeoutNs()
    {
        return duisIdleTimeoutNs;
    }

    /**
     * @param idleStrategy how the DUIS endpoint's thread waits (DEDICATED threading); default backoff.
     * @return this.
     */
    public EngineContext duisIdleStrategy(final IdleStrategy idleStrategy)
    {
        this.duisIdleStrategy = idleStrategy;
        return this;
    }

    /** @return the DUIS endpoint thread's idle strategy. */
    public IdleStrategy duisIdleStrategy()
    {
        return duisIdleStrategy;
    }

    /**
     * @param documentReader makes the reader the DUIS endpoint turns documents into submissions with; default the DUIS
     *                       XML reader.
     * @return this.
     */
    public EngineContext documentReader(final Supplier<DocumentReader> documentReader)
    {
        this.documentReader = documentReader;
        return this;
    }

    /** @return the DUIS endpoint once concluded, or null when it is off. */
    public DuisEndpoint duisEndpoint()
    {
        return duisEndpoint;
    }

    /** @return the DUIS endpoint's counters, once concluded. */
    public DuisCounters duisCounters()
    {
        return duisCounters;
    }

    /**
     * @param listen {@code HOST:PORT} for the TCP gateway (port 0 for any free one), or {@link Configuration#OFF}.
     * @return this.
     */
    public EngineContext gatewayListen(final String listen)
    {
        this.gatewayListen = listen;
        return this;
    }

    /** @return {@code HOST:PORT} of the TCP gateway, or {@link Configuration#OFF}. */
    public String gatewayListen()
    {
        return gatewayListen;
    }

    /**
     * @param maxConnections connections served at once.
     * @return this.
     */
    public EngineContext maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * @param maxFrameBytes largest inbound frame, header included.
     * @return this.
     */
    public EngineContext maxFrameBytes(final int maxFrameBytes)
    {
        this.maxFrameBytes = maxFrameBytes;
        return this;
    }

    public int maxFrameBytes()
    {
        return maxFrameBytes;
    }

    /**
     * @param outboundBufferBytes replies held per connection.
     * @return this.
     */
    public EngineContext outboundBufferBytes(final int outboundBufferBytes)
    {
        this.outboundBufferBytes = outboundBufferBytes;
        return this;
    }

    public int outboundBufferBytes()
    {
        return outboundBufferBytes;
    }

    /**
     * @param readBufferBytes per-connection read buffer, at least {@link #maxFrameBytes()}.
     * @return this.
     */
    public EngineContext readBufferBytes(final int readBufferBytes)
    {
        this.readBufferBytes = readBufferBytes;
        return this;
    }

    public int readBufferBytes()
    {
        return readBufferBytes;
    }

    /**
     * @param socketSendBufferBytes SO_SNDBUF of accepted sockets, 0 for the OS default.
     * @return this.
     */
    public EngineContext socketSendBufferBytes(final int socketSendBufferBytes)
    {
        this.socketSendBufferBytes = socketSendBufferBytes;
        return this;
    }

    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /**
     * @param idleTimeoutNs close a connection that has sent nothing for this long and is owed no Completed frame
     *                      (0 never); a client waiting for answers in an overload is never closed for waiting.
     * @return this.
     */
    public EngineContext gatewayIdleTimeoutNs(final long idleTimeoutNs)
    {
        this.gatewayIdleTimeoutNs = idleTimeoutNs;
        return this;
    }

    public long idleTimeoutNs()
    {
        return gatewayIdleTimeoutNs;
    }

    /**
     * @param completionDrainLimit completions taken from the relay per admission duty cycle.
     * @return this.
     */
    public EngineContext completionDrainLimit(final int completionDrainLimit)
    {
        this.completionDrainLimit = completionDrainLimit;
        return this;
    }

    public int completionDrainLimit()
    {
        return completionDrainLimit;
    }

    /**
     * @param capacity completions the relay from the scheduler to the admission thread holds before it pushes back
     *                 (dispatch waits for room, so no completion is ever lost).
     * @return this.
     */
    public EngineContext completionRelayCapacity(final int capacity)
    {
        this.completionRelayCapacity = capacity;
        return this;
    }

    /**
     * @param replayFeedLimit recovered messages fed into the rings per admission duty cycle.
     * @return this.
     */
    public EngineContext replayFeedLimit(final int replayFeedLimit)
    {
        this.replayFeedLimit = replayFeedLimit;
        return this;
    }

    public int replayFeedLimit()
    {
        return replayFeedLimit;
    }

    /**
     * @param listen {@code HOST:PORT} of the Prometheus endpoint (port 0 for any free one), or
     *               {@link Configuration#OFF}.
     * @return this.
     */
    public EngineContext metricsListen(final String listen)
    {
        this.metricsListen = listen;
        return this;
    }

    /** @return {@code HOST:PORT} of the Prometheus endpoint, or {@link Configuration#OFF}. */
    public String metricsListen()
    {
        return metricsListen;
    }

    /**
     * @param directory where the reporter writes each level's latency intervals ({@code level-N.hlog}), or null.
     * @return this.
     */
    public EngineContext hlogDirectory(final Path directory)
    {
        this.hlogDirectory = directory;
        return this;
    }

    /** @return where latency interval logs go, or null for none. */
    public Path hlogDirectory()
    {
        return hlogDirectory;
    }

    /**
     * @param intervalNs how often the reporter takes an interval of every level's latency.
     * @return this.
     */
    public EngineContext reporterIntervalNs(final long intervalNs)
    {
        this.reporterIntervalNs = intervalNs;
        return this;
    }

    /** @return how often the reporter takes an interval. */
    public long reporterIntervalNs()
    {
        return reporterIntervalNs;
    }

    /**
     * Have the scheduler tell its completions to this listener instead of the completion relay. Only for a scheduler
     * driven without the admission agent, as the benchmarks drive it (they submit through {@link
     * io.otaprio.admission.Admission} on their own thread): the admission agent drains the relay to answer clients
     * and feed resend detection, so with another listener no client is answered; and without the agent nothing would
     * drain the relay, which, once full, would stop dispatch.
     *
     * @param listener told of each completion on the scheduler thread; it must not block.
     * @return this.
     */
    public EngineContext completionListener(final CompletionListener listener)
    {
        this.completionListener = listener;
        return this;
    }

    /**
     * Plug the TCP gateway into the admission agent through another transport, which wraps it: a cluster node's
     * front end, which submits into the cluster and hands the gateway its answers.
     *
     * @param wrap given the gateway once it is bound, returns the transport the admission agent runs.
     * @return this.
     */
    public EngineContext gatewayTransport(final Function<Gateway, Transport> wrap)
    {
        this.gatewayTransport = wrap;
        return this;
    }

    /**
     * @return a new, empty resend detection with this context's window and size ({@link ResendDetection#NONE} when
     * dedup is off): the engine's own, or a cluster service's copy.
     */
    public ResendDetection newResendDetection()
    {
        return dedupMaxEntries > 0 ? new RequestIdIndex(dedupWindowNs, dedupMaxEntries) : ResendDetection.NONE;
    }

    /** @return a new originator quota with this context's settings ({@link OriginatorQuota#NONE} when off). */
    public OriginatorQuota newOriginatorQuota()
    {
        return quotaTokensPerSecond > 0 ? new TokenBucketQuota(quotaLevels, quotaTokensPerSecond,
            0 == quotaBurst ? quotaTokensPerSecond : quotaBurst, quotaMaxOriginators) : OriginatorQuota.NONE;
    }

    /**
     * @return a new level-1 alert guard with this context's settings ({@link LevelOneAlertGuard#NONE} when off): the
     * engine's own, or a cluster service's copy.
     */
    public LevelOneAlertGuard newLevelOneAlertGuard()
    {
        return alertGuardPerSecond > 0 ? new TokenBucketAlertGuard(alertGuardPerSecond, alertGuardBurst,
            alertGuardDemoteTo, alertGuardMaxCodes) : LevelOneAlertGuard.NONE;
    }

    /**
     * @param summary where windows that throttled alerts are put on record.
     * @return a new alert throttle with this context's settings ({@link AlertThrottle#NONE} when off).
     */
    public AlertThrottle newAlertThrottle(final AlertThrottle.Summary summary)
    {
        return alertMaxPerWindow > 0 ? new WindowedAlertThrottle(alertWindowNs, alertMaxPerWindow,
            alertExclusionTable(), Configuration.ALERT_MAX_PAIRS_DEFAULT, summary) : AlertThrottle.NONE;
    }

    /**
     * Add a transport to the admission agent, beside the TCP gateway (when it is on): an {@link
     * io.otaprio.admission.InProcessTransport} for messages produced in this process.
     *
     * @param transport the transport.
     * @return this.
     */
    public EngineContext addTransport(final Transport transport)
    {
        transports.add(transport);
        return this;
    }

    public List<Transport> transports()
    {
        return transports;
    }

    public String gatewayHost()
    {
        return gatewayHost;
    }

    public int gatewayPort()
    {
        return gatewayPort;
    }

    /** @return the TCP gateway once concluded, or null when it is off. */
    public Gateway gateway()
    {
        return gateway;
    }

    public PriorityRings rings()
    {
        return rings;
    }

    public EngineMetrics metrics()
    {
        return metrics;
    }

    public GatewayCounters gatewayCounters()
    {
        return gatewayCounters;
    }

    public CompletionQueue completionQueue()
    {
        return completionQueue;
    }

    public CompletionRelay completionRelay()
    {
        return completionRelay;
    }

    /** @return told of each completion on the scheduler thread: the completion relay, unless one was given. */
    public CompletionListener completionListener()
    {
        return completionListener;
    }

    public ResendDetection resendDetection()
    {
        return resendDetection;
    }

    public OriginatorQuota originatorQuota()
    {
        return originatorQuota;
    }

    public AlertThrottle alertThrottle()
    {
        return alertThrottle;
    }

    public LevelOneAlertGuard levelOneAlertGuard()
    {
        return levelOneAlertGuard;
    }

    /** @return the future-dated requests held until due, those recovery found live already armed. */
    public HeldRequests heldRequests()
    {
        return heldRequests;
    }

    /** @return admission to scheduler: the ids given to held requests, which the watermark steps over. */
    public HeldIdRelay heldIdRelay()
    {
        return heldIdRelay;
    }

    /** @return the held queue's writer once concluded, or null without a journal. */
    public HeldJournal heldJournal()
    {
        return heldJournal;
    }

    /** @return what recovery found at start-up (nothing, with no journal). */
    public Recovered recovered()
    {
        return recovered;
    }

    public long nextMessageId()
    {
        return nextMessageId;
    }

    public AcceptedLog acceptedLog()
    {
        return null == acceptedJournal ? AcceptedLog.NONE : acceptedJournal;
    }

    public OutcomeLog outcomeLog()
    {
        return null != outcomeLog ? outcomeLog : null == outcomeJournal ? OutcomeLog.NONE : outcomeJournal;
    }

    /**
     * Have the scheduler record its dispatches and completions here instead of in the journal: a cluster node
     * replicates its dispatches, and its journal is written from the committed log.
     *
     * @param outcomeLog where the scheduler records, on its thread.
     * @return this.
     */
    public EngineContext outcomeLog(final OutcomeLog outcomeLog)
    {
        this.outcomeLog = outcomeLog;
        return this;
    }

    /**
     * @return both journals' touchers, which the admission agent and the scheduler run in their idle duty cycles (the
     * accepted journal's first, it is written per message), or {@link PageToucher#NONE} without a journal.
     */
    public PageToucher journalToucher()
    {
        if (null == acceptedJournal || null == outcomeJournal)
        {
            return PageToucher.NONE;
        }
        return PageToucher.of(acceptedJournal.toucher(), outcomeJournal.toucher());
    }

    /** @return the accepted journal once concluded, or null when the engine runs without a journal. */
    public AcceptedJournal acceptedJournal()
    {
        return acceptedJournal;
    }

    /** @return the outcome journal once concluded, or null when the engine runs without a journal. */
    public OutcomeJournal outcomeJournal()
    {
        return outcomeJournal;
    }

    public ReplayFeeder replayFeeder()
    {
        return replayFeeder;
    }

    /**
     * @return how long recovery took: the scan, the first replayed level-1 dispatch, the backlog queued (never
     * reached without a journal of its own).
     */
    public RecoveryMilestones recoveryMilestones()
    {
        return recoveryMilestones;
    }
}
