package io.otaprio.engine;

import io.otaprio.config.ConfigNode;
import io.otaprio.config.HostPort;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.dispatch.SimulatedDsp;
import io.otaprio.gateway.GatewayConfig;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalSync;
import io.otaprio.policy.PriorityPolicy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The engine's configuration file ({@code conf/otaprio.yaml}): ring sizes, payload limit, scheduler idle
 * strategy, policy file and the simulated DSP. Every value is checked when the file is read, and a bad one is
 * reported with file, line, entry and the rule it broke; the engine refuses to start on any of them.
 * <pre>
 * policy: priority-policy.yaml          # relative to this file, or "fifo"
 * rings: [8192, 8192, 32768, 131072]    # slots per level, powers of two
 * maxPayloadBytes: 512
 * scheduler:
 *   idle: busy-spin                     # busy-spin | noop | yielding | backoff | sleeping[:PERIOD]
 * dsp:
 *   slots: 32                           # K parallel slots: the scheduler's credit
 *   distribution: exponential           # or fixed
 *   meanServiceTime: 4ms
 *   seed: 1
 *   overrides:
 *     - { srv: "11.1", mean: 20ms }
 *     - { alert: 0x8F0F, mean: 1ms }
 * gateway:
 *   listen: 127.0.0.1:7400              # address:port of the TCP gateway
 *   maxConnections: 256
 *   maxFrameBytes: 4096                 # larger frames close the connection before the body is read
 *   outboundBufferBytes: 262144         # per connection; a reader that lets it fill is disconnected
 *   idleTimeout: 5m                     # close a connection silent this long and owed no Completed (0 = never)
 *   idle: backoff                       # the gateway thread's idle strategy
 * journal:
 *   dir: journal-data                   # relative to the working directory
 *   rollCycle: FAST_HOURLY              # Chronicle Queue roll cycle
 *   sync: none                          # none | async | sync
 *   retainCompletedCycles: 2            # fully completed old cycles kept before deletion
 *   checkpointInterval: 5s
 * </pre>
 */
public final class EngineConfig
{
    /** Slots of the simulated DSP when not configured. */
    public static final int DSP_SLOTS_DEFAULT = 32;

    /** Where the Prometheus endpoint listens when not configured: loopback only. */
    public static final String METRICS_LISTEN_DEFAULT = "127.0.0.1:9400";

    /** The metrics.listen value that turns the endpoint off. */
    public static final String METRICS_OFF = "off";

    /** RequestIDs remembered for resend detection when not configured: about 40 MB of index. */
    public static final int DEDUP_MAX_ENTRIES_DEFAULT = 524_288;

    /** Mean simulated service time when not configured. */
    public static final long DSP_MEAN_SERVICE_NS_DEFAULT = 4_000_000L;

    private static final Set<String> ROOT_KEYS = Set.of("policy", "rings", "maxPayloadBytes", "scheduler", "dsp",
        "journal", "gateway", "dedup", "metrics", "quota", "alerts");
    private static final Set<String> ALERTS_KEYS = Set.of("window", "maxPerWindow", "exclude");
    private static final Set<String> QUOTA_KEYS = Set.of("levels", "tokensPerSecond", "burst", "maxOriginators");
    private static final Set<String> METRICS_KEYS = Set.of("listen");
    private static final Set<String> DEDUP_KEYS = Set.of("window", "maxEntries");
    private static final Set<String> GATEWAY_KEYS = Set.of("listen", "maxConnections", "maxFrameBytes",
        "outboundBufferBytes", "idleTimeout", "idle");
    private static final Set<String> JOURNAL_KEYS = Set.of("dir", "rollCycle", "sync", "retainCompletedCycles",
        "checkpointInterval");
    private static final Set<String> SCHEDULER_KEYS = Set.of("idle", "dispatchTimeout");
    private static final Set<String> DSP_KEYS = Set.of("slots", "distribution", "meanServiceTime", "seed",
        "overrides");
    private static final Set<String> OVERRIDE_KEYS = Set.of("srv", "alert", "mean");

    private final String source;
    private final String policySpec;
    private final Path policyBase;
    private final int[] ringSizes;
    private final int maxPayloadBytes;
    private final String schedulerIdle;
    private final int dspSlots;
    private final ServiceTimes serviceTimes;
    private final long dspSeed;
    private final JournalSettings journal;
    private final GatewaySettings gateway;
    private final DedupSettings dedup;
    private final String metricsListen;
    private final QuotaSettings quota;
    private final AlertSettings alerts;
    private final long dispatchTimeoutNs;

