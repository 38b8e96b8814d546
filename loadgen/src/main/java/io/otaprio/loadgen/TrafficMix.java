package io.otaprio.loadgen;

import io.otaprio.config.ConfigException;
import io.otaprio.config.ConfigNode;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.SrvCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The share of each message type in generated traffic, read from {@code conf/traffic-mix.yaml}:
 * <pre>
 * messages:
 *   - { srv: "4.8.1", weight: 40, payloadBytes: 96 }    # Read Active Import Profile Data
 *   - { alert: 0x8F35, weight: 0.5 }                     # a supply alert
 *   - { srv: "2.2", kind: response, weight: 1 }          # kind defaults to service-request for srv
 *   - { dccAlert: "N24", weight: 0.1 }                  # a DCC alert, by its DUIS DCC alert code
 *   - { srv: "7.2", secondStepAfter: 2s, weight: 0.2 }   # a Critical command in two steps, the second 2 s later
 *   - { srv: "4.8.1", executeIn: 10m, weight: 5 }         # a future-dated request, to run 10 minutes after sending
 * </pre>
 * The shapes of real DUIS traffic, as both generators send them:
 * <ul>
 *     <li><b>Responses</b> ({@code kind: response}) answer an earlier request: when the mix also sends service
 *     requests of the same SRV, each response takes the RequestID (and originator and device) of the oldest such
 *     request not answered yet; with none to answer, it has a RequestID of its own.</li>
 *     <li><b>Critical commands</b> ({@code secondStepAfter}): a service request sent with CommandVariant 4 (for
 *     transformation) and, that long after, the same RequestID again with CommandVariant 5 (the signed
 *     pre-command). The second step is an extra message: the rate counts first steps. A second step that would fall
 *     due after the load has ended is not sent.</li>
 *     <li><b>Future-dated requests</b> ({@code executeIn}): over DUIS, an {@code ExecutionDateTime} that far after
 *     the send time; the TCP Submit has no due time, so over TCP they are sent as ordinary requests.</li>
 * </ul>
 * Weights are relative. Sampling is one uniform draw and a binary search over cumulative weights: no allocation.
 * <p>
 * Immutable once loaded.
 */
public final class TrafficMix
{
    private static final Set<String> ROOT_KEYS = Set.of("messages");
    private static final Set<String> ENTRY_KEYS = Set.of("srv", "alert", "dccAlert", "kind", "weight", "payloadBytes",
        "name", "secondStepAfter", "executeIn");
    private static final int PAYLOAD_BYTES_DEFAULT = 64;
    private static final long MAX_SECOND_STEP_NS = TimeUnit.HOURS.toNanos(1);
    private static final long MAX_EXECUTE_IN_NS = TimeUnit.DAYS.toNanos(30);

    /**
     * One message type: what every message of the type is made of. Built once, when the mix is read, and handed out
     * by reference, so drawing a type allocates nothing.
     *
     * @param kind         service request, response or alert.
     * @param code         packed SRV code or 16-bit alert code.
     * @param payloadBytes payload size in bytes.
     * @param label        the entry's {@code name}, or one made from the code, e.g. {@code srv 4.8.1} or
     *                     {@code alert 0x8F1C}.
     * @param secondStepAfterNs for a Critical command sent in two steps, the time from its first step (CommandVariant
     *                          4) to its second (the same RequestID, CommandVariant 5); 0 for any other message.
     * @param executeInNs       for a future-dated request, how long after its send time it is to run; 0 for any
     *                          other message.
     */
    public record Type(
        MessageKind kind,
        int code,
        int payloadBytes,
        String label,
        long secondStepAfterNs,
        long executeInNs)
    {
        /**
         * A message type of one step, not future-dated.
         *
         * @param kind         service request, response or alert.
         * @param code         packed SRV code, 16-bit alert code or packed DCC alert code.
         * @param payloadBytes payload size in bytes.
         * @param label        the name shown in reports.
         */
        public Type(final MessageKind kind, final int code, final int payloadBytes, final String label)
        {
            this(kind, code, payloadBytes, label, 0, 0);
        }

        /** @return whether it is a Critical command sent in two steps. */
        public boolean isTwoStep()
        {
            return secondStepAfterNs > 0;
        }

        /** @return whether it is a future-dated request. */
        public boolean isFutureDated()
        {
            return executeInNs > 0;
        }
    }

