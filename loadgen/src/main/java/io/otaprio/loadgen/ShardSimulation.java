package io.otaprio.loadgen;

import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import org.HdrHistogram.Histogram;
import org.agrona.collections.Hashing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The scale-out design of docs/ha.md, simulated: N shards (clusters), each owning the meters whose target EUI-64
 * hashes to it, each with its four lanes and a strict-priority scheduler; one downstream (the DSP) with K slots
 * shared between them. A discrete-event simulation in virtual time (deterministic for a seed, seconds of traffic in
 * milliseconds), measuring each level's latency from arrival to completion, with K split between the shards two
 * ways:
 * <ul>
 *   <li><b>static</b>: shard i owns K/N slots (the remainder to the first shards), whatever the others do;</li>
 *   <li><b>dynamic</b>: a credit allocator grants each free slot, every {@code period}, to the shard whose waiting
 *       message has the highest level (oldest first among equals): strict priority across shards, up to the
 *       allocator's period.</li>
 * </ul>
 * What it shows: with a static split a shard's level-1 message waits for one of its own K/N slots, which level-4
 * work may hold, so level-1 latency grows as shards are added; with the dynamic split it stays where one shard has
 * it.
 * <p>
 * Threading: one thread.
 */
public final class ShardSimulation
{
    /** How the DSP's slots are split between shards. */
    public enum Split
    {
        /** K/N slots per shard, fixed. */
        STATIC,
        /** Each free slot to the shard with the highest waiting level, every allocator period. */
        DYNAMIC
    }

    /**
     * What to simulate.
     *
     * @param shards        how many shards.
     * @param split         how the DSP's slots are split.
     * @param slots         the DSP's slots, K.
     * @param serviceTimes  the DSP's service times per SRV.
     * @param policy        classifies the traffic into levels.
     * @param mix           the traffic.
     * @param ratePerSecond offered rate, all shards together.
     * @param durationNs    how long the traffic is offered.
     * @param periodNs      the dynamic allocator's period (0: every event).
     * @param seed          arrivals, mix, targets and service times.
     */
    public record Settings(
        int shards,
        Split split,
        int slots,
        ServiceTimes serviceTimes,
        PriorityPolicy policy,
        TrafficMix mix,
        double ratePerSecond,
        long durationNs,
        long periodNs,
        long seed)
    {
        /**
         * @throws IllegalArgumentException naming the setting at fault.
         */
        public Settings
        {
            if (shards < 1 || slots < shards)
            {
                throw new IllegalArgumentException("need 1 <= shards <= slots, got " + shards + " shards, " + slots +
                    " slots");
            }
            if (!(ratePerSecond > 0) || durationNs <= 0 || periodNs < 0)
            {
                throw new IllegalArgumentException("rate and duration must be > 0, period >= 0");
            }
        }
    }

    /**
     * Per level, latency from arrival to completion.
     *
     * @param shards     how many shards.
     * @param split      how slots were split.
     * @param completed  messages completed per level, index 1..4.
     * @param p50Us      median per level.
     * @param p99Us      99th percentile per level.
     * @param maxUs      maximum per level.
     */
    public record Result(Split split, int shards, long[] completed, long[] p50Us, long[] p99Us, long[] maxUs)
    {
        /** @return one line per level. */
        public String table()
        {
            final StringBuilder text = new StringBuilder();
            for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
            {
                text.append(String.format(Locale.ROOT, "%-7s %6d %5d %10d %12.1f %12.1f %12.1f%n",
                    split.name().toLowerCase(Locale.ROOT), shards, level, completed[level], p50Us[level] / 1000.0,
                    p99Us[level] / 1000.0, maxUs[level] / 1000.0));
            }
            return text.toString();
        }
    }

    /** Header of {@link Result#table()}. */
    public static final String HEADER = "split   shards level  completed      p50(ms)      p99(ms)      max(ms)";

    private ShardSimulation()
    {
    }

    /**
     * @param settings what to simulate.
     * @return each level's latency.
     */
    public static Result run(final Settings settings)
    {
        final int shards = settings.shards();
        final SplittableRandom random = new SplittableRandom(settings.seed());
        final int[] levelOfType = new int[settings.mix().size()];
        for (int type = 0; type < levelOfType.length; type++)
        {
            final TrafficMix.Type t = settings.mix().type(type);
            levelOfType[type] = settings.policy().level(settings.policy().classify(t.kind(), t.code()));
        }

        // Lanes per shard hold arrival times and types, each lane first come first served.
        final List<List<ArrayDeque<long[]>>> lanes = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++)
        {
            final List<ArrayDeque<long[]>> shardLanes = new ArrayList<>();
            for (int level = 0; level < PriorityPolicy.LEVELS; level++)
            {
                shardLanes.add(new ArrayDeque<>());
            }
            lanes.add(shardLanes);
        }
        final int[] freeSlots = new int[shards];
        for (int slot = 0; slot < settings.slots(); slot++)
        {
            freeSlots[slot % shards]++;
        }
        int pooledSlots = settings.slots();

