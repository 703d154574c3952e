package dev.mailcore.netty;

import java.net.InetSocketAddress;

/** A listener that is accepting connections. */
public interface BoundListener {
    ListenerConfig config();

    /** The bound address; its port is the real one also when the configuration asked for port 0. */
    InetSocketAddress address();

    default int port() {
        return address().getPort();
    }

    /** Connections open right now. */
    int openConnections();
}
