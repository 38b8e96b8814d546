package io.otaprio.engine;

import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.journal.JournalConfig;
import io.otaprio.protocol.Framing;

import java.util.concurrent.TimeUnit;

/**
 * Every default of the engine, in one place: {@link EngineContext} starts from these, {@link ConfigurationFile} falls
 * back on them for whatever {@code conf/otaprio.yaml} leaves out, and help texts quote them. The journal's own defaults
 * (roll cycle, sync, retention) are {@link JournalConfig}'s, since the journal module owns them.
 */
public final class Configuration
{
    /** The value that turns a listener (gateway, metrics) off. */
    public static final String OFF = "off";

    /** Slots of the level-1 lane: level 1 is a few percent of traffic and is drained first. */
    public static final int RING_SIZE_LEVEL_1_DEFAULT = 8192;

    /** Slots of the level-2 lane. */
    public static final int RING_SIZE_LEVEL_2_DEFAULT = 8192;

    /** Slots of the level-3 lane. */
    public static final int RING_SIZE_LEVEL_3_DEFAULT = 32768;

    /** Slots of the level-4 lane: it holds the routine backlog of an overload. */
    public static final int RING_SIZE_LEVEL_4_DEFAULT = 131072;

    /** Largest payload admitted: 64 KiB, above the largest DUIS request (about 27 KB). */
    public static final int MAX_PAYLOAD_BYTES_DEFAULT = 64 * 1024;

    /** Hard upper bound on a configured payload size. */
    public static final int MAX_PAYLOAD_BYTES_LIMIT = 64 * 1024;

    /**
     * Payload bytes every ring slot holds in its own buffer (64 + this per slot, preallocated for every slot); a
     * larger payload is held in its lane's payload store. 512 keeps the default rings at about 104 MB and every alert,
     * response and small request inline.
     */
    public static final int INLINE_PAYLOAD_BYTES_DEFAULT = 512;

    /** A lane's payload store, unless configured: this many bytes per slot of its ring (16 MiB for 8192 slots). */
    public static final int PAYLOAD_STORE_BYTES_PER_SLOT_DEFAULT = 2048;

    /** Upper bound on one lane's payload store (it is one array). */
    public static final int PAYLOAD_STORE_BYTES_LIMIT = 1 << 30;

    /** The policy file a configuration names when it names none, next to it. */
    public static final String POLICY_FILE_DEFAULT = "priority-policy.yaml";

    /** Threads for the agents. */
    public static final ThreadingMode THREADING_MODE_DEFAULT = ThreadingMode.DEDICATED;

    /** The scheduler thread's idle strategy (DEDICATED): lowest latency, owns a core. */
    public static final String SCHEDULER_IDLE_DEFAULT = "busy-spin";

    /** The admission thread's idle strategy (DEDICATED): gives its core back, the scheduler spins the other. */
    public static final String ADMISSION_IDLE_DEFAULT = "backoff";

    /** The shared thread's idle strategy (SHARED). */
    public static final String SHARED_IDLE_DEFAULT = "backoff";

    /** A dispatched message with no completion after this long is completed as timed out; 0 never. */
    public static final long DISPATCH_TIMEOUT_NS_DEFAULT = 0;

    /** Where the engine process journals, relative to the working directory. */
    public static final String JOURNAL_DIR_DEFAULT = "journal-data";

    /** Slots K of the simulated DSP: the scheduler's credit. */
    public static final int DSP_SLOTS_DEFAULT = 32;

    /** Mean simulated service time. */
    public static final long DSP_MEAN_SERVICE_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(4);

    /** Shape of the simulated service time around its mean. */
    public static final ServiceTimes.Distribution DSP_DISTRIBUTION_DEFAULT = ServiceTimes.Distribution.EXPONENTIAL;

    /** Seed of the simulated DSP's service times, for reproducible runs. */
    public static final long DSP_SEED_DEFAULT = 1;

    /**
     * Slots of the K that only the top levels may take (the protected fast lane): none unless configured, so an
     * embedding application keeps every slot for every level; the shipped file reserves some.
     */
    public static final int DSP_RESERVED_SLOTS_DEFAULT = 0;

    /** Levels 1..this may take the reserved slots. */
    public static final int DSP_RESERVED_LEVELS_DEFAULT = 2;

    /** Where the TCP gateway listens: loopback only. */
    public static final String GATEWAY_LISTEN_DEFAULT = "127.0.0.1:7400";

    /** Connections served at once; more are accepted and closed at once (counted as refused). */
    public static final int MAX_CONNECTIONS_DEFAULT = 256;

    /**
     * Largest inbound frame, framing header included; a larger declared length closes the connection. The default
     * carries the largest Submit the wire format can: a payload of {@link Framing#MAX_SUBMIT_PAYLOAD_LENGTH} bytes.
     */
    public static final int MAX_FRAME_BYTES_DEFAULT =
        Framing.SUBMIT_FRAME_BASE_LENGTH + Framing.MAX_SUBMIT_PAYLOAD_LENGTH;

    /** Upper bound on the largest frame. */
    public static final int MAX_FRAME_BYTES_LIMIT = 16 * 1024 * 1024;