    /**
     * The gateway section.
     *
     * @param host                bind address.
     * @param port                TCP port (0 = any free port).
     * @param maxConnections      connections served at once.
     * @param maxFrameBytes       largest frame accepted.
     * @param outboundBufferBytes per-connection buffer of unsent responses.
     * @param idleTimeoutNs       a connection silent this long and owed nothing is closed; 0 = never.
     * @param idle                the gateway thread's idle strategy name.
     */
    public record GatewaySettings(
        String host,
        int port,
        int maxConnections,
        int maxFrameBytes,
        int outboundBufferBytes,
        long idleTimeoutNs,
        String idle)
    {
    }

    /**
     * The alerts section: alert-storm throttling (off unless maxPerWindow > 0).
     *
     * @param windowNs     the window identical alerts are counted over.
     * @param maxPerWindow identical alerts (same device and code) let through per window; 0 = off.
     * @param exclude      alert codes never throttled, besides those the policy puts at level 1.
     */
    public record AlertSettings(long windowNs, int maxPerWindow, int[] exclude)
    {
    }

    /**
     * The quota section: per-originator rate limit of the top levels (off unless tokensPerSecond > 0).
     *
     * @param levels          1 or 2: levels 1..this are limited.
     * @param tokensPerSecond sustained messages per second per originator at those levels; 0 = off.
     * @param burst           messages at once after a quiet period.
     * @param maxOriginators  originators tracked.
     */
    public record QuotaSettings(int levels, long tokensPerSecond, long burst, int maxOriginators)
    {
    }

    /**
     * The dedup section: resend detection of {@code ./otaprio engine}.
     *
     * @param windowNs   how long a completed request's RequestID is remembered.
     * @param maxEntries most RequestIDs remembered at once (pending and completed); 0 turns resend detection off.
     */
    public record DedupSettings(long windowNs, int maxEntries)
    {
    }

    /**
     * The journal section.
     *
     * @param dir                   journal directory, or null when not configured.
     * @param rollCycle             Chronicle roll cycle name.
     * @param sync                  sync policy.
     * @param retainCompletedCycles fully completed cycles kept.
     * @param checkpointIntervalNs  how often the watermark is checkpointed.
     */
    public record JournalSettings(
        String dir, String rollCycle, JournalSync sync, int retainCompletedCycles, long checkpointIntervalNs)
    {
        /**
         * @param directory where the journal lives.
         * @return the journal configuration for it.
         */
        public JournalConfig configFor(final Path directory)
        {
            return new JournalConfig(directory).rollCycle(rollCycle).sync(sync)
                .retainCompletedCycles(retainCompletedCycles);
        }
    }

    private EngineConfig(
        final String source,
        final String policySpec,
        final Path policyBase,
        final int[] ringSizes,
        final int maxPayloadBytes,
        final String schedulerIdle,
        final long dispatchTimeoutNs,
        final int dspSlots,
        final ServiceTimes serviceTimes,
        final long dspSeed,
        final JournalSettings journal,
        final GatewaySettings gateway,
        final DedupSettings dedup,
        final String metricsListen,
        final QuotaSettings quota,
        final AlertSettings alerts)
    {
        this.dispatchTimeoutNs = dispatchTimeoutNs;
        this.alerts = alerts;
        this.quota = quota;
        this.metricsListen = metricsListen;
        this.journal = journal;
        this.dedup = dedup;
        this.gateway = gateway;
        this.source = source;
        this.policySpec = policySpec;
        this.policyBase = policyBase;
        this.ringSizes = ringSizes;
        this.maxPayloadBytes = maxPayloadBytes;
        this.schedulerIdle = schedulerIdle;
        this.dspSlots = dspSlots;
        this.serviceTimes = serviceTimes;
        this.dspSeed = dspSeed;
    }

    /**
     * @param file the configuration file.
     * @return the validated configuration.
     * @throws ConfigException on the first problem, naming file, line, entry and rule.
     */
    public static EngineConfig load(final Path file)
    {
        final ConfigNode root = ConfigNode.load(file);
        final Path base = file.toAbsolutePath().getParent();
        return read(root, base);
    }

    /**
     * @param yaml   configuration text.
     * @param source name used in errors.
     * @param base   directory a relative policy path is resolved against.
     * @return the validated configuration.
     */
    public static EngineConfig parse(final String yaml, final String source, final Path base)
    {
        return read(ConfigNode.parse(yaml, source), base);
    }

