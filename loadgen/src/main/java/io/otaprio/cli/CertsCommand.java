package io.otaprio.cli;

import io.otaprio.loadgen.EngineConfigText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code otaprio certs}: a development CA and the certificates for trying mutual TLS, as PEM files in one directory,
 * and a complete engine configuration that uses them: the shipped one (or {@code --config}) with its policy path made
 * absolute, and {@code tls:} and {@code clients:} sections appended.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = {
        "Write a development CA and certificates for trying mutual TLS, as PEM in DIR:",
        "  ca.pem, ca.key          the CA; ca.key is kept (unencrypted: it signs",
        "                          anything, keep it private), though issuing more",
        "                          clients from it is not supported yet: run again",
        "                          with every client and --force for a new CA",
        "  server.pem, server.key  the server: CN and DNS localhost, IP 127.0.0.1,",
        "                          serverAuth",
        "  NAME.pem, NAME.key      each --client: CN NAME, clientAuth",
        "  otaprio-tls.yaml        a complete engine configuration: the shipped one",
        "                          with tls: and clients: (each client's subject,",
        "                          SHA-256 fingerprint and originators) appended;",
        "                          ./otaprio engine --config DIR/otaprio-tls.yaml",
        "Keys are unencrypted PKCS#8 PEM, mode 0600. Files DIR holds are never",
        "overwritten without --force." },
    sortOptions = false)
final class CertsCommand implements Callable<Integer>
{
    /** The engine configuration written. */
    static final String CONFIG_YAML = "otaprio-tls.yaml";

    private static final int MAX_DAYS = 3650;
    private static final HexFormat FINGERPRINT = HexFormat.ofDelimiter(":").withUpperCase();

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Directory to write to (created 0700 if missing).")
    private Path out;

    @Option(names = "--client", required = true, paramLabel = "NAME=EUI64[,EUI64...]",
        description = "A client: its name (1 to 64 of A-Z a-z 0-9 _ . -; its certificate's CN and file name) and " +
            "the originator EUI-64s (16 hex digits each) it may submit under. Repeat for more clients.")
    private List<String> clients;

    @Option(names = "--days", defaultValue = "365", paramLabel = "N",
        description = "Days every certificate is valid, 1 to 3650 (default: ${DEFAULT-VALUE}).")
    private int days;

    @Option(names = "--key-type", defaultValue = "ec", paramLabel = "ec|rsa",
        description = "Keys: ec (ECDSA P-256) or rsa (RSA 2048) (default: ${DEFAULT-VALUE}).")
    private String keyType;

    @Option(names = "--config", paramLabel = "FILE",
        description = "The engine configuration to add tls: and clients: to (default: the shipped conf/otaprio.yaml).")
    private Path config;

    @Option(names = "--force", description = "Overwrite files DIR already holds.")
    private boolean force;

