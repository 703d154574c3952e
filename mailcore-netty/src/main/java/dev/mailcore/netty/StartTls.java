package dev.mailcore.netty;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;

/** STARTTLS/STLS upgrade of a plain connection. */
public final class StartTls {
    private StartTls() {
    }

    /**
     * Puts a server {@link io.netty.handler.ssl.SslHandler} (created with {@code startTls=true}) at the front of the
     * pipeline. Call it on the event loop after the protocol's "go ahead" reply was written, and after discarding any
     * input the client pipelined behind the STARTTLS command. The returned future completes when the handshake does.
     */
    public static Future<Channel> upgrade(Channel channel, ServerTls tls) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The negotiated protocol (such as {@code TLSv1.3}) and cipher suite, or {@code null} when not encrypted. */
    public static TlsSessionInfo sessionInfo(Channel channel) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @param protocol e.g. {@code TLSv1.3} @param cipherSuite e.g. {@code TLS_AES_128_GCM_SHA256} */
    public record TlsSessionInfo(String protocol, String cipherSuite) {
    }
}
