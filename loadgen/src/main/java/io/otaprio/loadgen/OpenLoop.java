package io.otaprio.loadgen;

import io.otaprio.metrics.EngineMetrics;
import io.otaprio.metrics.LatencySummary;
import io.otaprio.metrics.LevelReport;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RejectReason;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Formatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One open-loop load, driven by its caller: the arrival schedule, what each message's latency is measured from,
 * the counts, the per-level latency histograms, the progress line and the result. It owns no thread and no loop;
 * a transport's duty cycle drives it.
 * <p>
 * <b>Open loop and coordinated omission.</b> A closed-loop generator sends the next message when the last one is
 * answered, so when the system under test stalls the generator stalls with it and never sends the messages that
 * would have seen the stall: the histogram omits exactly the bad cases (Gil Tene's "coordinated omission"). Here
 * the schedule ({@link Arrivals} over a {@link LoadProfile} and {@link TrafficMix}, the same for the same seed) fixes
 * every message's <em>intended</em> send time in advance, and latency is always measured from that time, whatever
 * happened in between: a message sent late because the generator fell behind, the connection was down or the
 * sender was full counts its lateness. The load ends at the profile's duration whatever happens; messages that
 * fell due but could not be sent by then are counted as {@link #unsent()}.
 * <p>
 * <b>Driving it.</b> {@link #start(long)} once, then from the caller's duty cycle:
 * <ul>
 *     <li>{@link #sendDue(long, Sender, int)}: hands the {@link Sender} every message whose intended time has
 *     come, in schedule order; a sender that cannot take one right now (no connection, a full buffer) refuses it,
 *     and it is offered again on a later call, late;</li>
 *     <li>{@link #onAccepted()}, {@link #onRejected(int)} and {@link #onCompleted(long, int, long)} as the
 *     answers come in, completions with their message's {@link ScheduledMessage#number()};</li>
 *     <li>{@link #reportProgress(long)}: prints the progress line once a second;</li>
 *     <li>{@link #nanosUntilNextDue(long)} to decide how long to idle ({@link OpenLoopIdleStrategy} does it);</li>
 *     <li>after the load ({@link #isLoading()} false), {@link #isDrained(long)} to end the wait for answers, and
 *     {@link #result(long, long)}.</li>
 * </ul>
 * Every time is the caller's {@code nowNs}, from one clock of its choice (epoch or monotonic nanoseconds): the
 * schedule, the latencies and the drain are all in that time base.
 * <p>
 * <b>In process.</b> A caller that submits to an engine's admission inside its own duty cycle and learns each
 * result and completion on the same thread uses it like this:
 * <pre>{@code
 *   final OpenLoop load = new OpenLoop(settings, line -> line.append("in flight ").append(inFlight));
 *   load.start(clock.nanoTime());
 *   // each duty cycle:
 *   final long nowNs = clock.nanoTime();
 *   int work = load.sendDue(nowNs, message ->
 *   {
 *       final TrafficMix.Type type = message.type();
 *       final long id = admission.submit(type.kind().value(), type.code(), message.originator(), message.target(),
 *           message.number(), payload, 0, type.payloadBytes());
 *       if (id >= 0)
 *       {
 *           load.onAccepted();
 *       }
 *       else
 *       {
 *           load.onRejected((int)-id);
 *       }
 *       return true; // admission always answers at once: nothing is refused for later
 *   }, 64);
 *   // each completion the engine reports on this thread (an InFlightMessage m):
 *   if (m.messageId() >= firstLiveId)
 *   {
 *       load.onCompleted(m.counter(), m.level(), m.trtNs(), m.completedTimeNs());
 *   }
 *   else
 *   {
 *       load.onCompletedSince(m.acceptTimeNs(), m.level(), m.trtNs(), m.completedTimeNs()); // replayed
 *   }
 *   load.reportProgress(nowNs);
 *   idle.idle(work, load.nanosUntilNextDue(nowNs));
 *   // when !load.isLoading() and load.isDrained(nowNs) (and the replay is done): load.result(nowNs, replayed)
 * }</pre>
 * A sender may call {@link #onAccepted()} or {@link #onRejected(int)} from inside {@link Sender#send}.
 * <p>
 * Threading: one thread (the driver's) calls everything, except {@link #splitAt(int, long)}, which any thread may
 * call at any time. Read the reports from that thread, or from another after the driver has stopped and been joined.
 * Nothing here allocates per message.
 */
public final class OpenLoop
{
    /** Time from {@link #start(long)} to the first intended send time, for connections to settle. */
    public static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Periods {@link #splitAt(int, long)} can divide the report into. */
    public static final int PERIODS = 3;

    /** The most messages one run plans: their intended send times alone take 8 bytes each. */
    public static final long MAX_MESSAGES = 200_000_000L;

    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Takes one message from the schedule to wherever it goes.
     */
    @FunctionalInterface
    public interface Sender
    {
        /**
         * @param message the message that is due; valid during this call only.
         * @return true if it was taken; false if the sender cannot take it right now, in which case it is offered
         * again, unchanged and later, on the next {@link #sendDue} call, and no later message is offered before it.
         */
        boolean send(ScheduledMessage message);
    }

    /**
     * The driver's own part of the progress line, after the rates: connections, queue depths, what it knows.
     */
    @FunctionalInterface
    public interface ProgressDetail
    {
        /** No detail: the line ends after the rates. */
        ProgressDetail NONE = line ->
        {
        };

        /**
         * @param line to append to; nothing appended means no detail.
         */
        void appendTo(StringBuilder line);
    }

    /**
     * What load to offer and how to report it.
     *
     * @param policy            each level's TRT budget for the report, and the policy's name (the engine classifies,
     *                          not the load).
     * @param mix               traffic mix.
     * @param profile           offered load over time; the load ends at its duration.
     * @param seed              random seed of the arrivals: the same seed gives the same messages at the same times.
     * @param capacityPerSecond the simulated DSP's capacity, for the report (0 if not known).
     * @param drainTimeoutNs    how long after the load to wait for outstanding answers, at most.
     * @param progress          where the progress line goes once a second, or null for none.
     * @param originators       the originator EUI-64s the messages are submitted under, drawn uniformly (a TLS
     *                          client's own, which its {@code clients:} entry names); empty for the
     *                          {@link Arrivals#originators(long) 24 the seed draws}. A copy is kept.
     */
    public record Settings(
        PriorityPolicy policy,
        TrafficMix mix,
        LoadProfile profile,
        long seed,
        double capacityPerSecond,
        long drainTimeoutNs,
        PrintStream progress,
        long[] originators)
    {
        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the setting and the value it refuses.
         */
        public Settings
        {
            if (null == policy || null == mix || null == profile)
            {
                throw new IllegalArgumentException("an open loop needs a policy, a traffic mix and a load profile, " +
                    "got policy " + policy + ", mix " + mix + ", profile " + profile);
            }
            if (drainTimeoutNs < 0)
            {
                throw new IllegalArgumentException("drainTimeoutNs must be >= 0, got " + drainTimeoutNs);
            }
            if (!(capacityPerSecond >= 0))
            {
                throw new IllegalArgumentException("capacityPerSecond must be >= 0, got " + capacityPerSecond);
            }
            originators = null == originators ? new long[0] : originators.clone();
        }

        /**
         * Under the originators the seed draws.
         *
         * @param policy            each level's TRT budget for the report.
         * @param mix               traffic mix.
         * @param profile           offered load over time.
         * @param seed              random seed of the arrivals.
         * @param capacityPerSecond the simulated DSP's capacity, for the report (0 if not known).
         * @param drainTimeoutNs    how long after the load to wait for outstanding answers, at most.
         * @param progress          where the progress line goes once a second, or null for none.
         */
        public Settings(
            final PriorityPolicy policy,
            final TrafficMix mix,
            final LoadProfile profile,
            final long seed,
            final double capacityPerSecond,
            final long drainTimeoutNs,
            final PrintStream progress)
        {
            this(policy, mix, profile, seed, capacityPerSecond, drainTimeoutNs, progress, new long[0]);
        }

        /** @return the originators given, a copy; empty for the seed's. */
        @Override
        public long[] originators()
        {
            return originators.clone();
        }
    }

    private final Settings settings;
    private final ProgressDetail detail;
    private final Arrivals arrivals;
    private final long[] intendedNs;
    private final Histogram[] latencyUs = new Histogram[PriorityPolicy.LEVELS + 1];
    private final long[] withinTrt = new long[PriorityPolicy.LEVELS + 1];
    private final Histogram[][] periodLatencyUs = new Histogram[PERIODS][PriorityPolicy.LEVELS + 1];
    private final long[][] periodWithinTrt = new long[PERIODS][PriorityPolicy.LEVELS + 1];
    private final Histogram sendLagUs = newHistogram();
    private final Histogram ackLatencyUs = newHistogram();
    private final long[] rejectedByCode = new long[RejectReason.values().length + 1];
    private final StringBuilder line = new StringBuilder(160);
    private final Formatter formatter = new Formatter(line, Locale.ROOT);
    private volatile long firstSplitNs = Long.MAX_VALUE;
    private volatile long secondSplitNs = Long.MAX_VALUE;
    private boolean started;
    private boolean loading;
    private boolean hasNext;
    private long startedAtNs;
    private long startNs;
    private long loadEndNs;
    private long sent;
    private long unsent;
    private long accepted;
    private long rejected;
    private long completedLive;
    private long completedReplayed;
    private long unknownCompletions;
    private long completedUnmeasured;
    private long completedDuringLoad;
    private long nextProgressNs;
    private long lastProgressNs;
    private long lastSent;
    private long lastCompleted;

    /**
     * @param settings what load to offer.
     * @param detail   the driver's part of the progress line ({@link ProgressDetail#NONE} for none).
     * @throws IllegalArgumentException if {@code detail} is null, or the load plans more than
     *                                  {@value #MAX_MESSAGES} messages.
     */
    public OpenLoop(final Settings settings, final ProgressDetail detail)
    {
        if (null == detail)
        {
            throw new IllegalArgumentException("a progress detail is required: ProgressDetail.NONE for none");
        }
        final double expected = settings.profile().expectedMessages();
        if (expected * (1 + settings.mix().twoStepShare()) > MAX_MESSAGES)
        {
            // Each planned message has its intended send time recorded: refuse a plan that cannot fit, rather than
            // run out of memory building it (a burst multiplier applied to a near-infinite capacity does that).
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the load plans %,.0f messages (%s), " +
                "more than the %,d one run can schedule: lower the rate, the burst multiplier or the duration",
                expected, settings.profile().describe(), MAX_MESSAGES));
        }
        this.settings = settings;
        this.detail = detail;
        this.arrivals = new Arrivals(settings.profile(), settings.mix(), settings.seed(), settings.originators());
        // Poisson arrivals: the count stays well within 20% plus a margin of the mean for any run worth doing, and
        // one array sized up front means no copy of millions of entries in the middle of a run.
        intendedNs = new long[(int)Math.min(Integer.MAX_VALUE - 8,
            settings.profile().expectedMessages() * (1 + settings.mix().twoStepShare()) * 1.2 + 10_000)];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            latencyUs[level] = newHistogram();
            for (int period = 0; period < PERIODS; period++)
            {
                periodLatencyUs[period][level] = newHistogram();
            }
        }
    }

    /** @return what load this offers. */
    public Settings settings()
    {
        return settings;
    }

    /**
     * Start the schedule: the first message is due {@link #START_DELAY_NS} from now. Call once.
     *
     * @param nowNs the caller's clock.
     */
    public void start(final long nowNs)
    {
        if (started)
        {
            throw new IllegalStateException("an open loop starts once");
        }
        started = true;
        loading = true;
        startedAtNs = nowNs;
        startNs = nowNs + START_DELAY_NS;
        lastProgressNs = nowNs;
        nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
        hasNext = arrivals.next();
    }

    /** @return when the schedule starts: its first intended send time is this plus the first arrival's offset. */
    public long startNs()
    {
        return startNs;
    }

    /**
     * Offer the sender every message whose intended time has come, in schedule order, up to {@code limit}; then end
     * the load if the schedule is exhausted or its duration has passed (see {@link #isLoading()}).
     *
     * @param nowNs  the caller's clock; each message's lateness ({@link #sendLag()}) is taken from it.
     * @param sender takes the messages, or refuses one it cannot take now.
     * @param limit  most messages to send in this call.
     * @return messages the sender took.
     */
    public int sendDue(final long nowNs, final Sender sender, final int limit)
    {
        if (!loading)
        {
            if (!started)
            {
                throw new IllegalStateException("start the open loop before sending");
            }
            return 0;
        }
        int count = 0;
        while (count < limit && hasNext && startNs + arrivals.intendedOffsetNs() <= nowNs)
        {
            final int number = (int)sent;
            final long intended = startNs + arrivals.intendedOffsetNs();
            intendedNs[number] = intended;
            final ScheduledMessage message = arrivals.message();
            message.schedule(number, intended);
            // Counted as sent before the call, so that a sender reporting its answer from inside send, or a
            // completion arriving inside it, finds the message known.
            sent = number + 1;
            if (!sender.send(message))
            {
                sent = number;
                break;
            }
            sendLagUs.recordValue(
                Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, (nowNs - intended) / 1000L)));
            count++;
            hasNext = sent < intendedNs.length && arrivals.next();
        }
        if (!hasNext || nowNs - startNs >= settings.profile().durationNs())
        {
            endLoad(nowNs);
        }
        return count;
    }

    /**
     * End the load now (the profile's duration has passed, or the caller stops early): every message due by now that
     * was not sent is counted as {@link #unsent()}; later ones are not offered. Does nothing once the load has ended.
     *
     * @param nowNs the caller's clock.
     */
    public void endLoad(final long nowNs)
    {
        if (!loading)
        {
            return;
        }
        while (hasNext && startNs + arrivals.intendedOffsetNs() <= nowNs)
        {
            unsent++;
            hasNext = arrivals.next();
        }
        hasNext = false;
        loading = false;
        loadEndNs = nowNs;
        completedDuringLoad = completed();
    }

    /** @return whether the load is being offered: started, and not ended by {@link #sendDue} or {@link #endLoad}. */
    public boolean isLoading()
    {
        return loading;
    }

    /**
     * @param nowNs the caller's clock.
     * @return nanoseconds until the next message falls due: 0 if one is due now (one the sender refused, too: how
     * long to wait for a sender is the caller's business), {@link Long#MAX_VALUE} once the load has ended.
     */
    public long nanosUntilNextDue(final long nowNs)
    {
        if (!loading || !hasNext)
        {
            return Long.MAX_VALUE;
        }
        return Math.max(0, startNs + arrivals.intendedOffsetNs() - nowNs);
    }

    /** A sent message was admitted. */
    public void onAccepted()
    {
        accepted++;
    }

    /**
     * A sent message was refused.
     *
     * @param reasonCode its {@link RejectReason#code()}; a code this build does not know counts as MALFORMED.
     */
    public void onRejected(final int reasonCode)
    {
        rejectedByCode[reasonCode >= 1 && reasonCode < rejectedByCode.length ?
            reasonCode : RejectReason.MALFORMED.code()]++;
        rejected++;
    }

    /**
     * A sent message completed: its latency, from its intended send time, is judged against its level's TRT budget.
     *
     * @param number the message's {@link ScheduledMessage#number()}.
     * @param level  the level the engine gave it, 1..4.
     * @param nowNs  when it completed, on the caller's clock.
     * @return false if no message of that number was sent or the level is out of range (counted, not measured).
     */
    public boolean onCompleted(final long number, final int level, final long nowNs)
    {
        return onCompleted(number, level, level >= 1 && level <= PriorityPolicy.LEVELS ?
            settings.policy().levelTrtNs(level) : 0, nowNs);
    }

    /**
     * A sent message completed, judged against a TRT budget of its own (a policy rule may override its level's).
     *
     * @param number the message's {@link ScheduledMessage#number()}.
     * @param level  the level the engine gave it, 1..4.
     * @param trtNs  its TRT budget.
     * @param nowNs  when it completed, on the caller's clock.
     * @return false if no message of that number was sent or the level is out of range (counted, not measured).
     */
    public boolean onCompleted(final long number, final int level, final long trtNs, final long nowNs)
    {
        if (number < 0 || number >= sent || level < 1 || level > PriorityPolicy.LEVELS)
        {
            unknownCompletions++;
            return false;
        }
        record(level, intendedNs[(int)number], trtNs, nowNs);
        completedLive++;
        return true;
    }

    /**
     * A sent message is known to have completed but its latency is not: a cluster's client learns it from a DUPLICATE
     * naming a completed original, its Completed having gone with the node it was on. Counted, not measured.
     */
    public void onCompletedUnmeasured()
    {
        completedLive++;
        completedUnmeasured++;
    }

    /** @return completions counted without a latency ({@link #onCompletedUnmeasured()}). */
    public long completedUnmeasured()
    {
        return completedUnmeasured;
    }

    /**
     * A message this load did not send completed, such as one an engine replayed from its journal after a restart:
     * its latency runs from a time of its own (its original accept time, so that the downtime counts).
     *
     * @param sinceNs when its latency starts, on the caller's clock.
     * @param level   its level, 1..4.
     * @param trtNs   its TRT budget.
     * @param nowNs   when it completed.
     * @return false if the level is out of range (counted, not measured).
     */
    public boolean onCompletedSince(final long sinceNs, final int level, final long trtNs, final long nowNs)
    {
        if (level < 1 || level > PriorityPolicy.LEVELS)
        {
            unknownCompletions++;
            return false;
        }
        record(level, sinceNs, trtNs, nowNs);
        completedReplayed++;
        return true;
    }

    private void record(final int level, final long sinceNs, final long trtNs, final long nowNs)
    {
        final long latencyNs = nowNs - sinceNs;
        final long us = Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1L, latencyNs / 1000L));
        final long offsetNs = sinceNs - startNs;
        // Two volatile reads per completion, no lock: the splits are written once each, from any thread.
        final int period = offsetNs < firstSplitNs ? 0 : offsetNs < secondSplitNs ? 1 : 2;
        latencyUs[level].recordValue(us);
        periodLatencyUs[period][level].recordValue(us);
        if (latencyNs <= trtNs)
        {
            withinTrt[level]++;
            periodWithinTrt[period][level]++;
        }
    }

    /**
     * @return messages sent and not yet answered: neither rejected nor completed (an accepted one waits for its
     * completion).
     */
    public long outstanding()
    {
        return sent - rejected - completedLive;
    }

    /**
     * @param nowNs the caller's clock.
     * @return whether the wait after the load is over: the load has ended and every sent message is answered, or
     * the drain timeout has passed. Messages replayed by an engine are the caller's to wait for.
     */
    public boolean isDrained(final long nowNs)
    {
        return !loading && started && (outstanding() <= 0 || nowNs - loadEndNs >= settings.drainTimeoutNs());
    }

    /**
     * @param nowNs the caller's clock.
     * @return seconds since the load ended, 0 while it goes on.
     */
    public double drainSeconds(final long nowNs)
    {
        return loading || !started ? 0 : (nowNs - loadEndNs) / 1e9;
    }

    /**
     * Print the progress line if a second has passed since the last one: elapsed time, stage, the rates of sending
     * and of completion over the interval, then the driver's {@link ProgressDetail}, e.g.
     * <pre>
     * [  6.0s load ] offered   21703/s  completed    7335/s  accepted 43120  rejected 0  connections 4/4
     * </pre>
     *
     * @param nowNs the caller's clock.
     * @return whether a line was due (printed if there is a progress stream).
     */
    public boolean reportProgress(final long nowNs)
    {
        if (!started || nowNs < nextProgressNs)
        {
            return false;
        }
        final PrintStream out = settings.progress();
        final long completedNow = completed();
        if (null != out)
        {
            final double seconds = Math.max(1e-9, (nowNs - lastProgressNs) / 1e9);
            line.setLength(0);
            formatter.format("[%5.1fs %-5s] offered %7.0f/s  completed %7.0f/s", (nowNs - startedAtNs) / 1e9,
                loading ? "load" : "drain", (sent - lastSent) / seconds, (completedNow - lastCompleted) / seconds);
            final int rates = line.length();
            line.append("  ");
            detail.appendTo(line);
            if (line.length() == rates + 2)
            {
                line.setLength(rates);
            }
            out.println(line);
            out.flush();
        }
        lastSent = sent;
        lastCompleted = completedNow;
        lastProgressNs = nowNs;
        nextProgressNs = nowNs + PROGRESS_INTERVAL_NS;
        return true;
    }

    /**
     * Split the report at points of the schedule: messages intended before the first split are period 0, before the
     * second period 1, the rest period 2 (before a DR event, during the outage, after the restart, say). Call with
     * index 0 then 1; any thread, before or during the load.
     *
     * @param index    0 or 1.
     * @param offsetNs time after {@link #startNs()}.
     */
    public void splitAt(final int index, final long offsetNs)
    {
        if (0 == index)
        {
            firstSplitNs = offsetNs;
        }
        else if (1 == index)
        {
            secondSplitNs = offsetNs;
        }
        else
        {
            throw new IllegalArgumentException("split index must be 0 or 1, got " + index);
        }
    }

    /**
     * @param number a sent message's {@link ScheduledMessage#number()}.
     * @return its intended send time, on the caller's clock.
     */
    public long intendedNs(final long number)
    {
        if (number < 0 || number >= sent)
        {
            throw new IllegalArgumentException("message " + number + " was not sent (" + sent + " were)");
        }
        return intendedNs[(int)number];
    }

    /** @return messages the sender took. */
    public long sent()
    {
        return sent;
    }

    /** @return the most messages this load can send: numbers run from 0 to this, exclusive. */
    public int capacity()
    {
        return intendedNs.length;
    }

    /** @return messages that fell due during the load but that the sender had not taken when the load ended. */
    public long unsent()
    {
        return unsent;
    }

    /** @return messages reported admitted. */
    public long accepted()
    {
        return accepted;
    }

    /** @return messages reported rejected, whatever the reason. */
    public long rejected()
    {
        return rejected;
    }

    /** @return completions measured: of sent messages and of others ({@link #onCompletedSince}). */
    public long completed()
    {
        return completedLive + completedReplayed;
    }

    /** @return completions that named no sent message or no valid level. */
    public long unknownCompletions()
    {
        return unknownCompletions;
    }

    /** @return how late the sender took each message after its intended time, in microseconds. */
    public LatencySummary sendLag()
    {
        return LatencySummary.of(sendLagUs);
    }

    /**
     * A sent message was acknowledged: how long from its intended send time (a cluster acknowledges once a majority
     * has it).
     *
     * @param number the message's {@link ScheduledMessage#number()}.
     * @param nowNs  when the Ack arrived, on the caller's clock.
     */
    public void onAcked(final long number, final long nowNs)
    {
        if (number >= 0 && number < sent)
        {
            ackLatencyUs.recordValue(Math.min(EngineMetrics.HIGHEST_TRACKABLE_US,
                Math.max(1L, (nowNs - intendedNs[(int)number]) / 1000L)));
        }
    }

    /** @return Ack latency from each message's intended send time ({@link #onAcked}); empty if none recorded. */
    public LatencySummary ackLatency()
    {
        return LatencySummary.of(ackLatencyUs);
    }

    /** @return per level, 1..4 in order: completions, latency from the intended time, TRT and share within it. */
    public List<LevelReport> levels()
    {
        return levels(latencyUs, withinTrt);
    }

    /**
     * @param period 0, 1 or 2, as split by {@link #splitAt(int, long)}.
     * @return per-level reports of the messages intended in that period.
     */
    public List<LevelReport> periodLevels(final int period)
    {
        return levels(periodLatencyUs[period], periodWithinTrt[period]);
    }

    /**
     * @param nowNs    the caller's clock: the drain lasted until now.
     * @param replayed messages an engine replayed from its journal and completed under this load (0 for none).
     * @return what was measured, in the shape {@code simulate}, {@code loadgen} and {@code demo} report.
     */
    public SimulationResult result(final long nowNs, final long replayed)
    {
        return new SimulationResult(run(nowNs), sent, accepted, completed(), rejectedByCode.clone(), replayed,
            loading ? completed() : completedDuringLoad);
    }

    /**
     * @param nowNs the caller's clock: the drain lasted until now.
     * @return the load and what it measured per level, the part every result shares.
     */
    public LoadRun run(final long nowNs)
    {
        final LoadProfile profile = settings.profile();
        return new LoadRun(profile.scenario(), settings.policy().name(), settings.capacityPerSecond(),
            profile.durationNs() / 1e9, drainSeconds(nowNs), levels(), profile.describe(), settings.seed());
    }

    private List<LevelReport> levels(final Histogram[] histograms, final long[] within)
    {
        final List<LevelReport> levels = new ArrayList<>(PriorityPolicy.LEVELS);
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            final long count = histograms[level].getTotalCount();
            levels.add(new LevelReport(level, count, LatencySummary.of(histograms[level]),
                settings.policy().levelTrtNs(level), 0 == count ? 100.0 : 100.0 * within[level] / count));
        }
        return levels;
    }

    private static Histogram newHistogram()
    {
        return new Histogram(1, EngineMetrics.HIGHEST_TRACKABLE_US, EngineMetrics.SIGNIFICANT_DIGITS);
    }
}