    private final String source;
    private final Type[] types;
    private final double[] shares;
    private final double[] cumulative;
    private final int[] answers;

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
        answers = new int[n];
        for (int i = 0; i < n; i++)
        {
            answers[i] = -1;
            if (MessageKind.RESPONSE == types[i].kind())
            {
                for (int j = 0; j < n && answers[i] < 0; j++)
                {
                    if (MessageKind.SERVICE_REQUEST == types[j].kind() && types[j].code() == types[i].code())
                    {
                        answers[i] = j;
                    }
                }
            }
        }
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
            final int given = (node.has("srv") ? 1 : 0) + (node.has("alert") ? 1 : 0) + (node.has("dccAlert") ? 1 : 0);
            if (1 != given)
            {
                throw node.error("give exactly one of srv, alert or dccAlert");
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
            long secondStepAfterNs = 0;
            long executeInNs = 0;
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
                if (node.has("secondStepAfter") || node.has("executeIn"))
                {
                    if (MessageKind.SERVICE_REQUEST != kind)
                    {
                        throw node.error("secondStepAfter and executeIn are for service requests, not responses");
                    }
                    if (node.has("secondStepAfter"))
                    {
                        secondStepAfterNs = node.child("secondStepAfter").asDurationNs(1, MAX_SECOND_STEP_NS);
                    }
                    if (node.has("executeIn"))
                    {
                        executeInNs = node.child("executeIn").asDurationNs(TimeUnit.SECONDS.toNanos(1),
                            MAX_EXECUTE_IN_NS);
                    }
                }
                label = "srv " + SrvCode.toString(code) + (secondStepAfterNs > 0 ? " critical" : "") +
                    (executeInNs > 0 ? " future-dated" : "");
            }
            else
            {
                if (node.has("kind") || node.has("secondStepAfter") || node.has("executeIn"))
                {
                    throw node.error("an alert entry takes no kind, secondStepAfter or executeIn");
                }
                kind = MessageKind.ALERT;
                if (node.has("alert"))
                {
                    code = node.child("alert").asInt(0, 0xFFFF);
                }
                else
                {
                    code = AlertCode.packDccAlertOrZero(node.child("dccAlert").asString());
                    if (0 == code)
                    {
                        throw node.child("dccAlert").error("a DCC alert code is 1 to " + AlertCode.MAX_DCC_ALERT_CHARS +
                            " characters of 0-9 and A-Z, such as \"N24\"");
                    }
                }
                label = "alert " + AlertCode.toString(code);
            }
            entries.add(new Entry(new Type(kind, code, payload, node.string("name", label), secondStepAfterNs,
                executeInNs), weight));
        }
        if (entries.isEmpty())
        {
            throw messages.error("the mix needs at least one message type");
        }
        return new TrafficMix(root.source(), entries);
    }

    /**
     * The same mix with the messages of one kind and code drawn at another share, their entries keeping their relative
     * weights and every other entry scaled to make room: a scenario's campaign of one SRV in the usual traffic.
     *
     * @param kind  the kind of the messages.
     * @param code  their SRV or alert code.
     * @param share their combined share of the draws, more than 0 and less than 1.
     * @param name  what they are, e.g. {@code SRV 11.1}: the new mix's {@link #source()} says which share they have.
     * @return a new mix.
     * @throws IllegalArgumentException if no entry is of that kind and code, or the share is out of range.
     */
    public TrafficMix withShare(final MessageKind kind, final int code, final double share, final String name)
    {
        if (!(share > 0 && share < 1))
        {
            throw new IllegalArgumentException("a share must be more than 0 and less than 1, got " + share);
        }
        double current = 0;
        for (int i = 0; i < types.length; i++)
        {
            current += matches(i, kind, code) ? shares[i] : 0;
        }
        if (!(current > 0) || !(current < 1))
        {
            throw new IllegalArgumentException("the mix " + source + " has " + (current > 0 ? "nothing but " : "no ") +
                name + " to draw at another share");
        }
        final List<Entry> entries = new ArrayList<>(types.length);
        for (int i = 0; i < types.length; i++)
        {
            entries.add(new Entry(types[i], shares[i] * (matches(i, kind, code) ? share / current :
                (1 - share) / (1 - current))));
        }
        return new TrafficMix(String.format(Locale.ROOT, "%s, %s at %.1f%%", source, name, 100 * share), entries);
    }

    private boolean matches(final int i, final MessageKind kind, final int code)
    {
        return types[i].kind() == kind && types[i].code() == code;
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

    /**
     * @param i type index.
     * @return for a response type, the index of the service-request type of the same SRV whose requests it answers
     * (the first such entry); -1 for any other type or when the mix sends no such request.
     */
    public int answers(final int i)
    {
        return answers[i];
    }

    /** @return the share of the mix's draws that are Critical commands, each followed by a second step. */
    public double twoStepShare()
    {
        double share = 0;
        for (int i = 0; i < types.length; i++)
        {
            share += types[i].isTwoStep() ? shares[i] : 0;
        }
        return share;
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
