package io.otaprio.policy;

import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Classification against a model that is obviously right and obviously slow: scan every rule, keep the most
 * specific match. Codes are drawn from a small component space so that rules overlap and collide often.
 */
class PriorityPolicyModelTest
{
    private static final PriorityPolicy SHIPPED = PriorityPolicy.load(Path.of("../../conf/priority-policy.yaml"));

    private static final int RUNS = 300;

    @Test
    void classifyShouldAgreeWithLinearScanChoosingTheMostSpecificRule()
    {
        for (long seed = 1; seed <= RUNS; seed++)
        {
            final SplittableRandom random = new SplittableRandom(seed);
            final List<GeneratedRule> rules = distinctPatterns(randomRules(random));
            final int defaultLevel = 1 + random.nextInt(PriorityPolicy.LEVELS);
            final PriorityPolicy policy = PriorityPolicy.parse(toYaml(rules, defaultLevel), "generated.yaml");
            final PriorityPolicy fifo = policy.fifo();
            final String context = "seed " + seed + ": ";

            final int queries = 1 + random.nextInt(50);
            for (int q = 0; q < queries; q++)
            {
                final Query query = randomQuery(random);
                final int rule = policy.classify(query.kind, query.code);
                final GeneratedRule expected = mostSpecific(rules, query.kind, query.code);

                assertTrue(rule >= 0 && rule < policy.ruleCount(), context + query);
                if (null == expected)
                {
                    assertEquals(defaultLevel, policy.level(rule), context + query);
                    assertTrue(policy.describeRule(rule).startsWith("default "), context + query);
                }
                else
                {
                    assertEquals(expected.level, policy.level(rule), context + query);
                    assertEquals(expected.pattern() + " -> level " + expected.level, policy.describeRule(rule),
                        context + query);
                }
                assertEquals(policy.level(rule) - 1, policy.lane(rule), context + query);
                assertEquals(rule, fifo.classify(query.kind, query.code), context + query);
                assertEquals(0, fifo.lane(rule), context + query);
            }
        }
    }

