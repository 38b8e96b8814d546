package io.otaprio.admission;

import io.otaprio.engine.Engine;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.journal.JournalConfig;
import io.otaprio.protocol.AlertCode;
import io.otaprio.protocol.CommandVariant;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.ring.MessageEvent;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.Submissions;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kinds done right: a response is never a resend of its request and keeps its request's level; device and DCC
 * alerts are classified by their own rules; the two steps of a Critical command are one command (the second linked
 * to the first: its level, its accept time, never DUPLICATE), also across a restart.
 */
class MessageKindsTest
{
    private static final long SECOND = 1_000_000_000L;
    private static final int REQUEST = MessageKind.SERVICE_REQUEST.value();
    private static final int RESPONSE = MessageKind.RESPONSE.value();
    private static final int ALERT = MessageKind.ALERT.value();

    @TempDir
    Path dir;

    private final long[] now = { 100 * SECOND };
    private final EngineContext ctx = TestEngines.context().clock(() -> now[0]).ringSizes(8, 8, 8, 8)
        .maxPayloadBytes(16).dedup(60 * SECOND, 64).conclude();
    private final Admission admission = new Admission(ctx);
    private final AdmissionResult result = new AdmissionResult();

    @Test
    void shouldAdmitAResponseWhileItsRequestIsPendingAtTheRequestsLevel()
    {
        final RequestId requestId = new RequestId(7, 8, 1);
        assertTrue(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, 0));
        final long request = result.messageId();
        assertTrue(submit(RESPONSE, TestPolicies.SRV_OF_LEVEL[2], requestId, 0),
            "the response carries its request's RequestID: not a resend of it");
        assertEquals(2, result.level(), "a response keeps its request's level");
        final long response = result.messageId();

