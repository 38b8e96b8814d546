package io.otaprio.peer;

import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.journal.AcceptedMessageDescriptor;
import io.otaprio.journal.AcceptedMessageFlyweight;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RabbitMqPeerTest
{
    @Test
    void shouldMaskThePasswordInWhatItPrints()
    {
        assertEquals("amqp://guest:***@127.0.0.1:5672", RabbitMqPeer.maskPassword("amqp://guest:guest@127.0.0.1:5672"));
        assertEquals("amqps://u:***@h/vhost", RabbitMqPeer.maskPassword("amqps://u:s3cr3t@h/vhost"));
        assertEquals("amqp://127.0.0.1", RabbitMqPeer.maskPassword("amqp://127.0.0.1"));
        assertEquals("amqp://user@h", RabbitMqPeer.maskPassword("amqp://user@h"));
    }

    @Test
    void shouldRefuseAUriThatIsNotAmqpWithoutShowingItsPassword()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> RabbitMqPeer.create(settings("http://user:pw@127.0.0.1:5672")));
        assertTrue(ex.getMessage().startsWith("--uri must be amqp://"), ex.getMessage());
        assertTrue(ex.getMessage().contains("user:***@"), ex.getMessage());
    }

    @Test
    void shouldSayWhereTheBrokerWasLookedForWhenNoneAnswers()
    {
        final RabbitMqPeer peer = RabbitMqPeer.create(settings("amqp://guest:guest@127.0.0.1:1"));
        final BrokerUnavailableException ex = assertThrows(BrokerUnavailableException.class, peer::run);
        assertTrue(ex.getMessage().startsWith("cannot reach RabbitMQ at amqp://guest:***@127.0.0.1:1"),
            ex.getMessage());
        assertTrue(ex.getMessage().contains("rabbitmq-peer.sh"), ex.getMessage());
    }

    @Test
    void shouldPublishEachMessageAsTheEngineJournalsItWithItsNumberLevelAndMixPayloadSize()
    {
        final RabbitMqPeer.Settings settings = settings("amqp://guest:guest@127.0.0.1:5672");
        final PriorityPolicy policy = settings.load().policy();
        final RabbitMqPeer peer = RabbitMqPeer.create(settings);
        final OpenLoop load = new OpenLoop(settings.load(), OpenLoop.ProgressDetail.NONE);
        final AcceptedMessageFlyweight body = new AcceptedMessageFlyweight();
        final List<String> failures = new ArrayList<>();
        final int[] checked = { 0 };

        load.start(0);
        load.sendDue(2_000_000_000L, message ->
        {
            final TrafficMix.Type type = message.type();
            final int rule = policy.classify(type.kind(), type.code());
            final byte[] bytes = peer.body(message, rule, 1_796_019_000_000_000_000L + message.number());
            body.wrap(new UnsafeBuffer(bytes), 0);
            final boolean same = bytes.length == AcceptedMessageDescriptor.HEADER_LENGTH + type.payloadBytes() &&
                body.version() == AcceptedMessageDescriptor.LAYOUT_VERSION && body.kind() == type.kind().value() &&
                body.code() == type.code() && body.level() == policy.level(rule) &&
                body.messageId() == message.number() && body.counter() == message.number() &&
                body.originator() == message.originator() && body.target() == message.target() &&
                body.trtNs() == policy.trtNs(rule) &&
                body.acceptTimeNs() == 1_796_019_000_000_000_000L + message.number() &&
                body.payloadLength() == type.payloadBytes();
            if (!same)
            {
                failures.add("message " + message.number());
            }
            checked[0]++;
            return true;
        }, 1_000);

        assertTrue(checked[0] > 50, "a second of 100 msgs/s: " + checked[0]);
        assertEquals(List.of(), failures);
    }

    private static RabbitMqPeer.Settings settings(final String uri)
    {
        final EngineContext config = ConfigurationFile.read(Path.of("../conf/otaprio.yaml"));
        final TrafficMix mix = TrafficMix.load(Path.of("../conf/traffic-mix.yaml"));
        final PriorityPolicy policy = config.policy();
        return new RabbitMqPeer.Settings(uri, new PeerQueue(PeerQueue.NAME_DEFAULT, true), new OpenLoop.Settings(
            policy, mix, LoadProfile.steady(100, 1_000_000_000L), 1, Simulation.capacityPerSecond(config, mix), 0,
            null), config.dspSlots(), config.serviceTimes(), config.dspSeed());
    }
}
