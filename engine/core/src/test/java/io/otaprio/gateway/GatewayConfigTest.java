package io.otaprio.gateway;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayConfigTest
{
    @Test
    void shouldFillDefaults()
    {
        final GatewayConfig config = new GatewayConfig().conclude();
        assertEquals("127.0.0.1", config.bindAddress());
        assertEquals(7400, config.port());
        assertEquals(256, config.maxConnections());
        assertEquals(4096, config.maxFrameBytes());
        assertEquals(256 * 1024, config.outboundBufferBytes());
        assertNotNull(config.idleStrategy());
        assertNotNull(config.errorHandler());
    }

    @Test
    void shouldNameTheSettingAndValueAtFault()
    {
        assertMessage(new GatewayConfig().port(70000), "port", "70000");
        assertMessage(new GatewayConfig().maxConnections(0), "maxConnections", "0");
        assertMessage(new GatewayConfig().maxFrameBytes(10), "maxFrameBytes", "10");
        assertMessage(new GatewayConfig().maxFrameBytes(8192).readBufferBytes(4096), "readBufferBytes", "4096");
        assertMessage(new GatewayConfig().outboundBufferBytes(16), "outboundBufferBytes", "16");
        assertMessage(new GatewayConfig().socketSendBufferBytes(-1), "socketSendBufferBytes", "-1");
        assertMessage(new GatewayConfig().bindAddress(" "), "bindAddress", "");
    }

    private static void assertMessage(final GatewayConfig config, final String setting, final String value)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, config::conclude);
        assertTrue(ex.getMessage().contains(setting) && ex.getMessage().contains(value), ex.getMessage());
    }
}
