package io.otaprio.engine;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One of the engine's small HTTP listeners off the hot path (metrics, admin): the JDK's own HTTP server on one
 * daemon thread of its own, so a slow client delays only its own kind of request.
 * <p>
 * Threading: handlers run on the listener's thread, one request at a time.
 */
final class HttpListener implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpListener(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Start serving.
     *
     * @param what     the listener's name in errors and its thread's name, such as {@code "metrics"}.
     * @param host     interface to bind.
     * @param port     TCP port, 0 for any free one.
     * @param handlers by path prefix.
     * @return the running listener.
     * @throws UncheckedIOException naming the listener and the address when it cannot be bound.
     */
    static HttpListener start(
        final String what, final String host, final int port, final Map<String, HttpHandler> handlers)
    {
        final ExecutorService executor = Executors.newSingleThreadExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "otaprio-" + what);
            thread.setDaemon(true);
            return thread;
        });
        try
        {
            final HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            handlers.forEach(server::createContext);
            server.setExecutor(executor);
            server.start();
            return new HttpListener(server, executor);
        }
        catch (final IOException ex)
        {
            executor.shutdownNow();
            throw new UncheckedIOException(what + " endpoint: cannot listen on " + host + ":" + port + ": " +
                ex.getMessage(), ex);
        }
    }

    /** @return the port bound. */
    int port()
    {
        return server.getAddress().getPort();
    }

    /** Stop serving. */
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
