package dev.mailcore.netty;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartTlsTest {

    private static final ServerTls TLS = ServerTls.create(TlsConfig.selfSigned());

    @Test
    void upgradePutsAnSslHandlerFirstInThePipeline() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        var handshake = StartTls.upgrade(channel, TLS);

        assertThat(channel.pipeline().first()).isInstanceOf(SslHandler.class);
        assertThat(channel.pipeline().names().get(0)).isEqualTo(StartTls.HANDLER_NAME);
        assertThat(handshake).isSameAs(channel.pipeline().get(SslHandler.class).handshakeFuture());
        assertThat(handshake.isDone()).isFalse();
        channel.finishAndReleaseAll();
    }

    @Test
    void upgradingTwiceIsAnError() {
        EmbeddedChannel channel = new EmbeddedChannel();
        StartTls.upgrade(channel, TLS);
        assertThatThrownBy(() -> StartTls.upgrade(channel, TLS)).isInstanceOf(IllegalStateException.class);
        channel.finishAndReleaseAll();
    }

    @Test
    void plainConnectionHasNoSessionInfo() {
        EmbeddedChannel channel = new EmbeddedChannel();
        assertThat(StartTls.sessionInfo(channel)).isNull();
    }

    @Test
    void sessionInfoIsNullUntilTheHandshakeCompleted() {
        EmbeddedChannel channel = new EmbeddedChannel();
        StartTls.upgrade(channel, TLS);
        assertThat(StartTls.sessionInfo(channel)).isNull();
        channel.finishAndReleaseAll();
    }
}
