package io.otaprio.http;

import io.otaprio.duis.DuisWriter;
import io.otaprio.engine.Engine;
import io.otaprio.journal.JournalConfig;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.SrvCode;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /duis} over a real socket on 127.0.0.1 into a real engine with a journal: every kind, resends and the
 * Critical two-step, every bad input the endpoint must refuse with its 4xx (nothing journaled, the engine still
 * serving), and the HTTP rules (lengths, Expect, keep-alive, pipelining, timeouts).
 */
class DuisEndpointTest
{
    private static final int TIMEOUT_MS = 10_000;
    private static final RequestId REQUEST_ID =
        RequestId.parse("90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888");

    @TempDir
    Path dir;

    private final DuisWriter writer = new DuisWriter(42);
    private Engine engine;
    private int port;

    @AfterEach
    void close()
    {
        if (null != engine)
        {
            engine.close();
        }
    }

    @Test
    void shouldAdmitEachKindAndAnswerItsLevel() throws Exception
    {
        start(60_000_000_000L);
        final byte[] request = writer.request(REQUEST_ID, SrvCode.parse("1.2"), 1, 2048);
        assertEquals("202 {\"messageId\":0,\"level\":2,\"kind\":\"SERVICE_REQUEST\",\"srv\":\"1.2\"," +
            "\"alertCode\":null,\"requestId\":\"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888\"," +
            "\"commandVariant\":1,\"demotedFrom\":0,\"dueAt\":null}", post(request));

        final String response = post(writer.response(REQUEST_ID, SrvCode.parse("1.2"), "I0"));
        assertTrue(response.startsWith("202 {\"messageId\":1,\"level\":2,\"kind\":\"RESPONSE\",\"srv\":\"1.2\""),
            "a response with its request's RequestID is not a resend of it, and keeps its level: " + response);

        final String deviceAlert = post(writer.deviceAlert(new RequestId(1, 2, 3), 0x8F1C));
        assertTrue(deviceAlert.startsWith("202 {\"messageId\":2,\"level\":1,\"kind\":\"ALERT\",\"srv\":null," +
            "\"alertCode\":\"0x8F1C\""), deviceAlert);
        final String dccAlert = post(writer.dccAlert(new RequestId(1, 2, 4), "N24"));
        assertTrue(dccAlert.startsWith("202 {\"messageId\":3,\"level\":2,\"kind\":\"ALERT\",\"srv\":null," +
            "\"alertCode\":\"N24\""), dccAlert);

        assertEquals("409 {\"reason\":\"DUPLICATE\",\"detail\":\"RequestID is already pending as message 0\"," +
            "\"originalMessageId\":0,\"originalPending\":true}", post(request));
        assertEquals(4, engine.admission().nextMessageId());
        assertEquals(4, engine.context().duisCounters().answered(202));
        assertEquals(1, engine.context().duisCounters().answered(409));
    }

    @Test
    void shouldAnswerTheReadmeExamplesAsTheReadmeShows() throws Exception
    {
        start(60_000_000_000L, PriorityPolicy.load(Path.of("../../conf/priority-policy.yaml")));
        final Path examples = Path.of("../../docs/duis-examples");
        final String readme = Files.readString(Path.of("../../README.md"));
        final String topUp = post(Files.readAllBytes(examples.resolve("top-up-2.2.xml")));
        assertEquals("202 {\"messageId\":0,\"level\":1,\"kind\":\"SERVICE_REQUEST\",\"srv\":\"2.2\"," +
            "\"alertCode\":null,\"requestId\":\"90-B3-D5-1F-30-01-00-00:00-DB-12-34-56-78-90-A0:12884901888\"," +
            "\"commandVariant\":1,\"demotedFrom\":0,\"dueAt\":null}", topUp);
        assertTrue(readme.contains("\n" + topUp.substring(4) + "\n"), "README shows the answer as it is");
        final String again = post(Files.readAllBytes(examples.resolve("top-up-2.2.xml")));
        assertTrue(again.startsWith("409 "), again);
        final String[] steps = {
            post(Files.readAllBytes(examples.resolve("critical-step1-7.2.xml"))),
            post(Files.readAllBytes(examples.resolve("critical-step2-7.2.xml"))) };
        assertTrue(steps[0].startsWith("202 {\"messageId\":1,\"level\":1,"), steps[0]);
        assertTrue(steps[1].startsWith("202 {\"messageId\":2,\"level\":1,"), steps[1]);
        for (final String name : new String[]{ "response-2.2.xml", "device-alert-8F35.xml", "dcc-alert-N24.xml",
            "read-profile-4.8.1.xml", "future-dated-11.3.xml" })
        {
            final String answer = post(Files.readAllBytes(examples.resolve(name)));
            assertTrue(answer.startsWith("202 "), name + ": " + answer);
        }
    }

