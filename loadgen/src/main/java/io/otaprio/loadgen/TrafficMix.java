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

    private final String source;
    private final int[] kinds;
    private final int[] codes;
    private final int[] payloadBytes;
    private final double[] cumulative;
    private final double[] weights;
    private final String[] labels;

    private TrafficMix(final String source, final List<Entry> entries)
    {
        this.source = source;
        final int n = entries.size();
        kinds = new int[n];
        codes = new int[n];
        payloadBytes = new int[n];
        cumulative = new double[n];
        weights = new double[n];
        labels = new String[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            final Entry e = entries.get(i);
            kinds[i] = e.kind.value();
            codes[i] = e.code;
            payloadBytes[i] = e.payloadBytes;
            weights[i] = e.weight;
            labels[i] = e.label;
            total += e.weight;
            cumulative[i] = total;
        }
        for (int i = 0; i < n; i++)
        {
            cumulative[i] /= total;
            weights[i] /= total;
        }
        cumulative[n - 1] = 1.0;
    }

    private record Entry(MessageKind kind, int code, double weight, int payloadBytes, String label)
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
            final int payload = node.intValue("payloadBytes", PAYLOAD_BYTES_DEFAULT, 0, 1 << 20);
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
            entries.add(new Entry(kind, code, weight, payload, node.string("name", label)));
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
        return kinds.length;
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
     * @param i type index.
     * @return its kind value.
     */
    public int kind(final int i)
    {
        return kinds[i];
    }

    /**
     * @param i type index.
     * @return its code.
     */
    public int code(final int i)
    {
        return codes[i];
    }

    /**
     * @param i type index.
     * @return its payload size.
     */
    public int payloadBytes(final int i)
    {
        return payloadBytes[i];
    }

    /**
     * @param i type index.
     * @return its share of traffic, 0..1.
     */
    public double share(final int i)
    {
        return weights[i];
    }

    /**
     * @param i type index.
     * @return its name.
     */
    public String label(final int i)
    {
        return labels[i];
    }

    /** @return the largest payload of any type. */
    public int maxPayloadBytes()
    {
        int max = 0;
        for (final int p : payloadBytes)
        {
            max = Math.max(max, p);
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
        for (int i = 0; i < kinds.length; i++)
        {
            mean += weights[i] * serviceTimes.meanNs(kinds[i], codes[i]);
        }
        return mean;
    }

    /**
     * @param policy classification.
     * @return share of traffic per level, index 1..4.
     */
    public double[] levelShares(final PriorityPolicy policy)
    {
        final double[] shares = new double[PriorityPolicy.LEVELS + 1];
        for (int i = 0; i < kinds.length; i++)
        {
            final MessageKind kind = MessageKind.fromValue(kinds[i]);
            shares[policy.level(policy.classify(kind, codes[i]))] += weights[i];
        }
        return shares;
    }
}
