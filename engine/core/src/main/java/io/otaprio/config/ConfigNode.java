package io.otaprio.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node of a YAML configuration file — a mapping, a sequence or a scalar — that remembers where it came from,
 * so every complaint about it can name the file, the line and the entry ({@link ConfigException}).
 * <p>
 * The file is read with SnakeYAML's node API ({@code Yaml.compose}) rather than into Java maps: nodes keep their
 * line marks and the raw text of every scalar, so {@code srv: 7.10} stays the text {@code "7.10"} instead of
 * becoming the float {@code 7.1}, and {@code alert: 0x8F0F} is read exactly as written. Only the safe constructor
 * is configured; no Java types are ever instantiated from the file.
 * <p>
 * Typical use, validating everything up front:
 * <pre>{@code
 *   final ConfigNode root = ConfigNode.load(Path.of("conf/otaprio.yaml"));
 *   root.rejectUnknownKeys(Set.of("scheduler", "dsp"));
 *   final ConfigNode dsp = root.child("dsp");
 *   dsp.rejectUnknownKeys(Set.of("slots", "serviceTime"));
 *   final int slots = dsp.intValue("slots", 8, 1, 1024);
 *   final long serviceTimeNs = dsp.durationNs("serviceTime", 5_000_000L, 1, Long.MAX_VALUE);
 *   if (slots % 2 != 0)
 *   {
 *       // conf/otaprio.yaml:7: dsp.slots "3": slots must be even
 *       throw dsp.child("slots").error("slots must be even");
 *   }
 * }</pre>
 * Rules of the reading layer, the same for every file:
 * <ul>
 *   <li>Duplicate keys in a mapping are an error (SnakeYAML's composer does not check them, so this class does,
 *       for the whole document, as soon as it is read).</li>
 *   <li>A key present with no value ({@code key:} or {@code key: ~}) is an error, not "use the default".</li>
 *   <li>Integers are decimal or {@code 0x} hexadecimal; booleans are {@code true} or {@code false}; durations are
 *       as {@link DurationText} reads them.</li>
 *   <li>An empty document reads as an empty mapping.</li>
 * </ul>
 * Threading: built and read by one thread at start-up; immutable once returned, but not meant for the hot path.
 */
public final class ConfigNode
{
    private static final int MAX_VALUE_SHOWN = 60;

    private final String source;
    private final String path;
    private final Node node;