    public Integer call() throws GeneralSecurityException
    {
        final List<ClientIdentity> identities = ClientIdentity.parseAll(clients);
        if (days < 1 || days > MAX_DAYS)
        {
            throw new IllegalArgumentException("--days must be 1 to " + MAX_DAYS + ", got " + days);
        }
        final DevelopmentCa.KeyType type = keyType(keyType);
        final List<String> files = new ArrayList<>(List.of("ca.pem", "ca.key", "server.pem", "server.key"));
        for (final ClientIdentity client : identities)
        {
            files.add(client.name() + ".pem");
            files.add(client.name() + ".key");
        }
        files.add(CONFIG_YAML);
        refuseOverwrite(files);
        final Path base = null == config ?
            Path.of(System.getProperty("otaprio.home", ".")).resolve("conf/otaprio.yaml") : config;
        final String shipped = EngineConfigText.withAbsolutePolicy(base, "--config");

        final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final DevelopmentCa ca = new DevelopmentCa(type, now, days);
        final DevelopmentCa.Issued server = ca.issueServer();
        final StringBuilder yaml = new StringBuilder(shipped).append(tlsSections(now));
        final Map<String, String> rows = new LinkedHashMap<>();
        final PemDirectory pem = new PemDirectory(out, "--out DIR");
        pem.write("ca", ca.ca());
        rows.put("ca.pem", DevelopmentCa.CA_SUBJECT + "; a CA" + fingerprintLine(ca.ca().certificate()));
        pem.write("server", server);
        rows.put("server.pem", "CN=" + DevelopmentCa.SERVER_DNS + "; DNS " + DevelopmentCa.SERVER_DNS + ", IP " +
            DevelopmentCa.SERVER_IP + "; serverAuth" + fingerprintLine(server.certificate()));
        for (final ClientIdentity client : identities)
        {
            final DevelopmentCa.Issued issued = ca.issueClient(client.name());
            pem.write(client.name(), issued);
            rows.put(client.name() + ".pem", "CN=" + client.name() + "; clientAuth; originators " +
                String.join(", ", client.originators()) + fingerprintLine(issued.certificate()));
            yaml.append(String.format(Locale.ROOT, "  - { name: %s, subject: \"CN=%s\", sha256: \"%s\", " +
                "originators: [%s] }%n", client.name(), client.name(), fingerprint(issued.certificate()),
                client.originators().stream().map(o -> '"' + o + '"').collect(Collectors.joining(", "))));
        }
        pem.writeFile(CONFIG_YAML, yaml.toString(), false);
        rows.put("keys", "ca.key, server.key, " +
            identities.stream().map(c -> c.name() + ".key").collect(Collectors.joining(", ")) +
            ": unencrypted PKCS#8, 0600 (ca.key signs anything: keep it private)");
        rows.put(CONFIG_YAML, base.toAbsolutePath().normalize() + " with tls: and clients: appended; run it with " +
            "./otaprio engine --config " + out.resolve(CONFIG_YAML));

        System.out.printf(Locale.ROOT, "otaprio certs: a development CA and certificates in %s%n" +
            "%s keys; every certificate valid %d days, from %s until %s%n", out.toAbsolutePath().normalize(),
            type.label(), days, ca.notBefore(), ca.notAfter());
        final int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        rows.forEach((file, what) -> System.out.printf(Locale.ROOT, "%-" + width + "s  %s%n", file,
            what.replace("\n", "\n" + " ".repeat(width + 2))));
        return 0;
    }

    /**
     * @param certificate a certificate.
     * @return the SHA-256 of its DER encoding, upper-case hex in colon-separated pairs (as keytool and openssl show
     *         it).
     * @throws GeneralSecurityException when it cannot be encoded.
     */
    static String fingerprint(final X509Certificate certificate) throws GeneralSecurityException
    {
        return FINGERPRINT.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static DevelopmentCa.KeyType keyType(final String name)
    {
        return switch (name)
        {
            case "ec" -> DevelopmentCa.KeyType.EC;
            case "rsa" -> DevelopmentCa.KeyType.RSA;
            default -> throw new IllegalArgumentException("--key-type must be ec or rsa, got " + name);
        };
    }

    private void refuseOverwrite(final List<String> files)
    {
        if (Files.exists(out) && !Files.isDirectory(out))
        {
            throw new IllegalArgumentException("--out " + out + " is not a directory");
        }
        final List<String> existing = files.stream().filter(f -> Files.exists(out.resolve(f))).toList();
        if (!force && !existing.isEmpty())
        {
            throw new IllegalArgumentException(out + " already holds " + String.join(", ", existing) +
                "; nothing was written (--force overwrites)");
        }
    }

    private static String tlsSections(final Instant now)
    {
        return String.join(System.lineSeparator(),
            "",
            "# Written by ./otaprio certs at " + now + ": mutual TLS 1.3 on the gateway and /duis with the",
            "# certificates of this directory. Paths are relative to this file.",
            "tls:",
            "  keyStore: { certificate: server.pem, key: server.key }   # PEM; the key unencrypted PKCS#8, 0600",
            "  trustStore: ca.pem               # a client certificate must be signed by this CA",
            "  handshakeTimeout: 10s            # a connection still handshaking after this is closed (counted)",
            "# Each client: how its certificate is known (subject and SHA-256 fingerprint: both must match) and the",
            "# originator EUI-64s it may submit under; any other originator is answered NOT_AUTHORISED.",
            "clients:",
            "");
    }

    private static String fingerprintLine(final X509Certificate certificate) throws GeneralSecurityException
    {
        return "\nSHA-256 " + fingerprint(certificate);
    }
}
