package io.otaprio.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtocolClientTest
{
    @Test
    void shouldConnectToTheFirstGatewayThatAcceptsAndNameEveryOneThatDidNot() throws IOException
    {
        final int closed = closedPort();
        try (ServerSocket gateway = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            try (ProtocolClient client = ProtocolClient.connectAny("127.0.0.1:" + closed + ", 127.0.0.1:" +
                gateway.getLocalPort());
                Socket accepted = gateway.accept())
            {
                assertEquals(gateway.getLocalPort(), accepted.getLocalPort());
                assertTrue(null != client);
            }
        }
        final int alsoClosed = closedPort();
        final IOException none = assertThrows(IOException.class,
            () -> ProtocolClient.connectAny("127.0.0.1:" + closed + ",127.0.0.1:" + alsoClosed));
        assertTrue(none.getMessage().contains("127.0.0.1:" + closed) &&
            none.getMessage().contains("127.0.0.1:" + alsoClosed), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProtocolClient.connectAny("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolClient.connectAny("127.0.0.1:http"));
    }

    private static int closedPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
