package io.otaprio.gateway;

import io.otaprio.identity.ListenerSecurity;
import io.otaprio.metrics.EngineMetrics;
import io.otaprio.policy.PriorityPolicy;
import org.agrona.ErrorHandler;

/**
 * What a {@link Gateway} is built from: the parts of a concluded engine context it reads, and only those. The
 * engine's context implements it and has validated every value.
 */
public interface GatewayContext
{
    /** @return interface to listen on. */
    String gatewayHost();

    /** @return TCP port to listen on, 0 for an ephemeral one (see {@link Gateway#boundPort()}). */
    int gatewayPort();

    /** @return connections served at once; more are accepted and closed at once (counted). */
    int maxConnections();

    /** @return largest inbound frame, framing header included. */
    int maxFrameBytes();

    /** @return replies held per connection before a reader that does not keep up is disconnected. */
    int outboundBufferBytes();

    /** @return bytes read from a socket at a time; also the most buffered for a partly received frame. */
    int readBufferBytes();

    /** @return SO_SNDBUF of accepted sockets, 0 for the operating system's default. */
    int socketSendBufferBytes();

    /** @return a connection silent this long and owed no Completed is closed; 0 never. */
    long idleTimeoutNs();

    /** @return the largest payload admitted (named in TOO_LARGE answers). */
    int maxPayloadBytes();

    /** @return classification (a FULL answer names the lane). */
    PriorityPolicy policy();

    /** @return the gateway's counters. */
    GatewayCounters gatewayCounters();

    /** @return the engine's counters: a Reject the gateway sends itself is counted with admission's, by reason. */
    EngineMetrics metrics();

    /** @return the gateway's TLS (or plaintext), its handshake counters and its NOT_AUTHORISED counts. */
    ListenerSecurity gatewaySecurity();

    /** @return told of errors caught at a connection's boundary. */
    ErrorHandler errorHandler();
}
