package dev.mailcore.netty.internal;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ProtocolSupport;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.StartTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.netty.TlsMode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionInitializerTest {

    /** Greets, records contexts and inbound text. */
    private static final class Recorder implements ProtocolSupport {
        final List<ConnectionContext> contexts = new ArrayList<>();
        final StringBuilder received = new StringBuilder();
        RuntimeException failure;

        @Override
        public void initialize(Channel channel, ConnectionContext context) {
            if (failure != null) {
                throw failure;
            }
            contexts.add(context);
            channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    if (buf.toString(StandardCharsets.US_ASCII).startsWith("THROW")) {
                        buf.release();
                        throw new IllegalStateException("expected by the test");
                    }
                    received.append(buf.toString(StandardCharsets.US_ASCII));
                    buf.release();
                }
            });
            channel.writeAndFlush(Unpooled.copiedBuffer("220 hi\r\n", StandardCharsets.US_ASCII));
        }

        @Override
        public String refusal(Refusal reason) {
            return "421 " + reason + "\r\n";
        }
    }

    private final Recorder protocol = new Recorder();
    private final DefaultChannelGroup children = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final AtomicBoolean closing = new AtomicBoolean();

    private ListenerRuntime runtime(ListenerConfig config, ServerTls tls, ConnectionLimiter limiter) {
        return new ListenerRuntime(config, tls, protocol, limiter, children, new SessionIds("test"), closing::get);
    }

    private EmbeddedChannel channel(boolean proxy, ConnectionLimiter limiter) {
        ListenerConfig config = new ListenerConfig("t", "127.0.0.1", 0, TlsMode.NONE, proxy, 10, 10,
                Duration.ofMinutes(1));
        return new EmbeddedChannel(new ConnectionInitializer(runtime(config, null, limiter)));
    }

    private static String outbound(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            text.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return text.toString();
    }

    private static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    @Test
    void plainConnectionIsHandedToTheProtocolAtOnce() {
        EmbeddedChannel channel = channel(false, new ConnectionLimiter(10, 10));
        assertThat(outbound(channel)).isEqualTo("220 hi\r\n");
        assertThat(protocol.contexts).hasSize(1);
        assertThat(protocol.contexts.get(0).sessionId()).isEqualTo("test1");
        assertThat(children.contains(channel)).isTrue();
        assertThat(channel.pipeline().last()).isSameAs(ExceptionTail.INSTANCE);
        assertThat(channel.pipeline().names()).contains(NettyServer.EXCEPTION_HANDLER);
        assertThat(ConnectionState.of(channel).admitted()).isTrue();
    }

    @Test
    void proxyHeaderFedInFragmentsDecidesTheAddresses() {
        EmbeddedChannel channel = channel(true, new ConnectionLimiter(10, 10));
        assertThat(protocol.contexts).isEmpty();
        for (String part : new String[] {"PRO", "XY TCP4 192.0.2.1 ", "192.0.2.2 1234 25\r", "\nEHLO x\r\n"}) {
            channel.writeInbound(ascii(part));
        }
        assertThat(outbound(channel)).isEqualTo("220 hi\r\n");
        ConnectionContext context = protocol.contexts.get(0);
        assertThat(context.remote()).isEqualTo(new InetSocketAddress("192.0.2.1", 1234));
        assertThat(context.local()).isEqualTo(new InetSocketAddress("192.0.2.2", 25));
        assertThat(protocol.received.toString()).isEqualTo("EHLO x\r\n");
        assertThat(channel.pipeline().names()).noneMatch(name -> name.startsWith("mailcore-proxy"));
    }

    @Test
    void nonProxyInputClosesWithoutServing() {
        EmbeddedChannel channel = channel(true, new ConnectionLimiter(10, 10));
        channel.writeInbound(ascii("EHLO x\r\n"));
        assertThat(channel.isOpen()).isFalse();
        assertThat(protocol.contexts).isEmpty();
        assertThat(outbound(channel)).isEmpty();
    }

    @Test
    void malformedProxyHeaderClosesWithoutServing() {
        EmbeddedChannel channel = channel(true, new ConnectionLimiter(10, 10));
        channel.writeInbound(ascii("PROXY TCP4 192.0.2.1 nonsense\r\n"));
        assertThat(channel.isOpen()).isFalse();
        assertThat(protocol.contexts).isEmpty();
    }

    @Test
    void connectionOverTheLimitGetsTheRefusalAndIsNotCounted() {
        ConnectionLimiter limiter = new ConnectionLimiter(1, 1);
        EmbeddedChannel first = channel(false, limiter);
        EmbeddedChannel second = channel(false, limiter);
        assertThat(outbound(second)).isEqualTo("421 TOO_MANY_CONNECTIONS\r\n");
        assertThat(second.isOpen()).isFalse();
        assertThat(limiter.open()).isEqualTo(1);
        assertThat(protocol.contexts).hasSize(1);

        first.close();
        assertThat(limiter.open()).isZero();
    }

    @Test
    void implicitTlsPutsTheSslHandlerBeforeTheProtocolAndHoldsTheGreetingUntilTheHandshake() {
        ListenerConfig config = ListenerConfig.defaults("smtps", TlsMode.IMPLICIT);
        ServerTls tls = ServerTls.create(TlsConfig.selfSigned());
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionInitializer(
                runtime(config, tls, new ConnectionLimiter(10, 10))));
        assertThat(channel.pipeline().get(StartTls.HANDLER_NAME)).isInstanceOf(SslHandler.class);
        assertThat(outbound(channel)).as("nothing in clear text").isEmpty();
        assertThat(protocol.contexts.get(0).implicitTls()).isTrue();
        assertThat(protocol.contexts.get(0).tls()).isSameAs(tls);
        channel.finishAndReleaseAll();
    }

    @Test
    void zeroIdleTimeoutMeansNoIdleTimer() {
        ListenerConfig config = new ListenerConfig("t", "127.0.0.1", 0, TlsMode.NONE, false, 10, 10, Duration.ZERO);
        EmbeddedChannel channel = new EmbeddedChannel(new ConnectionInitializer(
                runtime(config, null, new ConnectionLimiter(10, 10))));
        assertThat(channel.pipeline().get(io.netty.handler.timeout.IdleStateHandler.class)).isNull();
        assertThat(channel(false, new ConnectionLimiter(10, 10)).pipeline()
                .get(io.netty.handler.timeout.IdleStateHandler.class)).isNotNull();
    }

    @Test
    void connectionTakingOurOutputIsNotIdleButOneSilentBothWaysIs() {
        EmbeddedChannel channel = channel(false, new ConnectionLimiter(10, 10)); // idle timeout one minute
        channel.freezeTime();
        assertThat(outbound(channel)).isEqualTo("220 hi\r\n");
        for (int i = 0; i < 4; i++) { // the client sends nothing for 160 s but takes a long download
            channel.advanceTimeBy(40, java.util.concurrent.TimeUnit.SECONDS);
            channel.runPendingTasks();
            assertThat(channel.isOpen()).isTrue();
            channel.writeAndFlush(ascii("part " + i + "\r\n"));
            assertThat(outbound(channel)).isEqualTo("part " + i + "\r\n");
        }
        channel.advanceTimeBy(61, java.util.concurrent.TimeUnit.SECONDS);
        channel.runPendingTasks();
        assertThat(outbound(channel)).isEqualTo("421 IDLE_TIMEOUT\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void unhandledExceptionClosesTheConnection() {
        EmbeddedChannel channel = channel(false, new ConnectionLimiter(10, 10));
        channel.writeInbound(ascii("THROW\r\n"));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void failingInitializeClosesTheConnectionAndReleasesItsSlot() {
        protocol.failure = new IllegalStateException("expected by the test");
        ConnectionLimiter limiter = new ConnectionLimiter(10, 10);
        EmbeddedChannel channel = channel(false, limiter);
        assertThat(channel.isOpen()).isFalse();
        assertThat(limiter.open()).isZero();
    }

    @Test
    void connectionStillWaitingForItsProxyHeaderClosesOnShutdown() {
        EmbeddedChannel channel = channel(true, new ConnectionLimiter(10, 10));
        channel.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void connectionsArrivingWhileClosingAreNotServed() {
        closing.set(true);
        EmbeddedChannel channel = channel(false, new ConnectionLimiter(10, 10));
        assertThat(channel.isOpen()).isFalse();
        assertThat(protocol.contexts).isEmpty();
    }
}
