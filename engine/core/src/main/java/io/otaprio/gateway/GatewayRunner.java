package io.otaprio.gateway;

import io.otaprio.scheduler.CompletionRelay;
import org.agrona.concurrent.AgentRunner;

/**
 * Runs a {@link Gateway} on its own thread ({@code otaprio-gateway}) with the configured idle strategy:
 * <pre>{@code
 *   final CompletionRelay relay = new CompletionRelay(65536, CompletionListener.NONE);
 *   try (Engine engine = Engine.launch(ctx.completionListener(relay));
 *       GatewayRunner gateway = GatewayRunner.start(engine.gateway(new GatewayConfig().port(7400), relay)))
 *   {
 *       ... // clients connect to gateway.gateway().boundPort()
 *   }   // the gateway closes first (stops submitting), then the engine
 * }</pre>
 * {@link #close()} stops the thread and waits for it; the gateway's {@link Gateway#onClose()} runs on that thread
 * as it exits, so no thread or socket outlives the runner.
 * <p>
 * Threading: launch and close from one controlling thread.
 */
public final class GatewayRunner implements AutoCloseable
{
    private final Gateway gateway;
    private final AgentRunner runner;

    private GatewayRunner(final Gateway gateway)
    {
        this.gateway = gateway;
        this.runner = new AgentRunner(
            gateway.config().idleStrategy(), gateway.config().errorHandler(), null, gateway);
    }

    /**
     * Start a constructed gateway on its own thread.
     *
     * @param gateway not yet started.
     * @return the running gateway.
     */
    public static GatewayRunner start(final Gateway gateway)
    {
        final GatewayRunner runner = new GatewayRunner(gateway);
        AgentRunner.startOnThread(runner.runner);
        return runner;
    }

    /** @return the gateway (its state belongs to the gateway thread; counters and port may be read). */
    public Gateway gateway()
    {
        return gateway;
    }

    /** Stop the gateway thread, close its sockets and wait for the thread to exit. */
    public void close()
    {
        runner.close();
    }
}