    @Test
    void shouldLinkTheTwoStepsOfACriticalCommand() throws Exception
    {
        start(60_000_000_000L);
        final RequestId critical = new RequestId(7, 7, 7);
        final String first = post(writer.request(critical, SrvCode.parse("1.1"), CommandVariant.CRITICAL_TRANSFORM,
            1600));
        assertTrue(first.startsWith("202 {\"messageId\":0,\"level\":1,"), first);
        final String second = post(writer.request(critical, SrvCode.parse("1.1"), 5, 1600));
        assertTrue(second.startsWith("202 {\"messageId\":1,\"level\":1,"), second);
        assertTrue(second.contains("\"commandVariant\":5"), second);
        assertEquals(1, engine.context().metrics().secondSteps(true));
    }

    @Test
    void shouldRefuseEveryBadDocumentWithItsStatusJournalNothingAndKeepServing() throws Exception
    {
        start(60_000_000_000L);
        final String valid = new String(writer.request(REQUEST_ID, SrvCode.parse("1.3"), 1, 2048),
            StandardCharsets.UTF_8);
        assertRefused(400, "MALFORMED", "not XML", "this is not XML");
        assertRefused(400, "MALFORMED", null, valid.substring(0, valid.length() / 2));
        assertRefused(400, "MALFORMED", "DTD refused", "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol " +
            "\"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n<sr:Request " +
            "xmlns:sr=\"http://www.dccinterface.co.uk/ServiceUserGateway\">&lol2;</sr:Request>");
        assertRefused(400, "MALFORMED", "wrong namespace", valid.replace("http://www.dccinterface.co.uk/" +
            "ServiceUserGateway", "http://example.com/other"));
        assertRefused(400, "MALFORMED", "bad RequestID", valid.replace("90-B3-D5-1F-30-01-00-00:",
            "90-B3-D5-1F-30-01-00:"));
        assertRefused(400, "MALFORMED", null, valid.replace(">1.3<", ">99.99.99.99.9<"));
        assertEquals(0, engine.admission().nextMessageId(), "nothing admitted, so nothing journaled");

        try (Socket socket = connect())
        {
            send(socket, "POST /duis HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n");
            final String answer = read(socket);
            assertTrue(answer.startsWith("413 {\"reason\":\"TOO_LARGE\""), "refused on its length, unread: " +
                answer);
        }
        try (Socket socket = connect())
        {
            send(socket, "POST /duis HTTP/1.1\r\nContent-Length: 2048\r\n\r\n" + valid.substring(0, 100));
        }
        assertTrue(post(valid.getBytes(StandardCharsets.UTF_8)).startsWith("202 "), "still serving");
        assertEquals(1, engine.admission().nextMessageId());
        assertEquals(6, engine.context().duisCounters().answered(400));
        assertEquals(1, engine.context().duisCounters().answered(413));
    }

