package io.otaprio.gateway;

import io.otaprio.dispatch.CompletionPort;
import io.otaprio.dispatch.Dispatcher;
import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.protocol.ClientCodec;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.Framing;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.ProtocolClient;
import io.otaprio.protocol.ProtocolEvent;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.protocol.sbe.MessageHeaderEncoder;
import io.otaprio.protocol.sbe.OriginalState;
import io.otaprio.protocol.sbe.RejectEncoder;
import io.otaprio.protocol.sbe.SubmitEncoder;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway over real TCP sockets on 127.0.0.1 (ephemeral ports) in front of a real engine.
 * <p>
 * Every Reject reason the engine produces today is driven through a socket: FULL, MALFORMED, TOO_LARGE, UNAVAILABLE
 * and UNKNOWN_KIND. DUPLICATE is part of the protocol but not produced yet: resend detection by RequestID is a later
 * (hardening) issue, so there is no test of it here.
 * <p>
 * Every test closes its clients, the gateway (whose thread must be gone) and the engine.
 */
class GatewayTest
{
    private static final long TIMEOUT_MS = 5_000;
    private static final int MAX_PAYLOAD_BYTES = 256;
    private static final int SRV_LEVEL_2 = TestPolicies.SRV_OF_LEVEL[2];
    private static final int SRV_LEVEL_4 = TestPolicies.SRV_OF_LEVEL[4];
    private static final int SERVICE_REQUEST = MessageKind.SERVICE_REQUEST.value();

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[1024]);
    private final List<ProtocolClient> clients = new ArrayList<>();
    private Engine engine;
    private int dedupMaxEntries;
    private int alertMaxPerWindow;

    @AfterEach
    void closeEverything() throws InterruptedException
    {
        clients.forEach(ProtocolClient::close);
        if (null != engine)
        {
            engine.close();
        }
        assertFalse(TestEngines.threadAlive("otaprio-"),
            () -> "no engine thread may outlive close(): " + TestEngines.threads("otaprio-"));
    }

    @Test
    void shouldAckThenPushCompletedOnTheSameConnection() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        start(dispatcher, c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();

        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(0xAAAA_0000_0000_0001L, 0xBBBB_0000_0000_0002L, 42),
            payload, 0, 16);
        final ProtocolEvent ack = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
        assertEquals(0xAAAA_0000_0000_0001L, ack.requestId().originator());
        assertEquals(0xBBBB_0000_0000_0002L, ack.requestId().target());
        assertEquals(42, ack.requestId().counter());
        assertEquals(2, ack.level());
        assertEquals(0, ack.demotedFrom(), "no quota configured");
        final long messageId = ack.messageId();
        assertTrue(messageId >= 0);

        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        Thread.sleep(5);
        assertEquals(messageId, dispatcher.completeOldest());

        final ProtocolEvent completed = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.COMPLETED, completed.type(), completed.toString());
        assertEquals(0xAAAA_0000_0000_0001L, completed.requestId().originator());
        assertEquals(0xBBBB_0000_0000_0002L, completed.requestId().target());
        assertEquals(42, completed.requestId().counter());
        assertEquals(messageId, completed.messageId());
        assertEquals(2, completed.level());
        assertEquals(0, completed.outcome());
        assertTrue(completed.engineLatencyUs() >= 5_000 && completed.engineLatencyUs() < 10_000_000,
            "engine latency " + completed.engineLatencyUs() + " us: at least the 5 ms held, well under the timeout");
        assertTrue(completed.trtMet(), "level 2 TRT is 10 s");

        final GatewayCounters counters = engine.context().gatewayCounters();
        assertEquals(1, counters.framesIn());
        assertEquals(2, counters.framesOut());
        assertEquals(0, counters.completionsDropped());
    }

    @Test
    void shouldDecodeFramesSplitAcrossReadsAndManyFramesInOneRead() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 64, 64, 64, 64);
        final ProtocolClient client = connect();
        final ClientCodec codec = new ClientCodec(4096);
        final UnsafeBuffer frames = new UnsafeBuffer(new byte[4096]);

        final int first = codec.encodeSubmit(frames, 0, SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 0), payload,
            0, 40);
        for (int i = 0; i < first; i++)
        {
            // One byte per write with a pause: the gateway sees the frame across many reads, header split too.
            client.sendRaw(frames, i, 1);
            Thread.sleep(i < 8 ? 2 : 0);
        }
        final ProtocolEvent ack = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
        assertEquals(0, ack.requestId().counter());

        int length = 0;
        for (int counter = 1; counter <= 20; counter++)
        {
            length += codec.encodeSubmit(frames, length, SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, counter),
                payload, 0, counter);
        }
        client.sendRaw(frames, 0, length);
        for (int counter = 1; counter <= 20; counter++)
        {
            final ProtocolEvent event = client.read(TIMEOUT_MS);
            assertEquals(ProtocolEvent.Type.ACK, event.type(), event.toString());
            assertEquals(counter, event.requestId().counter(), "Acks in submit order");
        }
        assertEquals(21, engine.context().gatewayCounters().framesIn());
    }

    @Test
    void shouldRejectFullNamingTheLevelWhoseRingIsFull() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        start(dispatcher, c -> c, 4, 4, 4, 4);
        final ProtocolClient client = connect();

        client.submit(SERVICE_REQUEST, SRV_LEVEL_4, new RequestId(1, 2, 0), payload, 0, 8);
        assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type());
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS), "the one credit is held by the first message");
        awaitDepth(0);
        for (int i = 1; i <= 4; i++)
        {
            client.submit(SERVICE_REQUEST, SRV_LEVEL_4, new RequestId(1, 2, i), payload, 0, 8);
            assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type(), "ring of level 4 has 4 slots");
        }

        client.submit(SERVICE_REQUEST, SRV_LEVEL_4, new RequestId(1, 2, 5), payload, 0, 8);
        final ProtocolEvent reject = client.read(TIMEOUT_MS);
        assertReject(reject, RejectReason.FULL, 5);
        assertEquals("level 4 is full (its ring or payload store)", reject.detail().toString());

        client.submit(SERVICE_REQUEST, TestPolicies.SRV_OF_LEVEL[1], new RequestId(1, 2, 6), payload, 0, 8);
        final ProtocolEvent levelOne = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, levelOne.type(), "level 1 keeps accepting: " + levelOne);
        assertEquals(1, levelOne.level());
    }

    @Test
    void shouldRejectInvalidSubmitsWithTheEngineReasonAndKeepTheConnection() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();

        client.submit(SERVICE_REQUEST, 0x02000200, new RequestId(1, 2, 10), payload, 0, 8);
        assertReject(client.read(TIMEOUT_MS), RejectReason.MALFORMED, 10);

        client.submit(MessageKind.ALERT.value(), 0x1_0000, new RequestId(1, 2, 11), payload, 0, 8);
        assertReject(client.read(TIMEOUT_MS), RejectReason.MALFORMED, 11);

        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 12), payload, 0, MAX_PAYLOAD_BYTES + 1);
        final ProtocolEvent tooLarge = client.read(TIMEOUT_MS);
        assertReject(tooLarge, RejectReason.TOO_LARGE, 12);
        assertEquals("payload above maxPayloadBytes " + MAX_PAYLOAD_BYTES, tooLarge.detail().toString());

        client.submit(9, SRV_LEVEL_2, new RequestId(1, 2, 13), payload, 0, 8);
        assertReject(client.read(TIMEOUT_MS), RejectReason.UNKNOWN_KIND, 13);

        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 14), payload, 0, MAX_PAYLOAD_BYTES);
        assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type(), "largest payload is admitted");

        engine.admission().close();
        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 15), payload, 0, 8);
        assertReject(client.read(TIMEOUT_MS), RejectReason.UNAVAILABLE, 15);

        assertEquals(0, engine.context().gatewayCounters().malformedFrames(), "engine rejects are not protocol errors");
    }

    @Test
    void shouldRejectMalformedWhenThePayloadLengthRunsPastTheFrame() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();

        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = new ClientCodec(4096).encodeSubmit(frame, 0, SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1,
            2, 77),
            payload, 0, 8);
        final int payloadLengthOffset = Framing.MIN_FRAME_LENGTH + SubmitEncoder.BLOCK_LENGTH;
        frame.putShort(payloadLengthOffset, (short)9, ByteOrder.LITTLE_ENDIAN);
        client.sendRaw(frame, 0, length);
        assertReject(client.read(TIMEOUT_MS), RejectReason.MALFORMED, 77);

        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 78), payload, 0, 8);
        assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type(), "the connection is still served");
        assertEquals(1, engine.context().gatewayCounters().malformedFrames());
        assertEquals(0, engine.context().gatewayCounters().connectionsClosed());
    }

    @Test
    void shouldReadVersionTwoSubmitsAndTheCommandVariantOfVersionThree() throws Exception
    {
        dedupMaxEntries = 1024;
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();
        final RequestId requestId = new RequestId(1, 2, 90);

        // A version-2 client: blockLength 29 and no CommandVariant, the payload right after the kind.
        final UnsafeBuffer v3 = new UnsafeBuffer(new byte[256]);
        final int v3Length = new ClientCodec(4096).encodeSubmit(v3, 0, SERVICE_REQUEST, SRV_LEVEL_2,
            CommandVariant.CRITICAL_TRANSFORM, requestId, payload, 0, 8);
        final UnsafeBuffer v2 = new UnsafeBuffer(new byte[256]);
        final int blockStart = Framing.MIN_FRAME_LENGTH;
        v2.putBytes(0, v3, 0, blockStart + 29);
        v2.putBytes(blockStart + 29, v3, blockStart + SubmitEncoder.BLOCK_LENGTH, 2 + 8);
        v2.putShort(Framing.HEADER_LENGTH + MessageHeaderEncoder.blockLengthEncodingOffset(), (short)29,
            ByteOrder.LITTLE_ENDIAN);
        v2.putShort(Framing.HEADER_LENGTH + MessageHeaderEncoder.versionEncodingOffset(), (short)2,
            ByteOrder.LITTLE_ENDIAN);
        Framing.putHeader(v2, 0, v3Length - 1);
        client.sendRaw(v2, 0, v3Length - 1);
        assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type(), "a version-2 Submit is read as before");

        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, CommandVariant.FIRST_SIGNED_PRE_COMMAND, requestId, payload, 0,
            8);
        assertReject(client.read(TIMEOUT_MS), RejectReason.DUPLICATE, 90);

        final RequestId critical = new RequestId(1, 2, 91);
        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, CommandVariant.CRITICAL_TRANSFORM, critical, payload, 0, 8);
        assertEquals(ProtocolEvent.Type.ACK, client.read(TIMEOUT_MS).type());
        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, 6, critical, payload, 0, 8);
        final ProtocolEvent linked = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, linked.type(), "the signed second step of a CommandVariant-4 first");
        assertEquals(2, linked.level());
        assertEquals(1, engine.context().metrics().secondSteps(true));
    }

    @Test
    void shouldAdmitSixtyKilobyteAndWireMaximumSubmitsOverTcpAndDispatchThemIntact() throws Exception
    {
        final List<byte[]> received = new CopyOnWriteArrayList<>();
        final Dispatcher copying = new Dispatcher()
        {
            private CompletionPort port;

            public int slots()
            {
                return 1;
            }

            public void onStart(final CompletionPort completions)
            {
                port = completions;
            }

            public void dispatch(final AcceptedMessageFlyweight message, final int slot,
                final long nowNs)
            {
                // The message is the dispatcher's only while dispatch runs: copy what is kept.
                final byte[] copy = new byte[message.payloadLength()];
                message.buffer().getBytes(message.payloadOffset(), copy);
                received.add(copy);
                port.complete(slot, message.messageId(), CompletionPort.OUTCOME_OK);
            }
        };
        start(copying, c -> c.maxPayloadBytes(64 * 1024), 8, 8, 8, 8);
        final ProtocolClient client = connect();
        final SplittableRandom random = new SplittableRandom(60);
        final int[] lengths = { 60_000, Framing.MAX_SUBMIT_PAYLOAD_LENGTH, 16 };
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++)
        {
            final byte[] bytes = new byte[lengths[i]];
            random.nextBytes(bytes);
            sent.add(bytes);
            client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(7, 8, i), new UnsafeBuffer(bytes), 0,
                bytes.length);
            final ProtocolEvent ack = client.read(TIMEOUT_MS);
            assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
            final ProtocolEvent completed = client.read(TIMEOUT_MS);
            assertEquals(ProtocolEvent.Type.COMPLETED, completed.type(), completed.toString());
        }
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++)
        {
            assertTrue(Arrays.equals(sent.get(i), received.get(i)), "payload " + i + " intact");
        }
        assertEquals(0, engine.context().gatewayCounters().malformedFrames());
    }

    @Test
    void shouldAnswerEverySubmitReadBeforeClosingAHalfClosedConnection() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        start(dispatcher, c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();

        for (int counter = 1; counter <= 3; counter++)
        {
            client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(7, 8, counter), payload, 0, 8);
        }
        client.finishSending();

        for (int counter = 1; counter <= 3; counter++)
        {
            final ProtocolEvent ack = client.read(TIMEOUT_MS);
            assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
            assertEquals(counter, ack.requestId().counter());
        }
        assertTrue(client.awaitClosedByPeer(TIMEOUT_MS), "then closed, without waiting for the Completed frames");
        awaitCount(engine.context().gatewayCounters()::connectionsClosed, 1);
        assertEquals(0, engine.context().gatewayCounters().malformedFrames(), "a half-close is no protocol error");
        assertEquals(3, engine.context().metrics().accepted(2));
    }

    @Test
    void shouldZeroTheRejectPaddingAndSayWhetherADuplicatesOriginalIsPending() throws Exception
    {
        dedupMaxEntries = 64;
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        start(dispatcher, c -> c, 8, 8, 8, 8);
        final RequestId first = new RequestId(0x0102030405060708L, 0x1112131415161718L, 1);
        try (SocketChannel raw = SocketChannel.open(
            new InetSocketAddress("127.0.0.1", engine.context().gateway().boundPort())))
        {
            raw.configureBlocking(false);
            // A Reject with a long detail at the start of the outbound buffer, then an Ack and a Reject in one duty
            // cycle: the second Reject's padding lies where the first one's detail was.
            final ByteBuffer malformed = sendAndRead(raw, 1, submit(0, new RequestId(-1L, -1L, -1L)));
            assertTrue(malformed.limit() > Framing.MIN_FRAME_LENGTH + RejectEncoder.BLOCK_LENGTH + 40,
                "a detail long enough to reach the later padding");
            final ByteBuffer[] pending = frames(sendAndRead(raw, 2, submit(SRV_LEVEL_2, first),
                submit(SRV_LEVEL_2, first)));
            assertRejectBlock(pending[1], OriginalState.PENDING);

            final ByteBuffer invalid = frames(sendAndRead(raw, 2, submit(SRV_LEVEL_2, new RequestId(9, 9, 9)),
                submit(0, new RequestId(9, 9, 10))))[1];
            assertRejectBlock(invalid, OriginalState.NONE);
        }

        final ProtocolClient client = connect();
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));
        dispatcher.completeOldest();
        awaitCount(engine.context().metrics()::completedTotal, 1);
        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, first, payload, 0, 8);
        final ProtocolEvent duplicate = client.read(TIMEOUT_MS);
        assertReject(duplicate, RejectReason.DUPLICATE, 1);
        assertEquals(ProtocolEvent.ORIGINAL_COMPLETED, duplicate.originalState());
    }

    @Test
    void shouldCountTheMalformedRejectsItSendsItselfWithAdmissions() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        final int length = new ClientCodec(4096).encodeSubmit(frame, 0, SERVICE_REQUEST, SRV_LEVEL_2,
            new RequestId(1, 2, 3), payload, 0, 8);
        frame.putShort(Framing.MIN_FRAME_LENGTH + SubmitEncoder.BLOCK_LENGTH, (short)9, ByteOrder.LITTLE_ENDIAN);
        client.sendRaw(frame, 0, length);
        assertReject(client.read(TIMEOUT_MS), RejectReason.MALFORMED, 3);

        assertEquals(1, engine.context().metrics().rejected(RejectReason.MALFORMED),
            "otaprio_rejected_total{reason=\"MALFORMED\"} counts it");
    }

    @Test
    void shouldCloseOnWrongEncodingTypeAndKeepServingOthers() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final UnsafeBuffer frame = validSubmitFrame();
        frame.putShort(Framing.ENCODING_TYPE_OFFSET, (short)0x5BE0, ByteOrder.BIG_ENDIAN);
        assertClosedAndOthersServed(frame, validSubmitLength());
    }

    @Test
    void shouldCloseOnUnknownTemplateIdAndKeepServingOthers() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final UnsafeBuffer frame = validSubmitFrame();
        frame.putShort(Framing.HEADER_LENGTH + MessageHeaderEncoder.templateIdEncodingOffset(), (short)99,
            ByteOrder.LITTLE_ENDIAN);
        assertClosedAndOthersServed(frame, validSubmitLength());
    }

    @Test
    void shouldCloseOnLengthSmallerThanTheHeaderAndKeepServingOthers() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final UnsafeBuffer frame = validSubmitFrame();
        Framing.putHeader(frame, 0, 4);
        assertClosedAndOthersServed(frame, validSubmitLength());
    }

    @Test
    void shouldCloseOnOversizedLengthBeforeReadingTheBody() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final UnsafeBuffer frame = validSubmitFrame();
        Framing.putHeader(frame, 0, 1 << 30);
        // Only the 6-byte header is sent: the gateway must decide on the declared length alone.
        assertClosedAndOthersServed(frame, Framing.HEADER_LENGTH);
    }

    @Test
    void shouldCountAFrameTruncatedByTheClientClosingAndKeepServingOthers() throws Exception
    {
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient good = connect();
        final ProtocolClient bad = connect();
        bad.sendRaw(validSubmitFrame(), 0, validSubmitLength() - 10);
        bad.close();

        final GatewayCounters counters = engine.context().gatewayCounters();
        awaitCount(counters::connectionsClosed, 1);
        assertEquals(1, counters.malformedFrames());
        assertAcked(good, 1);
    }

    @Test
    void shouldFeedTheRecoveredBacklogAndDropCompletionsNoConnectionWaitsFor(@TempDir final Path dir)
        throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        start(new ManualDispatcher(1), c -> c, journal, 64, 64, 64, 64);
        final ProtocolClient before = connect();
        for (int i = 0; i < 10; i++)
        {
            before.submit(SERVICE_REQUEST, SRV_LEVEL_4, new RequestId(1, 2, i), payload, 0, 8);
            assertEquals(ProtocolEvent.Type.ACK, before.read(TIMEOUT_MS).type());
        }
        before.close();
        engine.close();
        engine = null;

        final ManualDispatcher dispatcher = new ManualDispatcher(64);
        start(dispatcher, c -> c, journal, 64, 64, 64, 64);
        assertEquals(10, engine.context().recovered().pendingCount());
        assertTrue(dispatcher.awaitDispatched(10, TIMEOUT_MS), "the gateway thread feeds the recovered backlog");
        for (int i = 0; i < 10; i++)
        {
            assertTrue(dispatcher.completeOldest() >= 0);
        }
        awaitCount(engine.context().gatewayCounters()::completionsDropped, 10);

        final ProtocolClient after = connect();
        after.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 100), payload, 0, 8);
        final ProtocolEvent ack = after.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
        assertEquals(10, ack.messageId(), "ids continue above the recovered ones");
        assertTrue(dispatcher.awaitDispatched(11, TIMEOUT_MS));
        assertEquals(10, dispatcher.completeOldest());
        final ProtocolEvent completed = after.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.COMPLETED, completed.type(), completed.toString());
        assertEquals(100, completed.requestId().counter());
    }

    @Test
    void shouldCloseASilentConnectionOnlyOnceItIsOwedNoCompleted() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        start(dispatcher, c -> c.gatewayIdleTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200)), 8, 8, 8, 8);
        final ProtocolClient silent = connect();
        final ProtocolClient waiting = connect();
        assertAcked(waiting, 1);
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));

        assertTrue(silent.awaitClosedByPeer(TIMEOUT_MS), "a connection that never sends is closed");
        final GatewayCounters counters = engine.context().gatewayCounters();
        awaitCount(counters::idleDisconnects, 1);
        Thread.sleep(600);
        assertEquals(1, counters.idleDisconnects(), "a client waiting for its Completed is not idle, however quiet");

        dispatcher.completeOldest();
        final ProtocolEvent completed = waiting.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.COMPLETED, completed.type(), completed.toString());
        assertTrue(waiting.awaitClosedByPeer(TIMEOUT_MS), "owed nothing and silent: closed after the timeout");
        awaitCount(counters::idleDisconnects, 2);
        assertEquals(0, counters.completionsDropped());
    }

    @Test
    void shouldAnswerAResendDuplicateWithTheOriginalIdAndSendTheCompletedToTheResender() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        dedupMaxEntries = 1024;
        start(dispatcher, c -> c, 8, 8, 8, 8);
        final ProtocolClient original = connect();
        original.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(5, 6, 77), payload, 0, 8);
        final ProtocolEvent ack = original.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, ack.type(), ack.toString());
        assertTrue(dispatcher.awaitDispatched(1, TIMEOUT_MS));

        // The client gave up waiting, reconnected and sent the same request again.
        final ProtocolClient resender = connect();
        resender.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(5, 6, 77), payload, 0, 8);
        final ProtocolEvent duplicate = resender.read(TIMEOUT_MS);
        assertReject(duplicate, RejectReason.DUPLICATE, 77);
        assertEquals(ack.messageId(), duplicate.messageId(), "the Reject names the original message");
        assertTrue(duplicate.detail().toString().contains("pending"), duplicate.detail().toString());

        dispatcher.completeOldest();
        final ProtocolEvent completed = resender.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.COMPLETED, completed.type(), completed.toString());
        assertEquals(ack.messageId(), completed.messageId());

        resender.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(5, 6, 77), payload, 0, 8);
        final ProtocolEvent late = resender.read(TIMEOUT_MS);
        assertReject(late, RejectReason.DUPLICATE, 77);
        assertEquals(ack.messageId(), late.messageId());
        assertTrue(late.detail().toString().contains("completed"), late.detail().toString());
        assertEquals(2, engine.snapshot().level(2).duplicates(), "two resends counted at level 2");
        assertEquals(1, engine.context().metrics().dispatchedTotal(), "queued once");
    }

    @Test
    void shouldAnswerThrottledForAnAlertStormOverTheSocket() throws Exception
    {
        alertMaxPerWindow = 2;
        start(new ManualDispatcher(1), c -> c, 8, 8, 8, 8);
        final ProtocolClient client = connect();
        for (int i = 0; i < 4; i++)
        {
            client.submit(MessageKind.ALERT.value(), 0x8002, new RequestId(1, 0x42, 100 + i), payload, 0, 8);
            final ProtocolEvent event = client.read(TIMEOUT_MS);
            if (i < 2)
            {
                assertEquals(ProtocolEvent.Type.ACK, event.type(), event.toString());
            }
            else
            {
                assertReject(event, RejectReason.THROTTLED, 100 + i);
            }
        }
        assertEquals(0, engine.context().gatewayCounters().errors());
    }

    @Test
    void shouldRefuseConnectionsAboveMaxConnections() throws Exception
    {
        start(new ManualDispatcher(1), c -> c.maxConnections(2), 8, 8, 8, 8);
        final ProtocolClient first = connect();
        final ProtocolClient second = connect();
        final ProtocolClient third = connect();

        assertTrue(third.awaitClosedByPeer(TIMEOUT_MS), "the connection above the limit is closed on arrival");
        final GatewayCounters counters = engine.context().gatewayCounters();
        assertEquals(1, counters.connectionsRefused());
        assertEquals(2, counters.connectionsAccepted());
        assertAcked(first, 1);
        assertAcked(second, 2);
    }

    @Test
    void shouldDisconnectASlowReaderWithoutAffectingOthers() throws Exception
    {
        start(new ManualDispatcher(1), c -> c.outboundBufferBytes(4096).socketSendBufferBytes(4096),
            1024, 1024, 1024, 1024);
        final ProtocolClient good = connect();
        final ProtocolClient slow = ProtocolClient.connect(
            new InetSocketAddress("127.0.0.1", engine.context().gateway().boundPort()), 4096);
        clients.add(slow);

        final GatewayCounters counters = engine.context().gatewayCounters();
        boolean writeFailed = false;
        for (int i = 0; i < 1_000_000 && !writeFailed && counters.slowReaderDisconnects() == 0; i++)
        {
            try
            {
                slow.submit(SERVICE_REQUEST, SRV_LEVEL_4, new RequestId(3, 4, i), payload, 0, 16);
            }
            catch (final IOException ex)
            {
                writeFailed = true;
            }
        }

        awaitCount(counters::slowReaderDisconnects, 1);
        assertTrue(slow.awaitClosedByPeer(TIMEOUT_MS), "the slow reader's connection is closed");
        // The socket closes a moment before the count: the client can see the close first.
        awaitCount(counters::connectionsClosed, 1);
        assertEquals(1, counters.connectionsClosed());
        assertAcked(good, 1);
    }

    @Test
    void shouldCorrelateAcksAndCompletionsOfSixtyFourConcurrentClients() throws Exception
    {
        final int clientCount = 64;
        final int perClient = 200;
        // A completer thread rather than the simulated DSP: its timer wheel catches up one tick per scheduler duty
        // cycle, which on a starved 2-core machine can stall completions for seconds.
        final ManualDispatcher dispatcher = new ManualDispatcher(16);
        start(dispatcher, c -> c, 8192, 8192, 8192, 8192);
        final Set<Long> messageIds = ConcurrentHashMap.newKeySet();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean done = new AtomicBoolean();
        final Thread completer = new Thread(() ->
        {
            while (!done.get())
            {
                if (dispatcher.completeOldest() < 0)
                {
                    Thread.yield();
                }
            }
        }, "test-completer");
        completer.start();
        try
        {
            final Thread[] threads = new Thread[clientCount];
            for (int c = 0; c < clientCount; c++)
            {
                final ProtocolClient client = connect();
                final long originator = 1000 + c;
                threads[c] = new Thread(() ->
                {
                    try
                    {
                        runClient(client, originator, perClient, messageIds);
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }, "test-client-" + c);
            }
            for (final Thread thread : threads)
            {
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join(2 * TIMEOUT_MS);
            }
            for (final Thread thread : threads)
            {
                if (thread.isAlive())
                {
                    // Unblock a stuck client so that no test thread outlives the test, then fail.
                    clients.forEach(ProtocolClient::close);
                    thread.join();
                }
            }
        }
        finally
        {
            done.set(true);
            completer.join();
        }

        assertNull(failure.get(), () -> "client failed: " + failure.get());
        assertEquals(clientCount * perClient, messageIds.size(), "every message has its own id");
        final GatewayCounters counters = engine.context().gatewayCounters();
        assertEquals(clientCount, counters.connectionsAccepted());
        assertEquals(0, counters.completionsDropped());
        assertEquals(0, counters.slowReaderDisconnects());
    }

    private void runClient(
        final ProtocolClient client, final long originator, final int count, final Set<Long> messageIds)
        throws IOException
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[32]);
        final long[] idByCounter = new long[count];
        for (int i = 0; i < count; i++)
        {
            client.submit(SERVICE_REQUEST, TestPolicies.SRV_OF_LEVEL[1 + i % 4], new RequestId(originator, 7, i), body,
                0, 32);
        }
        int acks = 0;
        int completions = 0;
        while (acks < count || completions < count)
        {
            if (!client.poll(TIMEOUT_MS))
            {
                throw new AssertionError("client " + originator + " waited " + TIMEOUT_MS + " ms after " + acks +
                    " acks and " + completions + " completions; " + diagnostics());
            }
            final ProtocolEvent event = client.event();
            assertEquals(originator, event.requestId().originator(), event.toString());
            final int counter = (int)event.requestId().counter();
            switch (event.type())
            {
                case ACK:
                    assertEquals(acks, counter, "Acks arrive in submit order");
                    assertEquals(1 + counter % 4, event.level());
                    idByCounter[counter] = event.messageId();
                    assertTrue(messageIds.add(event.messageId()), "message id is unique");
                    acks++;
                    break;
                case COMPLETED:
                    assertTrue(counter < acks, "Completed follows its Ack");
                    assertEquals(idByCounter[counter], event.messageId(), "Completed carries the Ack's id");
                    assertEquals(1 + counter % 4, event.level());
                    completions++;
                    break;
                default:
                    throw new AssertionError("unexpected " + event);
            }
        }
    }

    private String diagnostics()
    {
        final GatewayCounters counters = engine.context().gatewayCounters();
        long accepted = 0;
        long completed = 0;
        for (int level = 1; level <= 4; level++)
        {
            accepted += engine.context().metrics().accepted(level);
            completed += engine.context().metrics().completed(level);
        }
        return "gateway framesIn=" + counters.framesIn() + " framesOut=" + counters.framesOut() +
            " closed=" + counters.connectionsClosed() + " slow=" + counters.slowReaderDisconnects() +
            " dropped=" + counters.completionsDropped() + " errors=" + counters.errors() +
            "; engine accepted=" + accepted + " completed=" + completed + " depth=" + engine.depth() +
            " relayDropped=" + engine.context().completionRelay().dropped();
    }

    private void start(final Dispatcher dispatcher, final UnaryOperator<EngineContext> gateway, final int... ringSizes)
    {
        start(dispatcher, gateway, null, ringSizes);
    }

    private void start(
        final Dispatcher dispatcher,
        final UnaryOperator<EngineContext> gateway,
        final JournalConfig journal,
        final int... ringSizes)
    {
        engine = Engine.launch(gateway.apply(TestEngines.context()
            .gatewayListen("127.0.0.1:0")
            .dispatcher(dispatcher)
            .ringSizes(ringSizes)
            .maxPayloadBytes(MAX_PAYLOAD_BYTES)
            .journal(journal)
            .dedup(60_000_000_000L, dedupMaxEntries)
            .alertThrottle(60_000_000_000L, alertMaxPerWindow)
            .completionRelayCapacity(16 * 1024)));
    }

    private ProtocolClient connect() throws IOException
    {
        final ProtocolClient client = ProtocolClient.connect("127.0.0.1", engine.context().gateway().boundPort());
        clients.add(client);
        return client;
    }

    private void assertClosedAndOthersServed(final UnsafeBuffer frame, final int length) throws Exception
    {
        final ProtocolClient good = connect();
        final ProtocolClient bad = connect();
        bad.sendRaw(frame, 0, length);

        assertTrue(bad.awaitClosedByPeer(TIMEOUT_MS), "the gateway closes the offending connection");
        final GatewayCounters counters = engine.context().gatewayCounters();
        awaitCount(counters::connectionsClosed, 1);
        assertEquals(1, counters.malformedFrames());
        assertEquals(0, counters.errors());
        assertAcked(good, 1);

        final ProtocolClient later = connect();
        assertAcked(later, 2);
    }

    private void assertAcked(final ProtocolClient client, final long counter) throws IOException
    {
        client.submit(SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(5, 6, counter), payload, 0, 8);
        final ProtocolEvent event = client.read(TIMEOUT_MS);
        assertEquals(ProtocolEvent.Type.ACK, event.type(), event.toString());
        assertEquals(counter, event.requestId().counter());
    }

    private static void assertReject(final ProtocolEvent event, final RejectReason reason, final long counter)
    {
        assertEquals(ProtocolEvent.Type.REJECT, event.type(), event.toString());
        assertEquals(reason, event.reason(), event.toString());
        assertEquals(counter, event.requestId().counter(), "a Reject echoes the RequestID");
        if (RejectReason.DUPLICATE != reason)
        {
            assertEquals(-1, event.messageId(), "only a DUPLICATE names a message");
        }
        assertTrue(event.detail().length() > 0, "a Reject explains itself");
    }

    private UnsafeBuffer submit(final int code, final RequestId id)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[validSubmitLength()]);
        new ClientCodec(4096).encodeSubmit(frame, 0, SERVICE_REQUEST, code, id, payload, 0, 8);
        return frame;
    }

    /** Send the frames in one write, then read until that many whole answer frames have arrived. */
    private static ByteBuffer sendAndRead(final SocketChannel raw, final int answers, final UnsafeBuffer... frames)
        throws Exception
    {
        final ByteBuffer out = ByteBuffer.allocate(frames.length * validSubmitLength());
        for (final UnsafeBuffer frame : frames)
        {
            out.put(frame.byteArray());
        }
        out.flip();
        while (out.hasRemaining())
        {
            raw.write(out);
        }
        final ByteBuffer in = ByteBuffer.allocate(4096);
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (frames(in.duplicate().flip()).length < answers)
        {
            assertTrue(System.currentTimeMillis() < deadline, "answers did not come");
            if (raw.read(in) == 0)
            {
                Thread.sleep(1);
            }
        }
        return in.flip();
    }

    /** The whole frames at the start of the bytes, each as its own buffer. */
    private static ByteBuffer[] frames(final ByteBuffer bytes)
    {
        final List<ByteBuffer> frames = new ArrayList<>();
        int offset = 0;
        while (bytes.limit() - offset >= Framing.HEADER_LENGTH &&
            bytes.limit() - offset >= bytes.getInt(offset))
        {
            final int length = bytes.getInt(offset);
            frames.add(bytes.slice(offset, length).order(ByteOrder.LITTLE_ENDIAN));
            offset += length;
        }
        return frames.toArray(new ByteBuffer[0]);
    }

    private static void assertRejectBlock(final ByteBuffer frame, final OriginalState state)
    {
        final int block = Framing.MIN_FRAME_LENGTH;
        assertEquals(RejectEncoder.TEMPLATE_ID, frame.getShort(Framing.HEADER_LENGTH + 2));
        assertEquals(state.value(), frame.get(block + RejectEncoder.originalStateEncodingOffset()));
        for (int i = RejectEncoder.originalStateEncodingOffset() + RejectEncoder.originalStateEncodingLength();
            i < RejectEncoder.originalMessageIdEncodingOffset(); i++)
        {
            assertEquals(0, frame.get(block + i), "padding byte " + i + " of the Reject block");
        }
    }

    private UnsafeBuffer validSubmitFrame()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);
        new ClientCodec(4096).encodeSubmit(frame, 0, SERVICE_REQUEST, SRV_LEVEL_2, new RequestId(1, 2, 3), payload,
            0, 8);
        return frame;
    }

    private static int validSubmitLength()
    {
        return Framing.SUBMIT_FRAME_BASE_LENGTH + 8;
    }

    private void awaitDepth(final long depth) throws InterruptedException
    {
        awaitCount(engine::depth, depth);
    }

    private static void awaitCount(final LongSupplier supplier, final long expected) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (supplier.getAsLong() != expected && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(expected, supplier.getAsLong());
    }
}
