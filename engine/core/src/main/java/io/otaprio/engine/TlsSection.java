package io.otaprio.engine;

import io.otaprio.config.ConfigNode;
import io.otaprio.identity.ClientIdentities;
import io.otaprio.identity.ClientIdentity;
import io.otaprio.identity.TlsServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The {@code tls:} and {@code clients:} sections of the engine's configuration, read into a {@link TlsServer}:
 * <pre>
 * tls:
 *   keyStore: { certificate: server.pem, key: server.key }   # PEM chain and unencrypted PKCS#8 key, or
 *   # keyStore: { pkcs12: server.p12, passwordFile: FILE }   # a PKCS#12 store (passwordEnv: VAR instead of a file)
 *   trustStore: ca.pem                  # PEM: the CA(s) that sign client certificates
 *   handshakeTimeout: 10s
 * clients:
 *   - { name: alice, subject: "CN=alice", sha256: "AB:CD:...", originators: ["90B3D51F30010000"] }
 * </pre>
 * Paths are relative to the configuration file. A password is read from a file or an environment variable, never
 * from the command line or this file. Every file is read now, so a missing or wrong one stops the engine at start-up
 * with the entry's file and line.
 * Threading: start-up only.
 */
final class TlsSection
{
    static final Set<String> TLS_KEYS = Set.of("keyStore", "trustStore", "handshakeTimeout");
    private static final Set<String> PEM_KEY_STORE_KEYS = Set.of("certificate", "key");
    private static final Set<String> PKCS12_KEY_STORE_KEYS = Set.of("pkcs12", "passwordFile", "passwordEnv");
    private static final Set<String> CLIENT_KEYS = Set.of("name", "subject", "san", "sha256", "originators");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern EUI64 = Pattern.compile("[0-9A-Fa-f]{16}|([0-9A-Fa-f]{2}-){7}[0-9A-Fa-f]{2}");
    private static final Pattern SHA256 = Pattern.compile("([0-9A-Fa-f]{2}:?){32}");

    private TlsSection()
    {
    }

    /**
     * @param root the configuration's root.
     * @param base the configuration file's directory.
     * @return the engine's TLS, or {@link TlsServer#PLAINTEXT} when there is no {@code tls:} section.
     * @throws io.otaprio.config.ConfigException naming the entry when a section or a file it names is wrong.
     */
    static TlsServer read(final ConfigNode root, final Path base)
    {
        final ConfigNode tls = root.optionalChild("tls");
        final ConfigNode clientsNode = root.optionalChild("clients");
        if (null == tls)
        {
            if (null != clientsNode)
            {
                throw clientsNode.error("clients: needs a tls: section (without TLS no connection says who it is)");
            }
            return TlsServer.PLAINTEXT;
        }
        tls.rejectUnknownKeys(TLS_KEYS);
        if (null == clientsNode)
        {
            throw tls.error("tls: needs a clients: section naming each client certificate and its originators");
        }
        final ClientIdentities clients = clients(clientsNode);
        final long handshakeTimeoutNs = tls.durationNs("handshakeTimeout", TlsServer.HANDSHAKE_TIMEOUT_NS_DEFAULT,
            TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MINUTES.toNanos(5));
        final ConfigNode trustNode = tls.child("trustStore");
        final Path trustStore = base.resolve(trustNode.asString());
        final ConfigNode keyStore = tls.child("keyStore");
        try
        {
            if (keyStore.has("pkcs12"))
            {
                keyStore.rejectUnknownKeys(PKCS12_KEY_STORE_KEYS);
                return TlsServer.fromPkcs12(base.resolve(keyStore.child("pkcs12").asString()), password(keyStore, base),
                    trustStore, clients, handshakeTimeoutNs);
            }
            keyStore.rejectUnknownKeys(PEM_KEY_STORE_KEYS);
            return TlsServer.fromPem(base.resolve(keyStore.child("certificate").asString()),
                base.resolve(keyStore.child("key").asString()), trustStore, clients, handshakeTimeoutNs);
        }
        catch (final IOException ex)
        {
            throw tls.error("cannot set up TLS: " + ex.getMessage());
        }
    }

    private static char[] password(final ConfigNode keyStore, final Path base)
    {
        final ConfigNode file = keyStore.optionalChild("passwordFile");
        final ConfigNode env = keyStore.optionalChild("passwordEnv");
        if ((null == file) == (null == env))
        {
            throw keyStore.error("a pkcs12 key store needs exactly one of passwordFile (a file holding the password) " +
                "or passwordEnv (the name of an environment variable holding it)");
        }
        if (null != file)
        {
            try
            {
                // One line: a trailing newline, as an editor or echo leaves it, is not part of the password.
                return Files.readString(base.resolve(file.asString()), StandardCharsets.UTF_8).strip().toCharArray();
            }
            catch (final IOException ex)
            {
                throw file.error("cannot read the password file: " + ex.getMessage());
            }
        }
        final String value = System.getenv(env.asString());
        if (null == value)
        {
            throw env.error("the environment variable " + env.asString() + " is not set");
        }
        return value.toCharArray();
    }

    private static ClientIdentities clients(final ConfigNode node)
    {
        final List<ConfigNode> entries = node.elements();
        if (entries.isEmpty())
        {
            throw node.error("clients: needs at least one entry (without one no client could connect)");
        }
        final List<ClientIdentity> clients = new ArrayList<>(entries.size());
        final Set<String> names = new HashSet<>();
        for (final ConfigNode entry : entries)
        {
            entry.rejectUnknownKeys(CLIENT_KEYS);
            final ConfigNode nameNode = entry.child("name");
            final String name = nameNode.asString();
            if (!NAME.matcher(name).matches())
            {
                throw nameNode.error("a client name is 1 to 64 of A-Z a-z 0-9 _ . -");
            }
            if (!names.add(name))
            {
                throw nameNode.error("client " + name + " is named twice");
            }
            final String subject = entry.string("subject", "");
            final String san = entry.string("san", "");
            final byte[] sha256 = sha256(entry.optionalChild("sha256"));
            if (subject.isEmpty() && san.isEmpty() && 0 == sha256.length)
            {
                throw entry.error("client " + name + " needs subject, san or sha256: how its certificate is known");
            }
            final List<ConfigNode> originatorNodes = entry.child("originators").elements();
            final long[] originators = new long[originatorNodes.size()];
            for (int i = 0; i < originators.length; i++)
            {
                originators[i] = eui64(originatorNodes.get(i));
            }
            try
            {
                clients.add(ClientIdentity.of(clients.size(), name, subject, san, sha256, originators));
            }
            catch (final IllegalArgumentException ex)
            {
                throw entry.error(ex.getMessage());
            }
        }
        return new ClientIdentities(clients);
    }

    private static byte[] sha256(final ConfigNode node)
    {
        if (null == node)
        {
            return new byte[0];
        }
        final String text = node.asString();
        if (!SHA256.matcher(text).matches())
        {
            throw node.error("a SHA-256 fingerprint is 32 hex bytes, colons between them or not " +
                "(./otaprio certs and openssl x509 -fingerprint -sha256 print it)");
        }
        return HexFormat.of().parseHex(text.replace(":", "").toLowerCase(Locale.ROOT));
    }

    private static long eui64(final ConfigNode node)
    {
        final String text = node.asString();
        if (!EUI64.matcher(text).matches())
        {
            throw node.error("an originator is an EUI-64: 16 hex digits (90B3D51F30010000) or 8 dash-separated " +
                "bytes (90-B3-D5-1F-30-01-00-00)");
        }
        return Long.parseUnsignedLong(text.replace("-", ""), 16);
    }
}
