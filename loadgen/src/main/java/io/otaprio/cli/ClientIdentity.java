package io.otaprio.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A TLS client as {@code ./otaprio certs --client NAME=EUI64[,EUI64...]} names it: the name its certificate's CN
 * carries and its files are called by, and the originator EUI-64s it may submit under.
 *
 * @param name        the client's name: 1 to 64 of {@code A-Z a-z 0-9 _ . -}.
 * @param originators the originator EUI-64s, 16 upper-case hex digits each, in the order given.
 */
record ClientIdentity(String name, List<String> originators)
{
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{16}");
    // The names of the CA's and the server's files: a client called so would overwrite them.
    private static final Set<String> RESERVED = Set.of("ca", "server");

    /**
     * Parse every {@code --client} of a command line.
     *
     * @param specs each {@code NAME=EUI64[,EUI64...]}.
     * @return the clients, in the order given.
     * @throws IllegalArgumentException naming the rule and the value broken: a malformed spec, a bad or reserved
     *                                  name, a name given twice (ignoring case: the files of two clients whose names
     *                                  differ only in case are one file on some file systems), a bad EUI-64 or one
     *                                  given twice for a client.
     */
    static List<ClientIdentity> parseAll(final List<String> specs)
    {
        final List<ClientIdentity> clients = new ArrayList<>(specs.size());
        final Set<String> names = new HashSet<>();
        for (final String spec : specs)
        {
            final ClientIdentity client = parse(spec);
            if (!names.add(client.name().toLowerCase(Locale.ROOT)))
            {
                throw new IllegalArgumentException("--client " + client.name() + " is given twice (names are " +
                    "compared ignoring case)");
            }
            clients.add(client);
        }
        return clients;
    }

    /**
     * @param spec {@code NAME=EUI64[,EUI64...]}.
     * @return the client.
     * @throws IllegalArgumentException naming the rule and the value broken.
     */
    static ClientIdentity parse(final String spec)
    {
        final int equals = spec.indexOf('=');
        if (equals < 0)
        {
            throw new IllegalArgumentException("--client must be NAME=EUI64[,EUI64...], got '" + spec + "'");
        }
        final String name = spec.substring(0, equals);
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException("--client name must be 1 to 64 of A-Z a-z 0-9 _ . -, got '" +
                name + "'");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT)))
        {
            throw new IllegalArgumentException("--client name '" + name + "' is reserved (its files would be the " +
                "CA's or the server's)");
        }
        final List<String> originators = new ArrayList<>();
        for (final String eui64 : spec.substring(equals + 1).split(",", -1))
        {
            if (!EUI64.matcher(eui64).matches())
            {
                throw new IllegalArgumentException("--client " + name + ": originator '" + eui64 + "' is not an " +
                    "EUI-64 (16 hex digits, e.g. 90B3D51F30010000)");
            }
            final String upper = eui64.toUpperCase(Locale.ROOT);
            if (originators.contains(upper))
            {
                throw new IllegalArgumentException("--client " + name + ": originator " + upper + " is given twice");
            }
            originators.add(upper);
        }
        return new ClientIdentity(name, List.copyOf(originators));
    }
}
