package io.otaprio.engine;

import io.otaprio.admission.InProcessTransport;
import io.otaprio.protocol.MessageKind;
import io.otaprio.protocol.RejectReason;
import io.otaprio.protocol.RequestId;
import io.otaprio.testing.ManualDispatcher;
import io.otaprio.testing.TestEngines;
import io.otaprio.testing.TestPolicies;
import io.otaprio.testing.TestSubmitter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus endpoint over a real HTTP request on 127.0.0.1: the engine's own figures, in the text format, with
 * the names and labels the README documents.
 */
class PrometheusEndpointTest
{
    @Test
    void shouldServeTheEngineFiguresInTheTextFormat() throws Exception
    {
        final ManualDispatcher dispatcher = new ManualDispatcher(1);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(dispatcher)
            .ringSizes(8, 8, 8, 8)
            .maxPayloadBytes(8)
            .dedup(60_000_000_000L, 64)
            .metricsListen("127.0.0.1:0")
            .addTransport(new InProcessTransport(submitter))))
        {
            final PrometheusEndpoint endpoint = engine.metricsEndpoint();
            assertTrue(submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[1],
                new RequestId(1, 2, 3), payload, 0, 8).accepted());
            assertEquals(RejectReason.DUPLICATE, submitter.submit(MessageKind.SERVICE_REQUEST.value(),
                TestPolicies.SRV_OF_LEVEL[1], new RequestId(1, 2, 3), payload, 0, 8).reason());
            for (int i = 0; i < 9; i++)
            {
                submitter.submit(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[4],
                    new RequestId(1, 2, 100 + i), payload, 0, 8);
            }
            assertTrue(dispatcher.awaitDispatched(1, 10_000));
            dispatcher.completeOldest();
            final long deadline = System.currentTimeMillis() + 10_000;
            while (engine.context().metrics().completedTotal() < 1 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(dispatcher.awaitDispatched(2, 10_000), "the first level-4 message takes the freed slot");
            while (engine.context().metrics().dispatchedTotal() < 2 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(submitter.submitDated(MessageKind.SERVICE_REQUEST.value(), TestPolicies.SRV_OF_LEVEL[2],
                new RequestId(1, 2, 500), 1, System.currentTimeMillis() * 1_000_000L + 3_600_000_000_000L)
                .accepted(), "held for an hour");

            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            final String text = response.body();
            assertTrue(text.contains("otaprio_accepted_total{level=\"1\"} 1.0"), text);
            assertTrue(text.contains("otaprio_completed_total{level=\"1\"} 1.0"), text);
            assertTrue(text.contains("otaprio_duplicates_total{level=\"1\"} 1.0"), text);
            assertTrue(text.contains("otaprio_rejected_total{reason=\"DUPLICATE\"} 1.0"), text);
            assertTrue(text.contains("otaprio_rejected_total{reason=\"FULL\"} 1.0"), "the ninth level-4: " + text);
            assertTrue(text.contains("otaprio_queue_depth{lane=\"3\"} 7.0"), "8 level-4 in, 1 dispatched: " + text);
            assertTrue(text.contains("otaprio_latency_seconds{level=\"1\",quantile=\"0.99\"}"), text);
            assertTrue(text.contains("otaprio_latency_seconds_count{level=\"1\"} 1"), text);
            assertTrue(text.contains("otaprio_dedup_entries 10.0"), "nine, and the held one: " + text);
            assertTrue(text.contains("otaprio_journal_accepting 1.0"), text);
            assertTrue(text.contains("otaprio_held_requests 1.0"), text);
            assertTrue(text.contains("otaprio_held_total{event=\"held\"} 1.0"), text);
            assertTrue(text.contains("otaprio_held_total{event=\"released\"} 0.0"), text);
            assertTrue(text.contains("otaprio_critical_second_steps_total{linked=\"false\"} 0.0"), text);
            assertTrue(text.contains("otaprio_in_flight{level=\"4\"} 1.0"), "the level-4 one dispatched: " + text);
            assertTrue(text.contains("otaprio_in_flight{level=\"1\"} 0.0"), text);
            assertTrue(text.contains("otaprio_dispatch_slots 1.0"), text);
            assertTrue(text.contains("otaprio_dispatch_reserved_slots 0.0"), "none unless configured: " + text);
        }
    }

    @Test
    void shouldCountTheLevelOneAlertsTheGuardDemotedPerCode() throws Exception
    {
        final long[] now = { 1_000_000_000L };
        final TestSubmitter submitter = new TestSubmitter();
        try (Engine engine = Engine.launch(TestEngines.context()
            .dispatcher(new ManualDispatcher(1))
            .clock(() -> now[0])
            .ringSizes(8, 8, 8, 8)
            .maxPayloadBytes(8)
            .alertGuard(1, 2, 3, 16)
            .metricsListen("127.0.0.1:0")
            .addTransport(new InProcessTransport(submitter))))
        {
            for (int i = 0; i < 5; i++)
            {
                final TestSubmitter.Answer answer = submitter.submit(MessageKind.ALERT.value(),
                    TestPolicies.LEVEL_ONE_ALERT, new RequestId(1, 100 + i, i), 0);
                assertEquals(i < 2 ? 1 : 3, answer.level(), "the burst of 2 at level 1, the rest at level 3");
            }

            final String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + engine.metricsEndpoint().port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(text.contains("otaprio_alerts_guard_demoted_top{code=\"0x8F1C\"} 3.0"), text);
            assertTrue(text.contains("otaprio_alerts_guard_demoted_total 3.0"), text);
            assertTrue(text.contains("otaprio_alerts_guard_codes 1.0"), text);
            assertTrue(text.contains("otaprio_alerts_guard_untracked_total 0.0"), text);
            assertTrue(text.contains("otaprio_demoted_total{level=\"1\"} 3.0"), text);
        }
    }
}
