package io.otaprio.cli;

import io.otaprio.duis.DuisWriter;
import io.otaprio.engine.Configuration;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.Engine;
import io.otaprio.identity.ListenerSecurity;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.tls.PemFiles;
import io.otaprio.tls.TlsContexts;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The attacks of "who may submit", each tried against a real engine with mutual TLS on 127.0.0.1, its certificates
 * made by the development CA of {@code ./otaprio certs}: a client submitting under another's originator, a client
 * pre-empting another's RequestIDs, clients without a certificate, with an expired one, with one another CA signed or
 * one {@code clients:} does not name, a plaintext client on the TLS port, and one that connects and sends nothing.
 */
class TlsAttacksTest
{
    private static final long ALICE = 0x90B3D51F30010000L;
    private static final long MALLORY = 0x90B3D51F30020000L;
    private static final int TOP_UP = SrvCode.parse("2.2");
    private static final long HANDSHAKE_TIMEOUT_MS = 500;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer("top up".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    static Path dir;

    private static Engine engine;
    private static InetSocketAddress gateway;
    private static int duisPort;

    @BeforeAll
    static void startEngine() throws Exception
    {
        final Instant now = Instant.now();
        final DevelopmentCa ca = new DevelopmentCa(DevelopmentCa.KeyType.EC, now, 2);
        write("ca", ca.ca());
        write("server", ca.issueServer());
        write("alice", ca.issueClient("alice"));
        final DevelopmentCa.Issued mallory = ca.issueClient("mallory");
        write("mallory", mallory);
        write("stranger", ca.issueClient("stranger"));
        write("expired", ca.issueClient("expired", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))));
        // Another CA's certificate for a name the engine knows: only the engine's CA vouches for a name.
        final DevelopmentCa other = new DevelopmentCa(DevelopmentCa.KeyType.EC, now, 2);
        write("forged", other.issueClient("alice"));

