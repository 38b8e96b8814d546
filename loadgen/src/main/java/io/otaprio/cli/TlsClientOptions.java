package io.otaprio.cli;

import io.otaprio.config.ConfigException;
import io.otaprio.config.ConfigNode;
import io.otaprio.tls.TlsContexts;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The load generator's TLS client: {@code --tls-dir DIR --client NAME} (both or neither), the files
 * {@code ./otaprio certs} writes, and the originators the load is submitted under, which must be that client's for
 * the engine to admit it: {@code --originators}, or by default the client's own as the {@code clients:} section of
 * {@code DIR/otaprio-tls.yaml} lists them.
 */
final class TlsClientOptions
{
    private static final Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{16}");

    @Option(names = "--tls-dir", paramLabel = "DIR",
        description = "Connect with mutual TLS 1.3 (the gateway; with --duis, HTTPS) using the files ./otaprio " +
            "certs wrote in DIR: ca.pem (the engine's certificate must be signed by it and name the --connect " +
            "host) and the --client's NAME.pem and NAME.key. Needs --client.")
    private Path tlsDir;

    @Option(names = "--client", paramLabel = "NAME",
        description = "With --tls-dir: the client whose certificate to present. Unless --originators is given, the " +
            "load is submitted under that client's originators as the clients: section of DIR/otaprio-tls.yaml " +
            "(the engine configuration ./otaprio certs --client NAME=EUI64,... writes) lists them; the engine's " +
            "clients: entry for it must name them.")
    private String client;

    @Option(names = "--originators", paramLabel = "EUI64[,EUI64...]", split = ",",
        description = "The originator EUI-64s (16 hex digits each) the messages are submitted under, drawn " +
            "uniformly; storm alerts use the first (default: with --client, the client's from DIR/otaprio-tls.yaml; " +
            "otherwise 24 under 90B3D5 that --seed draws).")
    private List<String> originators;

    /**
     * @return the client's TLS context, or null for plain TCP.
     * @throws IllegalArgumentException if only one of --tls-dir and --client is given, or a file is missing or bad.
     */
    SSLContext context()
    {
        if ((null == tlsDir) != (null == client))
        {
            throw new IllegalArgumentException("--tls-dir and --client go together: give both (mutual TLS as that " +
                "client) or neither (plain TCP)");
        }
        if (null == tlsDir)
        {
            return null;
        }
        try
        {
            return TlsContexts.client(tlsDir, client);
        }
        catch (final IOException ex)
        {
            final String why = ex instanceof NoSuchFileException ? "no file " + ex.getMessage() : ex.getMessage();
            throw new IllegalArgumentException("--tls-dir " + tlsDir + " --client " + client + ": " + why +
                " (./otaprio certs --out DIR --client " + client + "=EUI64 writes the files)", ex);
        }
    }

    /**
     * @return the originators to submit under: --originators, the client's from {@code DIR/otaprio-tls.yaml}, or
     *         none (the seed's).
     * @throws IllegalArgumentException if an EUI-64 is malformed or the client's cannot be read.
     */
    long[] originators()
    {
        if (null != originators)
        {
            final long[] given = new long[originators.size()];
            for (int i = 0; i < given.length; i++)
            {
                final String text = originators.get(i).trim();
                if (!EUI64.matcher(text).matches())
                {
                    throw new IllegalArgumentException("--originators: '" + text + "' is not an EUI-64 (16 hex " +
                        "digits, e.g. 90B3D51F30010000)");
                }
                given[i] = Long.parseUnsignedLong(text, 16);
            }
            return given;
        }
        return null == client || null == tlsDir ? new long[0] : clientsOriginators(tlsDir, client);
    }

    /**
     * @return how the connections are secured, for the first line of the report.
     */
    String describe()
    {
        return null == tlsDir ? "" : String.format(Locale.ROOT, " with mutual TLS 1.3 as client %s", client);
    }

    /**
     * @param dir  a directory {@code ./otaprio certs} wrote.
     * @param name a client it wrote.
     * @return that client's originators as the {@code clients:} section of {@code otaprio-tls.yaml} lists them.
     */
    private static long[] clientsOriginators(final Path dir, final String name)
    {
        final Path file = dir.resolve(CertsCommand.CONFIG_YAML);
        if (!Files.isRegularFile(file))
        {
            throw new IllegalArgumentException("--client " + name + ": no " + file + " to read its originators from " +
                "(./otaprio certs writes it): give them with --originators");
        }
        try
        {
            for (final ConfigNode entry : ConfigNode.load(file).child("clients").elements())
            {
                if (name.equals(entry.string("name", "")))
                {
                    final List<ConfigNode> nodes = entry.child("originators").elements();
                    final long[] found = new long[nodes.size()];
                    for (int i = 0; i < found.length; i++)
                    {
                        found[i] = Long.parseUnsignedLong(nodes.get(i).asString().replace("-", ""), 16);
                    }
                    return found;
                }
            }
        }
        catch (final ConfigException | NumberFormatException ex)
        {
            throw new IllegalArgumentException("--client " + name + ": cannot read its originators from " + file +
                ": " + ex.getMessage() + "; give them with --originators", ex);
        }
        throw new IllegalArgumentException("--client " + name + ": " + file + " names no client " + name +
            ": give its originators with --originators");
    }
}
