package dev.mailcore.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

import javax.net.ssl.SSLSession;
import java.util.Objects;

/** STARTTLS/STLS upgrade of a plain connection. */
public final class StartTls {

    /** The name of the {@link SslHandler} in the pipeline (implicit TLS and STARTTLS alike). */
    public static final String HANDLER_NAME = "mailcore-tls";
    /**
     * The name of a handler that must see the bytes as they go over the wire (traffic shaping, fault injection): put
     * it first in the pipeline under this name and STARTTLS installs TLS behind it, not in front of it.
     */
    public static final String WIRE_HANDLER_NAME = "mailcore-wire";

    private StartTls() {
    }

    /**
     * Puts a server {@link io.netty.handler.ssl.SslHandler} (created with {@code startTls=true}) at the front of the
     * pipeline. Call it on the event loop after the protocol's "go ahead" reply was written, and after discarding any
     * input the client pipelined behind the STARTTLS command. The returned future completes when the handshake does.
     *
     * <p>The handler is flushed at once, so the already written reply leaves in clear text and everything written
     * after this call is encrypted. Fails with {@link IllegalStateException} when the channel already has TLS.
     */
    public static Future<Channel> upgrade(Channel channel, ServerTls tls) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(tls, "tls");
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(SslHandler.class) != null) {
            throw new IllegalStateException("the connection already uses TLS");
        }
        SslHandler handler = tls.newHandler(channel.alloc(), true);
        if (channel.eventLoop().inEventLoop()) {
            install(channel, handler);
        } else {
            channel.eventLoop().execute(() -> install(channel, handler));
        }
        return handler.handshakeFuture();
    }

    private static void install(Channel channel, SslHandler handler) {
        if (channel.pipeline().get(WIRE_HANDLER_NAME) != null) {
            channel.pipeline().addAfter(WIRE_HANDLER_NAME, HANDLER_NAME, handler);
        } else {
            channel.pipeline().addFirst(HANDLER_NAME, handler);
        }
        // With startTls=true the handler passes its first flush through unencrypted. The go-ahead reply is already
        // on its way, so consume that first flush now: everything the protocol writes from here on is encrypted.
        channel.flush();
    }

    /**
     * The negotiated protocol (such as {@code TLSv1.3}) and cipher suite, or {@code null} when not encrypted (no
     * {@link SslHandler} in the pipeline, or its handshake has not completed successfully yet).
     */
    public static TlsSessionInfo sessionInfo(Channel channel) {
        SslHandler handler = channel.pipeline().get(SslHandler.class);
        if (handler == null || !handler.handshakeFuture().isSuccess()) {
            return null;
        }
        SSLSession session = handler.engine().getSession();
        return new TlsSessionInfo(session.getProtocol(), session.getCipherSuite());
    }

    /** @param protocol e.g. {@code TLSv1.3} @param cipherSuite e.g. {@code TLS_AES_128_GCM_SHA256} */
    public record TlsSessionInfo(String protocol, String cipherSuite) {
    }
}
