package dev.mailcore.netty;

import dev.mailcore.api.SessionInfo;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;

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

    /**
     * The session as SPIs and hooks see it, its TLS protocol read from {@code channel}'s {@link SslHandler} (null
     * before a handshake has completed).
     *
     * @param heloName the client's HELO/EHLO name (SMTP), else null
     * @param user     the authenticated user, or null
     */
    public SessionInfo sessionInfo(Channel channel, String heloName, String user) {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        String tls = ssl == null || ssl.engine().getSession() == null ? null : ssl.engine().getSession().getProtocol();
        if ("NONE".equals(tls)) {
            tls = null; // no handshake yet (or it failed)
        }
        return new SessionInfo(sessionId, listener.name(), remote, local, heloName, tls, user);
    }
}