    @Test
    void shouldServeHttpByTheRules() throws Exception
    {
        start(60_000_000_000L);
        final byte[] one = writer.request(new RequestId(1, 1, 1), SrvCode.parse("1.4"), 1, 1800);
        final byte[] two = writer.request(new RequestId(1, 1, 2), SrvCode.parse("1.4"), 1, 1800);
        assertStatus(404, "POST /other HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertStatus(405, "GET /duis HTTP/1.1\r\n\r\n");
        assertStatus(411, "POST /duis HTTP/1.1\r\n\r\n");
        assertStatus(411, "POST /duis HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
        assertStatus(431, "POST /duis HTTP/1.1\r\nX-Long: " + "x".repeat(9000) + "\r\n\r\n");
        assertStatus(400, "BREW /duis HTCPCP/1.0\r\n\r\n");

        try (Socket socket = connect())
        {
            send(socket, "POST /duis HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: " + one.length + "\r\n\r\n");
            final InputStream in = socket.getInputStream();
            final byte[] expected = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            final byte[] got = in.readNBytes(expected.length);
            assertEquals(new String(expected, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
            socket.getOutputStream().write(one);
            assertTrue(read(socket).startsWith("202 "));

            // Keep-alive, then two requests pipelined in one write: answered in order on the same connection.
            final ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(head(two.length).getBytes(StandardCharsets.US_ASCII));
            both.write(two);
            both.write(head(one.length).getBytes(StandardCharsets.US_ASCII));
            both.write(one);
            socket.getOutputStream().write(both.toByteArray());
            assertTrue(read(socket).startsWith("202 {\"messageId\":1,"));
            assertTrue(read(socket).startsWith("409 {\"reason\":\"DUPLICATE\""));

            // A client pipelining many at once: every one answered, in order.
            final ByteArrayOutputStream many = new ByteArrayOutputStream();
            for (int i = 0; i < 32; i++)
            {
                final byte[] document = writer.request(new RequestId(2, 2, 1 + i), SrvCode.parse("1.4"), 1, 2048);
                many.write(head(document.length).getBytes(StandardCharsets.US_ASCII));
                many.write(document);
            }
            socket.getOutputStream().write(many.toByteArray());
            for (int i = 0; i < 32; i++)
            {
                final String answer = read(socket);
                assertTrue(answer.startsWith("202 {\"messageId\":" + (2 + i) + ","), i + ": " + answer);
            }
        }
    }

    @Test
    void shouldAnswerEveryRequestOfClientsPipeliningMoreThanTheAnswersQueueHolds() throws Exception
    {
        // Four connections (the endpoint's limit here) pipelining 64 each: the answers queue holds a few dozen, so
        // the endpoint must release what it has read before admission answers what the reading freed.
        start(60_000_000_000L, TestPolicies.fourLevels(), 4);
        final Socket[] sockets = new Socket[4];
        for (int c = 0; c < sockets.length; c++)
        {
            sockets[c] = connect();
            final ByteArrayOutputStream many = new ByteArrayOutputStream();
            for (int i = 0; i < 64; i++)
            {
                final byte[] document = writer.request(new RequestId(3, c + 1, i + 1), SrvCode.parse("1.4"), 1, 1600);
                many.write(head(document.length).getBytes(StandardCharsets.US_ASCII));
                many.write(document);
            }
            sockets[c].getOutputStream().write(many.toByteArray());
        }
        for (final Socket socket : sockets)
        {
            for (int i = 0; i < 64; i++)
            {
                final String answer = read(socket);
                assertTrue(answer.startsWith("202 "), i + ": " + answer);
            }
            socket.close();
        }
        assertEquals(256, engine.admission().nextMessageId());
        assertEquals(256, engine.context().duisCounters().answered(202));
    }

    @Test
    void shouldAnswerARequestNotAllThereByTheTimeoutWith408AndClose() throws Exception
    {
        start(300_000_000L);
        try (Socket socket = connect())
        {
            send(socket, "POST /duis HTTP/1.1\r\nContent-Length: 100\r\n\r\n<sr:Req");
            assertTrue(read(socket).startsWith("408 {\"reason\":\"REQUEST_TIMEOUT\""));
            assertEquals(-1, socket.getInputStream().read(), "closed");
        }
        assertEquals(1, engine.context().duisCounters().timeouts());
    }

    @Test
    void shouldHoldAFutureDatedRequestAnswer202WithDueAtAndCancelItWithTheDccCancellationDate() throws Exception
    {
        start(60_000_000_000L);
        final long dueNs = (System.currentTimeMillis() + 3_600_000L) / 1000 * 1_000_000_000L;
        final String held = post(writer.request(REQUEST_ID, SrvCode.parse("1.2"), 1, dueNs, 2048));
        assertTrue(held.startsWith("202 {\"messageId\":0,\"level\":2,"), held);
        assertTrue(held.endsWith(",\"dueAt\":\"" + java.time.Instant.ofEpochSecond(dueNs / 1_000_000_000L) + "\"}"),
            held);
        assertEquals(1, engine.admission().held().size(), "held, not queued");
        Thread.sleep(100);
        assertEquals(0, engine.depth(), "nothing in a lane before it is due");

        final byte[] cancellation = writer.request(new RequestId(REQUEST_ID.originator(), REQUEST_ID.target(), 99),
            SrvCode.parse("1.2"), 4, "3000-12-31T00:00:00Z", 1024);
        final String cancelled = post(cancellation);
        assertTrue(cancelled.startsWith("202 {\"messageId\":1,"), cancelled);
        assertTrue(cancelled.endsWith("\"dueAt\":\"3000-12-31T00:00:00Z\",\"cancelled\":1}"), cancelled);
        assertEquals(0, engine.admission().held().size());
    }

    private void start(final long idleTimeoutNs) throws IOException
    {
        start(idleTimeoutNs, TestPolicies.fourLevels());
    }

    private void start(final long idleTimeoutNs, final PriorityPolicy policy) throws IOException
    {
        start(idleTimeoutNs, policy, 64);
    }

    private void start(final long idleTimeoutNs, final PriorityPolicy policy, final int maxConnections)
        throws IOException
    {
        engine = Engine.launch(TestEngines.context()
            .policy(policy)
            .duisMaxConnections(maxConnections)
            .dispatcher(new ManualDispatcher(1))
            .ringSizes(64, 64, 64, 512)
            .maxPayloadBytes(32 * 1024)
            .journal(new JournalConfig(Files.createDirectories(dir.resolve("journal"))))
            .dedup(60_000_000_000L, 1024)
            .duisListen("127.0.0.1:0")
            .duisIdleTimeoutNs(idleTimeoutNs));
        port = engine.context().duisEndpoint().boundPort();
    }

    private void assertRefused(final int status, final String reason, final String detail, final String document)
        throws IOException
    {
        final String answer = post(document.getBytes(StandardCharsets.UTF_8));
        assertTrue(answer.startsWith(status + " {\"reason\":\"" + reason + "\",\"detail\":\"" +
            (null == detail ? "" : detail)), answer);
    }

    private void assertStatus(final int status, final String request) throws IOException
    {
        try (Socket socket = connect())
        {
            send(socket, request);
            final String answer = read(socket);
            assertTrue(answer.startsWith(status + " "), answer);
        }
    }

    private String post(final byte[] document) throws IOException
    {
        try (Socket socket = connect())
        {
            final OutputStream out = socket.getOutputStream();
            out.write(head(document.length).getBytes(StandardCharsets.US_ASCII));
            out.write(document);
            return read(socket);
        }
    }

    private static String head(final int length)
    {
        return "POST /duis HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: " +
            length + "\r\n\r\n";
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    private static void send(final Socket socket, final String text) throws IOException
    {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @return "STATUS BODY" of one answer, checking its head on the way. */
    private static String read(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n"))
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("closed after: " + head);
            }
            head.append((char)b);
        }
        final String text = head.toString();
        assertTrue(text.startsWith("HTTP/1.1 "), text);
        assertTrue(text.contains("\r\nContent-Type: application/json\r\n"), text);
        final int lengthAt = text.indexOf("Content-Length: ") + "Content-Length: ".length();
        final int length = Integer.parseInt(text.substring(lengthAt, text.indexOf("\r\n", lengthAt)));
        final String body = new String(in.readNBytes(length), StandardCharsets.US_ASCII);
        return text.substring(9, 12) + " " + body;
    }
}
