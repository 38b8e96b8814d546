package io.otaprio.server;

import io.otaprio.cluster.ClusterConfiguration;
import io.otaprio.config.ConfigNode;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.IdleStrategySpec;
import io.otaprio.engine.ThreadingMode;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The options that override how an engine runs its configuration, the same for {@code engine} and {@code simulate}:
 * the policy, the scheduler's idle strategy and the threading mode.
 */
public final class EngineOverrides
{
    @Option(names = "--policy", paramLabel = "FILE|fifo",
        description = "Priority policy file, or fifo for the one-lane baseline (default: the configuration's).")
    private String policy;

    @Option(names = "--idle", paramLabel = "STRATEGY",
        description = "Scheduler idle strategy: busy-spin, noop, yielding, backoff, sleeping[:PERIOD] " +
            "(default: the configuration's scheduler.idle).")
    private String idle;

    @Option(names = "--threading", paramLabel = "MODE",
        description = "dedicated (a thread per agent) or shared (one thread for every agent) " +
            "(default: the configuration's).")
    private String threading;

    /**
     * @param configFile the engine configuration.
     * @param policy     a policy file, or {@code fifo}, instead of the configuration's; null for the configuration's.
     * @return a new context read from the file with that policy.
     */
    public static EngineContext read(final Path configFile, final String policy)
    {
        // A cluster node's file is an engine's file too: its cluster section is checked, and not needed here.
        return read(configFile, policy, Map.of(ClusterConfiguration.SECTION, ClusterConfiguration::read));
    }

    /**
     * @param configFile the engine configuration.
     * @param policy     a policy to use instead of the file's, or null.
     * @param sections   readers of extra sections the file may hold (a cluster node's {@code cluster:}).
     * @return a new context read from the file with that policy.
     */
    public static EngineContext read(
        final Path configFile,
        final String policy,
        final Map<String, Consumer<ConfigNode>> sections)
    {
        final EngineContext ctx = ConfigurationFile.read(configFile, sections);
        if (null != policy)
        {
            ctx.policyFile(ConfigurationFile.policyOverride(policy, configFile));
        }
        return ctx;
    }

    /**
     * @param configFile the engine configuration.
     * @return a new context read from it with the overrides given applied.
     */
    public EngineContext read(final Path configFile)
    {
        return read(configFile, Map.of());
    }

    /**
     * @param configFile the engine configuration.
     * @param sections   readers of extra sections the file may hold (a cluster node's {@code cluster:}).
     * @return a new context read from it with the overrides given applied.
     */
    public EngineContext read(final Path configFile, final Map<String, Consumer<ConfigNode>> sections)
    {
        final EngineContext ctx = read(configFile, policy, sections);
        if (null != idle)
        {
            ctx.schedulerIdleStrategy(IdleStrategySpec.parse(idle));
        }
        if (null != threading)
        {
            ctx.threadingMode(ThreadingMode.forProcess("--threading", threading));
        }
        return ctx;
    }
}
