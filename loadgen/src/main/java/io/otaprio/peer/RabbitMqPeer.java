package io.otaprio.peer;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import io.otaprio.dispatch.ServiceTimes;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.loadgen.Arrivals;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.OpenLoopIdleStrategy;
import io.otaprio.loadgen.ScheduledMessage;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import io.otaprio.protocol.RequestId;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real peer for comparison: the load {@code otaprio loadgen} offers the engine, offered instead to a RabbitMQ
 * classic queue with {@code x-max-priority: 4} ({@link PeerQueue}) and served by one consumer that emulates the
 * engine's simulated DSP ({@link SimulatedDspConsumer}). The same {@link LoadProfile}, {@link TrafficMix},
 * {@link Arrivals} and seed give the same messages at the same intended times; the same {@link PriorityPolicy}
 * gives each its level, hence its AMQP priority; the same K ({@code dsp.slots}, here the consumer's prefetch),
 * {@link ServiceTimes} and {@code dsp.seed} give the same service. What differs is what sits between the two: the
 * broker's priority queue instead of the engine's lanes and credit-gated scheduler.
 * <p>
 * Open loop, driven by an {@link OpenLoop} as the TCP load generator is: each message is published at its intended
 * time or as soon after as the publisher can (it is blocked while the broker pushes back), and latency is measured
 * from the intended time to the acknowledgement after its service, so a publisher held up by the broker counts the
 * wait. The load ends at the profile's duration.
 * <p>
 * Threading: {@link #run()} on one thread, which publishes on its own connection and collects the consumer's
 * completions into the open loop; the consumer on a second connection, so that flow control on publishing never
 * delays acknowledgements; any thread may call {@link #stop()}.
 */
public final class RabbitMqPeer
{
    /** Broker when none is given: a local RabbitMQ with its default guest account (loopback only). */
    public static final String URI_DEFAULT = "amqp://guest:guest@127.0.0.1:5672";

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    // One message per duty cycle, so that each one's lateness is taken on the clock just before its publish.
    private static final int PUBLISH_BATCH = 1;
    private static final int COMPLETION_BATCH = 1024;
    private static final Pattern PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^:@/]*):[^@/]*@");

    /**
     * What to run.
     *
     * @param uri          the broker, {@code amqp://user:password@host:port/vhost}.
     * @param queue        the queue to declare, drive and delete.
     * @param load         the open-loop load: policy (classification: level, lane, hence AMQP priority, and TRT
     *                     budgets), mix, profile, seed, capacity, drain timeout, progress.
     * @param slots        K: the consumer's prefetch, the engine's {@code dsp.slots}.
     * @param serviceTimes the engine's simulated DSP's service times.
     * @param dspSeed      the engine's {@code dsp.seed}.
     */
    public record Settings(
        String uri,
        PeerQueue queue,
        OpenLoop.Settings load,
        int slots,
        ServiceTimes serviceTimes,
        long dspSeed)
    {
    }

    private final Settings settings;
    private final PriorityPolicy policy;
    private final ConnectionFactory factory = new ConnectionFactory();
    private final String maskedUri;
    private final AMQP.BasicProperties[] propertiesByLane = new AMQP.BasicProperties[PriorityPolicy.LEVELS];
    private final long[] publishedByLevel = new long[PriorityPolicy.LEVELS + 1];
    private final OpenLoop load;
    private final OpenLoop.Sender publisher = this::publish;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final AcceptedMessageFlyweight accepted = new AcceptedMessageFlyweight();
    private final UnsafeBuffer bodyBuffer = new UnsafeBuffer(new byte[0]);
    private final RequestId requestId = new RequestId();
    private final SimulatedDspConsumer.CompletionHandler completions;
    private volatile boolean stop;
    private Channel channel;
    private SimulatedDspConsumer consumer;
    private IOException publishFailure;

    private RabbitMqPeer(final Settings settings)
    {
        this.settings = settings;
        this.policy = settings.load().policy();
        this.load = new OpenLoop(settings.load(), this::appendProgress);
        this.completions = load::onCompleted;
        this.maskedUri = maskPassword(settings.uri());
        if (settings.slots() < 1 || settings.slots() > 65_535)
        {
            throw new IllegalArgumentException("dsp.slots must be 1..65535 to be a prefetch count, got " +
                settings.slots());
        }
        try
        {
            factory.setUri(settings.uri());
        }
        catch (final URISyntaxException | GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("--uri must be amqp://user:password@host:port[/vhost] or amqps://..., " +
                "got " + maskedUri + ": " + String.valueOf(ex.getMessage()).replace(settings.uri(), maskedUri));
        }
        factory.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        factory.setHandshakeTimeout(CONNECT_TIMEOUT_MS);
        // A lost broker ends the run with a clear error rather than a silent reconnect that would lose acks.
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        for (int lane = 0; lane < PriorityPolicy.LEVELS; lane++)
        {
            propertiesByLane[lane] = new AMQP.BasicProperties.Builder()
                .priority(PeerQueue.priorityOfLane(lane))
                .deliveryMode(settings.queue().deliveryMode())
                .build();
        }
    }

    /**
     * @param settings what to run.
     * @return the peer; call {@link #run()}.
     * @throws IllegalArgumentException on a malformed URI or a K that cannot be a prefetch count.
     */
    public static RabbitMqPeer create(final Settings settings)
    {
        return new RabbitMqPeer(settings);
    }

    /**
     * @param uri an AMQP URI.
     * @return it with the password, if any, replaced by {@code ***}, for messages and reports (whatever the scheme:
     * a mistyped one must not print the password either).
     */
    public static String maskPassword(final String uri)
    {
        return null == uri ? null : PASSWORD.matcher(uri).replaceFirst("$1:***@");
    }

    /** @return the broker's URI with its password masked. */
    public String maskedUri()
    {
        return maskedUri;
    }

    /** Ask {@link #run()} to finish early (it still deletes the queue); any thread. */
    public void stop()
    {
        stop = true;
    }

    /** @return whether {@link #stop()} was called; any thread. */
    public boolean isStopped()
    {
        return stop;
    }

    /**
     * Connect, declare the queue, start the consumer, offer the load, wait for the backlog to drain (or the drain
     * timeout), delete the queue, disconnect.
     *
     * @return what was measured.
     * @throws BrokerUnavailableException if the broker cannot be reached or is lost during the run.
     * @throws InterruptedException       if interrupted while stopping the consumer.
     */
    public PeerResult run() throws InterruptedException
    {
        final Connection publishing = connect("otaprio-peer-publisher");
        try
        {
            final Connection consuming = connect("otaprio-peer-consumer");
            try
            {
                return run(publishing, consuming);
            }
            catch (final IOException | ShutdownSignalException ex)
            {
                throw lost(ex);
            }
            finally
            {
                close(consuming);
            }
        }
        finally
        {
            close(publishing);
        }
    }

    private PeerResult run(final Connection publishing, final Connection consuming)
        throws IOException, InterruptedException
    {
        final PrintStream out = settings.load().progress();
        final String broker = describe(publishing.getServerProperties());
        publishing.addBlockedListener(
            reason -> warn("the broker blocked publishing (" + reason + "): the wait counts in the latency"),
            () -> warn("the broker unblocked publishing"));

        channel = publishing.createChannel();
        deleteLeftover(publishing);
        final PeerQueue queue = settings.queue();
        channel.queueDeclare(queue.name(), queue.durable(), false, false, queue.arguments());

        final Channel consumingChannel = consuming.createChannel();
        consumingChannel.basicQos(settings.slots());
        consumer = new SimulatedDspConsumer(consumingChannel, settings.slots(), settings.serviceTimes(),
            settings.dspSeed());
        consumingChannel.basicConsume(queue.name(), false, consumer);
        if (null != out)
        {
            out.printf("connected to %s at %s; %s; consumer prefetch %d%n", broker, maskedUri, queue.describe(),
                settings.slots());
        }

        final long endNs;
        try
        {
            offerAndDrain();
            endNs = System.nanoTime();
        }
        finally
        {
            consumer.stopService();
        }
        // Completions acknowledged before the stop still count.
        consumer.poll(completions, Integer.MAX_VALUE);
        load.endLoad(endNs);
        final AMQP.Queue.DeleteOk deleted = channel.queueDelete(queue.name());
        if (null != out)
        {
            out.printf("deleted queue %s (%d messages were still in it)%n", queue.name(), deleted.getMessageCount());
        }
        if (consumer.malformed() > 0)
        {
            warn(consumer.malformed() + " deliveries had no valid body (acknowledged, not measured)");
        }

        return new PeerResult(broker, queue.describe(), queue.durable(), settings.slots(), load.run(endNs),
            load.sent() + load.unsent(), load.sent(), publishedByLevel.clone(), consumer.maxInService(),
            load.sendLag());
    }

    private void offerAndDrain() throws IOException
    {
        final OpenLoopIdleStrategy idle = new OpenLoopIdleStrategy();
        load.start(System.nanoTime());
        while (!stop)
        {
            final String failure = consumer.failure();
            if (null != failure)
            {
                throw new BrokerUnavailableException("RabbitMQ at " + maskedUri + ": " + failure, null);
            }
            final long nowNs = System.nanoTime();
            int work = load.sendDue(nowNs, publisher, PUBLISH_BATCH);
            if (null != publishFailure)
            {
                throw publishFailure;
            }
            work += consumer.poll(completions, COMPLETION_BATCH);
            load.reportProgress(nowNs);
            if (!load.isLoading() && load.isDrained(nowNs))
            {
                break;
            }
            idle.idle(work, load.nanosUntilNextDue(nowNs));
        }
    }

    private boolean publish(final ScheduledMessage message)
    {
        final int rule = policy.classify(message.type().kind(), message.type().code());
        final int level = policy.level(rule);
        final byte[] body = body(message, rule, clock.nanoTime());
        try
        {
            channel.basicPublish("", settings.queue().name(), propertiesByLane[policy.lane(rule)], body);
        }
        catch (final IOException ex)
        {
            // Not a refusal to retry: the run ends with this failure as soon as the sender returns.
            publishFailure = ex;
            return false;
        }
        publishedByLevel[level]++;
        return true;
    }

    /**
     * The body of one message: the message as the engine's admission holds it and its accepted journal stores it,
     * in the {@link AcceptedMessageDescriptor} layout, numbered by the schedule (message id and RequestID counter)
     * and accepted at its publish, with payload filler of the size the mix gives its type. So the broker moves and,
     * durable, persists the bytes the engine journals for the same message, and the consumer reads the kind, code
     * and level it serves by and the number it hands back as the engine's DSP side would.
     *
     * @param message      the message due.
     * @param rule         the policy's rule for it.
     * @param acceptTimeNs the publish time, epoch nanos.
     * @return a new body.
     */
    byte[] body(final ScheduledMessage message, final int rule, final long acceptTimeNs)
    {
        // A new array per message: the AMQP client frames the body it is given, and this is a comparison harness,
        // not the engine's allocation-free path.
        final TrafficMix.Type type = message.type();
        final byte[] body = new byte[AcceptedMessageDescriptor.encodedLength(type.payloadBytes())];
        bodyBuffer.wrap(body);
        accepted.wrap(bodyBuffer, 0).clear()
            .kind(type.kind().value())
            .code(type.code())
            .requestId(requestId.set(message.originator(), message.target(), message.number()))
            .messageId(message.number())
            .level(policy.level(rule))
            .trtNs(policy.trtNs(rule))
            .acceptTimeNs(acceptTimeNs)
            .payloadLength(type.payloadBytes());
        return body;
    }

    private void appendProgress(final StringBuilder line)
    {
        // Completed before delivered, so that the in-service figure never goes below zero.
        final long completed = consumer.completed();
        final long delivered = consumer.delivered();
        final long published = load.sent();
        line.append("published ").append(published)
            .append("  queued ").append(published - delivered)
            .append("  in service ").append(delivered - completed);
    }

    private Connection connect(final String name)
    {
        try
        {
            return factory.newConnection(name);
        }
        catch (final PossibleAuthenticationFailureException ex)
        {
            throw new BrokerUnavailableException("RabbitMQ at " + maskedUri + " refused the login: " +
                ex.getMessage() + " (the guest account works from 127.0.0.1 only; give --uri with a user)", ex);
        }
        catch (final ConnectException ex)
        {
            throw new BrokerUnavailableException("cannot reach RabbitMQ at " + maskedUri + ": " + ex.getMessage() +
                ". Is it running? loadgen/scripts/rabbitmq-peer.sh installs and starts one; or give --uri", ex);
        }
        catch (final IOException | TimeoutException ex)
        {
            throw new BrokerUnavailableException("cannot connect to RabbitMQ at " + maskedUri + ": " + ex, ex);
        }
    }

    private void deleteLeftover(final Connection connection) throws IOException
    {
        // A queue of the same name left by an interrupted run holds its messages, and one declared with other
        // arguments would refuse this declaration: start from nothing. A scratch channel, because a refused
        // deletion closes the channel it was asked on.
        final Channel scratch = connection.createChannel();
        try
        {
            scratch.queueDelete(settings.queue().name());
            scratch.close();
        }
        catch (final IOException | TimeoutException | ShutdownSignalException ignore)
        {
            // Nothing to delete (or not ours to delete: the declaration below then says why).
        }
    }

    private BrokerUnavailableException lost(final Exception ex)
    {
        final Throwable cause = ex instanceof IOException && null != ex.getCause() ? ex.getCause() : ex;
        return new BrokerUnavailableException("RabbitMQ at " + maskedUri + " failed during the run: " +
            cause.getMessage(), ex);
    }

    private void warn(final String message)
    {
        System.err.println("otaprio peer-rabbitmq: " + message);
    }

    private static String describe(final Map<String, Object> serverProperties)
    {
        final Object product = serverProperties.get("product");
        final Object version = serverProperties.get("version");
        return (null != product ? product.toString() : "AMQP broker") + (null != version ? " " + version : "");
    }

    private static void close(final Connection connection)
    {
        try
        {
            if (connection.isOpen())
            {
                connection.close(CONNECT_TIMEOUT_MS);
            }
        }
        catch (final IOException | ShutdownSignalException ignore)
        {
            // Already closing or gone: nothing more to release.
        }
    }
}
