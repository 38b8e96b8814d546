package io.otaprio.engine;

import io.otaprio.policy.PolicyFile;
import io.otaprio.testing.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The admin endpoint over real HTTP requests on 127.0.0.1: the answers the README documents for a reload applied,
 * refused and asked the wrong way, and the policy figures on /metrics.
 */
class AdminEndpointTest
{
    private static final String POLICY = String.join("\n",
        "name: admin-test",
        "defaultLevel: 4",
        "trt: { 1: 1s, 2: 5s, 3: 10s, 4: 30s }",
        "rules:",
        "  - { srv: \"2.2\", level: 1 }",
        "");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void shouldReloadOnPostAndAnswerInJsonOrTextAndCountOnMetrics() throws Exception
    {
        final Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, POLICY);
        try (Engine engine = Engine.launch(TestEngines.context()
            .policyFile(PolicyFile.load(policy))
            .adminListen("127.0.0.1:0")
            .metricsListen("127.0.0.1:0")
            .reloadReport(line -> {})))
        {
            final String admin = "http://127.0.0.1:" + engine.adminEndpoint().port();
            final String sha1 = engine.context().policyReloader().current().sha256();

            HttpResponse<String> answer = get(admin + "/policy");
            assertEquals(200, answer.statusCode());
            assertEquals("{\"generation\":1,\"sha256\":\"" + sha1 + "\",\"source\":\"" + policy +
                "\",\"name\":\"admin-test\"}\n", answer.body());
            assertEquals("application/json; charset=utf-8", answer.headers().firstValue("Content-Type").orElse(""));

            Files.writeString(policy, POLICY.replace("level: 1", "level: 2"));
            answer = post(admin + AdminEndpoint.RELOAD_PATH, "application/json");
            assertEquals(200, answer.statusCode(), answer.body());
            final String sha2 = engine.context().policyReloader().current().sha256();
            assertNotEquals(sha1, sha2);
            assertEquals("{\"generation\":2,\"sha256\":\"" + sha2 + "\",\"source\":\"" +
                policy + "\",\"name\":\"admin-test\",\"result\":\"ok\",\"line\":\"policy reload: generation 2 in " +
                "force from message id 0: " + policy + " (sha256 " + sha2 + "); SRVs not compared (no SRV " +
                "catalogue); 0 alerts change level\"}\n", answer.body());

            Files.writeString(policy, POLICY.replace("level: 1", "level: one"));
            answer = post(admin + AdminEndpoint.RELOAD_PATH, "text/plain");
            assertEquals(AdminEndpoint.REFUSED, answer.statusCode());
            assertEquals("policy reload refused: " + policy + ":5: rules[0].level \"one\": ", answer.body().substring(
                0, answer.body().indexOf("\": ") + 3), answer.body());
            assertTrue(answer.body().endsWith("; generation 2 (" + policy + ", sha256 " + sha2 + ") stays in force\n"),
                answer.body());

            assertEquals(405, get(admin + AdminEndpoint.RELOAD_PATH).statusCode());
            assertEquals(405, post(admin + "/policy", "application/json").statusCode());
            assertEquals(404, get(admin + "/nothing").statusCode());

            final String metrics = get("http://127.0.0.1:" + engine.metricsEndpoint().port() + "/metrics").body();
            assertTrue(metrics.contains("otaprio_policy_generation 2.0"), metrics);
            assertTrue(metrics.contains("otaprio_policy_reloads_total{result=\"ok\"} 1.0"), metrics);
            assertTrue(metrics.contains("otaprio_policy_reloads_total{result=\"refused\"} 1.0"), metrics);
        }
    }

    private HttpResponse<String> get(final String uri) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(final String uri, final String accept) throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
