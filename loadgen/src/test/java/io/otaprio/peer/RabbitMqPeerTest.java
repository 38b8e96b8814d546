package io.otaprio.peer;

import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.loadgen.LoadProfile;
import io.otaprio.loadgen.OpenLoop;
import io.otaprio.loadgen.Simulation;
import io.otaprio.loadgen.TrafficMix;
import io.otaprio.policy.PriorityPolicy;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

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
