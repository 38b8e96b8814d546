package io.otaprio.cli;

import io.otaprio.engine.EngineContext;
import io.otaprio.peer.BrokerUnavailableException;
import io.otaprio.peer.PeerQueue;
import io.otaprio.peer.PeerResult;
import io.otaprio.peer.RabbitMqPeer;
import io.otaprio.server.EngineOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code otaprio peer-rabbitmq}: the load of {@code otaprio loadgen} through a RabbitMQ priority queue instead of
 * the engine, for a side-by-side comparison ({@code loadgen/scripts/rabbitmq-peer.sh} runs both).
 */
@Command(
    name = "peer-rabbitmq",
    mixinStandardHelpOptions = true,
    description = {
        "Drive a RabbitMQ classic priority queue with the load that `otaprio loadgen`",
        "offers the engine, for comparison: same scenario, traffic mix, arrivals, seed.",
        "",
        "Each message is classified by the same policy and published open loop at its",
        "intended time to a queue declared with x-max-priority 4, AMQP priority",
        "5 - level (level 1 is priority 4). One consumer with prefetch K = dsp.slots",
        "emulates the engine's simulated DSP: each delivery is served for a time drawn",
        "from dsp's service times (seed dsp.seed), then acknowledged. Latency per level",
        "is acknowledgement minus intended send time, judged against the level's TRT.",
        "The queue is deleted at the end.",
        "",
        "Needs a running broker: loadgen/scripts/rabbitmq-peer.sh installs and starts",
        "one, runs this and the engine under the same overload, and compares them.",
        "" },
    footer = { "", "Exit codes: 0 done; 1 the broker cannot be reached or was lost; 2 a bad option or configuration." },
    sortOptions = false)
final class PeerRabbitMqCommand implements Callable<Integer>
{
    private static final long SHUTDOWN_WAIT_SECONDS = 15;

    @Spec
    private CommandSpec spec;

    @Option(names = "--uri", defaultValue = RabbitMqPeer.URI_DEFAULT, paramLabel = "AMQP-URI",
        description = "The broker (default: ${DEFAULT-VALUE}).")
    private String uri;

    @Option(names = "--queue", defaultValue = PeerQueue.NAME_DEFAULT, paramLabel = "NAME",
        description = "Queue to declare, drive and delete; one of that name left over is deleted first " +
            "(default: ${DEFAULT-VALUE}).")
    private String queue;

    @Option(names = "--transient",
        description = "A non-durable queue and transient messages. Default: durable and persistent, the analogue " +
            "of the engine's journal.")
    private boolean transientQueue;

    @Option(names = "--policy", paramLabel = "FILE|fifo",
        description = "Policy that classifies the messages (default: the config's). fifo gives every message " +
            "one priority.")
    private String policy;

    @Mixin
    private LoadOptions load;

    public Integer call() throws Exception
    {
        final LoadOptions.Plan plan = load.plan(EngineOverrides.read(load.configPath(), policy));
        final EngineContext engine = plan.engine();
        final RabbitMqPeer peer = RabbitMqPeer.create(new RabbitMqPeer.Settings(
            uri, new PeerQueue(queue, !transientQueue), load.openLoop(plan),
            engine.dspSlots(), engine.serviceTimes(), engine.dspSeed()));
        System.out.printf(Locale.ROOT, "otaprio peer-rabbitmq: %s; DSP emulated by the consumer: %d slots, capacity " +
            "%.0f msgs/s (from %s)%n", peer.maskedUri(), engine.dspSlots(), plan.capacityPerSecond(),
            plan.configFile());
        load.printLoad(plan);

        // SIGTERM or Ctrl-C: end the load early, but let the run delete its queue (a durable one would otherwise
        // keep its backlog in the broker) and report what it measured before the JVM exits.
        final CountDownLatch done = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            peer.stop();
            try
            {
                done.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ignore)
            {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            final PeerResult result = peer.run();
            System.out.println();
            System.out.print(result.table());
            if (peer.isStopped())
            {
                System.out.printf(Locale.ROOT, "stopped early (a signal): %d messages were outstanding, the queue " +
                    "was deleted with them%n", result.pending());
            }
            else if (result.pending() > 0)
            {
                System.out.printf(Locale.ROOT, "%d messages were still outstanding when the wait for them ended " +
                    "after %.1fs (drain timeout %.0fs)%n", result.pending(), result.run().drainSeconds(),
                    load.drainTimeoutSeconds);
            }
            load.writeJson(result.json());
            return 0;
        }
        catch (final BrokerUnavailableException ex)
        {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": error: " + ex.getMessage());
            return 1;
        }
        finally
        {
            done.countDown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // Already exiting.
            }
        }
    }
}