    private static EngineConfig read(final ConfigNode root, final Path base)
    {
        root.rejectUnknownKeys(ROOT_KEYS);

        final String policy = root.string("policy", "priority-policy.yaml");

        final int[] rings = EngineContext.RING_SIZES_DEFAULT.clone();
        final ConfigNode ringsNode = root.optionalChild("rings");
        if (null != ringsNode)
        {
            final var elements = ringsNode.elements();
            if (elements.size() != PriorityPolicy.LEVELS)
            {
                throw ringsNode.error("expected " + PriorityPolicy.LEVELS + " ring sizes, one per level, got " +
                    elements.size());
            }
            for (int i = 0; i < rings.length; i++)
            {
                final ConfigNode element = elements.get(i);
                rings[i] = element.asInt(2, 1 << 30);
                if (Integer.bitCount(rings[i]) != 1)
                {
                    throw element.error("ring size must be a power of two");
                }
            }
        }

        final int maxPayloadBytes = root.intValue("maxPayloadBytes", EngineContext.MAX_PAYLOAD_BYTES_DEFAULT, 0,
            EngineContext.MAX_PAYLOAD_BYTES_LIMIT);

        String idle = "busy-spin";
        long dispatchTimeoutNs = 0;
        final ConfigNode scheduler = root.optionalChild("scheduler");
        if (null != scheduler)
        {
            scheduler.rejectUnknownKeys(SCHEDULER_KEYS);
            idle = scheduler.string("idle", idle);
            checkIdle(scheduler.optionalChild("idle"), idle);
            dispatchTimeoutNs = scheduler.durationNs("dispatchTimeout", 0, 0, TimeUnit.DAYS.toNanos(7));
        }

        int slots = DSP_SLOTS_DEFAULT;
        long seed = 1;
        ServiceTimes serviceTimes = ServiceTimes.builder(DSP_MEAN_SERVICE_NS_DEFAULT,
            ServiceTimes.Distribution.EXPONENTIAL).build();
        final ConfigNode dsp = root.optionalChild("dsp");
        if (null != dsp)
        {
            dsp.rejectUnknownKeys(DSP_KEYS);
            slots = dsp.intValue("slots", DSP_SLOTS_DEFAULT, 1, 1 << 20);
            seed = dsp.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
            final String distributionText = dsp.string("distribution", "exponential");
            final ServiceTimes.Distribution distribution;
            try
            {
                distribution = ServiceTimes.Distribution.valueOf(distributionText.toUpperCase(Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw dsp.child("distribution").error("expected one of " +
                    Arrays.toString(ServiceTimes.Distribution.values()).toLowerCase(Locale.ROOT));
            }
            final long meanNs = dsp.durationNs("meanServiceTime", DSP_MEAN_SERVICE_NS_DEFAULT, 1, 3_600_000_000_000L);
            final ServiceTimes.Builder builder = ServiceTimes.builder(meanNs, distribution);
            final ConfigNode overrides = dsp.optionalChild("overrides");
            if (null != overrides)
            {
                for (final ConfigNode override : overrides.elements())
                {
                    override.rejectUnknownKeys(OVERRIDE_KEYS);
                    final long overrideNs = override.child("mean").asDurationNs(1, 3_600_000_000_000L);
                    try
                    {
                        if (override.has("srv") == override.has("alert"))
                        {
                            throw override.error("give exactly one of srv or alert");
                        }
                        if (override.has("srv"))
                        {
                            builder.srv(override.child("srv").asString(), overrideNs);
                        }
                        else
                        {
                            builder.alert(override.child("alert").asInt(0, 0xFFFF), overrideNs);
                        }
                    }
                    catch (final IllegalArgumentException ex)
                    {
                        throw override.error(ex.getMessage());
                    }
                }
            }
            serviceTimes = builder.build();
        }

        final JournalSettings journal = readJournal(root.optionalChild("journal"));
        final GatewaySettings gateway = readGateway(root.optionalChild("gateway"));
        final DedupSettings dedup = readDedup(root.optionalChild("dedup"));
        final String metricsListen = readMetricsListen(root.optionalChild("metrics"));
        final QuotaSettings quota = readQuota(root.optionalChild("quota"));
        final AlertSettings alerts = readAlerts(root.optionalChild("alerts"));
        return new EngineConfig(root.source(), policy, base, rings, maxPayloadBytes, idle, dispatchTimeoutNs, slots,
            serviceTimes, seed, journal, gateway, dedup, metricsListen, quota, alerts);
    }

    private static AlertSettings readAlerts(final ConfigNode node)
    {
        if (null == node)
        {
            return new AlertSettings(60_000_000_000L, 0, new int[0]);
        }
        node.rejectUnknownKeys(ALERTS_KEYS);
        final long windowNs = node.durationNs("window", 60_000_000_000L, 1_000_000L, TimeUnit.DAYS.toNanos(1));
        final int maxPerWindow = node.intValue("maxPerWindow", 0, 0, 1_000_000);
        int[] exclude = new int[0];
        final ConfigNode list = node.optionalChild("exclude");
        if (null != list)
        {
            final List<ConfigNode> codes = list.elements();
            exclude = new int[codes.size()];
            for (int i = 0; i < exclude.length; i++)
            {
                exclude[i] = (int)codes.get(i).asLong(0, 0xFFFF);
            }
        }
        return new AlertSettings(windowNs, maxPerWindow, exclude);
    }

    private static QuotaSettings readQuota(final ConfigNode node)
    {
        final QuotaSettings off = new QuotaSettings(2, 0, 1, 65_536);
        if (null == node)
        {
            return off;
        }
        node.rejectUnknownKeys(QUOTA_KEYS);
        final int levels = node.intValue("levels", off.levels(), 1, 2);
        final long tokensPerSecond = node.intValue("tokensPerSecond", 0, 0, 1_000_000_000);
        final long burst = node.intValue("burst", (int)Math.max(1, tokensPerSecond), 1, 1_000_000_000);
        return new QuotaSettings(levels, tokensPerSecond, burst,
            node.intValue("maxOriginators", off.maxOriginators(), 1, 1 << 26));
    }

    private static String readMetricsListen(final ConfigNode node)
    {
        if (null == node)
        {
            return METRICS_LISTEN_DEFAULT;
        }
        node.rejectUnknownKeys(METRICS_KEYS);
        final ConfigNode listen = node.optionalChild("listen");
        if (null == listen)
        {
            return METRICS_LISTEN_DEFAULT;
        }
        final String value = listen.asString();
        if (!METRICS_OFF.equals(value))
        {
            try
            {
                HostPort.parse(value, 0);
            }
            catch (final IllegalArgumentException ex)
            {
                throw listen.error(ex.getMessage() + " (or \"off\")");
            }
        }
        return value;
    }

    private static DedupSettings readDedup(final ConfigNode node)
    {
        final DedupSettings defaults =
            new DedupSettings(EngineContext.DEDUP_WINDOW_NS_DEFAULT, DEDUP_MAX_ENTRIES_DEFAULT);
        if (null == node)
        {
            return defaults;
        }
        node.rejectUnknownKeys(DEDUP_KEYS);
        return new DedupSettings(
            node.durationNs("window", defaults.windowNs(), 0, TimeUnit.DAYS.toNanos(1)),
            node.intValue("maxEntries", defaults.maxEntries(), 0, 1 << 28));
    }

    private static GatewaySettings readGateway(final ConfigNode node)
    {
        final GatewaySettings defaults = new GatewaySettings("127.0.0.1", 7400, 256, 4096, 256 * 1024,
            GatewayConfig.IDLE_TIMEOUT_NS_DEFAULT, "backoff");
        if (null == node)
        {
            return defaults;
        }
        node.rejectUnknownKeys(GATEWAY_KEYS);
        String host = defaults.host();
        int port = defaults.port();
        final ConfigNode listen = node.optionalChild("listen");
        if (null != listen)
        {
            try
            {
                final HostPort endpoint = HostPort.parse(listen.asString(), 0);
                host = endpoint.host();
                port = endpoint.port();
            }
            catch (final IllegalArgumentException ex)
            {
                throw listen.error(ex.getMessage());
            }
        }
        final String idle = node.string("idle", defaults.idle());
        checkIdle(node.optionalChild("idle"), idle);
        return new GatewaySettings(host, port,
            node.intValue("maxConnections", defaults.maxConnections(), 1, 65_536),
            node.intValue("maxFrameBytes", defaults.maxFrameBytes(), 64, 16 * 1024 * 1024),
            node.intValue("outboundBufferBytes", defaults.outboundBufferBytes(), 1024, 64 * 1024 * 1024),
            node.durationNs("idleTimeout", defaults.idleTimeoutNs(), 0, TimeUnit.DAYS.toNanos(7)),
            idle);
    }

    private static JournalSettings readJournal(final ConfigNode node)
    {
        if (null == node)
        {
            return new JournalSettings(null, JournalConfig.ROLL_CYCLE_DEFAULT, JournalSync.NONE,
                JournalConfig.RETAIN_COMPLETED_CYCLES_DEFAULT, EngineContext.CHECKPOINT_INTERVAL_NS_DEFAULT);
        }
        node.rejectUnknownKeys(JOURNAL_KEYS);
        final String dir = node.string("dir", null);
        final String rollCycle = node.string("rollCycle", JournalConfig.ROLL_CYCLE_DEFAULT);
        final String syncText = node.string("sync", "none");
        final JournalSync sync;
        try
        {
            sync = JournalSync.valueOf(syncText.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.child("sync").error("expected one of none, async, sync");
        }
        try
        {
            new JournalConfig(Path.of(".")).rollCycle(rollCycle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.child("rollCycle").error(ex.getMessage());
        }
        final int retain = node.intValue("retainCompletedCycles", JournalConfig.RETAIN_COMPLETED_CYCLES_DEFAULT, 0,
            1_000_000);
        final long checkpointNs = node.durationNs("checkpointInterval", EngineContext.CHECKPOINT_INTERVAL_NS_DEFAULT,
            1_000_000L, 3_600_000_000_000L);
        return new JournalSettings(dir, rollCycle, sync, retain, checkpointNs);
    }

    private static void checkIdle(final ConfigNode node, final String idle)
    {
        try
        {
            IdleStrategySpec.parse(idle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw null == node ? new IllegalArgumentException(ex.getMessage()) : node.error(ex.getMessage());
        }
    }

    /** @return the file this came from. */
    public String source()
    {
        return source;
    }

    /**
     * @param override a policy given on the command line ({@code fifo} or a path), or null to use the file's.
     * @return the loaded policy.
     */
    public PriorityPolicy loadPolicy(final String override)
    {
        final Path shippedDefault = policyBase.resolve("priority-policy.yaml");
        if (null != override)
        {
            // Command-line paths are relative to the working directory, like any other argument.
            return PriorityPolicy.fromSpec(override, shippedDefault);
        }
        if (PriorityPolicy.FIFO.equals(policySpec))
        {
            return PriorityPolicy.fromSpec(policySpec, shippedDefault);
        }
        return PriorityPolicy.load(policyBase.resolve(policySpec));
    }

    /** @return metrics.listen: HOST:PORT of the Prometheus endpoint, or {@link #METRICS_OFF}. */
    public String metricsListen()
    {
        return metricsListen;
    }

    /** @return scheduler.dispatchTimeout in ns, 0 = never. */
    public long dispatchTimeoutNs()
    {
        return dispatchTimeoutNs;
    }

    /** @return the alerts section. */
    public AlertSettings alerts()
    {
        return alerts;
    }

    /** @return the quota section. */
    public QuotaSettings quota()
    {
        return quota;
    }

    /** @return the dedup section. */
    public DedupSettings dedup()
    {
        return dedup;
    }

    /** @return the gateway section. */
    public GatewaySettings gateway()
    {
        return gateway;
    }

    /** @return the journal section. */
    public JournalSettings journal()
    {
        return journal;
    }

    /** @return slots per level. */
    public int[] ringSizes()
    {
        return ringSizes.clone();
    }

    /** @return the payload limit. */
    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /** @return the scheduler idle strategy name. */
    public String schedulerIdle()
    {
        return schedulerIdle;
    }

    /** @return K of the simulated DSP. */
    public int dspSlots()
    {
        return dspSlots;
    }

    /** @return seed of the simulated DSP's service-time random source. */
    public long dspSeed()
    {
        return dspSeed;
    }

    /** @return the simulated DSP's service times. */
    public ServiceTimes serviceTimes()
    {
        return serviceTimes;
    }

    /** @return a new simulated DSP as configured. */
    public SimulatedDsp newSimulatedDsp()
    {
        return new SimulatedDsp(dspSlots, serviceTimes, dspSeed);
    }

    /**
     * @param policy     classification.
     * @param idleOverride idle strategy name from the command line, or null for the file's.
     * @return a context with everything but the dispatcher, clock and listener set from this file.
     */
    public EngineContext newContext(final PriorityPolicy policy, final String idleOverride)
    {
        return new EngineContext()
            .policy(policy)
            .ringSizes(ringSizes)
            .maxPayloadBytes(maxPayloadBytes)
            .checkpointIntervalNs(journal.checkpointIntervalNs())
            .quota(quota.levels(), quota.tokensPerSecond(), quota.burst(), quota.maxOriginators())
            .alertThrottle(alerts.windowNs(), alerts.maxPerWindow(), alerts.exclude())
            .dispatchTimeoutNs(dispatchTimeoutNs)
            .schedulerIdleStrategy(IdleStrategySpec.parse(null != idleOverride ? idleOverride : schedulerIdle));
    }
}
