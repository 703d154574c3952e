package dev.mailcore.netty.internal;

import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.ServerTls;
import io.netty.channel.group.ChannelGroup;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Everything the per-connection setup of one listener needs.
 *
 * @param config   the listener's configuration
 * @param tls      its TLS context, or {@code null}
 * @param protocol the protocol serving its connections
 * @param limiter  its connection counter
 * @param children the server's group of open connections (all listeners)
 * @param sessionIds the server's session id source
 * @param closing  whether the server is shutting down (new connections are then closed at once)
 */
public record ListenerRuntime(ListenerConfig config, ServerTls tls, ProtocolSupport protocol,
                              ConnectionLimiter limiter, ChannelGroup children, SessionIds sessionIds,
                              BooleanSupplier closing) {
    public ListenerRuntime {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(limiter, "limiter");
        Objects.requireNonNull(children, "children");
        Objects.requireNonNull(sessionIds, "sessionIds");
        Objects.requireNonNull(closing, "closing");
    }
}
