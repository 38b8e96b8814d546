package io.otaprio.fuzz;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import io.otaprio.engine.Engine;
import io.otaprio.gateway.GatewayCounters;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Whatever bytes a client sends, the gateway survives: no error escapes its loop, the offending connection is
 * answered or closed and its state released, and another client is still served. One real engine and gateway for
 * the whole run; each input arrives on a new TCP connection on 127.0.0.1, then a long-lived control connection
 * must still get its Ack. Regression inputs: src/test/resources/io/otaprio/fuzz/GatewayFrameFuzzTestInputs/.
 */
class GatewayFrameFuzzTest
{
    private static final long TIMEOUT_MS = 5_000;

    private static Engine engine;
    private static ProtocolClient control;
    private static long controlCounter;
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[8]);

    @BeforeAll
    static void start() throws IOException
    {
        // Completes nothing: the rings fill, so inputs also meet FULL, and the control Acks still come.
        engine = Engine.launch(TestEngines.context()
            .gatewayListen("127.0.0.1:0")
            .maxFrameBytes(512)
            .dispatcher(new ManualDispatcher(1))
            .ringSizes(1 << 16, 1 << 16, 1 << 16, 1 << 16)
            .maxPayloadBytes(64)
            .dedup(60_000_000_000L, 1 << 16)
            .completionRelayCapacity(16 * 1024));
        control = ProtocolClient.connect("127.0.0.1", engine.context().gateway().boundPort());
    }

    @AfterAll
    static void stop()
    {
        if (null != control)
        {
            control.close();
        }
        if (null != engine)
        {
            engine.close();
        }
    }

    @FuzzTest(maxDuration = "60s")
    @SuppressWarnings("try")   // the resource only scopes the loopback permission
    void anyBytesLeaveTheGatewayServing(final @NotNull byte[] data) throws Exception
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
        try (Socket socket = new Socket("127.0.0.1", engine.context().gateway().boundPort()))
        {
            socket.setSoLinger(true, 0);
            final OutputStream out = socket.getOutputStream();
            out.write(data);
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
            catch (final java.net.SocketTimeoutException quiet)
            {
                // Nothing more to read: the gateway is waiting for the rest of a frame, or has answered.
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

        control.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1], new RequestId(1, 1,
            ++controlCounter),
            PAYLOAD, 0, 8);
        final ProtocolEvent answer = control.read(TIMEOUT_MS);
        check(null != answer && answer.requestId().counter() == controlCounter, "the control client is still served");
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
