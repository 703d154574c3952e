package dev.mailcore.netty;

import java.time.Duration;

/**
 * The Netty runtime of one mail server: event loops and listeners. No static state; many can run in one JVM.
 */
public final class NettyServer implements AutoCloseable {

    /**
     * @param ioThreads     event loop threads; 0 picks the number of cores
     * @param shutdownGrace how long {@link #close()} lets connections finish their transactions
     */
    public NettyServer(int ioThreads, Duration shutdownGrace) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Binds a listener and starts accepting on it.
     *
     * @param tls the TLS context; required when {@code config.tlsMode()} is not {@link TlsMode#NONE}
     * @throws dev.mailcore.api.MailcoreException when the address cannot be bound
     */
    public BoundListener bind(ListenerConfig config, ServerTls tls, ProtocolSupport protocol) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Stops accepting, fires {@link ShutdownEvent} on every open connection, waits up to the grace period for them to
     * close, closes the rest and stops the event loops. Idempotent.
     */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
