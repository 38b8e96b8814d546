package io.otaprio.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A TCP endpoint written as {@code HOST:PORT}, as the gateway's {@code listen} setting, {@code --listen} and
 * {@code --connect} take it. The last colon separates the port, so the host may itself contain colons.
 *
 * @param host host name or address.
 * @param port TCP port.
 */
public record HostPort(String host, int port)
{
    /**
     * @param text    such as {@code 127.0.0.1:7400}.
     * @param minPort smallest port allowed: 0 to listen on any free port, 1 to connect.
     * @return the endpoint.
     * @throws IllegalArgumentException saying what was expected when the text is not HOST:PORT with a port from
     *                                  {@code minPort} to 65535.
     */
    public static HostPort parse(final String text, final int minPort)
    {
        final int colon = null == text ? -1 : text.lastIndexOf(':');
        int port = -1;
        if (colon > 0 && colon < text.length() - 1)
        {
            try
            {
                port = Integer.parseInt(text.substring(colon + 1));
            }
            catch (final NumberFormatException ignore)
            {
                // Reported below with the rest of the rule.
            }
        }
        if (port < minPort || port > 65535)
        {
            throw new IllegalArgumentException("expected HOST:PORT with a port from " + minPort +
                " to 65535, e.g. 127.0.0.1:7400, got \"" + text + "\"");
        }
        return new HostPort(text.substring(0, colon), port);
    }

    /**
     * As {@link #parse(String, int)}, with the name of the option or setting in the message.
     *
     * @param what    such as {@code --connect}.
     * @param text    such as {@code 127.0.0.1:7400}.
     * @param minPort smallest port allowed.
     * @return the endpoint.
     */
    public static HostPort parse(final String what, final String text, final int minPort)
    {
        try
        {
            return parse(text, minPort);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(what + ": " + ex.getMessage());
        }
    }

    /**
     * @return true when the host is a loopback address (127.0.0.0/8, ::1) or a name that resolves to one: a listener
     * bound to it is reachable from this machine only. The wildcard (0.0.0.0, ::) and any other address are not; nor is
     * a name that does not resolve (binding to it would fail anyway).
     */
    public boolean isLoopback()
    {
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }
}
