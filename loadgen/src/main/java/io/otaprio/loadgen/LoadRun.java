package io.otaprio.loadgen;

import io.otaprio.metrics.LevelReport;

import java.util.List;

/**
 * What one open-loop load was and what it measured per level, whoever carried its messages: the engine in-process
 * ({@code simulate}), over TCP ({@code loadgen}, {@code demo}) or a broker ({@code peer-rabbitmq}). Every result
 * carries one, so that results read side by side. Latency is from each message's intended send time (coordinated
 * omission corrected).
 *
 * @param scenario          steady, burst or alert-storm.
 * @param policy            name of the policy that classified the messages ("fifo" for the baseline).
 * @param capacityPerSecond the simulated DSP's capacity for this mix.
 * @param durationSeconds   length of the offered load.
 * @param drainSeconds      time after the load until the last completion or the drain timeout.
 * @param levels            per level, 1..4 in order.
 * @param profile           the phases, described.
 * @param seed              random seed of the arrivals.
 */
public record LoadRun(
    String scenario,
    String policy,
    double capacityPerSecond,
    double durationSeconds,
    double drainSeconds,
    List<LevelReport> levels,
    String profile,
    long seed)
{
    /**
     * @param level 1..4.
     * @return that level's row.
     */
    public LevelReport level(final int level)
    {
        return levels.get(level - 1);
    }
}