    @Test
    void classifyShouldNeverThrowAndAlwaysGiveAValidLevelAndLane()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final int[] edges = { 0, -1, 1, 0xFFFF, 0x10000, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x01000001 };
        for (int i = 0; i < 100_000; i++)
        {
            final MessageKind kind = MessageKind.values()[random.nextInt(MessageKind.values().length)];
            final int code = i < edges.length ? edges[i] : random.nextInt();
            final int rule = SHIPPED.classify(kind, code);

            assertTrue(rule >= 0 && rule < SHIPPED.ruleCount(), kind + " " + code);
            assertTrue(SHIPPED.level(rule) >= 1 && SHIPPED.level(rule) <= PriorityPolicy.LEVELS);
            assertEquals(SHIPPED.level(rule) - 1, SHIPPED.lane(rule));
            assertTrue(SHIPPED.trtNs(rule) > 0);
        }
    }

    private static List<GeneratedRule> randomRules(final SplittableRandom random)
    {
        final int count = random.nextInt(41);
        final List<GeneratedRule> rules = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final RuleType type = RuleType.values()[random.nextInt(RuleType.values().length)];
            final int code = RuleType.ALERT == type ? randomAlertCode(random) : randomSrvCode(random, 3);
            rules.add(new GeneratedRule(type, code, 1 + random.nextInt(PriorityPolicy.LEVELS)));
        }
        return rules;
    }

    private static Query randomQuery(final SplittableRandom random)
    {
        final MessageKind kind = MessageKind.values()[random.nextInt(MessageKind.values().length)];
        final int pick = random.nextInt(10);
        final int code = pick < 6 ? randomSrvCode(random, SrvCode.MAX_COMPONENTS) :
            pick < 9 ? randomAlertCode(random) : random.nextInt();
        return new Query(kind, code);
    }

    /**
     * Valid SRV codes with up to {@code maxComponents} components, each 1 to 3, so that rules overlap often.
     */
    private static int randomSrvCode(final SplittableRandom random, final int maxComponents)
    {
        final int components = 1 + random.nextInt(maxComponents);
        int code = 0;
        for (int i = 0; i < components; i++)
        {
            code |= (1 + random.nextInt(3)) << (24 - 8 * i);
        }
        return code;
    }

    private static int randomAlertCode(final SplittableRandom random)
    {
        return random.nextBoolean() ? random.nextInt(9) : random.nextInt(0x10000);
    }

    private static List<GeneratedRule> distinctPatterns(final List<GeneratedRule> generated)
    {
        final Set<String> seen = new HashSet<>();
        final List<GeneratedRule> rules = new ArrayList<>();
        for (final GeneratedRule rule : generated)
        {
            if (seen.add(rule.pattern()))
            {
                rules.add(rule);
            }
        }
        return rules;
    }

    private static String toYaml(final List<GeneratedRule> rules, final int defaultLevel)
    {
        final StringBuilder sb = new StringBuilder()
            .append("defaultLevel: ").append(defaultLevel).append('\n')
            .append("trt: {1: 1s, 2: 2s, 3: 3s, 4: 4s}\n")
            .append(rules.isEmpty() ? "rules: []\n" : "rules:\n");
        for (final GeneratedRule rule : rules)
        {
            sb.append("  - { ").append(rule.yaml()).append(", level: ").append(rule.level).append(" }\n");
        }
        return sb.toString();
    }

    /**
     * The reference model: a linear scan. An exact rule is more specific than any prefix; a prefix is as specific
     * as its number of components.
     */
    private static GeneratedRule mostSpecific(final List<GeneratedRule> rules, final MessageKind kind, final int code)
    {
        GeneratedRule best = null;
        int bestSpecificity = -1;
        if (MessageKind.ALERT == kind)
        {
            for (final GeneratedRule rule : rules)
            {
                if (RuleType.ALERT == rule.type && rule.code == code)
                {
                    best = rule;
                }
            }
            return best;
        }
        if (!SrvCode.isValid(code))
        {
            return null;
        }

        final int codeComponents = SrvCode.components(code);
        for (final GeneratedRule rule : rules)
        {
            int specificity = -1;
            if (RuleType.EXACT == rule.type && rule.code == code)
            {
                specificity = SrvCode.MAX_COMPONENTS + 1;
            }
            else if (RuleType.PREFIX == rule.type)
            {
                final int ruleComponents = SrvCode.components(rule.code);
                if (ruleComponents <= codeComponents && SrvCode.prefix(code, ruleComponents) == rule.code)
                {
                    specificity = ruleComponents;
                }
            }
            if (specificity > bestSpecificity)
            {
                bestSpecificity = specificity;
                best = rule;
            }
        }
        return best;
    }

    enum RuleType
    {
        EXACT,
        PREFIX,
        ALERT
    }

    static final class GeneratedRule
    {
        final RuleType type;
        final int code;
        final int level;

        GeneratedRule(final RuleType type, final int code, final int level)
        {
            this.type = type;
            this.code = code;
            this.level = level;
        }

        String pattern()
        {
            switch (type)
            {
                case EXACT:
                    return "srv " + SrvCode.toString(code);
                case PREFIX:
                    return "srv " + SrvCode.toString(code) + ".*";
                default:
                    return String.format("alert 0x%04X", code);
            }
        }

        String yaml()
        {
            switch (type)
            {
                case EXACT:
                    return "srv: \"" + SrvCode.toString(code) + "\"";
                case PREFIX:
                    return "srv: \"" + SrvCode.toString(code) + ".*\"";
                default:
                    // decimal and hex both accepted: alternate to exercise both
                    return "alert: " + (0 == (code & 1) ? Integer.toString(code) : "0x" + Integer.toHexString(code));
            }
        }

        public String toString()
        {
            return pattern() + " -> level " + level;
        }
    }

    static final class Query
    {
        final MessageKind kind;
        final int code;

        Query(final MessageKind kind, final int code)
        {
            this.kind = kind;
            this.code = code;
        }

        public String toString()
        {
            return kind + " " + (MessageKind.ALERT == kind ? String.format("0x%X", code) :
                SrvCode.toString(code) + String.format(" (0x%08X)", code));
        }
    }
}
