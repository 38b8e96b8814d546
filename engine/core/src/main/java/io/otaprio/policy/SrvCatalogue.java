package io.otaprio.policy;

import io.otaprio.config.ConfigNode;
import io.otaprio.protocol.SrvCode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DUIS Service Request catalogue: every SRV a DCC User can send, with its name, whether it is Critical, whether
 * it is a Non-Device request and who holds it when it is future-dated. The shipped one is
 * {@code conf/duis-srvs.yaml}, whose header documents the format and cites its sources.
 * <p>
 * A {@link PriorityPolicy} loaded with a catalogue refuses a rule that matches none of its SRVs and logs every SRV
 * that falls to its default level; {@link #none()} is the catalogue of a policy built without one, which checks
 * nothing. The catalogue is never consulted when a message is classified.
 * <p>
 * Threading: immutable once loaded; any thread may read it.
 */
public final class SrvCatalogue
{
    private static final SrvCatalogue NONE = new SrvCatalogue("", "", List.of());
    private static final Set<String> TOP_KEYS = Set.of("duisVersion", "srvs");
    private static final Set<String> SRV_KEYS = Set.of("srv", "name", "critical", "nonDevice", "futureDated");
    private static final int NEAREST_SHOWN = 3;

    private final String source;
    private final String duisVersion;
    private final List<Srv> srvs;
    private final Map<Integer, Srv> byCode = new HashMap<>();

    private SrvCatalogue(final String source, final String duisVersion, final List<Srv> srvs)
    {
        this.source = source;
        this.duisVersion = duisVersion;
        this.srvs = Collections.unmodifiableList(srvs);
        for (final Srv srv : srvs)
        {
            byCode.put(srv.code, srv);
        }
    }

    /**
     * Who holds a future-dated request until it falls due.
     */
    public enum FutureDated
    {
        /** The device holds it: it is sent now with its execution date-time. */
        DEVICE("device"),
        /** The DSP holds it and sends it when it falls due. */
        DSP("dsp"),
        /** Either, depending on the request. */
        DSP_AND_DEVICE("dsp-and-device"),
        /** It cannot be future-dated. */
        NO("no");

        private final String text;

        FutureDated(final String text)
        {
            this.text = text;
        }

        /**
         * @return as the catalogue writes it, such as {@code dsp-and-device}.
         */
        public String text()
        {
            return text;
        }
    }

    /**
     * One SRV of the catalogue.
     *
     * @param code        packed {@link SrvCode}.
     * @param name        the DUIS Service Request name.
     * @param critical    true when the DCC returns it as a pre-command for the User to sign.
     * @param nonDevice   true when the DCC answers it itself and it never crosses the SM WAN.
     * @param futureDated who holds it when it is future-dated.
     * @param line        where it is written in the catalogue file.
     */
    public record Srv(int code, String name, boolean critical, boolean nonDevice, FutureDated futureDated, int line)
    {
        /**
         * @return the dotted code, such as {@code 4.1.1}.
         */
        public String text()
        {
            return SrvCode.toString(code);
        }
    }

    /**
     * @return the catalogue of a policy built without one: no SRVs, and nothing is checked against it.
     */
    public static SrvCatalogue none()
    {
        return NONE;
    }

    /**
     * Load a catalogue file.
     *
     * @param file such as {@code conf/duis-srvs.yaml}.
     * @return the catalogue.
     * @throws io.otaprio.config.ConfigException naming the file, line, entry and rule broken when the file is missing
     *                                           or invalid.
     */
    public static SrvCatalogue load(final Path file)
    {
        return from(ConfigNode.load(file));
    }

    /**
     * Parse a catalogue from text.
     *
     * @param yaml       the catalogue document.
     * @param sourceName the name errors give for it.
     * @return the catalogue.
     * @throws io.otaprio.config.ConfigException naming the source, line, entry and rule broken when the text is
     *                                           invalid.
     */
    public static SrvCatalogue parse(final String yaml, final String sourceName)
    {
        return from(ConfigNode.parse(yaml, sourceName));
    }

    /**
     * @return false for {@link #none()}: a policy checks its rules only against a catalogue that is given.
     */
    public boolean isGiven()
    {
        return this != NONE;
    }

    /**
     * @return the file the catalogue came from, as the user named it; empty for {@link #none()}.
     */
    public String source()
    {
        return source;
    }

    /**
     * @return the DUIS version the catalogue says it lists; empty for {@link #none()}.
     */
    public String duisVersion()
    {
        return duisVersion;
    }

    /**
     * @return every SRV in the order of the file.
     */
    public List<Srv> srvs()
    {
        return srvs;
    }

    /**
     * @param code packed SRV code.
     * @return the SRV, or null when the catalogue does not list the code.
     */
    public Srv find(final int code)
    {
        return byCode.get(code);
    }

    /**
     * @param prefixCode packed code of a prefix, {@code 8.7} for the pattern {@code 8.7.*}.
     * @return true when the catalogue lists the code itself or any code below it.
     */
    public boolean hasCodeUnder(final int prefixCode)
    {
        final int depth = SrvCode.components(prefixCode);
        for (final Srv srv : srvs)
        {
            if (SrvCode.components(srv.code) >= depth && SrvCode.prefix(srv.code, depth) == prefixCode)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Cold path, for error messages: the SRVs closest to a code that is not listed, those sharing the most leading
     * components first, then the nearest by the first component that differs.
     *
     * @param code packed SRV code.
     * @return up to three dotted codes, one per branch, such as {@code 4.4.2, 4.6.1, 4.3} for {@code 4.5}.
     */
    public List<String> nearest(final int code)
    {
        final List<Srv> sorted = new ArrayList<>(srvs);
        sorted.sort(Comparator.comparingInt((Srv srv) -> -sharedComponents(srv.code, code))
            .thenComparingInt(srv -> distance(srv.code, code))
            .thenComparingInt(Srv::code));
        // One code per branch, so that 4.5 shows 4.4.2, 4.6.1, 4.3 rather than three children of 4.4.
        final List<String> nearest = new ArrayList<>(NEAREST_SHOWN);
        final Set<Integer> branches = new HashSet<>();
        for (int i = 0; i < sorted.size() && nearest.size() < NEAREST_SHOWN; i++)
        {
            final int candidate = sorted.get(i).code;
            final int depth = Math.min(SrvCode.components(candidate), sharedComponents(candidate, code) + 1);
            if (branches.add(SrvCode.prefix(candidate, depth)))
            {
                nearest.add(SrvCode.toString(candidate));
            }
        }
        return nearest;
    }

    /**
     * {@inheritDoc}
     */
    public String toString()
    {
        return isGiven() ? source + " (" + duisVersion + ", " + srvs.size() + " SRVs)" : "no SRV catalogue";
    }

    private static int sharedComponents(final int a, final int b)
    {
        int shared = 0;
        while (shared < SrvCode.MAX_COMPONENTS && component(a, shared) == component(b, shared) &&
            0 != component(a, shared))
        {
            shared++;
        }
        return shared;
    }

    private static int distance(final int a, final int b)
    {
        final int at = sharedComponents(a, b);
        return at == SrvCode.MAX_COMPONENTS ? 0 : Math.abs(component(a, at) - component(b, at));
    }

    private static int component(final int code, final int index)
    {
        return (code >>> (24 - 8 * index)) & 0xFF;
    }

    private static SrvCatalogue from(final ConfigNode root)
    {
        root.rejectUnknownKeys(TOP_KEYS);
        final String duisVersion = root.child("duisVersion").asString().trim();
        if (duisVersion.isEmpty())
        {
            throw root.child("duisVersion").error("empty DUIS version: say which DUIS release the catalogue lists");
        }

        final List<ConfigNode> entries = root.child("srvs").elements();
        if (entries.isEmpty())
        {
            throw root.child("srvs").error("empty list: a catalogue lists at least one SRV");
        }
        final List<Srv> srvs = new ArrayList<>(entries.size());
        final Map<Integer, Srv> seen = new HashMap<>();
        for (final ConfigNode entry : entries)
        {
            if (!entry.isMapping())
            {
                throw entry.error("an SRV is a mapping such as { srv: \"4.1.1\", name: \"Read Instantaneous Import " +
                    "Registers\", critical: false, nonDevice: false, futureDated: dsp }");
            }
            entry.rejectUnknownKeys(SRV_KEYS);
            final Srv srv = parseSrv(entry);
            final Srv first = seen.putIfAbsent(srv.code, srv);
            if (null != first)
            {
                throw entry.child("srv").error("duplicate SRV " + srv.text() + ": already listed at line " +
                    first.line);
            }
            srvs.add(srv);
        }

        return new SrvCatalogue(root.source(), duisVersion, srvs);
    }

    private static Srv parseSrv(final ConfigNode entry)
    {
        final ConfigNode codeNode = entry.child("srv");
        final int code;
        try
        {
            code = SrvCode.parse(codeNode.asString().trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw codeNode.error(ex.getMessage());
        }

        final ConfigNode nameNode = entry.child("name");
        final String name = nameNode.asString().trim();
        if (name.isEmpty())
        {
            throw nameNode.error("empty name: give the DUIS Service Request name");
        }

        final ConfigNode futureNode = entry.child("futureDated");
        final String futureText = futureNode.asString().trim();
        FutureDated futureDated = null;
        for (final FutureDated value : FutureDated.values())
        {
            if (value.text.equals(futureText))
            {
                futureDated = value;
            }
        }
        if (null == futureDated)
        {
            throw futureNode.error("unknown futureDated \"" + futureText + "\": expected device, dsp, dsp-and-device " +
                "or no");
        }

        return new Srv(code, name, entry.child("critical").asBoolean(), entry.child("nonDevice").asBoolean(),
            futureDated, codeNode.line());
    }
}
