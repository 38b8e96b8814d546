package io.otaprio.engine;

import io.otaprio.admission.AlertThrottle;
import io.otaprio.admission.OriginatorQuota;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.journal.JournalConfig;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.scheduler.CompletionListener;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;

import java.util.Arrays;

/**
 * Everything an {@link Engine} is built from, with defaults, validated by {@link #conclude()} before anything
 * starts so that a bad value is reported up front, naming the setting and the value.
 */
public final class EngineContext
{
    /** Slots per lane, level 1 first: small top lanes, a deep bottom lane for the routine backlog. */
    public static final int[] RING_SIZES_DEFAULT = { 8192, 8192, 32768, 131072 };

    /** Largest payload copied into a ring slot. */
    public static final int MAX_PAYLOAD_BYTES_DEFAULT = 512;

    /**
     * How often the scheduler writes the completion watermark as a checkpoint. Each checkpoint also runs retention
     * (a directory listing), so seconds, not milliseconds.
     */
    public static final long CHECKPOINT_INTERVAL_NS_DEFAULT = 5_000_000_000L;

    /** How long a completed request's RequestID is remembered for resend detection, when it is on. */
    public static final long DEDUP_WINDOW_NS_DEFAULT = 60_000_000_000L;

    /** Hard upper bound on a configured payload size, so that a typo cannot allocate gigabytes of slots. */
    public static final int MAX_PAYLOAD_BYTES_LIMIT = 64 * 1024;

    private int[] ringSizes = RING_SIZES_DEFAULT.clone();
    private int maxPayloadBytes = MAX_PAYLOAD_BYTES_DEFAULT;
    private PriorityPolicy policy;
    private Dispatcher dispatcher;
    private IdleStrategy schedulerIdleStrategy;
    private EpochNanoClock clock;
    private CompletionListener completionListener = CompletionListener.NONE;
    private ErrorHandler errorHandler;
    private long firstMessageId;
    private JournalConfig journal;
    private long checkpointIntervalNs = CHECKPOINT_INTERVAL_NS_DEFAULT;
    private long dedupWindowNs = DEDUP_WINDOW_NS_DEFAULT;
    private int dedupMaxEntries;
    private long dispatchTimeoutNs;
    private int quotaLevels = 2;
    private long quotaTokensPerSecond;
    private long quotaBurst = 1;
    private int quotaMaxOriginators = 65_536;
    private long alertWindowNs = 60_000_000_000L;
    private int alertMaxPerWindow;
    private int[] alertExtraExclusions = new int[0];
    private boolean concluded;

