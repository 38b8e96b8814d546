package io.otaprio.engine;

import io.otaprio.admission.TokenBucketAlertGuard;
import io.otaprio.config.ConfigNode;
import io.otaprio.config.HostPort;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.journal.JournalConfig;
import io.otaprio.journal.JournalSync;
import io.otaprio.policy.PolicyFile;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.ring.PayloadStore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Reads the engine's configuration file ({@code conf/otaprio.yaml}) onto an {@link EngineContext}: what the file says
 * replaces the context's default ({@link Configuration}), what it leaves out keeps it. Every value is checked as it is
 * read, and a bad one is reported with file, line, entry and the rule it broke; unknown and duplicate keys are refused.
 * The policy file the configuration names is loaded too, relative to the configuration file.
 * <pre>
 * policy: priority-policy.yaml          # relative to this file, or "fifo"
 * rings: [8192, 8192, 32768, 131072]    # slots per level, powers of two
 * maxPayloadBytes: 65536                # at most 64 KiB; a TCP Submit carries at most 65534
 * inlinePayloadBytes: 512               # held in the ring slot itself; larger payloads in the lane's store
 * payloadStore: [16777216, 16777216, 67108864, 268435456]   # bytes per level; default 2 KiB per ring slot
 * threading: dedicated                  # dedicated | shared (one thread for every agent)
 * scheduler:
 *   idle: busy-spin                     # busy-spin | noop | yielding | backoff | sleeping[:PERIOD]
 *   dispatchTimeout: 5m                 # 0 = never
 * dsp:
 *   slots: 32
 *   distribution: exponential
 *   meanServiceTime: 4ms
 *   seed: 1
 *   overrides: [{ srv: "11.1", mean: 20ms }]
 *   reserved: { slots: 4, levels: 2 }   # slots of the K only levels 1..levels may take, fewer than dsp.slots
 * gateway:
 *   listen: 127.0.0.1:7400              # or "off"
 *   maxConnections: 256
 *   maxFrameBytes: 65580                # a Submit of 65534 payload bytes
 *   outboundBufferBytes: 262144
 *   idleTimeout: 5m                     # 0 = never
 *   idle: backoff                       # the admission thread's idle strategy (dedicated threading)
 * shared: { idle: backoff }             # the one thread's idle strategy (shared threading)
 * dedup: { window: 60s, maxEntries: 524288 }
 * quota: { levels: 2, tokensPerSecond: 0, burst: 100, maxOriginators: 65536 }
 * alerts:
 *   window: 60s
 *   maxPerWindow: 5
 *   exclude: []
 *   guard: { perSecond: 100, burst: 1000, demoteTo: 3, maxCodes: 1024 }   # level-1 alerts per code; perSecond 0 = off
 * metrics: { listen: 127.0.0.1:9400 }   # or "off"; each listener's section may say insecure: true to bind beyond
 *                                       # loopback without TLS (refused otherwise)
 * admin: { listen: 127.0.0.1:9401 }     # POST /policy/reload; or "off" (the default when the section is left out)
 * duis: { listen: 127.0.0.1:7401, maxConnections: 64, idleTimeout: 60s, idle: backoff }   # POST /duis; or "off"
 * journal: { dir: journal-data, rollCycle: FAST_HOURLY, sync: none, retainCompletedCycles: 2, checkpointInterval: 5s }
 * tls: { keyStore: { certificate: server.pem, key: server.key }, trustStore: ca.pem }   # mutual TLS 1.3: TlsSection
 * clients: [{ name: alice, subject: "CN=alice", originators: ["90B3D51F30010000"] }]
 * </pre>
 * Other modules may read sections of their own from the same file ({@link #read(Path, Map)}): a cluster node's
 * {@code cluster:}.
 * Threading: start-up only.
 */
public final class ConfigurationFile
{
    private static final Set<String> ROOT_KEYS = Set.of("policy", "rings", "maxPayloadBytes", "inlinePayloadBytes",
        "payloadStore", "threading", "scheduler", "shared", "dsp", "journal", "gateway", "dedup", "metrics", "quota",
        "alerts", "duis", "admin", "tls", "clients");
    private static final Set<String> DUIS_KEYS = Set.of("listen", "insecure", "maxConnections", "idleTimeout", "idle");
    private static final Set<String> ALERTS_KEYS = Set.of("window", "maxPerWindow", "exclude", "guard");
    private static final Set<String> ALERT_GUARD_KEYS = Set.of("perSecond", "burst", "demoteTo", "maxCodes");
    private static final Set<String> QUOTA_KEYS = Set.of("levels", "tokensPerSecond", "burst", "maxOriginators");
    private static final Set<String> LISTEN_KEYS = Set.of("listen", "insecure");
    private static final Set<String> DEDUP_KEYS = Set.of("window", "maxEntries");
    private static final Set<String> GATEWAY_KEYS = Set.of("listen", "insecure", "maxConnections", "maxFrameBytes",
        "outboundBufferBytes", "idleTimeout", "idle");
    private static final Set<String> JOURNAL_KEYS = Set.of("dir", "rollCycle", "sync", "retainCompletedCycles",
        "checkpointInterval");
    private static final Set<String> SCHEDULER_KEYS = Set.of("idle", "dispatchTimeout");
    private static final Set<String> SHARED_KEYS = Set.of("idle");
    private static final Set<String> DSP_KEYS = Set.of("slots", "distribution", "meanServiceTime", "seed",
        "overrides", "reserved");
    private static final Set<String> RESERVED_KEYS = Set.of("slots", "levels");
    private static final Set<String> OVERRIDE_KEYS = Set.of("srv", "alert", "mean");

    private ConfigurationFile()
    {
    }

    /**
     * @param file the configuration file.
     * @return a new context with the file's settings and its policy.
     * @throws io.otaprio.config.ConfigException on the first problem, naming file, line, entry and rule.
     */
    public static EngineContext read(final Path file)
    {
        return read(file, Map.of());
    }

    /**
     * Where a running engine's admin endpoint listens, read without loading the policy the file names: the client
     * that asks an engine to reload a policy must work while that file is being fixed.
     *
     * @param file the configuration file.
     * @return its {@code admin.listen}, or {@link Configuration#OFF} when it has none.
     * @throws io.otaprio.config.ConfigException when the file cannot be read or the address is malformed.
     */
    public static String adminListen(final Path file)
    {
        final ConfigNode admin = ConfigNode.load(file).optionalChild("admin");
        final String[] listen = { Configuration.OFF };
        if (null != admin)
        {
            admin.rejectUnknownKeys(LISTEN_KEYS);
            listen(admin, value -> listen[0] = value);
        }
        return listen[0];
    }

    /**
     * A file that may also hold sections another module reads (a cluster node's {@code cluster:}).
     *
     * @param file     the configuration file.
     * @param sections readers of the extra top-level sections it may hold, by key; each is called only when its
     *                 section is present.
     * @return a new context with the file's settings and its policy.
     * @throws io.otaprio.config.ConfigException on the first problem, naming file, line, entry and rule.
     */
    public static EngineContext read(final Path file, final Map<String, Consumer<ConfigNode>> sections)
    {
        final ConfigNode root = ConfigNode.load(file);
        final Set<String> keys = new HashSet<>(ROOT_KEYS);
        keys.addAll(sections.keySet());
        root.rejectUnknownKeys(keys);
        // Relative to the file as the user named it, so that a policy's rules are traced (policy show) and its errors
        // reported under a path as short as the one given.
        final Path base = null == file.getParent() ? Path.of("") : file.getParent();
        final EngineContext ctx = read(root, base, new EngineContext(), keys);
        for (final Map.Entry<String, Consumer<ConfigNode>> section : sections.entrySet())
        {
            final ConfigNode node = root.optionalChild(section.getKey());
            if (null != node)
            {
                section.getValue().accept(node);
            }
        }
        return ctx;
    }

    /**
     * @param yaml   configuration text.
     * @param source name used in errors.
     * @param base   directory a relative policy path is resolved against.
     * @return a new context with the text's settings and its policy.
     */
    public static EngineContext parse(final String yaml, final String source, final Path base)
    {
        return read(ConfigNode.parse(yaml, source), base, new EngineContext(), ROOT_KEYS);
    }

    /**
     * A policy given on the command line instead of the file's.
     *
     * @param spec       {@value PriorityPolicy#FIFO}, or a policy file (relative to the working directory, like any
     *                   other argument).
     * @param configFile the configuration file; fifo keeps the classes of the default policy next to it.
     * @return the policy.
     */
    public static PolicyFile policyOverride(final String spec, final Path configFile)
    {
        return PolicyFile.fromSpec(spec,
            configFile.toAbsolutePath().getParent().resolve(Configuration.POLICY_FILE_DEFAULT));
    }

    private static EngineContext read(
        final ConfigNode root,
        final Path base,
        final EngineContext ctx,
        final Set<String> rootKeys)
    {
        root.rejectUnknownKeys(rootKeys);

        final ConfigNode policyNode = root.optionalChild("policy");
        final String policy = null == policyNode ? Configuration.POLICY_FILE_DEFAULT : policyNode.asString();

        final ConfigNode ringsNode = root.optionalChild("rings");
        if (null != ringsNode)
        {
            final List<ConfigNode> elements = ringsNode.elements();
            if (elements.size() != PriorityPolicy.LEVELS)
            {
                throw ringsNode.error("expected " + PriorityPolicy.LEVELS + " ring sizes, one per level, got " +
                    elements.size());
            }
            final int[] rings = new int[PriorityPolicy.LEVELS];
            for (int i = 0; i < rings.length; i++)
            {
                final ConfigNode element = elements.get(i);
                rings[i] = element.asInt(2, 1 << 30);
                if (Integer.bitCount(rings[i]) != 1)
                {
                    throw element.error("ring size must be a power of two");
                }
            }
            ctx.ringSizes(rings);
        }

        ctx.maxPayloadBytes(root.intValue("maxPayloadBytes", Configuration.MAX_PAYLOAD_BYTES_DEFAULT, 0,
            Configuration.MAX_PAYLOAD_BYTES_LIMIT));
        ctx.inlinePayloadBytes(root.intValue("inlinePayloadBytes", Configuration.INLINE_PAYLOAD_BYTES_DEFAULT, 0,
            Configuration.MAX_PAYLOAD_BYTES_LIMIT));
        final ConfigNode storeNode = root.optionalChild("payloadStore");
        if (null != storeNode)
        {
            final List<ConfigNode> elements = storeNode.elements();
            if (elements.size() != PriorityPolicy.LEVELS)
            {
                throw storeNode.error("expected " + PriorityPolicy.LEVELS + " payload store sizes in bytes, one per " +
                    "level, got " + elements.size());
            }
            final int[] stores = new int[PriorityPolicy.LEVELS];
            for (int i = 0; i < stores.length; i++)
            {
                final ConfigNode element = elements.get(i);
                stores[i] = element.asInt(0, Configuration.PAYLOAD_STORE_BYTES_LIMIT);
                if ((stores[i] & (PayloadStore.ALIGNMENT - 1)) != 0)
                {
                    throw element.error("payload store size must be a multiple of " + PayloadStore.ALIGNMENT);
                }
            }
            ctx.payloadStoreBytes(stores);
        }

        final ConfigNode threading = root.optionalChild("threading");
        if (null != threading)
        {
            ctx.threadingMode(threadingMode(threading));
        }

        section(root, "scheduler", SCHEDULER_KEYS, scheduler -> ctx
            .schedulerIdleStrategy(idle(scheduler, Configuration.SCHEDULER_IDLE_DEFAULT))
            .dispatchTimeoutNs(scheduler.durationNs("dispatchTimeout", Configuration.DISPATCH_TIMEOUT_NS_DEFAULT, 0,
                TimeUnit.DAYS.toNanos(7))));
        section(root, "shared", SHARED_KEYS,
            shared -> ctx.sharedIdleStrategy(idle(shared, Configuration.SHARED_IDLE_DEFAULT)));
        section(root, "dsp", DSP_KEYS, dsp -> readDsp(dsp, ctx));
        section(root, "journal", JOURNAL_KEYS, journal -> readJournal(journal, ctx));
        section(root, "gateway", GATEWAY_KEYS, gateway -> readGateway(gateway, ctx));
        section(root, "dedup", DEDUP_KEYS, dedup -> ctx.dedup(
            dedup.durationNs("window", Configuration.DEDUP_WINDOW_NS_DEFAULT, 0, TimeUnit.DAYS.toNanos(1)),
            dedup.intValue("maxEntries", Configuration.DEDUP_MAX_ENTRIES_DEFAULT, 0, 1 << 28)));
        section(root, "metrics", LISTEN_KEYS, metrics -> listen(metrics, ctx::metricsListen, Listener.METRICS, ctx));
        section(root, "admin", LISTEN_KEYS, admin -> listen(admin, ctx::adminListen, Listener.ADMIN, ctx));
        section(root, "duis", DUIS_KEYS, duis ->
        {
            listen(duis, ctx::duisListen, Listener.DUIS, ctx);
            ctx.duisMaxConnections(duis.intValue("maxConnections", Configuration.DUIS_MAX_CONNECTIONS_DEFAULT, 1,
                    65536))
                .duisIdleTimeoutNs(duis.durationNs("idleTimeout", Configuration.DUIS_IDLE_TIMEOUT_NS_DEFAULT, 1,
                    TimeUnit.DAYS.toNanos(1)))
                .duisIdleStrategy(idle(duis, Configuration.DUIS_IDLE_DEFAULT));
        });
        section(root, "quota", QUOTA_KEYS, quota -> readQuota(quota, ctx));
        section(root, "alerts", ALERTS_KEYS, alerts -> readAlerts(alerts, ctx));

        ctx.tls(TlsSection.read(root, base));

        // The policy is a file of its own: loaded once everything in this one has been checked.
        final Path defaultPolicy = base.resolve(Configuration.POLICY_FILE_DEFAULT);
        ctx.policyFile(PriorityPolicy.FIFO.equals(policy) ? PolicyFile.fromSpec(policy, defaultPolicy) :
            PolicyFile.load(base.resolve(policy)));
        return ctx;
    }

    private static ThreadingMode threadingMode(final ConfigNode node)
    {
        try
        {
            return ThreadingMode.forProcess("threading", node.asString());
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.error("expected dedicated or shared");
        }
    }

    /**
     * An optional section of the file: when it is absent the context keeps its defaults; when present its keys are
     * checked against those it may have, then it is read.
     */
    private static void section(
        final ConfigNode root, final String key, final Set<String> keys, final Consumer<ConfigNode> reader)
    {
        final ConfigNode section = root.optionalChild(key);
        if (null != section)
        {
            section.rejectUnknownKeys(keys);
            reader.accept(section);
        }
    }

    private static void readDsp(final ConfigNode dsp, final EngineContext ctx)
    {
        final int slots = dsp.intValue("slots", Configuration.DSP_SLOTS_DEFAULT, 1, 1 << 20);
        final long seed = dsp.longValue("seed", Configuration.DSP_SEED_DEFAULT, Long.MIN_VALUE, Long.MAX_VALUE);
        final String distributionText = dsp.string("distribution",
            Configuration.DSP_DISTRIBUTION_DEFAULT.name().toLowerCase(Locale.ROOT));
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
        final long meanNs = dsp.durationNs("meanServiceTime", Configuration.DSP_MEAN_SERVICE_NS_DEFAULT, 1,
            3_600_000_000_000L);
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
        ctx.simulatedDsp(slots, builder.build(), seed);
        section(dsp, "reserved", RESERVED_KEYS, reserved -> readReserved(reserved, slots, ctx));
    }

    private static void readReserved(final ConfigNode reserved, final int dspSlots, final EngineContext ctx)
    {
        final int levels = reserved.intValue("levels", Configuration.DSP_RESERVED_LEVELS_DEFAULT, 1,
            PriorityPolicy.LEVELS - 1);
        final ConfigNode slotsNode = reserved.optionalChild("slots");
        final int slots = null == slotsNode ? Configuration.DSP_RESERVED_SLOTS_DEFAULT : slotsNode.asInt(0, 1 << 20);
        if (slots >= dspSlots)
        {
            // At least one slot must stay open to every level, or the levels below would never be served.
            throw slotsNode.error("must be less than dsp.slots (" + dspSlots + "): the reserved slots are part of " +
                "the K, and levels " + (levels + 1) + " to " + PriorityPolicy.LEVELS + " need at least one");
        }
        ctx.reservedSlots(slots, levels);
    }

    private static void readAlerts(final ConfigNode node, final EngineContext ctx)
    {
        final long windowNs = node.durationNs("window", Configuration.ALERT_WINDOW_NS_DEFAULT, 1_000_000L,
            TimeUnit.DAYS.toNanos(1));
        final int maxPerWindow = node.intValue("maxPerWindow", Configuration.ALERT_MAX_PER_WINDOW_DEFAULT, 0,
            1_000_000);
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
        ctx.alertThrottle(windowNs, maxPerWindow, exclude);
        section(node, "guard", ALERT_GUARD_KEYS, guard -> ctx.alertGuard(
            guard.longValue("perSecond", Configuration.ALERT_GUARD_PER_SECOND_DEFAULT, 0, 1_000_000_000L),
            guard.longValue("burst", Configuration.ALERT_GUARD_BURST_DEFAULT, 1, 1_000_000_000L),
            guard.intValue("demoteTo", Configuration.ALERT_GUARD_DEMOTE_TO_DEFAULT, 2, PriorityPolicy.LEVELS),
            guard.intValue("maxCodes", Configuration.ALERT_GUARD_MAX_CODES_DEFAULT, 1,
                TokenBucketAlertGuard.MAX_CODES_LIMIT)));
    }

    private static void readQuota(final ConfigNode node, final EngineContext ctx)
    {
        final int levels = node.intValue("levels", Configuration.QUOTA_LEVELS_DEFAULT, 1, 2);
        final long tokensPerSecond = node.intValue("tokensPerSecond",
            (int)Configuration.QUOTA_TOKENS_PER_SECOND_DEFAULT, 0, 1_000_000_000);
        final ConfigNode burstNode = node.optionalChild("burst");
        final long burst = null == burstNode ? Configuration.QUOTA_BURST_DEFAULT : burstNode.asInt(1, 1_000_000_000);
        ctx.quota(levels, tokensPerSecond, burst,
            node.intValue("maxOriginators", Configuration.QUOTA_MAX_ORIGINATORS_DEFAULT, 1, 1 << 26));
    }

    private static void readGateway(final ConfigNode node, final EngineContext ctx)
    {
        listen(node, ctx::gatewayListen, Listener.GATEWAY, ctx);
        ctx.admissionIdleStrategy(idle(node, Configuration.ADMISSION_IDLE_DEFAULT))
            .maxConnections(node.intValue("maxConnections", Configuration.MAX_CONNECTIONS_DEFAULT, 1, 65_536))
            .maxFrameBytes(node.intValue("maxFrameBytes", Configuration.MAX_FRAME_BYTES_DEFAULT, 64,
                Configuration.MAX_FRAME_BYTES_LIMIT))
            .outboundBufferBytes(node.intValue("outboundBufferBytes", Configuration.OUTBOUND_BUFFER_BYTES_DEFAULT,
                1024, Configuration.BUFFER_BYTES_LIMIT))
            .gatewayIdleTimeoutNs(node.durationNs("idleTimeout", Configuration.GATEWAY_IDLE_TIMEOUT_NS_DEFAULT, 0,
                TimeUnit.DAYS.toNanos(7)));
    }

    private static void readJournal(final ConfigNode node, final EngineContext ctx)
    {
        final String dir = node.string("dir", Configuration.JOURNAL_DIR_DEFAULT);
        final String rollCycle = node.string("rollCycle", JournalConfig.ROLL_CYCLE_DEFAULT);
        final String syncText = node.string("sync", JournalConfig.SYNC_DEFAULT.name().toLowerCase(Locale.ROOT));
        final JournalSync sync;
        try
        {
            sync = JournalSync.valueOf(syncText.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.child("sync").error("expected one of none, async, sync");
        }
        JournalConfig journal = new JournalConfig(Path.of(dir));
        try
        {
            journal = journal.rollCycle(rollCycle);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.child("rollCycle").error(ex.getMessage());
        }
        ctx.journal(journal.sync(sync).retainCompletedCycles(node.intValue("retainCompletedCycles",
            JournalConfig.RETAIN_COMPLETED_CYCLES_DEFAULT, 0, 1_000_000))
            .checkpointIntervalNs(node.durationNs("checkpointInterval", JournalConfig.CHECKPOINT_INTERVAL_NS_DEFAULT,
                1_000_000L, 3_600_000_000_000L)));
    }

    /**
     * A listener's section: its {@code listen} and its optional {@code insecure: true|false}, which lets it bind
     * beyond loopback without TLS.
     */
    private static void listen(
        final ConfigNode section, final Consumer<String> setListen, final Listener listener, final EngineContext ctx)
    {
        listen(section, setListen);
        final ConfigNode insecure = section.optionalChild("insecure");
        if (null != insecure)
        {
            ctx.insecure(listener, insecure.asBoolean());
        }
    }

    /**
     * A section's optional {@code listen: HOST:PORT} (port 0 for any free one), or {@code off}: checked, then set.
     */
    private static void listen(final ConfigNode section, final Consumer<String> setListen)
    {
        final ConfigNode listen = section.optionalChild("listen");
        if (null == listen)
        {
            return;
        }
        final String value = listen.asString();
        if (!Configuration.OFF.equals(value))
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
        setListen.accept(value);
    }

    private static org.agrona.concurrent.IdleStrategy idle(final ConfigNode section, final String defaultSpec)
    {
        final ConfigNode node = section.optionalChild("idle");
        final String spec = null == node ? defaultSpec : node.asString();
        try
        {
            return IdleStrategySpec.parse(spec);
        }
        catch (final IllegalArgumentException ex)
        {
            throw null == node ? new IllegalArgumentException(ex.getMessage()) : node.error(ex.getMessage());
        }
    }
}
