package io.otaprio.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.otaprio.engine.Engine;
import io.otaprio.gateway.GatewayCounters;
import io.otaprio.identity.ClientIdentities;
import io.otaprio.identity.ClientIdentity;
import io.otaprio.identity.TlsServer;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestCertificates;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * {@link GatewayFrameFuzzTest} over mutual TLS: whatever a client sends, the gateway survives and keeps serving. An
 * input whose first byte is even is sent as it is to the TLS port, before any handshake (the engine's handshake
 * must refuse it, never answer it); an odd one sends the rest as application bytes inside a TLS session of a client
 * the engine admits (frames decrypted by the gateway's TLS read path). Either way the connection is released, no error
 * reaches the gateway's loop boundary, and a long-lived TLS control connection still gets its Ack.
 * Regression inputs: src/test/resources/io/otaprio/fuzz/GatewayTlsFuzzTestInputs/.
 */
class GatewayTlsFuzzTest
{
    private static final long TIMEOUT_MS = 5_000;
    private static final long ORIGINATOR = 1;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[8]);

    private static Path dir;
    private static SSLContext client;
    private static Engine engine;
    private static ProtocolClient control;
    private static long controlCounter;

    @BeforeAll
    static void start() throws IOException
    {
        dir = Files.createTempDirectory("otaprio-tls-fuzz");
        final TestCertificates certificates = TestCertificates.make(dir);
        client = certificates.client();
        final TlsServer tls = TlsServer.fromPkcs12(certificates.serverKeyStore(),
            TestCertificates.PASSWORD.toCharArray(), certificates.clientCertificate(),
            new ClientIdentities(List.of(ClientIdentity.of(0, "client", "CN=client", "", new byte[0],
                new long[]{ORIGINATOR}))), TimeUnit.SECONDS.toNanos(2));
        // Completes nothing: the rings fill, so inputs also meet FULL, and the control Acks still come.
        engine = Engine.launch(TestEngines.context()
            .gatewayListen("127.0.0.1:0")
            .tls(tls)
            .maxFrameBytes(512)
            .dispatcher(new ManualDispatcher(1))
            .ringSizes(1 << 16, 1 << 16, 1 << 16, 1 << 16)
            .maxPayloadBytes(64)
            .dedup(60_000_000_000L, 1 << 16)
            .completionRelayCapacity(16 * 1024));
        control = ProtocolClient.connect(address(), 0, client);
    }

    @AfterAll
    static void stop() throws IOException
    {
        if (null != control)
        {
            control.close();
        }
        if (null != engine)
        {
            engine.close();
        }
        if (null != dir)
        {
            try (var files = Files.list(dir))
            {
                for (final Path file : files.toList())
                {
                    Files.delete(file);
                }
            }
            Files.delete(dir);
        }
    }

    @FuzzTest(maxDuration = "60s")
    @SuppressWarnings("try")   // the resource only scopes the loopback permission
    void anyBytesLeaveTheTlsGatewayServing(final @NotNull byte[] data) throws Exception
    {
        try (SilentCloseable loopback = allowLoopback())
        {
            sendAndCheck(data);
        }
    }

    private static void sendAndCheck(final byte[] data) throws Exception
    {
        final GatewayCounters counters = engine.context().gatewayCounters();
        final long closedBefore = counters.connectionsClosed();
        final boolean inSession = data.length > 0 && (data[0] & 1) == 1;
        final byte[] bytes = data.length > 0 ? Arrays.copyOfRange(data, 1, data.length) : data;
        try (Socket socket = inSession ? client.getSocketFactory().createSocket("127.0.0.1", address().getPort()) :
            new Socket("127.0.0.1", address().getPort()))
        {
            socket.setSoLinger(true, 0);
            final OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            // Read whatever comes back until the gateway closes or goes quiet; the answers are not the point.
            socket.setSoTimeout(20);
            try
            {
                final byte[] sink = new byte[4096];
                while (socket.getInputStream().read(sink) >= 0)
                {
                    Thread.onSpinWait();
                }
            }
            catch (final SocketTimeoutException quiet)
            {
                // Nothing more to read: the gateway waits for the rest of a frame or a record, or has answered.
            }
            catch (final IOException refused)
            {
                // The handshake refused what was sent before it, or the session was closed on a protocol error.
            }
        }

        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (counters.connectionsClosed() == closedBefore && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        check(counters.connectionsClosed() > closedBefore, "the fuzz connection was released");
        check(counters.errors() == 0, "no error reached the gateway's loop boundary: " + counters.errors());
        check(counters.connectionsAccepted() - counters.connectionsClosed() == 1,
            "only the control connection is open");

        control.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
            new RequestId(ORIGINATOR, 1, ++controlCounter), PAYLOAD, 0, 8);
        final ProtocolEvent answer = control.read(TIMEOUT_MS);
        check(null != answer && answer.requestId().counter() == controlCounter, "the control client is still served");
    }

    private static InetSocketAddress address()
    {
        return new InetSocketAddress("localhost", engine.context().gateway().boundPort());
    }

    private static SilentCloseable allowLoopback()
    {
        // The harness's own connections to the gateway are the point, not a request forgery. Jazzer's network
        // sanitizer is present only while fuzzing (not for the regression inputs), hence per input.
        try
        {
            return BugDetectors.allowNetworkConnections((host, port) ->
                "127.0.0.1".equals(host) || "localhost".equals(host));
        }
        catch (final IllegalStateException noSanitizer)
        {
            return () -> {};
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
