package io.otaprio.policy;

import io.otaprio.config.ConfigException;
import io.otaprio.config.ConfigNode;
import io.otaprio.config.DurationText;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;
import org.agrona.collections.Int2IntHashMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which of the four strict priority levels a message belongs to, and which lane (ring) it queues in.
 * <p>
 * A policy is a list of rules read from a YAML file (the shipped default is {@code conf/priority-policy.yaml},
 * whose header documents the format). Each rule matches SRV codes, for service requests and their responses (a
 * response keeps its request's level), 16-bit device alert codes, or DCC alert codes, and gives them a level from 1
 * (highest) to {@link #LEVELS}:
 * <pre>
 *   srv: "2.2"        exact: SRV 2.2 only
 *   srv: "8.7.*"      prefix: 8.7 itself and everything below it (8.7.1, 8.7.2.3, ...)
 *   alert: 0x8F0F     one device alert code (GBCS)
 *   dccAlert: "N24"   one DCC alert code (DUIS DCCAlertMessage), packed by {@link AlertCode}
 * </pre>
 * The most specific rule wins: an exact rule, then the prefix rule with the most components. That is what lets
 * {@code 4.11.*} sit at level 3 inside a level-4 block of reads. Anything unmatched gets {@code defaultLevel}.
 * <p>
 * Given an {@link SrvCatalogue} (the file's {@code catalogue} key, or one passed to {@link #load(Path, SrvCatalogue)}),
 * the loader refuses an SRV rule that matches no SRV of the catalogue, naming the nearest codes, and logs a warning
 * for each catalogue SRV that falls to {@code defaultLevel}. Each rule remembers where it is written
 * ({@link #ruleSource(int)}) for {@code otaprio policy show}. None of this touches classification.
 * <p>
 * Classification returns a <em>rule index</em>; the level, lane and TRT budget of the message are then plain array
 * reads indexed by it, so the hot path is at most five hash probes of an {@link SrvTable} for an SRV code (one
 * exact, one per prefix depth, enabled by the packing of {@link SrvCode}), one array read for a device alert code
 * or one primitive hash probe for a DCC alert code: no
 * allocation, no strings, no exceptions. The first rule indices are the per-kind defaults; see
 * {@link #describeRule(int)}.
 * <p>
 * The {@link #fifo()} variant keeps every rule and level (so per-level figures are still reported) but sends every
 * message to lane 0: the "current arrangements" baseline the engine is compared against.
 * <p>
 * Threading: immutable once constructed; all state is in final fields, so any thread may call any method once the
 * instance has been handed over.
 */
public final class PriorityPolicy
{
    /**
     * Number of priority levels, 1 (highest) to 4.
     */
    public static final int LEVELS = 4;

    /**
     * Name of the one-lane baseline variant, and the policy spec that asks for it.
     */
    public static final String FIFO = "fifo";

    /**
     * Largest alert code: alert codes are 16 bits.
     */
    public static final int MAX_ALERT_CODE = 0xFFFF;

    private static final int DEFAULT_SERVICE_REQUEST_RULE = 0;
    private static final int DEFAULT_ALERT_RULE = 1;
    private static final int DEFAULT_RESPONSE_RULE = 2;
    private static final int DEFAULT_RULES = 3;

    private static final System.Logger LOG = System.getLogger(PriorityPolicy.class.getName());
    private static final Set<String> TOP_KEYS = Set.of("name", "catalogue", "defaultLevel", "trt", "rules");
    private static final Set<String> RULE_KEYS =
        Set.of("srv", "srvs", "alert", "alerts", "dccAlert", "dccAlerts", "level", "trt");
    private static final List<String> MATCH_KEYS = List.of("srv", "srvs", "alert", "alerts", "dccAlert", "dccAlerts");

    private final String name;
    private final boolean fifo;
    private final int defaultLevel;
    private final long[] levelTrtNs;
    private final SrvTable srvRule;
    private final int[] alertRule;
    private final Int2IntHashMap dccAlertRule;
    private final int[] ruleLevel;
    private final int[] ruleLane;
    private final long[] ruleTrtNs;
    private final String[] ruleDescription;
    private final String[] ruleSource;
    private final int[] namedAlerts;
    private final SrvCatalogue catalogue;

    /**
     * @param fifo false for the classed policy, each rule's messages in its level's lane; true for the fifo variant,
     *             every message in lane 0.
     */
    private PriorityPolicy(
        final String name,
        final boolean fifo,
        final int defaultLevel,
        final long[] levelTrtNs,
        final SrvTable srvRule,
        final int[] alertRule,
        final Int2IntHashMap dccAlertRule,
        final int[] ruleLevel,
        final long[] ruleTrtNs,
        final String[] ruleDescription,
        final String[] ruleSource,
        final int[] namedAlerts,
        final SrvCatalogue catalogue)
    {
        this.name = name;
        this.fifo = fifo;
        this.defaultLevel = defaultLevel;
        this.levelTrtNs = levelTrtNs;
        this.srvRule = srvRule;
        this.alertRule = alertRule;
        this.dccAlertRule = dccAlertRule;
        this.ruleLevel = ruleLevel;
        this.ruleTrtNs = ruleTrtNs;
        this.ruleDescription = ruleDescription;
        this.ruleSource = ruleSource;
        this.namedAlerts = namedAlerts;
        this.catalogue = catalogue;

        this.ruleLane = new int[ruleLevel.length];
        for (int i = 0; i < ruleLevel.length; i++)
        {
            ruleLane[i] = fifo ? 0 : ruleLevel[i] - 1;
        }
    }

    /**
     * Load a policy file, checked against the SRV catalogue its {@code catalogue} key names (a path relative to the
     * policy file), if it names one.
     *
     * @param file such as {@code conf/priority-policy.yaml}.
     * @return the policy.
     * @throws ConfigException naming the file, line, entry and rule broken when the file is missing or invalid, its
     *                         catalogue cannot be loaded or a rule matches no SRV of it.
     */
    public static PriorityPolicy load(final Path file)
    {
        return from(ConfigNode.load(file), baseName(String.valueOf(file.getFileName())), null, directoryOf(file));
    }

    /**
     * Load a policy file and check it against the catalogue given, whatever its {@code catalogue} key says.
     *
     * @param file      such as {@code conf/priority-policy.yaml}.
     * @param catalogue to check the rules against; {@link SrvCatalogue#none()} checks nothing.
     * @return the policy.
     * @throws ConfigException naming the file, line, entry and rule broken when the file is missing or invalid or a
     *                         rule matches no SRV of the catalogue.
     */
    public static PriorityPolicy load(final Path file, final SrvCatalogue catalogue)
    {
        Objects.requireNonNull(catalogue, "catalogue");
        return from(ConfigNode.load(file), baseName(String.valueOf(file.getFileName())), catalogue, directoryOf(file));
    }

    /**
     * Parse a policy from text. A {@code catalogue} key in the text is read relative to the directory of
     * {@code sourceName}; without one nothing is checked against a catalogue.
     *
     * @param yaml       the policy document.
     * @param sourceName the name errors give for it, such as {@code "test-policy.yaml"}.
     * @return the policy.
     * @throws ConfigException naming the source, line, entry and rule broken when the text is invalid.
     */
    public static PriorityPolicy parse(final String yaml, final String sourceName)
    {
        return from(ConfigNode.parse(yaml, sourceName), baseName(sourceName), null, directoryOf(Path.of(sourceName)));
    }

    /**
     * Parse a policy from text and check it against the catalogue given.
     *
     * @param yaml       the policy document.
     * @param sourceName the name errors give for it, such as {@code "test-policy.yaml"}.
     * @param catalogue  to check the rules against; {@link SrvCatalogue#none()} checks nothing.
     * @return the policy.
     * @throws ConfigException naming the source, line, entry and rule broken when the text is invalid or a rule
     *                         matches no SRV of the catalogue.
     */
    public static PriorityPolicy parse(final String yaml, final String sourceName, final SrvCatalogue catalogue)
    {
        Objects.requireNonNull(catalogue, "catalogue");
        return from(ConfigNode.parse(yaml, sourceName), baseName(sourceName), catalogue, Path.of("."));
    }

    /**
     * @return the same classes, levels and TRT budgets with every message in lane 0; this policy if it is already
     * the fifo variant.
     */
    public PriorityPolicy fifo()
    {
        // The fifo variant shares the lookup tables of the classed policy; only the lanes differ.
        return fifo ? this : new PriorityPolicy(
            FIFO, true, defaultLevel, levelTrtNs, srvRule, alertRule, dccAlertRule, ruleLevel, ruleTrtNs,
            ruleDescription, ruleSource, namedAlerts, catalogue);
    }

    /**
     * @return {@value #FIFO} for the fifo variant, otherwise the {@code name} in the file or, failing that, the
     * file name without its extension.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return true for the one-lane baseline.
     */
    public boolean isFifo()
    {
        return fifo;
    }

    /**
     * Classify a message. Hot path: no allocation and never throws; an invalid SRV code, an out-of-range alert code
     * or an unknown kind simply gets the default rule.
     *
     * @param kind of the message; {@link MessageKind#ALERT} reads {@code code} as an alert code, the other kinds
     *             as a packed SRV code.
     * @param code packed {@link SrvCode} or 16-bit alert code.
     * @return the index of the rule that matched, {@code >= 0}, for {@link #level(int)}, {@link #lane(int)} and
     * {@link #trtNs(int)}.
     */
    public int classify(final MessageKind kind, final int code)
    {
        if (MessageKind.ALERT == kind)
        {
            // A DCC alert's packed code is never below 0x10000 and misses the map when no rule names it.
            return AlertCode.isDeviceAlert(code) ? alertRule[code] : dccAlertRule.get(code);
        }

        final int defaultRule = MessageKind.RESPONSE == kind ? DEFAULT_RESPONSE_RULE : DEFAULT_SERVICE_REQUEST_RULE;
        // An invalid code (a component after an absent one) matches nothing, so it gets the default rule too.
        final int rule = srvRule.match(code);
        return SrvTable.MISSING != rule ? rule : defaultRule;
    }

    /**
     * @param rule from {@link #classify(MessageKind, int)}.
     * @return the class level of the message, 1 (highest) to {@link #LEVELS}; the same under fifo, so figures
     * are still reported per level.
     */
    public int level(final int rule)
    {
        return ruleLevel[rule];
    }

    /**
     * @param rule from {@link #classify(MessageKind, int)}.
     * @return the lane (ring) the message queues in, 0 to {@code LEVELS - 1}: {@code level - 1}, or always 0 under
     * fifo.
     */
    public int lane(final int rule)
    {
        return ruleLane[rule];
    }

    /**
     * @param rule from {@link #classify(MessageKind, int)}.
     * @return the TRT budget of messages matched by the rule: its own override, or the budget of its level.
     */
    public long trtNs(final int rule)
    {
        return ruleTrtNs[rule];
    }

    /**
     * @param level 1 to {@link #LEVELS}.
     * @return the lane messages of that level queue in: {@code level - 1}, or 0 under fifo.
     */
    public int laneOfLevel(final int level)
    {
        return fifo ? 0 : level - 1;
    }

    /**
     * @param level 1 to {@link #LEVELS}.
     * @return the TRT budget of the level.
     */
    public long levelTrtNs(final int level)
    {
        return levelTrtNs[level];
    }

    /**
     * @return the level of anything no rule matches.
     */
    public int defaultLevel()
    {
        return defaultLevel;
    }

    /**
     * @return the number of rule indices, including the per-kind defaults; indices run from 0 to this minus 1.
     */
    public int ruleCount()
    {
        return ruleLevel.length;
    }

    /**
     * Cold path, for tables and logs.
     *
     * @param rule index.
     * @return such as {@code "srv 8.7.* -> level 2"}, {@code "alert 0x8F0F -> level 1, trt 500ms"} or
     * {@code "default alert -> level 4"}.
     */
    public String describeRule(final int rule)
    {
        return ruleDescription[rule];
    }

    /**
     * Cold path, for tables: where the rule is written.
     *
     * @param rule index.
     * @return {@code file:line}, such as {@code conf/priority-policy.yaml:57}, or {@code default} for a per-kind
     * default rule.
     */
    public String ruleSource(final int rule)
    {
        return ruleSource[rule];
    }

    /**
     * @param rule index.
     * @return true when it is one of the per-kind defaults: nothing in the file matched.
     */
    public boolean isDefault(final int rule)
    {
        return rule < DEFAULT_RULES;
    }

    /**
     * @return the SRV catalogue the rules were checked against, {@link SrvCatalogue#none()} when none was given.
     */
    public SrvCatalogue catalogue()
    {
        return catalogue;
    }

    /**
     * Cold path, for comparing policies.
     *
     * @return every alert code a rule names, device alert codes and packed DCC alert codes ({@link AlertCode}),
     * ascending; a copy.
     */
    public int[] namedAlerts()
    {
        return namedAlerts.clone();
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return "PriorityPolicy{name=" + name + ", rules=" + (ruleCount() - DEFAULT_RULES) + ", defaultLevel=" +
            defaultLevel + ", fifo=" + fifo + '}';
    }

    private static String baseName(final String sourceName)
    {
        final int slash = Math.max(sourceName.lastIndexOf('/'), sourceName.lastIndexOf('\\'));
        final String text = sourceName.substring(slash + 1);
        if (text.endsWith(".yaml"))
        {
            return text.substring(0, text.length() - 5);
        }
        if (text.endsWith(".yml"))
        {
            return text.substring(0, text.length() - 4);
        }
        return text;
    }

    private static Path directoryOf(final Path file)
    {
        final Path parent = file.getParent();
        return null == parent ? Path.of(".") : parent;
    }

    /**
     * @param given the catalogue to check against, or null for the one the file's {@code catalogue} key names.
     * @param base  the directory a {@code catalogue} path is relative to.
     */
    private static PriorityPolicy from(
        final ConfigNode root, final String fallbackName, final SrvCatalogue given, final Path base)
    {
        root.rejectUnknownKeys(TOP_KEYS);
        final SrvCatalogue catalogue = null != given ? given : catalogueOf(root, base);

        final String name = root.string("name", fallbackName).trim();
        if (name.isEmpty() || FIFO.equals(name))
        {
            final ConfigNode at = root.has("name") ? root.child("name") : root;
            throw at.error(name.isEmpty() ?
                "empty policy name" : "the name \"" + FIFO + "\" is kept for the one-lane baseline");
        }

        final int defaultLevel = parseLevel(root.child("defaultLevel"));
        final long[] levelTrtNs = parseLevelBudgets(root.child("trt"));

        final List<RuleSpec> specs = new ArrayList<>();
        final Map<Long, RuleSpec> byPattern = new HashMap<>();
        for (final ConfigNode rule : root.child("rules").elements())
        {
            parseRule(rule, specs, byPattern, catalogue);
        }

        final int ruleCount = DEFAULT_RULES + specs.size();
        final int[] ruleLevel = new int[ruleCount];
        final long[] ruleTrtNs = new long[ruleCount];
        final String[] ruleDescription = new String[ruleCount];
        final String[] ruleSource = new String[ruleCount];
        final SrvTable srvRule = new SrvTable();
        final int[] alertRule = new int[MAX_ALERT_CODE + 1];
        Arrays.fill(alertRule, DEFAULT_ALERT_RULE);
        final Int2IntHashMap dccAlertRule = new Int2IntHashMap(DEFAULT_ALERT_RULE);

        final String[] defaultNames = { "default service request", "default alert", "default response" };
        for (int i = 0; i < DEFAULT_RULES; i++)
        {
            ruleLevel[i] = defaultLevel;
            ruleTrtNs[i] = levelTrtNs[defaultLevel];
            ruleDescription[i] = defaultNames[i] + " -> level " + defaultLevel;
            ruleSource[i] = "default";
        }

        for (int i = 0; i < specs.size(); i++)
        {
            final RuleSpec spec = specs.get(i);
            final int rule = DEFAULT_RULES + i;
            ruleLevel[rule] = spec.level;
            ruleTrtNs[rule] = spec.trtNs > 0 ? spec.trtNs : levelTrtNs[spec.level];
            ruleDescription[rule] = spec.description();
            ruleSource[rule] = root.source() + ":" + spec.line;
            switch (spec.type)
            {
                case EXACT_SRV:
                    srvRule.putExact(spec.code, rule);
                    break;
                case PREFIX_SRV:
                    srvRule.putPrefix(spec.code, rule);
                    break;
                case ALERT:
                    alertRule[spec.code] = rule;
                    break;
                case DCC_ALERT:
                    dccAlertRule.put(spec.code, rule);
                    break;
                default:
                    throw new IllegalStateException(spec.type.name());
            }
        }

        final PriorityPolicy policy = new PriorityPolicy(
            name,
            false,
            defaultLevel,
            levelTrtNs,
            srvRule,
            alertRule,
            dccAlertRule,
            ruleLevel,
            ruleTrtNs,
            ruleDescription,
            ruleSource,
            specs.stream().filter(RuleSpec::isAlert).mapToInt(spec -> spec.code).sorted().toArray(),
            catalogue);
        policy.warnOfDefaultedSrvs(root.source());
        return policy;
    }

    /**
     * One warning per catalogue SRV that no rule matches: a new SRV (a new DUIS release) should be placed on purpose,
     * not silently by the default.
     */
    private void warnOfDefaultedSrvs(final String source)
    {
        for (final SrvCatalogue.Srv srv : catalogue.srvs())
        {
            if (isDefault(classify(MessageKind.SERVICE_REQUEST, srv.code())))
            {
                LOG.log(System.Logger.Level.WARNING, source + ": SRV " + srv.text() + " " + srv.name() +
                    " matches no rule: it falls to defaultLevel " + defaultLevel + " (catalogue " + catalogue.source() +
                    ")");
            }
        }
    }

    private static SrvCatalogue catalogueOf(final ConfigNode root, final Path base)
    {
        final ConfigNode node = root.optionalChild("catalogue");
        if (null == node)
        {
            return SrvCatalogue.none();
        }
        final Path file = base.resolve(node.asString().trim());
        try
        {
            return SrvCatalogue.load(file);
        }
        catch (final ConfigException ex)
        {
            throw node.error("cannot load the SRV catalogue: " + ex.getMessage());
        }
    }

    private static long[] parseLevelBudgets(final ConfigNode trt)
    {
        final long[] levelTrtNs = new long[LEVELS + 1];
        for (final String key : trt.keys())
        {
            final ConfigNode budget = trt.child(key);
            final int level;
            try
            {
                level = Integer.parseInt(key.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw budget.error("unknown level \"" + key + "\": expected 1 (highest) to " + LEVELS);
            }
            if (level < 1 || level > LEVELS)
            {
                throw budget.error("unknown level " + level + ": expected 1 (highest) to " + LEVELS);
            }
            levelTrtNs[level] = parseTrt(budget);
        }

        for (int level = 1; level <= LEVELS; level++)
        {
            if (0 == levelTrtNs[level])
            {
                throw trt.error("missing TRT budget for level " + level + ": every level from 1 to " + LEVELS +
                    " needs one");
            }
        }

        return levelTrtNs;
    }

    private static void parseRule(
        final ConfigNode rule, final List<RuleSpec> specs, final Map<Long, RuleSpec> byPattern,
        final SrvCatalogue catalogue)
    {
        if (!rule.isMapping())
        {
            throw rule.error("a rule is a mapping such as { srv: \"2.2\", level: 1 }");
        }
        rule.rejectUnknownKeys(RULE_KEYS);

        String matchKey = null;
        for (final String key : MATCH_KEYS)
        {
            if (rule.has(key))
            {
                if (null != matchKey)
                {
                    throw rule.error("a rule takes exactly one of " + String.join(", ", MATCH_KEYS) + ": found both " +
                        matchKey + " and " + key);
                }
                matchKey = key;
            }
        }
        if (null == matchKey)
        {
            throw rule.error("a rule needs exactly one of " + String.join(", ", MATCH_KEYS) +
                ", to say what it matches");
        }

        final int level = parseLevel(rule.child("level"));
        final ConfigNode trt = rule.optionalChild("trt");
        final long trtNs = null == trt ? 0 : parseTrt(trt);

        final ConfigNode match = rule.child(matchKey);
        final List<ConfigNode> patterns;
        if (matchKey.endsWith("s"))
        {
            patterns = match.elements();
            if (patterns.isEmpty())
            {
                throw match.error("empty list: name at least one code");
            }
        }
        else
        {
            patterns = List.of(match);
        }

        for (final ConfigNode pattern : patterns)
        {
            final RuleSpec spec;
            if (matchKey.startsWith("alert"))
            {
                spec = parseAlert(pattern, level, trtNs);
            }
            else if (matchKey.startsWith("dccAlert"))
            {
                spec = parseDccAlert(pattern, level, trtNs);
            }
            else
            {
                spec = parseSrv(pattern, level, trtNs, catalogue);
            }
            final RuleSpec first = byPattern.putIfAbsent(spec.key(), spec);
            if (null != first)
            {
                throw pattern.error("duplicate rule: " + spec.pattern() + " is already given level " + first.level +
                    " at line " + first.line + " (" + first.entry + ")");
            }
            specs.add(spec);
        }
    }

    private static RuleSpec parseSrv(
        final ConfigNode node, final int level, final long trtNs, final SrvCatalogue catalogue)
    {
        final String text = node.asString().trim();
        final int star = text.indexOf('*');
        final boolean prefix = star >= 0;
        String codeText = text;
        if (prefix)
        {
            if ("*".equals(text))
            {
                throw node.error("bad wildcard: \"*\" alone would match every SRV; use defaultLevel for that");
            }
            if (star != text.length() - 1 || !text.endsWith(".*"))
            {
                throw node.error("bad wildcard in SRV pattern \"" + text +
                    "\": \"*\" may only end a pattern, after a dot, as in 8.7.*");
            }
            codeText = text.substring(0, text.length() - 2);
        }

        final int code;
        try
        {
            code = SrvCode.parse(codeText);
        }
        catch (final IllegalArgumentException ex)
        {
            throw node.error(ex.getMessage());
        }

        final RuleSpec spec = new RuleSpec(prefix ? RuleType.PREFIX_SRV : RuleType.EXACT_SRV, code, level, trtNs, node);
        if (catalogue.isGiven() && (prefix ? !catalogue.hasCodeUnder(code) : null == catalogue.find(code)))
        {
            throw node.error("rule " + spec.description() + " matches no SRV of the catalogue " + catalogue.source() +
                " (" + catalogue.duisVersion() + "); nearest: " + String.join(", ", catalogue.nearest(code)));
        }
        return spec;
    }

    private static RuleSpec parseAlert(final ConfigNode node, final int level, final long trtNs)
    {
        final String text = node.asString().trim();
        final long code;
        try
        {
            code = node.asLong(Long.MIN_VALUE, Long.MAX_VALUE);
        }
        catch (final ConfigException ex)
        {
            throw node.error("malformed alert code \"" + text +
                "\": expected a 16-bit code, 0x0000 to 0xFFFF, or decimal 0 to 65535");
        }
        if (code < 0 || code > MAX_ALERT_CODE)
        {
            throw node.error("alert code " + text + " out of range: expected 0x0000 to 0xFFFF");
        }

        return new RuleSpec(RuleType.ALERT, (int)code, level, trtNs, node);
    }

    private static RuleSpec parseDccAlert(final ConfigNode node, final int level, final long trtNs)
    {
        final String text = node.asString().trim();
        final int code = AlertCode.packDccAlertOrZero(text);
        if (0 == code)
        {
            throw node.error("malformed DCC alert code \"" + text + "\": expected 1 to " +
                AlertCode.MAX_DCC_ALERT_CHARS + " characters of 0-9 and A-Z, such as N24");
        }
        return new RuleSpec(RuleType.DCC_ALERT, code, level, trtNs, node);
    }

    private static int parseLevel(final ConfigNode node)
    {
        final String text = node.asString().trim();
        final int level;
        try
        {
            level = Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            throw node.error("unknown level \"" + text + "\": expected 1 (highest) to " + LEVELS);
        }
        if (level < 1 || level > LEVELS)
        {
            throw node.error("unknown level " + level + ": expected 1 (highest) to " + LEVELS);
        }
        return level;
    }

    private static long parseTrt(final ConfigNode node)
    {
        final long ns = node.asDurationNs();
        if (ns <= 0)
        {
            throw node.error("invalid TRT budget: must be more than 0");
        }
        return ns;
    }

    private enum RuleType
    {
        EXACT_SRV,
        PREFIX_SRV,
        ALERT,
        DCC_ALERT
    }

    /**
     * One pattern of the file, with where it was written so a duplicate can point back at it.
     */
    private static final class RuleSpec
    {
        final RuleType type;
        final int code;
        final int level;
        final long trtNs;
        final int line;
        final String entry;

        RuleSpec(final RuleType type, final int code, final int level, final long trtNs, final ConfigNode node)
        {
            this.type = type;
            this.code = code;
            this.level = level;
            this.trtNs = trtNs;
            this.line = node.line();
            this.entry = node.path();
        }

        /**
         * Exact and prefix rules on the same code are different patterns ("8.7" vs "8.7.*"), so the type is part
         * of the key.
         */
        long key()
        {
            return ((long)type.ordinal() << 32) | (code & 0xFFFF_FFFFL);
        }

        boolean isAlert()
        {
            return RuleType.ALERT == type || RuleType.DCC_ALERT == type;
        }

        String pattern()
        {
            switch (type)
            {
                case EXACT_SRV:
                    return "srv " + SrvCode.toString(code);
                case PREFIX_SRV:
                    return "srv " + SrvCode.toString(code) + ".*";
                case DCC_ALERT:
                    return "dccAlert " + AlertCode.toString(code);
                default:
                    return String.format("alert 0x%04X", code);
            }
        }

        String description()
        {
            final String description = pattern() + " -> level " + level;
            return trtNs > 0 ? description + ", trt " + DurationText.format(trtNs) : description;
        }
    }
}
