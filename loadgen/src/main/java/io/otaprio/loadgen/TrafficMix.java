package io.otaprio.loadgen;

import io.otaprio.config.ConfigException;
import io.otaprio.config.ConfigNode;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The share of each message type in generated traffic, read from {@code conf/traffic-mix.yaml}:
 * <pre>
 * messages:
 *   - { srv: "4.8.1", weight: 40, payloadBytes: 96 }    # Read Active Import Profile Data
 *   - { alert: 0x8F35, weight: 0.5 }                     # a supply alert
 *   - { srv: "2.2", kind: response, weight: 1 }          # kind defaults to service-request for srv
 * </pre>
 * Weights are relative. Sampling is one uniform draw and a binary search over cumulative weights: no allocation.
 * <p>
 * Immutable once loaded.
 */
public final class TrafficMix
{
    private static final Set<String> ROOT_KEYS = Set.of("messages");
    private static final Set<String> ENTRY_KEYS = Set.of("srv", "alert", "kind", "weight", "payloadBytes", "name");
    private static final int PAYLOAD_BYTES_DEFAULT = 64;

    /**
     * One message type: what every message of the type is made of. Built once, when the mix is read, and handed out
     * by reference, so drawing a type allocates nothing.
     *
     * @param kind         service request, response or alert.
     * @param code         packed SRV code or 16-bit alert code.
     * @param payloadBytes payload size in bytes.
     * @param label        the entry's {@code name}, or one made from the code, e.g. {@code srv 4.8.1} or
     *                     {@code alert 0x8F7F}.
     */
    public record Type(MessageKind kind, int code, int payloadBytes, String label)
    {
    }

    private final String source;
    private final Type[] types;
    private final double[] shares;
    private final double[] cumulative;

    private TrafficMix(final String source, final List<Entry> entries)
    {
        this.source = source;
        final int n = entries.size();
        types = new Type[n];
        shares = new double[n];
        cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            final Entry e = entries.get(i);
            types[i] = e.type;
            shares[i] = e.weight;
            total += e.weight;
            cumulative[i] = total;
        }
        for (int i = 0; i < n; i++)
        {
            cumulative[i] /= total;
            shares[i] /= total;
        }
        cumulative[n - 1] = 1.0;
    }

    private record Entry(Type type, double weight)
    {
    }

    /**
     * @param file the mix file.
     * @return the mix.
     * @throws ConfigException naming file, line, entry and rule.
     */
    public static TrafficMix load(final Path file)
    {
        return read(ConfigNode.load(file));
    }

    /**
     * @param yaml   mix text.
     * @param source name used in errors.
     * @return the mix.
     */
    public static TrafficMix parse(final String yaml, final String source)
    {
        return read(ConfigNode.parse(yaml, source));
    }

    private static TrafficMix read(final ConfigNode root)
    {
        root.rejectUnknownKeys(ROOT_KEYS);
        final ConfigNode messages = root.child("messages");
        final List<Entry> entries = new ArrayList<>();
        for (final ConfigNode node : messages.elements())
        {
            node.rejectUnknownKeys(ENTRY_KEYS);
            if (node.has("srv") == node.has("alert"))
            {
                throw node.error("give exactly one of srv or alert");
            }
            final double weight = node.child("weight").asDouble(0, 1e12);
            if (!(weight > 0))
            {
                throw node.child("weight").error("weight must be > 0");
            }
            // The engine's largest (Configuration.MAX_PAYLOAD_BYTES_LIMIT); over TCP the wire's 65534 applies too.
            final int payload = node.intValue("payloadBytes", PAYLOAD_BYTES_DEFAULT, 0, 64 * 1024);
            final MessageKind kind;
            final int code;
            final String label;
            if (node.has("srv"))
            {
                final ConfigNode srv = node.child("srv");
                try
                {
                    code = SrvCode.parse(srv.asString());
                }
                catch (final IllegalArgumentException ex)
                {
                    throw srv.error(ex.getMessage());
                }
                final String kindText = node.string("kind", "service-request");
                switch (kindText)
                {
                    case "service-request" -> kind = MessageKind.SERVICE_REQUEST;
                    case "response" -> kind = MessageKind.RESPONSE;
                    default -> throw node.child("kind").error("kind of an srv entry must be service-request or " +
                        "response");
                }
                label = "srv " + SrvCode.toString(code);
            }
            else
            {
                if (node.has("kind"))
                {
                    throw node.child("kind").error("an alert entry takes no kind");
                }
                kind = MessageKind.ALERT;
                code = node.child("alert").asInt(0, 0xFFFF);
                label = String.format("alert 0x%04X", code);
            }
            entries.add(new Entry(new Type(kind, code, payload, node.string("name", label)), weight));
        }
        if (entries.isEmpty())
        {
            throw messages.error("the mix needs at least one message type");
        }
        return new TrafficMix(root.source(), entries);
    }

    /** @return where the mix came from. */
    public String source()
    {
        return source;
    }

    /** @return number of message types. */
    public int size()
    {
        return types.length;
    }

    /**
     * @param random the caller's source.
     * @return index of a message type drawn by weight.
     */
    public int sample(final SplittableRandom random)
    {
        final double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * @param i type index, 0 to {@link #size()} - 1, as {@link #sample} draws it.
     * @return the message type.
     */
    public Type type(final int i)
    {
        return types[i];
    }

    /** @return the largest payload of any type. */
    public int maxPayloadBytes()
    {
        int max = 0;
        for (final Type type : types)
        {
            max = Math.max(max, type.payloadBytes());
        }
        return max;
    }

    /**
     * @param serviceTimes the simulated DSP's.
     * @return mean service time over the mix, weighted by share.
     */
    public double meanServiceNs(final ServiceTimes serviceTimes)
    {
        double mean = 0;
        for (int i = 0; i < types.length; i++)
        {
            mean += shares[i] * serviceTimes.meanNs(types[i].kind().value(), types[i].code());
        }
        return mean;
    }

    /**
     * @param policy classification.
     * @return share of traffic per level, index 1..4.
     */
    public double[] levelShares(final PriorityPolicy policy)
    {
        final double[] byLevel = new double[PriorityPolicy.LEVELS + 1];
        for (int i = 0; i < types.length; i++)
        {
            byLevel[policy.level(policy.classify(types[i].kind(), types[i].code()))] += shares[i];
        }
        return byLevel;
    }
}
