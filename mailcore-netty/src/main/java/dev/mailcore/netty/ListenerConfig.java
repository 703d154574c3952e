package dev.mailcore.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * One listening socket.
 *
 * @param name               a name for logs and {@link dev.mailcore.api.SessionInfo#listener()}, e.g. {@code smtp}
 * @param bindAddress        host or IP to bind; {@code 127.0.0.1} by default
 * @param port               the port; 0 picks a free one (see {@link BoundListener#port()})
 * @param tlsMode            plain, STARTTLS-capable or implicit TLS
 * @param proxyProtocol      whether each connection starts with a PROXY protocol v1 or v2 header
 * @param maxConnections     most open connections on this listener at once
 * @param maxConnectionsPerIp most open connections from one client IP at once (loopback clients are exempt)
 * @param idleTimeout        a connection that sends nothing and takes none of our output for this long is told so
 *                           and closed (a slow download is not idle); {@link Duration#ZERO} for none
 */
public record ListenerConfig(String name, String bindAddress, int port, TlsMode tlsMode, boolean proxyProtocol,
                             int maxConnections, int maxConnectionsPerIp, Duration idleTimeout) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxConnections < 1 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("connection limits must be positive");
        }
    }

    /** Loopback, port 0, no PROXY, 1000 connections (100 per IP), 5 minutes idle timeout. */
    public static ListenerConfig defaults(String name, TlsMode tlsMode) {
        return new ListenerConfig(name, DEFAULT_BIND_ADDRESS, 0, tlsMode, false, 1000, 100, Duration.ofMinutes(5));
    }

    public ListenerConfig withPort(int newPort) {
        return new ListenerConfig(name, bindAddress, newPort, tlsMode, proxyProtocol, maxConnections,
                maxConnectionsPerIp, idleTimeout);
    }

    public ListenerConfig withBindAddress(String newBindAddress) {
        return new ListenerConfig(name, newBindAddress, port, tlsMode, proxyProtocol, maxConnections,
                maxConnectionsPerIp, idleTimeout);
    }
}