        final Histogram[] latencyUs = new Histogram[PriorityPolicy.LEVELS + 1];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            latencyUs[level] = new Histogram(EngineMetrics.HIGHEST_TRACKABLE_US, 3);
        }
        // Completions: {time, shard}.
        final PriorityQueue<long[]> completions = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        final double meanGapNs = 1e9 / settings.ratePerSecond();
        long nextArrivalNs = 0;
        long nextGrantNs = 0;
        long nowNs = 0;

        while (nextArrivalNs < settings.durationNs() || !completions.isEmpty() || waiting(lanes))
        {
            final long completionNs = completions.isEmpty() ? Long.MAX_VALUE : completions.peek()[0];
            final long arrivalNs = nextArrivalNs < settings.durationNs() ? nextArrivalNs : Long.MAX_VALUE;
            if (Long.MAX_VALUE == completionNs && Long.MAX_VALUE == arrivalNs)
            {
                // Only waiting work and no event: the dynamic allocator's next grant.
                nowNs = Math.max(nowNs, nextGrantNs);
            }
            else if (completionNs <= arrivalNs)
            {
                final long[] done = completions.poll();
                nowNs = done[0];
                if (Split.STATIC == settings.split())
                {
                    freeSlots[(int)done[1]]++;
                }
                else
                {
                    pooledSlots++;
                }
            }
            else
            {
                nowNs = arrivalNs;
                final int type = settings.mix().sample(random);
                final long target = random.nextLong();
                // A stable hash of the target EUI-64, the shard this meter always goes to.
                final int shard = Hashing.hash(target, Integer.MAX_VALUE) % shards;
                lanes.get(shard).get(levelOfType[type] - 1).addLast(new long[]{ nowNs, type });
                nextArrivalNs += Math.max(1, (long)(-Math.log(1 - random.nextDouble()) * meanGapNs));
            }

            if (Split.STATIC == settings.split())
            {
                for (int shard = 0; shard < shards; shard++)
                {
                    while (freeSlots[shard] > 0 && dispatch(lanes.get(shard), nowNs, shard, settings, random,
                        completions, latencyUs, levelOfType))
                    {
                        freeSlots[shard]--;
                    }
                }
            }
            else if (nowNs >= nextGrantNs)
            {
                nextGrantNs = nowNs + settings.periodNs();
                while (pooledSlots > 0)
                {
                    final int shard = highestWaiting(lanes);
                    if (shard < 0)
                    {
                        break;
                    }
                    dispatch(lanes.get(shard), nowNs, shard, settings, random, completions, latencyUs, levelOfType);
                    pooledSlots--;
                }
            }
        }

        final long[] completed = new long[PriorityPolicy.LEVELS + 1];
        final long[] p50 = new long[PriorityPolicy.LEVELS + 1];
        final long[] p99 = new long[PriorityPolicy.LEVELS + 1];
        final long[] max = new long[PriorityPolicy.LEVELS + 1];
        for (int level = 1; level <= PriorityPolicy.LEVELS; level++)
        {
            completed[level] = latencyUs[level].getTotalCount();
            p50[level] = latencyUs[level].getValueAtPercentile(50);
            p99[level] = latencyUs[level].getValueAtPercentile(99);
            max[level] = latencyUs[level].getMaxValue();
        }
        return new Result(settings.split(), shards, completed, p50, p99, max);
    }

    /**
     * Dispatch the shard's highest waiting message; its latency ends at its completion, known now.
     */
    private static boolean dispatch(
        final List<ArrayDeque<long[]>> shardLanes,
        final long nowNs,
        final int shard,
        final Settings settings,
        final SplittableRandom random,
        final PriorityQueue<long[]> completions,
        final Histogram[] latencyUs,
        final int[] levelOfType)
    {
        for (final ArrayDeque<long[]> lane : shardLanes)
        {
            final long[] message = lane.pollFirst();
            if (null != message)
            {
                final TrafficMix.Type type = settings.mix().type((int)message[1]);
                final long doneNs = nowNs + settings.serviceTimes().sampleNs(type.kind().value(), type.code(), random);
                completions.add(new long[]{ doneNs, shard });
                latencyUs[levelOfType[(int)message[1]]].recordValue(
                    Math.min(EngineMetrics.HIGHEST_TRACKABLE_US, Math.max(1, (doneNs - message[0]) / 1000)));
                return true;
            }
        }
        return false;
    }

    private static int highestWaiting(final List<List<ArrayDeque<long[]>>> lanes)
    {
        for (int level = 0; level < PriorityPolicy.LEVELS; level++)
        {
            int best = -1;
            long oldest = Long.MAX_VALUE;
            for (int shard = 0; shard < lanes.size(); shard++)
            {
                final long[] head = lanes.get(shard).get(level).peekFirst();
                if (null != head && head[0] < oldest)
                {
                    oldest = head[0];
                    best = shard;
                }
            }
            if (best >= 0)
            {
                return best;
            }
        }
        return -1;
    }

    private static boolean waiting(final List<List<ArrayDeque<long[]>>> lanes)
    {
        for (final List<ArrayDeque<long[]>> shard : lanes)
        {
            for (final ArrayDeque<long[]> lane : shard)
            {
                if (!lane.isEmpty())
                {
                    return true;
                }
            }
        }
        return false;
    }
}
