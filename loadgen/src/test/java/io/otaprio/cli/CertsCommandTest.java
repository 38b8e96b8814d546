package io.otaprio.cli;

import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.tls.TlsContexts;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yaml.snakeyaml.Yaml;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./otaprio certs}: everything it writes is read back with the JDK alone (CertificateFactory, KeyFactory), as
 * the engine's TLS will read it, and checked for what mutual TLS needs; then used for a real TLS 1.3 handshake.
 */
class CertsCommandTest
{
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final char[] STORE_PASSWORD = "test".toCharArray();

    @TempDir
    Path dir;

    @Test
    void shouldWriteACaAServerAndEachClientThatTheJdkReadsBackAndVerifies() throws Exception
    {
        final Run run = certs("--out", dir.toString(), "--client", "supplier-a=90b3d51f30010000",
            "--client", "supplier.b=90B3D51F30020000,90B3D51F30020001");
        assertEquals(0, run.exit(), run.err());

        final X509Certificate ca = certificate("ca.pem");
        ca.verify(ca.getPublicKey());
        assertEquals("CN=otaprio development CA,O=otaprio", ca.getSubjectX500Principal().getName());
        assertTrue(ca.getBasicConstraints() >= 0, "a CA");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");

        final X509Certificate server = certificate("server.pem");
        server.verify(ca.getPublicKey());
        assertEquals(ca.getSubjectX500Principal(), server.getIssuerX500Principal());
        assertEquals("CN=localhost", server.getSubjectX500Principal().getName());
        assertEquals(-1, server.getBasicConstraints(), "not a CA");
        assertEquals(List.of(List.of(SAN_DNS, "localhost"), List.of(SAN_IP, "127.0.0.1")),
            new ArrayList<>(server.getSubjectAlternativeNames()));
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertTrue(server.getKeyUsage()[0], "digitalSignature");
        assertKeyMatches(server, "server.key");

        for (final String name : List.of("supplier-a", "supplier.b"))
        {
            final X509Certificate client = certificate(name + ".pem");
            client.verify(ca.getPublicKey());
            assertEquals("CN=" + name, client.getSubjectX500Principal().getName());
            assertEquals(-1, client.getBasicConstraints(), "not a CA");
            assertEquals(List.of(CLIENT_AUTH), client.getExtendedKeyUsage());
            assertTrue(client.getKeyUsage()[0], "digitalSignature");
            assertKeyMatches(client, name + ".key");
            assertTrue(run.out().contains(sha256(client)), run.out());
        }
        for (final String key : List.of("ca.key", "server.key", "supplier-a.key", "supplier.b.key"))
        {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))),
                key);
        }
        assertKeyMatches(ca, "ca.key");
        assertTrue(ca.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(364))), "365 days");
        assertTrue(run.out().contains(sha256(ca)), run.out());
        assertTrue(run.out().contains(dir.toAbsolutePath().toString()), run.out());
        assertTrue(run.out().contains("EC P-256 keys; every certificate valid 365 days, from "), run.out());
    }

    @Test
    void shouldWriteTheShippedConfigurationWithTlsAndEachClientsOriginatorsAndFingerprint() throws Exception
    {
        assertEquals(0, certs("--out", dir.toString(), "--client", "supplier-a=90b3d51f30010000",
            "--client", "supplier.b=90B3D51F30020000,90B3D51F30020001").exit());

        final Map<String, Object> yaml;
        try (InputStream in = Files.newInputStream(dir.resolve("otaprio-tls.yaml")))
        {
            yaml = new Yaml().load(in);
        }
        assertEquals(Map.of("keyStore", Map.of("certificate", "server.pem", "key", "server.key"),
            "trustStore", "ca.pem", "handshakeTimeout", "10s"), yaml.get("tls"));
        assertEquals(Path.of("../conf/priority-policy.yaml").toAbsolutePath().normalize().toString(),
            yaml.get("policy"), "the shipped policy, by an absolute path");
        assertEquals(new Yaml().<Map<String, Object>>load(Files.readString(Path.of("../conf/otaprio.yaml")))
            .get("rings"), yaml.get("rings"), "the shipped configuration");
        assertEquals(List.of(
            Map.of("name", "supplier-a", "subject", "CN=supplier-a", "sha256", sha256(certificate("supplier-a.pem")),
                "originators", List.of("90B3D51F30010000")),
            Map.of("name", "supplier.b", "subject", "CN=supplier.b", "sha256", sha256(certificate("supplier.b.pem")),
                "originators", List.of("90B3D51F30020000", "90B3D51F30020001"))), yaml.get("clients"));
    }

    @Test
    void shouldWriteAConfigurationTheEngineRunsAsIsOverMutualTls() throws Exception
    {
        assertEquals(0, certs("--out", dir.toString(), "--client", "supplier-a=90B3D51F30010000").exit());

        // Only the addresses change: the shipped ports may be taken on this machine.
        try (Engine engine = Engine.launch(ConfigurationFile.read(dir.resolve("otaprio-tls.yaml"))
            .ringSizes(1024, 1024, 1024, 1024)
            .payloadStoreBytes(1 << 20, 1 << 20, 1 << 20, 1 << 20)
            .gatewayListen("127.0.0.1:0")
            .duisListen(Configuration.OFF)
            .metricsListen(Configuration.OFF)
            .adminListen(Configuration.OFF)
            .journal(null));
            ProtocolClient client = ProtocolClient.connect(
                new InetSocketAddress("localhost", engine.context().gateway().boundPort()), 0,
                TlsContexts.client(dir, "supplier-a")))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
            client.submit(MessageKind.SERVICE_REQUEST.value(), SrvCode.parse("2.2"),
                new RequestId(0x90B3D51F30010000L, 1, 1), payload, 0, payload.capacity());
            final ProtocolEvent ack = client.read(10_000);
            assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
            assertEquals(1, ack.level(), "classified by the shipped policy");
        }
    }

    @Test
    void shouldMakeRsaKeysValidForTheDaysAsked() throws Exception
    {
        assertEquals(0, certs("--out", dir.toString(), "--client", "a=90B3D51F30010000", "--key-type",
            "rsa", "--days", "30").exit());
        final X509Certificate ca = certificate("ca.pem");
        final X509Certificate client = certificate("a.pem");
        client.verify(ca.getPublicKey());
        assertEquals("RSA", client.getPublicKey().getAlgorithm());
        assertKeyMatches(client, "a.key");
        final Instant notAfter = client.getNotAfter().toInstant();
        assertTrue(notAfter.isAfter(Instant.now().plus(Duration.ofDays(29))), notAfter.toString());
        assertTrue(notAfter.isBefore(Instant.now().plus(Duration.ofDays(31))), notAfter.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "supplier a=90B3D51F30010000 | --client name must be 1 to 64 of A-Z a-z 0-9 _ . -, got 'supplier a'",
        "=90B3D51F30010000           | --client name must be 1 to 64 of A-Z a-z 0-9 _ . -, got ''",
        "a/b=90B3D51F30010000        | --client name must be 1 to 64 of A-Z a-z 0-9 _ . -, got 'a/b'",
        "supplier-a                  | --client must be NAME=EUI64[,EUI64...], got 'supplier-a'",
        "supplier-a=90B3D51F3001     | --client supplier-a: originator '90B3D51F3001' is not an EUI-64",
        "supplier-a=90B3D51F3001000G | --client supplier-a: originator '90B3D51F3001000G' is not an EUI-64",
        "supplier-a=                 | --client supplier-a: originator '' is not an EUI-64",
        "a=90B3D51F30010000,90b3d51f30010000 | --client a: originator 90B3D51F30010000 is given twice",
        "CA=90B3D51F30010000         | --client name 'CA' is reserved",
        "server=90B3D51F30010000     | --client name 'server' is reserved" })
    void shouldRefuseABadClientWithExitTwoAndWriteNothing(final String client, final String message)
        throws IOException
    {
        final Run run = certs("--out", dir.toString(), "--client", client);
        assertEquals(2, run.exit(), run.out());
        assertTrue(run.err().startsWith("otaprio certs: error: " + message), run.err());
        assertNothingWritten();
    }

    @Test
    void shouldRefuseAClientNamedTwiceBadDaysAndAnUnknownKeyType() throws IOException
    {
        final Run twice = certs("--out", dir.toString(), "--client", "a=90B3D51F30010000", "--client",
            "A=90B3D51F30020000");
        assertEquals(2, twice.exit());
        assertTrue(twice.err().contains("--client A is given twice (names are compared ignoring case)"), twice.err());

        final Run days = certs("--out", dir.toString(), "--client", "a=90B3D51F30010000", "--days", "0");
        assertEquals(2, days.exit());
        assertTrue(days.err().contains("--days must be 1 to 3650, got 0"), days.err());

        final Run type = certs("--out", dir.toString(), "--client", "a=90B3D51F30010000", "--key-type",
            "dsa");
        assertEquals(2, type.exit());
        assertTrue(type.err().contains("--key-type must be ec or rsa, got dsa"), type.err());
        assertNothingWritten();
    }

    @Test
    void shouldNotOverwriteWithoutForce() throws Exception
    {
        assertEquals(0, certs("--out", dir.toString(), "--client", "a=90B3D51F30010000").exit());
        final byte[] ca = Files.readAllBytes(dir.resolve("ca.pem"));
        final byte[] clients = Files.readAllBytes(dir.resolve("otaprio-tls.yaml"));

        final Run again = certs("--out", dir.toString(), "--client", "b=90B3D51F30020000");
        assertEquals(2, again.exit());
        assertTrue(again.err().contains(dir + " already holds ca.pem, ca.key, server.pem, server.key, " +
            "otaprio-tls.yaml; nothing was written (--force overwrites)"), again.err());
        assertArrayEquals(ca, Files.readAllBytes(dir.resolve("ca.pem")));
        assertArrayEquals(clients, Files.readAllBytes(dir.resolve("otaprio-tls.yaml")));
        assertFalse(Files.exists(dir.resolve("b.pem")));

        final Run forced = certs("--out", dir.toString(), "--client", "b=90B3D51F30020000", "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertFalse(Arrays.equals(ca, Files.readAllBytes(dir.resolve("ca.pem"))), "a new CA");
        certificate("b.pem").verify(certificate("ca.pem").getPublicKey());
    }

    @Test
    void shouldRefuseAnOutThatIsAFile() throws IOException
    {
        final Path file = Files.writeString(dir.resolve("file"), "x");
        final Run run = certs("--out", file.toString(), "--client", "a=90B3D51F30010000");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--out " + file + " is not a directory"), run.err());
    }

    @Test
    void shouldServeMutualTls13ToAClientWithItsCertificateAndRefuseOneWithout() throws Exception
    {
        assertEquals(0, certs("--out", dir.toString(), "--client", "supplier-a=90B3D51F30010000").exit());
        final SSLContext serverContext = context("server");
        final ExecutorService acceptor = Executors.newSingleThreadExecutor();
        try (SSLServerSocket listener = (SSLServerSocket)serverContext.getServerSocketFactory()
            .createServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] { "TLSv1.3" });
            listener.setSoTimeout(10_000);

            final CompletableFuture<String> withCertificate = serveOnce(acceptor, listener);
            final int echoed = roundTrip(context("supplier-a"), listener.getLocalPort());
            assertEquals(42, echoed);
            assertEquals("CN=supplier-a", withCertificate.get(10, TimeUnit.SECONDS));

            final CompletableFuture<String> without = serveOnce(acceptor, listener);
            assertThrows(IOException.class, () -> roundTrip(context(null), listener.getLocalPort()));
            final ExecutionException refused =
                assertThrows(ExecutionException.class, () -> without.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SSLHandshakeException.class, refused.getCause(), refused.toString());
        }
        finally
        {
            acceptor.shutdownNow();
            assertTrue(acceptor.awaitTermination(10, TimeUnit.SECONDS), "acceptor stopped");
        }
    }

    private static CompletableFuture<String> serveOnce(final ExecutorService acceptor, final SSLServerSocket listener)
    {
        final CompletableFuture<String> peer = new CompletableFuture<>();
        acceptor.execute(() ->
        {
            try (SSLSocket socket = (SSLSocket)listener.accept())
            {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                final String name = socket.getSession().getPeerPrincipal().getName();
                socket.getOutputStream().write(socket.getInputStream().read());
                socket.getOutputStream().flush();
                peer.complete(name);
            }
            catch (final IOException | RuntimeException ex)
            {
                peer.completeExceptionally(ex);
            }
        });
        return peer;
    }

    private static int roundTrip(final SSLContext context, final int port) throws IOException
    {
        try (SSLSocket socket = (SSLSocket)context.getSocketFactory().createSocket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            final SSLParameters parameters = socket.getSSLParameters();
            // Checks the server certificate's IP address SAN against the address dialled, as a client must.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] { "TLSv1.3" });
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write(42);
            socket.getOutputStream().flush();
            final int answer = socket.getInputStream().read();
            if (answer < 0)
            {
                throw new IOException("closed by the server");
            }
            return answer;
        }
    }

    /**
     * @param name whose certificate and key to present, or null for none; every context trusts ca.pem.
     */
    private SSLContext context(final String name) throws Exception
    {
        final KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate("ca.pem"));
        final TrustManagerFactory trustManagers =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManager[] keyManagers = null;
        if (null != name)
        {
            final X509Certificate certificate = certificate(name + ".pem");
            final KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry(name, privateKey(name + ".key", certificate.getPublicKey().getAlgorithm()),
                STORE_PASSWORD, new Certificate[] { certificate, certificate("ca.pem") });
            final KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, STORE_PASSWORD);
            keyManagers = factory.getKeyManagers();
        }
        final SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers, trustManagers.getTrustManagers(), null);
        return context;
    }

    private X509Certificate certificate(final String file) throws Exception
    {
        try (InputStream in = Files.newInputStream(dir.resolve(file)))
        {
            return (X509Certificate)CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private PrivateKey privateKey(final String file, final String algorithm) throws Exception
    {
        final String pem = Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), "unencrypted PKCS#8: " + file);
        final String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "")
            .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(
            new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The key file holds the private half of the certificate's key: what it signs, the certificate verifies. */
    private void assertKeyMatches(final X509Certificate certificate, final String keyFile) throws Exception
    {
        final String algorithm = certificate.getPublicKey().getAlgorithm();
        final String signatureAlgorithm = "EC".equals(algorithm) ? "SHA256withECDSA" : "SHA256withRSA";
        final byte[] challenge = keyFile.getBytes(StandardCharsets.UTF_8);
        final Signature signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(privateKey(keyFile, algorithm));
        signer.update(challenge);
        final byte[] signature = signer.sign();
        final Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(challenge);
        assertTrue(verifier.verify(signature), keyFile + " is the key of " + certificate.getSubjectX500Principal());
    }

    private static String sha256(final X509Certificate certificate) throws Exception
    {
        return HexFormat.ofDelimiter(":").withUpperCase()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private void assertNothingWritten() throws IOException
    {
        try (var entries = Files.list(dir))
        {
            assertEquals(List.of(), entries.toList());
        }
    }

    /** {@code ./otaprio certs ARGS} starting from the shipped configuration (the launcher names it itself). */
    private static Run certs(final String... args)
    {
        final List<String> all = new ArrayList<>(List.of("certs"));
        all.addAll(List.of(args));
        all.addAll(List.of("--config", "../conf/otaprio.yaml"));
        return Run.of(all.toArray(new String[0]));
    }

    /**
     * A command run with what it printed.
     *
     * @param exit the exit code.
     * @param out  standard output.
     * @param err  standard error.
     */
    private record Run(int exit, String out, String err)
    {
        static Run of(final String... args)
        {
            return of(() -> Otaprio.execute(args));
        }

        static Run of(final IntSupplier command)
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final PrintStream stdout = System.out;
            final PrintStream stderr = System.err;
            try
            {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                return new Run(command.getAsInt(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
            }
            finally
            {
                System.setOut(stdout);
                System.setErr(stderr);
            }
        }
    }
}
