package io.otaprio.engine;

import com.sun.net.httpserver.HttpExchange;
import io.otaprio.metrics.JsonWriter;
import io.otaprio.policy.PolicyFile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The engine's admin endpoint, for operators on the engine's own host: {@code POST /policy/reload} reloads the
 * policy file ({@link PolicyReloader}) and answers what happened; {@code GET /policy} says which policy is in force.
 * Answers are JSON (docs in the README's policy section), or for a reload asked with {@code Accept: text/plain} the
 * reported line alone, as {@code otaprio policy reload} asks:
 * <pre>
 *   200 {"result":"ok","generation":3,"sha256":"...","source":"conf/priority-policy.yaml","line":"policy reload: ..."}
 *   422 {"result":"refused","generation":2,"sha256":"...","source":"...","line":"policy reload refused: ..."}
 * </pre>
 * It changes what the engine does, so it listens on loopback unless an operator means otherwise.
 * <p>
 * Threading: requests run on the endpoint's own thread ({@code otaprio-admin}), one at a time; the reloader hands the
 * policy to admission, which never waits for it.
 */
public final class AdminEndpoint implements AutoCloseable
{
    /** The path of a reload. */
    public static final String RELOAD_PATH = "/policy/reload";
    /** The path of the policy in force. */
    public static final String POLICY_PATH = "/policy";
    /** Status of a refused reload: the file was not good (or this engine cannot reload). */
    public static final int REFUSED = 422;

    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpListener listener;

    private AdminEndpoint(final HttpListener listener)
    {
        this.listener = listener;
    }

    /**
     * Start serving.
     *
     * @param host     interface to bind, 127.0.0.1 unless an operator means otherwise.
     * @param port     TCP port, 0 for any free one.
     * @param reloader the engine's policy reloader.
     * @return the running endpoint.
     * @throws UncheckedIOException if the address cannot be bound.
     */
    public static AdminEndpoint start(final String host, final int port, final PolicyReloader reloader)
    {
        return new AdminEndpoint(HttpListener.start("admin", host, port, Map.of("/", exchange -> serve(exchange,
            reloader))));
    }

    /** @return the port bound. */
    public int port()
    {
        return listener.port();
    }

    /** Stop serving. */
    public void close()
    {
        listener.close();
    }

    private static void serve(final HttpExchange exchange, final PolicyReloader reloader) throws IOException
    {
        try (exchange)
        {
            final String path = exchange.getRequestURI().getPath();
            final String method = exchange.getRequestMethod();
            if (RELOAD_PATH.equals(path))
            {
                if (!"POST".equals(method))
                {
                    notAllowed(exchange, "POST");
                    return;
                }
                final PolicyReloader.Outcome outcome = reloader.reload();
                final int status = outcome.applied() ? 200 : REFUSED;
                if (wantsText(exchange))
                {
                    answer(exchange, status, TEXT, outcome.line() + "\n");
                    return;
                }
                answer(exchange, status, policy(reloader.current(), outcome.generation())
                    .field("result", outcome.applied() ? "ok" : "refused").field("line", outcome.line()));
            }
            else if (POLICY_PATH.equals(path))
            {
                if (!"GET".equals(method))
                {
                    notAllowed(exchange, "GET");
                    return;
                }
                answer(exchange, 200, policy(reloader.current(), reloader.generation()));
            }
            else
            {
                answer(exchange, 404, new JsonWriter().beginObject().field("error", "no such path: " + path +
                    " (POST " + RELOAD_PATH + ", GET " + POLICY_PATH + ")"));
            }
        }
    }

    private static JsonWriter policy(final PolicyFile inForce, final long generation)
    {
        return new JsonWriter().beginObject().field("generation", generation).field("sha256", inForce.sha256())
            .field("source", inForce.source()).field("name", inForce.policy().name());
    }

    private static void notAllowed(final HttpExchange exchange, final String allowed) throws IOException
    {
        exchange.getResponseHeaders().set("Allow", allowed);
        answer(exchange, 405, new JsonWriter().beginObject().field("error", "method not allowed: use " + allowed));
    }

    private static boolean wantsText(final HttpExchange exchange)
    {
        final String accept = exchange.getRequestHeaders().getFirst("Accept");
        return null != accept && accept.startsWith("text/plain");
    }

    private static void answer(final HttpExchange exchange, final int status, final JsonWriter json) throws IOException
    {
        answer(exchange, status, JSON, json.endObject() + "\n");
    }

    private static void answer(
        final HttpExchange exchange, final int status, final String contentType, final String text) throws IOException
    {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }
}
