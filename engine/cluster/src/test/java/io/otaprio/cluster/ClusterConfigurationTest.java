package io.otaprio.cluster;

import io.otaprio.config.ConfigException;
import io.otaprio.config.ConfigNode;
import io.otaprio.engine.ConfigurationFile;
import io.otaprio.engine.EngineContext;
import io.otaprio.engine.ThreadingMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterConfigurationTest
{
    private static final Path CONF = Path.of("../../conf/cluster");

    @Test
    void shouldReadTheShippedNodesAsThreeMembersOfOneClusterOnTwoCores()
    {
        for (int member = 0; member < 3; member++)
        {
            final ClusterSettings[] settings = new ClusterSettings[1];
            final EngineContext ctx = ConfigurationFile.read(CONF.resolve("node-" + member + ".yaml"),
                Map.of(ClusterConfiguration.SECTION, section -> settings[0] = ClusterConfiguration.read(section)));
            assertEquals(member, settings[0].memberId());
            assertEquals(List.of("127.0.0.1", "127.0.0.1", "127.0.0.1"), settings[0].hosts());
            assertEquals("0,127.0.0.1:9002,127.0.0.1:9003,127.0.0.1:9004,127.0.0.1:9005,127.0.0.1:9001|" +
                "1,127.0.0.1:9102,127.0.0.1:9103,127.0.0.1:9104,127.0.0.1:9105,127.0.0.1:9101|" +
                "2,127.0.0.1:9202,127.0.0.1:9203,127.0.0.1:9204,127.0.0.1:9205,127.0.0.1:9201",
                settings[0].clusterMembers());
            assertEquals("0=127.0.0.1:9002,1=127.0.0.1:9102,2=127.0.0.1:9202", settings[0].ingressEndpoints());
            assertEquals(TimeUnit.SECONDS.toNanos(2), settings[0].heartbeatTimeoutNs());
            assertEquals("backoff", settings[0].idle());
            assertEquals(Path.of("cluster-data/node-" + member + "/cluster"), settings[0].directory());
            // Three nodes share two cores: one engine thread each, no spinning.
            assertEquals(ThreadingMode.SHARED, ctx.threadingMode());
            assertEquals("127.0.0.1:74" + member + "0", ctx.gatewayListen());
            assertEquals(Path.of("cluster-data/node-" + member + "/journal"), ctx.journal().directory());
            assertEquals(100, ctx.alertGuardPerSecond(), "every node guards level-1 storms alike, as shipped");
        }
    }

    @Test
    void shouldNameTheLineOfABadValue()
    {
        final ConfigException badMember = assertThrows(ConfigException.class, () -> read(
            "cluster:\n  memberId: 3\n  members: [a, b, c]\n"));
        assertTrue(badMember.getMessage().contains(":2") && badMember.getMessage().contains("memberId"),
            badMember.getMessage());

        final ConfigException noMembers = assertThrows(ConfigException.class, () -> read(
            "cluster:\n  memberId: 0\n  members: []\n"));
        assertTrue(noMembers.getMessage().contains("list of hosts"), noMembers.getMessage());

        final ConfigException interval = assertThrows(ConfigException.class, () -> read(
            "cluster:\n  memberId: 0\n  members: [a]\n  heartbeatTimeout: 1s\n  heartbeatInterval: 2s\n"));
        assertTrue(interval.getMessage().contains("shorter than heartbeatTimeout"), interval.getMessage());

        final ConfigException idle = assertThrows(ConfigException.class, () -> read(
            "cluster:\n  memberId: 0\n  members: [a]\n  idle: spinning\n"));
        assertTrue(idle.getMessage().contains("idle"), idle.getMessage());

        final ConfigException unknown = assertThrows(ConfigException.class, () -> read(
            "cluster:\n  memberId: 0\n  members: [a]\n  leader: 0\n"));
        assertTrue(unknown.getMessage().contains("leader"), unknown.getMessage());
    }

    private static ClusterSettings read(final String yaml)
    {
        return ClusterConfiguration.read(ConfigNode.parse(yaml, "test.yaml").child(ClusterConfiguration.SECTION));
    }
}