        admission.onCompleted(Submissions.completed(requestId, request, 2, now[0]));
        assertFalse(submit(RESPONSE, TestPolicies.SRV_OF_LEVEL[2], requestId, 0), "the response resent");
        assertEquals(RejectReason.DUPLICATE, result.reason());
        assertEquals(response, result.originalMessageId());
        assertFalse(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, 0), "the request resent");
        assertEquals(request, result.originalMessageId());
    }

    @Test
    void shouldClassifyDeviceAndDccAlertsByTheirOwnRules()
    {
        assertTrue(submit(ALERT, TestPolicies.LEVEL_ONE_ALERT, new RequestId(1, 2, 1), 0));
        assertEquals(1, result.level());
        assertTrue(submit(ALERT, AlertCode.packDccAlert("N24"), new RequestId(1, 2, 2), 0));
        assertEquals(2, result.level(), "dccAlerts rule");
        assertTrue(submit(ALERT, AlertCode.packDccAlert("N25"), new RequestId(1, 2, 3), 0));
        assertEquals(4, result.level(), "no rule: the default level");
        assertTrue(submit(ALERT, 0x8F1D, new RequestId(1, 2, 4), 0));
        assertEquals(4, result.level());

        assertFalse(submit(ALERT, 0x0001_0000, new RequestId(1, 2, 5), 0), "neither a 16-bit nor a DCC code");
        assertEquals(RejectReason.MALFORMED, result.reason());
        assertFalse(submit(ALERT, AlertCode.DCC_ALERT_FLAG | 1, new RequestId(1, 2, 6), 0), "a gap in a DCC code");
        assertEquals(RejectReason.MALFORMED, result.reason());
        assertFalse(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[1], new RequestId(1, 2, 7), CommandVariant.MAX + 1));
        assertEquals(RejectReason.MALFORMED, result.reason(), "CommandVariant beyond 8");
    }

    @Test
    void shouldLinkTheSignedSecondStepToItsFirstStep()
    {
        final RequestId requestId = new RequestId(7, 8, 42);
        final long firstAcceptedNs = now[0];
        assertTrue(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, CommandVariant.CRITICAL_TRANSFORM));
        final long first = result.messageId();
        assertEquals(2, result.level());
        admission.onCompleted(Submissions.completed(requestId, first, 2, now[0] + SECOND));

        now[0] += 30 * SECOND;
        assertTrue(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, CommandVariant.FIRST_SIGNED_PRE_COMMAND),
            "the signed pre-command reuses the RequestID: linked, not DUPLICATE");
        final long second = result.messageId();
        assertEquals(2, result.level());
        final AcceptedMessageFlyweight linked = lastInLane(1, second);
        assertEquals(firstAcceptedNs, linked.acceptTimeNs(), "TRT counted from the first step's acceptance");
        assertEquals(AcceptedMessageDescriptor.FLAG_LINKED_STEP, linked.flags());
        assertEquals(CommandVariant.FIRST_SIGNED_PRE_COMMAND, linked.commandVariant());
        assertEquals(1, ctx.metrics().secondSteps(true));

        assertFalse(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, CommandVariant.FIRST_SIGNED_PRE_COMMAND));
        assertEquals(RejectReason.DUPLICATE, result.reason(), "the second step resent");
        assertEquals(second, result.originalMessageId());
        assertFalse(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[2], requestId, CommandVariant.CRITICAL_TRANSFORM));
        assertEquals(RejectReason.DUPLICATE, result.reason(), "the first step resent after its second");
    }

    @Test
    void shouldAdmitASecondStepWithoutAFirstOnItsOwnAndCountIt()
    {
        final RequestId requestId = new RequestId(7, 8, 43);
        assertTrue(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[3], requestId, 6));
        assertEquals(3, result.level());
        assertEquals(now[0], lastInLane(2, result.messageId()).acceptTimeNs());
        assertEquals(0, lastInLane(2, result.messageId()).flags());
        assertEquals(1, ctx.metrics().secondSteps(false));
        assertEquals(0, ctx.metrics().secondSteps(true));

        final RequestId plain = new RequestId(7, 8, 44);
        assertTrue(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[3], plain, 1));
        assertFalse(submit(REQUEST, TestPolicies.SRV_OF_LEVEL[3], plain, 5),
            "only a first step (CommandVariant 4) is linked to: anything else is a resend");
        assertEquals(RejectReason.DUPLICATE, result.reason());
    }

    @Test
    void shouldLinkASecondStepToAFirstStepAcceptedBeforeARestart() throws Exception
    {
        final JournalConfig journal = new JournalConfig(dir.resolve("journal"));
        final RequestId requestId = new RequestId(9, 9, 9);
        final ManualDispatcher firstDispatcher = new ManualDispatcher(1);
        final TestSubmitter before = new TestSubmitter();
        try (Engine engine = launch(journal, firstDispatcher, before))
        {
            final TestSubmitter.Answer first =
                before.submit(REQUEST, TestPolicies.SRV_OF_LEVEL[1], requestId, CommandVariant.CRITICAL_TRANSFORM);
            assertTrue(first.accepted());
            assertTrue(firstDispatcher.awaitDispatched(1, TestSubmitter.TIMEOUT_MS));
            assertEquals(first.messageId(), firstDispatcher.completeOldest());
            awaitCompletions(before, 1);
            assertEquals(0, engine.context().metrics().secondSteps(false));
        }
        final long gapMs = 200;
        Thread.sleep(gapMs);

        final ManualDispatcher secondDispatcher = new ManualDispatcher(1);
        final TestSubmitter after = new TestSubmitter();
        try (Engine engine = launch(journal, secondDispatcher, after))
        {
            final TestSubmitter.Answer second = after.submit(REQUEST, TestPolicies.SRV_OF_LEVEL[1], requestId, 7);
            assertTrue(second.accepted(), () -> "after a restart too: " + second);
            assertEquals(1, second.level());
            assertTrue(secondDispatcher.awaitDispatched(1, TestSubmitter.TIMEOUT_MS));
            assertEquals(second.messageId(), secondDispatcher.completeOldest());
            awaitCompletions(after, 1);
            final long latencyNs = after.completions().get(0).latencyNs();
            assertTrue(latencyNs >= gapMs * 1_000_000L, "latency runs from the first step's acceptance: " + latencyNs);
            assertEquals(1, engine.context().metrics().secondSteps(true));
        }
    }

    private boolean submit(final int kind, final int code, final RequestId requestId, final int commandVariant)
    {
        final AcceptedMessageFlyweight submission = Submissions.of(kind, code, requestId, new UnsafeBuffer(new byte[0]),
            0, 0).commandVariant(commandVariant);
        return admission.submit(submission, result);
    }

    private AcceptedMessageFlyweight lastInLane(final int lane, final long messageId)
    {
        final var ring = ctx.rings().ring(lane);
        final MessageEvent event = ring.get(ring.getCursor());
        assertNotNull(event);
        assertEquals(messageId, event.message().messageId());
        return event.message();
    }

    private static Engine launch(
        final JournalConfig journal, final ManualDispatcher dispatcher, final TestSubmitter submitter)
    {
        return Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .ringSizes(64, 64, 64, 64)
            .maxPayloadBytes(16)
            .journal(journal)
            .dedup(60 * SECOND, 1024)
            .addTransport(new InProcessTransport(submitter)));
    }

    private static void awaitCompletions(final TestSubmitter submitter, final int count) throws InterruptedException
    {
        final long deadline = System.currentTimeMillis() + TestSubmitter.TIMEOUT_MS;
        while (submitter.completions().size() < count && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(count, submitter.completions().size());
    }
}
