package dev.mailcore.netty;

/**
 * Fired as a user event through every open connection's pipeline when {@link NettyServer#close()} begins. A protocol
 * handler closes the connection when it is between transactions (SMTP: {@code 421 4.3.2}) and otherwise as soon as
 * the current transaction ends. Connections still open at the shutdown deadline are closed by force.
 */
public final class ShutdownEvent {
    public static final ShutdownEvent INSTANCE = new ShutdownEvent();

    private ShutdownEvent() {
    }
}
