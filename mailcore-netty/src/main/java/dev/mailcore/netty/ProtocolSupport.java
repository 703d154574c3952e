package dev.mailcore.netty;

import io.netty.channel.Channel;

/**
 * What a protocol module (SMTP, IMAP, POP3) plugs into {@link NettyServer}.
 */
public interface ProtocolSupport {

    /**
     * Sets up one accepted connection: adds the protocol's handlers to the end of the channel's pipeline and writes
     * the greeting. Called on the channel's event loop once the connection is active, after the PROXY header (if
     * the listener expects one) was read and the connection limits were checked. For implicit TLS the
     * {@link io.netty.handler.ssl.SslHandler} is already in the pipeline (the handshake may still be running: writes
     * are queued until it completes).
     */
    void initialize(Channel channel, ConnectionContext context);

    /**
     * The complete line(s), CRLF included, sent before a connection is closed without being served, such as {@code
     * 421 4.7.0 Too many connections\r\n}.
     */
    String refusal(Refusal reason);

    /** Why a connection is refused or ended by the core. */
    enum Refusal {
        /** The listener's {@code maxConnections} is reached. */
        TOO_MANY_CONNECTIONS,
        /** The client's IP has {@code maxConnectionsPerIp} open. */
        TOO_MANY_FROM_IP,
        /** The connection sent nothing for the idle timeout. */
        IDLE_TIMEOUT,
        /** The server is shutting down and the deadline passed. */
        SHUTDOWN
    }
}