    /** Replies held per connection before a reader that does not keep up is disconnected. */
    public static final int OUTBOUND_BUFFER_BYTES_DEFAULT = 256 * 1024;

    /**
     * Bytes read from a socket at a time; also the most buffered for a partly received frame, so at least
     * {@link #MAX_FRAME_BYTES_DEFAULT}: 128 KiB, a direct buffer per open connection (32 MiB at 256 connections).
     */
    public static final int READ_BUFFER_BYTES_DEFAULT = 128 * 1024;

    /** Upper bound on the per-connection buffers, so that a typo cannot reserve gigabytes per connection. */
    public static final int BUFFER_BYTES_LIMIT = 64 * 1024 * 1024;

    /** SO_SNDBUF of accepted sockets; 0 leaves it to the operating system. */
    public static final int SOCKET_SEND_BUFFER_BYTES_DEFAULT = 0;

    /** A connection that sends nothing for this long and is owed no Completed is closed; 0 never. */
    public static final long GATEWAY_IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.MINUTES.toNanos(5);

    /** Completions taken from the relay per duty cycle, so that a completion burst cannot starve the sockets. */
    public static final int COMPLETION_DRAIN_LIMIT_DEFAULT = 256;

    /** Completions the relay from the scheduler to the admission thread holds before it pushes back. */
    public static final int COMPLETION_RELAY_CAPACITY_DEFAULT = 65_536;

    /** Recovered messages put back into the rings per duty cycle while a replay runs. */
    public static final int REPLAY_FEED_LIMIT_DEFAULT = 256;

    /** How long a completed request's RequestID is remembered for resend detection. */
    public static final long DEDUP_WINDOW_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);

    /** RequestIDs remembered at once for resend detection (about 56 MB of index); 0 turns it off. */
    public static final int DEDUP_MAX_ENTRIES_DEFAULT = 524_288;

    /** Levels 1..this are protected by the per-originator quota. */
    public static final int QUOTA_LEVELS_DEFAULT = 2;

    /** Sustained messages per second per originator at the protected levels; 0 turns the quota off. */
    public static final long QUOTA_TOKENS_PER_SECOND_DEFAULT = 0;

    /** Messages an originator may send at once after a quiet period; 0 means one second's worth. */
    public static final long QUOTA_BURST_DEFAULT = 0;

    /** Originators the quota tracks; beyond them a new one is not limited (counted). */
    public static final int QUOTA_MAX_ORIGINATORS_DEFAULT = 65_536;

    /** The window identical alerts are counted over. */
    public static final long ALERT_WINDOW_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);

    /** Identical alerts (same device, same code) let through per window; 0 turns throttling off. */
    public static final int ALERT_MAX_PER_WINDOW_DEFAULT = 0;

    /** (device, code) pairs the alert throttle tracks. */
    public static final int ALERT_MAX_PAIRS_DEFAULT = 1 << 16;

    /**
     * Sustained level-1 alerts per second per alert code, across all devices, before the excess is demoted; 0 turns
     * the guard off (the shipped {@code conf/otaprio.yaml} turns it on and says why its figures).
     */
    public static final long ALERT_GUARD_PER_SECOND_DEFAULT = 0;

    /** Level-1 alerts of one code admitted at level 1 at once after a quiet period. */
    public static final long ALERT_GUARD_BURST_DEFAULT = 1000;

    /** The level a level-1 alert over its code's rate is admitted at: an indirect impact on supply. */
    public static final int ALERT_GUARD_DEMOTE_TO_DEFAULT = 3;

    /** Alert codes the level-1 alert guard tracks; beyond them a new code is not limited (counted). */
    public static final int ALERT_GUARD_MAX_CODES_DEFAULT = 1024;

    /** Where the DUIS endpoint serves {@code POST /duis}: loopback only. */
    public static final String DUIS_LISTEN_DEFAULT = "127.0.0.1:7401";

    /** HTTP connections the DUIS endpoint serves at once. */
    public static final int DUIS_MAX_CONNECTIONS_DEFAULT = 64;

    /** A DUIS connection that sends nothing this long is closed (a request not all there is answered 408 first). */
    public static final long DUIS_IDLE_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);

    /** The DUIS endpoint thread's idle strategy (DEDICATED). */
    public static final String DUIS_IDLE_DEFAULT = "backoff";

    /** Where the Prometheus endpoint serves /metrics: loopback only. */
    public static final String METRICS_LISTEN_DEFAULT = "127.0.0.1:9400";

    /** How often the reporter takes an interval of every level's latency. */
    public static final long REPORTER_INTERVAL_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);

    private Configuration()
    {
    }

    /**
     * @return slots per lane, level 1 first: a new array each call, so that no caller can change the defaults.
     */
    public static int[] ringSizesDefault()
    {
        return new int[]{ RING_SIZE_LEVEL_1_DEFAULT, RING_SIZE_LEVEL_2_DEFAULT, RING_SIZE_LEVEL_3_DEFAULT,
            RING_SIZE_LEVEL_4_DEFAULT };
    }
}
