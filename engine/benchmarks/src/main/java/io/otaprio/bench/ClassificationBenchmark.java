package io.otaprio.bench;

import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link PriorityPolicy#classify} on the shipped policy ({@code conf/priority-policy.yaml}, found under the
 * {@code otaprio.home} system property, else under the working directory) for a realistic mix of messages: levels
 * in the 5/7/12/76% mix, and within each level service requests, responses and alerts drawn from codes the file
 * names, exact SRVs, SRVs matched by a prefix rule ({@code 8.7.*}, {@code 4.8.*}), and codes no rule names (the
 * default level). Each op classifies the next entry of a fixed shuffled array of 4,096.
 * <p>
 * Baseline in the same run: {@link #mixReadBaseline}, the same loop reading the entry without classifying it.
 * <p>
 * Every entry's level is checked against what the policy says at set-up, so the mix is the one described.
 * <p>
 * Threading: one benchmark thread; the policy is immutable.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ClassificationBenchmark
{
    /** The shipped policy, relative to the home directory. */
    static final String POLICY_FILE = "conf/priority-policy.yaml";

    private static final int MIX_LENGTH = 4096;
    private static final long SEED = 0xC1A55L;

    /** Per level: codes as "srv:2.2" (request or response) or "alert:0x8F32". */
    private static final String[][] CODES_OF_LEVEL = {
        {},
        { "srv:2.2", "srv:2.5", "srv:7.1", "srv:7.2", "srv:7.4", "alert:0x8F32", "alert:0x8F0F", "alert:0x8F57" },
        { "srv:8.1.1", "srv:8.7.1", "srv:8.7.2", "srv:8.14.1", "srv:8.12.1", "srv:8.8.1", "srv:11.2",
            "alert:0x8F69", "alert:0x8F49" },
        { "srv:1.1.1", "srv:1.2.2", "srv:4.1.1", "srv:4.1.3", "srv:4.11.1", "srv:4.18", "srv:7.10", "srv:2.3" },
        { "srv:4.8.1", "srv:4.8", "srv:4.4.2", "srv:4.13", "srv:5.1", "srv:5.3", "srv:6.2.1", "srv:6.2.5",
            "srv:11.1", "srv:8.9", "srv:14.1", "srv:13.1", "srv:4.99", "alert:0x8002", "alert:0x8F1C" },
    };

    final MessageKind[] kinds = new MessageKind[MIX_LENGTH];
    final int[] codes = new int[MIX_LENGTH];
    PriorityPolicy policy;
    int next;

    /** Load the shipped policy and build the mix; check every entry classifies to its intended level. */
    @Setup(Level.Trial)
    public void load()
    {
        final String home = System.getProperty("otaprio.home");
        final Path file = (null == home ? Path.of("") : Path.of(home)).resolve(POLICY_FILE).toAbsolutePath();
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("ClassificationBenchmark needs the shipped policy at " + file +
                ": run from the repository root or pass -Dotaprio.home=<repository> (-jvmArgsAppend)");
        }
        policy = PriorityPolicy.load(file);

        final int[] levels = BenchmarkMessages.levelMix(MIX_LENGTH, SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < MIX_LENGTH; i++)
        {
            final int level = levels[i];
            final String[] candidates = CODES_OF_LEVEL[level];
            final String code = candidates[random.nextInt(candidates.length)];
            if (code.startsWith("alert:"))
            {
                kinds[i] = MessageKind.ALERT;
                codes[i] = Integer.decode(code.substring("alert:".length()));
            }
            else
            {
                // Requests and their responses in about equal numbers: both are classified by the SRV rules.
                kinds[i] = random.nextBoolean() ? MessageKind.SERVICE_REQUEST : MessageKind.RESPONSE;
                codes[i] = SrvCode.parse(code.substring("srv:".length()));
            }
            final int classified = policy.level(policy.classify(kinds[i], codes[i]));
            if (classified != level)
            {
                throw new IllegalStateException("mix entry " + code + " (" + kinds[i] + ") is level " + classified +
                    " under " + file + ", meant to be level " + level);
            }
        }
    }

    /** @return the rule of the next message (consumed by JMH). */
    @Benchmark
    public int classify()
    {
        final int i = next++ & (MIX_LENGTH - 1);
        return policy.classify(kinds[i], codes[i]);
    }

    /** @return the next entry's code plus its kind's ordinal (consumed by JMH): the loop without classifying. */
    @Benchmark
    public int mixReadBaseline()
    {
        final int i = next++ & (MIX_LENGTH - 1);
        return codes[i] + kinds[i].ordinal();
    }
}