    /**
     * Validate and fill defaults.
     *
     * @return this.
     * @throws IllegalArgumentException naming the setting and value at fault.
     */
    public EngineContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        if (null == policy)
        {
            throw new IllegalArgumentException("engine: a priority policy is required");
        }
        if (null == dispatcher)
        {
            throw new IllegalArgumentException("engine: a dispatcher is required");
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
        if (maxPayloadBytes < 0 || maxPayloadBytes > MAX_PAYLOAD_BYTES_LIMIT)
        {
            throw new IllegalArgumentException("engine: maxPayloadBytes must be 0.." + MAX_PAYLOAD_BYTES_LIMIT +
                ", got " + maxPayloadBytes);
        }
        if (firstMessageId < 0)
        {
            throw new IllegalArgumentException("engine: firstMessageId must be >= 0, got " + firstMessageId);
        }
        if (dedupWindowNs < 0)
        {
            throw new IllegalArgumentException("engine: dedupWindowNs must be >= 0, got " + dedupWindowNs);
        }
        if (dedupMaxEntries < 0)
        {
            throw new IllegalArgumentException("engine: dedupMaxEntries must be >= 0 (0 = off), got " +
                dedupMaxEntries);
        }
        if (checkpointIntervalNs <= 0)
        {
            throw new IllegalArgumentException("engine: checkpointIntervalNs must be > 0, got " + checkpointIntervalNs);
        }
        if (null == schedulerIdleStrategy)
        {
            schedulerIdleStrategy = new BusySpinIdleStrategy();
        }
        if (null == clock)
        {
            clock = new OffsetEpochNanoClock();
        }
        if (null == errorHandler)
        {
            errorHandler = Throwable::printStackTrace;
        }
        concluded = true;
        return this;
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

    /** @param ringSizes slots per level, each a power of two. @return this. */
    public EngineContext ringSizes(final int... ringSizes)
    {
        this.ringSizes = ringSizes.clone();
        return this;
    }

    /** @return slots per level. */
    public int[] ringSizes()
    {
        return ringSizes.clone();
    }

    /** @param maxPayloadBytes largest payload admitted. @return this. */
    public EngineContext maxPayloadBytes(final int maxPayloadBytes)
    {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    /** @return largest payload admitted. */
    public int maxPayloadBytes()
    {
        return maxPayloadBytes;
    }

    /** @param policy classification. @return this. */
    public EngineContext policy(final PriorityPolicy policy)
    {
        this.policy = policy;
        return this;
    }

    /** @return classification. */
    public PriorityPolicy policy()
    {
        return policy;
    }

    /** @param dispatcher downstream. @return this. */
    public EngineContext dispatcher(final Dispatcher dispatcher)
    {
        this.dispatcher = dispatcher;
        return this;
    }

    /** @return downstream. */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /** @param idleStrategy the scheduler's; see {@link IdleStrategySpec}. @return this. */
    public EngineContext schedulerIdleStrategy(final IdleStrategy idleStrategy)
    {
        this.schedulerIdleStrategy = idleStrategy;
        return this;
    }

    /** @return the scheduler's idle strategy. */
    public IdleStrategy schedulerIdleStrategy()
    {
        return schedulerIdleStrategy;
    }

    /** @param clock epoch time source. @return this. */
    public EngineContext clock(final EpochNanoClock clock)
    {
        this.clock = clock;
        return this;
    }

    /** @return epoch time source. */
    public EpochNanoClock clock()
    {
        return clock;
    }

    /** @param listener told of each completion on the scheduler thread. @return this. */
    public EngineContext completionListener(final CompletionListener listener)
    {
        this.completionListener = listener;
        return this;
    }

    /** @return completion listener. */
    public CompletionListener completionListener()
    {
        return completionListener;
    }

    /** @param errorHandler told of errors caught at a loop boundary. @return this. */
    public EngineContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return error handler. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }

    /** @param firstMessageId id of the first message admitted. @return this. */
    public EngineContext firstMessageId(final long firstMessageId)
    {
        this.firstMessageId = firstMessageId;
        return this;
    }

    /** @return id of the first message admitted. */
    public long firstMessageId()
    {
        return firstMessageId;
    }

    /**
     * @param journal where accepted and completed messages are journaled and recovered from, or null for none.
     * @return this.
     */
    public EngineContext journal(final JournalConfig journal)
    {
        this.journal = journal;
        return this;
    }

    /** @return the journal configuration, or null when journaling is off. */
    public JournalConfig journal()
    {
        return journal;
    }

    /** @param checkpointIntervalNs how often the watermark is checkpointed. @return this. */
    public EngineContext checkpointIntervalNs(final long checkpointIntervalNs)
    {
        this.checkpointIntervalNs = checkpointIntervalNs;
        return this;
    }

    /** @return how often the watermark is checkpointed. */
    public long checkpointIntervalNs()
    {
        return checkpointIntervalNs;
    }

    /**
     * Resend detection: a submit whose RequestID matches a pending message, or one completed within the window, is
     * answered DUPLICATE. Off by default in an embedded engine, because the index learns of completions only
     * through {@link io.otaprio.admission.Admission#onCompleted}, which the admission thread must call (the gateway
     * does); {@code ./otaprio engine} turns it on from the {@code dedup} section of its configuration.
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
     * @param burst           messages at once after a quiet period.
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

    /** @return the quota to admit with, or null when it is off; a new one per call. */
    public OriginatorQuota newQuota()
    {
        return quotaTokensPerSecond <= 0 ? null :
            new OriginatorQuota(quotaLevels, quotaTokensPerSecond, quotaBurst, quotaMaxOriginators);
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
        this.alertExtraExclusions = excluded.clone();
        return this;
    }

    /** @return the throttle to admit with, or null when it is off; a new one per call. */
    public AlertThrottle newAlertThrottle()
    {
        if (alertMaxPerWindow <= 0)
        {
            return null;
        }
        final boolean[] excluded = new boolean[0x10000];
        for (int code = 0; code <= 0xFFFF; code++)
        {
            excluded[code] = 1 == policy.level(policy.classify(MessageKind.ALERT, code));
        }
        for (final int code : alertExtraExclusions)
        {
            excluded[code & 0xFFFF] = true;
        }
        return new AlertThrottle(alertWindowNs, alertMaxPerWindow, excluded, 1 << 16);
    }

    /**
     * @param timeoutNs complete a dispatched message as timed out (failed) when its downstream has not reported a
     *                  completion this long after dispatch; 0 (the default) never does.
     * @return this.
     */
    public EngineContext dispatchTimeoutNs(final long timeoutNs)
    {
        this.dispatchTimeoutNs = timeoutNs;
        return this;
    }

    /** @return the dispatch timeout, 0 for none. */
    public long dispatchTimeoutNs()
    {
        return dispatchTimeoutNs;
    }
}