        final String yaml = String.join("\n",
            "policy: " + Path.of("../conf/priority-policy.yaml").toAbsolutePath(),
            "tls:",
            "  keyStore: { certificate: server.pem, key: server.key }",
            "  trustStore: ca.pem",
            "  handshakeTimeout: " + HANDSHAKE_TIMEOUT_MS + "ms",
            "clients:",
            "  - { name: alice, subject: \"CN=alice\", originators: [\"" + Long.toHexString(ALICE) + "\"] }",
            "  - { name: mallory, sha256: \"" + fingerprint(mallory.certificate()) + "\", originators: [\"" +
                Long.toHexString(MALLORY).toUpperCase() + "\"] }",
            "  - { name: expired, subject: \"CN=expired\", originators: [\"90-B3-D5-1F-30-03-00-00\"] }",
            "");
        engine = Engine.launch(ConfigurationFile.parse(yaml, "tls-test.yaml", dir)
            .ringSizes(4096, 4096, 4096, 4096)
            .payloadStoreBytes(1 << 20, 1 << 20, 1 << 20, 1 << 20)
            .gatewayListen("127.0.0.1:0")
            .duisListen("127.0.0.1:0")
            .metricsListen("127.0.0.1:0")
            .adminListen(Configuration.OFF)
            .journal(null)
            .schedulerIdleStrategy(new YieldingIdleStrategy())
            .admissionIdleStrategy(new BackoffIdleStrategy()));
        gateway = new InetSocketAddress("localhost", engine.context().gateway().boundPort());
        duisPort = engine.context().duisEndpoint().boundPort();
    }

    @AfterAll
    static void stopEngine()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldAdmitAClientUnderItsOwnOriginator() throws Exception
    {
        try (ProtocolClient alice = ProtocolClient.connect(gateway, 0, client("alice")))
        {
            final ProtocolEvent ack = submit(alice, new RequestId(ALICE, 1, 1));
            assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
            assertEquals(1, ack.level());
        }
    }

    @Test
    void shouldRefuseASpoofedOriginatorAndCountIt() throws Exception
    {
        final ListenerSecurity security = engine.context().gatewaySecurity();
        final long malloryBefore = security.refusals().byClient(1);
        final long rejectedBefore = engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED);
        try (ProtocolClient mallory = ProtocolClient.connect(gateway, 0, client("mallory")))
        {
            final ProtocolEvent reject = submit(mallory, new RequestId(ALICE, 2, 1));
            assertEquals(ProtocolEvent.Type.REJECT, reject.type(), reject.toString());
            assertEquals(RejectReason.NOT_AUTHORISED, reject.reason());
            // Its own originator is fine on the same connection.
            assertEquals(ProtocolEvent.Type.ACK, submit(mallory, new RequestId(MALLORY, 2, 1)).type());
        }
        assertEquals(malloryBefore + 1, security.refusals().byClient(1));
        assertEquals(rejectedBefore + 1, engine.context().metrics().rejected(RejectReason.NOT_AUTHORISED));
        final long[] claimed = new long[1];
        security.refusals().forEachOriginator((originator, count) ->
        {
            if (ALICE == originator)
            {
                claimed[0] = count;
            }
        });
        assertTrue(claimed[0] >= 1, "counted under the claimed originator");

        final String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + engine.metricsEndpoint().port() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("otaprio_not_authorised_total{listener=\"gateway\",client=\"mallory\"} " +
            security.refusals().byClient(1)), metrics);
        assertTrue(metrics.contains("otaprio_not_authorised_originators_total{listener=\"gateway\",originator=\"" +
            RequestId.eui64Text(ALICE) + "\"} " + claimed[0]), metrics);
        assertTrue(metrics.contains("otaprio_rejected_total{reason=\"NOT_AUTHORISED\"}"), metrics);
        assertTrue(metrics.contains("otaprio_tls_handshakes_total{listener=\"gateway\",result=\"ok\"}"), metrics);
    }

    @Test
    void shouldNotLetAPreEmptedRequestIdMakeTheVictimsRequestsDuplicate() throws Exception
    {
        final int counters = 20;
        try (ProtocolClient mallory = ProtocolClient.connect(gateway, 0, client("mallory")))
        {
            for (int counter = 1; counter <= counters; counter++)
            {
                final ProtocolEvent answer = submit(mallory, new RequestId(ALICE, 3, counter));
                assertEquals(RejectReason.NOT_AUTHORISED, answer.reason(), answer.toString());
            }
        }
        try (ProtocolClient alice = ProtocolClient.connect(gateway, 0, client("alice")))
        {
            for (int counter = 1; counter <= counters; counter++)
            {
                final ProtocolEvent answer = submit(alice, new RequestId(ALICE, 3, counter));
                assertEquals(ProtocolEvent.Type.ACK, answer.type(), "the victim's request " + counter + ": " + answer);
            }
        }
    }

    @Test
    void shouldRefuseAtTheHandshakeAClientWithoutACertificate() throws Exception
    {
        final SSLContext anonymous = TlsContexts.context(null,
            TlsContexts.trustManagers(PemFiles.certificates(dir.resolve("ca.pem"))));
        assertRefusedAtHandshake(anonymous);
    }

    @Test
    void shouldRefuseAtTheHandshakeAnExpiredCertificate() throws Exception
    {
        assertRefusedAtHandshake(client("expired"));
    }

    @Test
    void shouldRefuseAtTheHandshakeACertificateAnotherCaSigned() throws Exception
    {
        // The forged certificate says CN=alice; the client trusts the engine's CA so that only the engine refuses.
        assertRefusedAtHandshake(TlsContexts.context(
            TlsContexts.keyManagers(PemFiles.certificates(dir.resolve("forged.pem")),
                PemFiles.privateKey(dir.resolve("forged.key"))),
            TlsContexts.trustManagers(PemFiles.certificates(dir.resolve("ca.pem")))));
    }

    @Test
    void shouldRefuseAtTheHandshakeACertificateNoClientEntryNames() throws Exception
    {
        assertRefusedAtHandshake(client("stranger"));
    }

    @Test
    void shouldCloseAPlaintextClientOnTheTlsPort() throws Exception
    {
        final LongSupplier failed = () -> engine.context().gatewaySecurity().handshakes().failed();
        final long before = failed.getAsLong();
        try (ProtocolClient plaintext = ProtocolClient.connect(gateway, 0))
        {
            plaintext.submit(MessageKind.SERVICE_REQUEST.value(), TOP_UP, new RequestId(ALICE, 4, 1), PAYLOAD, 0,
                PAYLOAD.capacity());
            assertTrue(plaintext.awaitClosedByPeer(10_000), "closed without an answer");
        }
        awaitAbove(failed, before);
    }

    @Test
    void shouldCloseAClientThatNeverHandshakesAfterTheTimeoutAndFreeItsSlot() throws Exception
    {
        final LongSupplier timedOut = () -> engine.context().gatewaySecurity().handshakes().timedOut();
        final long before = timedOut.getAsLong();
        final long startNs = System.nanoTime();
        try (Socket silent = new Socket())
        {
            silent.connect(gateway);
            silent.setSoTimeout(30_000);
            final InputStream in = silent.getInputStream();
            // The engine sends nothing until it hears a ClientHello; at the timeout, at most a TLS alert record
            // (content type 21) before the close.
            final byte[] received = in.readAllBytes();
            assertTrue(0 == received.length || 21 == received[0], "nothing but an alert, then the close");
        }
        catch (final SocketTimeoutException ex)
        {
            fail("still open after 30 s: the handshake timeout is " + HANDSHAKE_TIMEOUT_MS + " ms");
        }
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(HANDSHAKE_TIMEOUT_MS),
            "not before the timeout");
        awaitAbove(timedOut, before);
        // Earlier tests' connections close as the gateway notices their peers gone, so wait for the count to
        // settle rather than read it once.
        final LongSupplier open = () -> engine.context().gatewayCounters().connectionsAccepted() -
            engine.context().gatewayCounters().connectionsClosed();
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (0 != open.getAsLong() && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertEquals(0, open.getAsLong(), "no connection slot held");
    }

    @Test
    void shouldAnswerEverySubmitBeforeClosingAfterAHalfCloseOverTls() throws Exception
    {
        try (ProtocolClient alice = ProtocolClient.connect(gateway, 0, client("alice")))
        {
            for (int counter = 1; counter <= 3; counter++)
            {
                alice.submit(MessageKind.SERVICE_REQUEST.value(), TOP_UP, new RequestId(ALICE, 5, counter), PAYLOAD,
                    0, PAYLOAD.capacity());
            }
            alice.finishSending();
            int acks = 0;
            try
            {
                while (true)
                {
                    if (ProtocolEvent.Type.ACK == alice.read(10_000).type())
                    {
                        acks++;
                    }
                }
            }
            catch (final IOException closed)
            {
                assertEquals(3, acks, "every Submit answered before the close: " + closed);
            }
        }
    }

    @Test
    void shouldAdmitDuisOverHttpsOnlyUnderTheClientsOwnOriginator() throws Exception
    {
        final DuisWriter writer = new DuisWriter(7);
        final HttpClient alice = HttpClient.newBuilder().sslContext(client("alice")).build();
        final HttpResponse<String> accepted = post(alice, writer.request(new RequestId(ALICE, 6, 1), TOP_UP, 1, 0));
        assertEquals(202, accepted.statusCode(), accepted.body());

        final HttpClient mallory = HttpClient.newBuilder().sslContext(client("mallory")).build();
        final long before = engine.context().duisSecurity().refusals().byClient(1);
        final HttpResponse<String> refused = post(mallory, writer.request(new RequestId(ALICE, 6, 2), TOP_UP, 1, 0));
        assertEquals(403, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"reason\":\"NOT_AUTHORISED\""), refused.body());
        assertEquals(before + 1, engine.context().duisSecurity().refusals().byClient(1));

        // The victim's own request with that RequestID is admitted: the refusal left nothing behind.
        assertEquals(202, post(alice, writer.request(new RequestId(ALICE, 6, 2), TOP_UP, 1, 0)).statusCode());

        final HttpClient anonymous = HttpClient.newBuilder().sslContext(TlsContexts.context(null,
            TlsContexts.trustManagers(PemFiles.certificates(dir.resolve("ca.pem"))))).build();
        assertThrows(IOException.class, () -> post(anonymous, writer.request(new RequestId(ALICE, 6, 3), TOP_UP, 1,
            0)));
    }

    private static HttpResponse<String> post(final HttpClient client, final byte[] document)
        throws IOException, InterruptedException
    {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + duisPort + "/duis"))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefusedAtHandshake(final SSLContext context) throws Exception
    {
        final LongSupplier failed = () -> engine.context().gatewaySecurity().handshakes().failed();
        final long before = failed.getAsLong();
        // In TLS 1.3 the client's handshake may finish before the engine's verdict on its certificate arrives: the
        // refusal then shows as the connection failing on its first read. Either way nothing is ever answered.
        try (ProtocolClient client = ProtocolClient.connect(gateway, 0, context))
        {
            client.submit(MessageKind.SERVICE_REQUEST.value(), TOP_UP, new RequestId(ALICE, 9, 1), PAYLOAD, 0,
                PAYLOAD.capacity());
            final ProtocolEvent answer = client.read(10_000);
            fail("answered: " + answer);
        }
        catch (final SocketTimeoutException ex)
        {
            fail("neither refused nor answered within 10 s");
        }
        catch (final IOException expected)
        {
            // Refused.
        }
        awaitAbove(failed, before);
    }

    private static ProtocolEvent submit(final ProtocolClient client, final RequestId id) throws IOException
    {
        client.submit(MessageKind.SERVICE_REQUEST.value(), TOP_UP, id, PAYLOAD, 0, PAYLOAD.capacity());
        while (true)
        {
            final ProtocolEvent event = client.read(10_000);
            if (ProtocolEvent.Type.COMPLETED != event.type())
            {
                return event;
            }
        }
    }

    private static SSLContext client(final String name) throws IOException
    {
        return TlsContexts.client(dir, name);
    }

    private static void awaitAbove(final LongSupplier counter, final long before) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (counter.getAsLong() <= before && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(10);
        }
        assertTrue(counter.getAsLong() > before, "counted");
    }

    private static String fingerprint(final X509Certificate certificate) throws GeneralSecurityException
    {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(
            MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static void write(final String name, final DevelopmentCa.Issued issued) throws Exception
    {
        Files.writeString(dir.resolve(name + ".pem"), pem("CERTIFICATE", issued.certificate().getEncoded()));
        Files.writeString(dir.resolve(name + ".key"), pem("PRIVATE KEY", issued.key().getEncoded()));
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }
}
