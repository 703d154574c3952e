package dev.mailcore.netty.internal;

import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.ProtocolSupport.Refusal;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** What the core remembers about one connection, kept as a channel attribute. */
public final class ConnectionState {

    /** The attribute holding the state of a connection accepted by a {@code NettyServer}. */
    public static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf(ConnectionState.class, "state");

    /** How long a refusal may take to be written before the connection is closed anyway. */
    static final long REFUSAL_WRITE_TIMEOUT_MILLIS = 5_000;

    private final ProtocolSupport protocol;
    private volatile boolean admitted;
    private volatile boolean ending;

    public ConnectionState(ProtocolSupport protocol) {
        this.protocol = protocol;
    }

    /** Whether the connection passed PROXY and limits and was handed to the protocol. */
    public boolean admitted() {
        return admitted;
    }

    void markAdmitted() {
        admitted = true;
    }

    /**
     * Ends the connection with the protocol's refusal text for {@code reason} (when it was admitted or refused by a
     * limit; otherwise it is just closed). Writes through the whole pipeline, so over TLS when TLS is in place. The
     * connection is closed once the text is written, or after a few seconds when the client does not read it.
     * Only the first call does anything.
     */
    public void refuse(Channel channel, Refusal reason, boolean sendText) {
        if (ending) {
            return;
        }
        ending = true;
        if (!sendText || !channel.isActive()) {
            channel.close();
            return;
        }
        String text;
        try {
            text = protocol.refusal(reason);
        } catch (RuntimeException e) {
            text = null;
        }
        if (text == null || text.isEmpty()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII))
                .addListener(ChannelFutureListener.CLOSE);
        try {
            io.netty.util.concurrent.Future<?> deadline = channel.eventLoop().schedule(
                    () -> channel.close(), REFUSAL_WRITE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            channel.closeFuture().addListener(f -> deadline.cancel(false));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            channel.close(); // event loop shutting down
        }
    }

    /** The state of {@code channel}, or {@code null} when it was not accepted by a {@code NettyServer}. */
    public static ConnectionState of(Channel channel) {
        return channel.attr(KEY).get();
    }
}
