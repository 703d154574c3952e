package dev.mailcore.netty;

import java.net.InetSocketAddress;

/**
 * What the core knows about one connection when it hands it to {@link ProtocolSupport#initialize}.
 *
 * @param listener the listener's configuration
 * @param tls      the listener's TLS context (for STARTTLS or implicit TLS), or {@code null} when it has none
 * @param remote   the client address: the PROXY header's source when the listener uses PROXY, else the peer
 * @param local    the server address the client connected to (PROXY destination when given)
 * @param sessionId a short id unique within this server, for logs and trace headers
 */
public record ConnectionContext(ListenerConfig listener, ServerTls tls, InetSocketAddress remote,
                                InetSocketAddress local, String sessionId) {

    /** Whether the connection is already encrypted (implicit TLS listener). */
    public boolean implicitTls() {
        return listener.tlsMode() == TlsMode.IMPLICIT;
    }
}