    private ConfigNode(final String source, final String path, final Node node)
    {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    /**
     * Read a YAML file.
     *
     * @param file to read; its name as given is the source named in every error.
     * @return the root node.
     * @throws ConfigException when the file is missing, unreadable, not valid YAML or has duplicate keys.
     */
    public static ConfigNode load(final Path file)
    {
        final String source = file.toString();
        if (!Files.exists(file))
        {
            throw new ConfigException(source, 0, "", "file not found");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            return read(reader, source);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(source, 0, "", "file not found", ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(source, 0, "", "cannot read file: " + ex, ex);
        }
    }

    /**
     * Read YAML text, as tests and embedded defaults do.
     *
     * @param yaml   the document.
     * @param source the name to give in errors, such as {@code "test-policy.yaml"}.
     * @return the root node.
     * @throws ConfigException when the text is not valid YAML or has duplicate keys.
     */
    public static ConfigNode parse(final String yaml, final String source)
    {
        return read(new StringReader(yaml), source);
    }

    /**
     * Read YAML from a reader, which the caller closes.
     *
     * @param reader of the document.
     * @param source the name to give in errors.
     * @return the root node.
     * @throws ConfigException when the text is not valid YAML or has duplicate keys.
     */
    public static ConfigNode read(final Reader reader, final String source)
    {
        final LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        final Yaml yaml = new Yaml(new SafeConstructor(options));

        Node root;
        try
        {
            root = yaml.compose(reader);
        }
        catch (final MarkedYAMLException ex)
        {
            final Mark mark = null != ex.getProblemMark() ? ex.getProblemMark() : ex.getContextMark();
            final StringBuilder rule = new StringBuilder("malformed YAML: ");
            if (null != ex.getContext())
            {
                rule.append(ex.getContext()).append(", ");
            }
            rule.append(ex.getProblem());
            if (null != mark)
            {
                rule.append(" (column ").append(mark.getColumn() + 1).append(')');
            }
            throw new ConfigException(source, null == mark ? 0 : mark.getLine() + 1, "", rule.toString(), ex);
        }
        catch (final YAMLException ex)
        {
            throw new ConfigException(source, 0, "", "malformed YAML: " + ex.getMessage(), ex);
        }

        if (null == root)
        {
            root = new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.AUTO);
        }
        final ConfigNode rootNode = new ConfigNode(source, "", root);
        rootNode.checkKeys(new IdentityHashMap<>());

        return rootNode;
    }

    /**
     * @return the file this node came from, as the user named it.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return the 1-based line where this node starts.
     */
    public int line()
    {
        return lineOf(node);
    }

    /**
     * @return where this node sits in the document, such as {@code rules[3].srv}; empty for the root.
     */
    public String path()
    {
        return path;
    }

    /**
     * @return the entry as errors name it: the path, plus the value in quotes for a scalar, such as
     * {@code rules[3].srv "2..2"}.
     */
    public String entry()
    {
        if (node instanceof ScalarNode && !isNull())
        {
            String value = ((ScalarNode)node).getValue();
            if (value.length() > MAX_VALUE_SHOWN)
            {
                value = value.substring(0, MAX_VALUE_SHOWN) + "...";
            }
            return path.isEmpty() ? '"' + value + '"' : path + " \"" + value + '"';
        }
        return path;
    }

    /**
     * Build the exception for a rule this node breaks, naming the file, line and entry. The caller throws it, so
     * that the compiler sees the control flow: {@code throw node.error("...")}.
     *
     * @param rule the rule broken, such as {@code "unknown level 5: expected 1 to 4"}.
     * @return the exception to throw.
     */
    public ConfigException error(final String rule)
    {
        return new ConfigException(source, line(), entry(), rule);
    }

    /**
     * @return true when this node is a mapping of keys to values.
     */
    public boolean isMapping()
    {
        return node instanceof MappingNode;
    }

    /**
     * @return true when this node is a sequence.
     */
    public boolean isSequence()
    {
        return node instanceof SequenceNode;
    }

    /**
     * @return true when this node is a single value (including an empty one).
     */
    public boolean isScalar()
    {
        return node instanceof ScalarNode;
    }

    /**
     * @return true when this node is an empty value: {@code key:}, {@code ~} or {@code null} unquoted.
     */
    public boolean isNull()
    {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /**
     * @return the keys of this mapping in document order.
     * @throws ConfigException when this node is not a mapping.
     */
    public List<String> keys()
    {
        final List<NodeTuple> tuples = mapping().getValue();
        final List<String> keys = new ArrayList<>(tuples.size());
        for (final NodeTuple tuple : tuples)
        {
            keys.add(((ScalarNode)tuple.getKeyNode()).getValue());
        }
        return keys;
    }

    /**
     * @param key to look for.
     * @return true when this mapping has the key, even with an empty value.
     * @throws ConfigException when this node is not a mapping.
     */
    public boolean has(final String key)
    {
        return null != find(key);
    }

    /**
     * @param key of a required entry.
     * @return the value under the key.
     * @throws ConfigException when this node is not a mapping or the key is missing.
     */
    public ConfigNode child(final String key)
    {
        final ConfigNode child = optionalChild(key);
        if (null == child)
        {
            throw error("missing required key \"" + key + "\"");
        }
        return child;
    }

    /**
     * @param key of an optional entry.
     * @return the value under the key, or null when the key is absent.
     * @throws ConfigException when this node is not a mapping.
     */
    public ConfigNode optionalChild(final String key)
    {
        final Node value = find(key);
        return null == value ? null : new ConfigNode(source, childPath(key), value);
    }

    /**
     * Refuse keys this mapping is not expected to have, so a misspelt setting is an error rather than silently
     * ignored.
     *
     * @param allowed the keys that mean something here.
     * @throws ConfigException naming the first unknown key, its line and the keys allowed.
     */
    public void rejectUnknownKeys(final Set<String> allowed)
    {
        for (final NodeTuple tuple : mapping().getValue())
        {
            final String key = ((ScalarNode)tuple.getKeyNode()).getValue();
            if (!allowed.contains(key))
            {
                throw new ConfigException(source, lineOf(tuple.getKeyNode()), path,
                    "unknown key \"" + key + "\": expected one of " + new TreeSet<>(allowed));
            }
        }
    }

    /**
     * @return the elements of this sequence in order; their paths are {@code path[i]}.
     * @throws ConfigException when this node is not a sequence.
     */
    public List<ConfigNode> elements()
    {
        if (!(node instanceof SequenceNode))
        {
            throw error("expected a list, found " + describeShape());
        }
        final List<Node> values = ((SequenceNode)node).getValue();
        final List<ConfigNode> elements = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++)
        {
            elements.add(new ConfigNode(source, path + "[" + i + "]", values.get(i)));
        }
        return Collections.unmodifiableList(elements);
    }

    /**
     * @return the raw text of this scalar, exactly as written (without quotes).
     * @throws ConfigException when this node is empty or not a scalar.
     */
    public String asString()
    {
        if (!(node instanceof ScalarNode))
        {
            throw error("expected a single value, found " + describeShape());
        }
        if (isNull())
        {
            throw error("missing value");
        }
        return ((ScalarNode)node).getValue();
    }

    /**
     * @return this scalar as an int, decimal or {@code 0x} hexadecimal.
     * @throws ConfigException when it is not an integer that fits an int.
     */
    public int asInt()
    {
        return asInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /**
     * @param min smallest value allowed.
     * @param max largest value allowed.
     * @return this scalar as an int, decimal or {@code 0x} hexadecimal.
     * @throws ConfigException when it is not an integer from {@code min} to {@code max}.
     */
    public int asInt(final int min, final int max)
    {
        return (int)asLong(min, max);
    }

    /**
     * @param min smallest value allowed.
     * @param max largest value allowed.
     * @return this scalar as a long, decimal or {@code 0x} hexadecimal.
     * @throws ConfigException when it is not an integer from {@code min} to {@code max}.
     */
    public long asLong(final long min, final long max)
    {
        final String text = asString().trim();
        final long value;
        try
        {
            value = parseInteger(text);
        }
        catch (final NumberFormatException ex)
        {
            throw error("not an integer: expected " + range(min, max));
        }
        if (value < min || value > max)
        {
            throw error("out of range: expected " + range(min, max));
        }
        return value;
    }

    /**
     * @param min smallest value allowed.
     * @param max largest value allowed.
     * @return this scalar as a double.
     * @throws ConfigException when it is not a finite number from {@code min} to {@code max}.
     */
    public double asDouble(final double min, final double max)
    {
        final String text = asString().trim();
        final double value;
        try
        {
            value = Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw error("not a number: expected a number from " + min + " to " + max);
        }
        if (!Double.isFinite(value) || value < min || value > max)
        {
            throw error("out of range: expected a number from " + min + " to " + max);
        }
        return value;
    }

    /**
     * @return this scalar as a boolean.
     * @throws ConfigException when it is not {@code true} or {@code false}.
     */
    public boolean asBoolean()
    {
        final String text = asString().trim();
        if ("true".equalsIgnoreCase(text))
        {
            return true;
        }
        if ("false".equalsIgnoreCase(text))
        {
            return false;
        }
        throw error("expected true or false");
    }

    /**
     * @return this scalar as a duration in nanoseconds, as {@link DurationText#parseNs(String)} reads it.
     * @throws ConfigException when it is not a duration.
     */
    public long asDurationNs()
    {
        return asDurationNs(0, Long.MAX_VALUE);
    }

    /**
     * @param minNs shortest duration allowed.
     * @param maxNs longest duration allowed.
     * @return this scalar as a duration in nanoseconds.
     * @throws ConfigException when it is not a duration from {@code minNs} to {@code maxNs}.
     */
    public long asDurationNs(final long minNs, final long maxNs)
    {
        final long ns;
        try
        {
            ns = DurationText.parseNs(asString());
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(ex.getMessage());
        }
        if (ns < minNs || ns > maxNs)
        {
            throw error("out of range: expected a duration " + durationRange(minNs, maxNs));
        }
        return ns;
    }

    /**
     * @param key          of an optional string entry.
     * @param defaultValue when the key is absent.
     * @return the value or the default.
     */
    public String string(final String key, final String defaultValue)
    {
        final ConfigNode child = optionalChild(key);
        return null == child ? defaultValue : child.asString();
    }

    /**
     * @param key          of an optional integer entry.
     * @param defaultValue when the key is absent.
     * @param min          smallest value allowed.
     * @param max          largest value allowed.
     * @return the value or the default.
     */
    public int intValue(final String key, final int defaultValue, final int min, final int max)
    {
        return (int)longValue(key, defaultValue, min, max);
    }

    /**
     * @param key          of an optional integer entry.
     * @param defaultValue when the key is absent.
     * @param min          smallest value allowed.
     * @param max          largest value allowed.
     * @return the value or the default.
     */
    public long longValue(final String key, final long defaultValue, final long min, final long max)
    {
        final ConfigNode child = optionalChild(key);
        return null == child ? defaultValue : child.asLong(min, max);
    }

    /**
     * @param key            of an optional duration entry.
     * @param defaultValueNs when the key is absent.
     * @param minNs          shortest duration allowed.
     * @param maxNs          longest duration allowed.
     * @return the value or the default, in nanoseconds.
     */
    public long durationNs(final String key, final long defaultValueNs, final long minNs, final long maxNs)
    {
        final ConfigNode child = optionalChild(key);
        return null == child ? defaultValueNs : child.asDurationNs(minNs, maxNs);
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return source + ":" + line() + ": " + entry();
    }

    private MappingNode mapping()
    {
        if (!(node instanceof MappingNode))
        {
            throw error("expected a mapping of key: value entries, found " + describeShape());
        }
        return (MappingNode)node;
    }

    private Node find(final String key)
    {
        for (final NodeTuple tuple : mapping().getValue())
        {
            if (key.equals(((ScalarNode)tuple.getKeyNode()).getValue()))
            {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private String childPath(final String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String describeShape()
    {
        if (node instanceof MappingNode)
        {
            return "a mapping";
        }
        if (node instanceof SequenceNode)
        {
            return "a list";
        }
        return isNull() ? "an empty value" : "a single value";
    }

    /**
     * Walk the whole document once: every key must be a plain scalar and appear once per mapping. Aliases can
     * make the graph share nodes (or loop), hence the visited set.
     */
    private void checkKeys(final IdentityHashMap<Node, Boolean> visited)
    {
        if (null != visited.put(node, Boolean.TRUE))
        {
            return;
        }
        if (node instanceof MappingNode)
        {
            final List<NodeTuple> tuples = ((MappingNode)node).getValue();
            final Map<String, Node> seen = new HashMap<>();
            for (final NodeTuple tuple : tuples)
            {
                final Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode) || Tag.NULL.equals(keyNode.getTag()))
                {
                    throw new ConfigException(source, lineOf(keyNode), path, "keys must be plain values");
                }
                final String key = ((ScalarNode)keyNode).getValue();
                final Node first = seen.putIfAbsent(key, keyNode);
                if (null != first)
                {
                    throw new ConfigException(source, lineOf(keyNode), childPath(key),
                        "duplicate key \"" + key + "\": first defined at line " + lineOf(first));
                }
                new ConfigNode(source, childPath(key), tuple.getValueNode()).checkKeys(visited);
            }
        }
        else if (node instanceof SequenceNode)
        {
            final List<Node> values = ((SequenceNode)node).getValue();
            for (int i = 0; i < values.size(); i++)
            {
                new ConfigNode(source, path + "[" + i + "]", values.get(i)).checkKeys(visited);
            }
        }
    }

    private static int lineOf(final Node node)
    {
        final Mark mark = node.getStartMark();
        return null == mark ? 1 : mark.getLine() + 1;
    }

    private static long parseInteger(final String text)
    {
        int i = 0;
        boolean negative = false;
        if (text.startsWith("-") || text.startsWith("+"))
        {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        final String digits = text.substring(i);
        if (digits.isEmpty() || digits.charAt(0) == '-' || digits.charAt(0) == '+')
        {
            throw new NumberFormatException(text);
        }
        final long magnitude;
        if (digits.startsWith("0x") || digits.startsWith("0X"))
        {
            final String hex = digits.substring(2);
            if (hex.isEmpty() || hex.charAt(0) == '-' || hex.charAt(0) == '+')
            {
                throw new NumberFormatException(text);
            }
            magnitude = Long.parseLong(hex, 16);
        }
        else
        {
            magnitude = Long.parseLong(digits, 10);
        }
        return negative ? -magnitude : magnitude;
    }

    private static String range(final long min, final long max)
    {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE || min == Integer.MIN_VALUE && max == Integer.MAX_VALUE)
        {
            return "an integer";
        }
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE)
        {
            return "an integer of at least " + min;
        }
        return "an integer from " + min + " to " + max;
    }

    private static String durationRange(final long minNs, final long maxNs)
    {
        if (maxNs == Long.MAX_VALUE)
        {
            return minNs <= 0 ? "of any length" : "of at least " + DurationText.format(minNs);
        }
        return "from " + DurationText.format(minNs) + " to " + DurationText.format(maxNs);
    }
}
