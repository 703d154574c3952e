package dev.mailcore.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A tiny line protocol for tests: greets {@code 220 hi}, answers {@code 250 <line>}, and knows a few commands:
 * {@code STARTTLS}, {@code TLS} (session info), {@code ID} (session id and remote), {@code BOOM} (throws) and
 * {@code QUIT}. On {@link ShutdownEvent} it says {@code 421 bye} and closes, unless told to ignore the event.
 */
final class EchoProtocol implements ProtocolSupport {

    final BlockingQueue<ConnectionContext> contexts = new LinkedBlockingQueue<>();
    final BlockingQueue<Channel> channels = new LinkedBlockingQueue<>();
    final CountDownLatch shutdownEvents;
    private final boolean ignoreShutdown;

    EchoProtocol() {
        this(false, 1);
    }

    EchoProtocol(boolean ignoreShutdown, int expectedShutdownEvents) {
        this.ignoreShutdown = ignoreShutdown;
        this.shutdownEvents = new CountDownLatch(expectedShutdownEvents);
    }

    @Override
    public void initialize(Channel channel, ConnectionContext context) {
        channel.pipeline().addLast(new LineBasedFrameDecoder(1000),
                new StringDecoder(StandardCharsets.US_ASCII),
                new StringEncoder(StandardCharsets.US_ASCII),
                new Handler(context));
        channel.writeAndFlush("220 hi\r\n");
        contexts.add(context);
        channels.add(channel);
    }

    @Override
    public String refusal(Refusal reason) {
        return "421 " + reason + "\r\n";
    }

    private final class Handler extends SimpleChannelInboundHandler<String> {
        private final ConnectionContext context;

        Handler(ConnectionContext context) {
            this.context = context;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            switch (line) {
                case "STARTTLS" -> {
                    ctx.writeAndFlush("220 go ahead\r\n");
                    StartTls.upgrade(ctx.channel(), context.tls());
                }
                case "TLS" -> {
                    StartTls.TlsSessionInfo info = StartTls.sessionInfo(ctx.channel());
                    ctx.writeAndFlush("250 " + (info == null ? "none" : info.protocol() + " "
                            + info.cipherSuite()) + "\r\n");
                }
                case "ID" -> ctx.writeAndFlush("250 " + context.sessionId() + " " + context.remote() + "\r\n");
                case "BOOM" -> throw new IllegalStateException("boom (expected by the test)");
                case "QUIT" -> ctx.writeAndFlush("221 bye\r\n").addListener(ChannelFutureListener.CLOSE);
                default -> ctx.writeAndFlush("250 " + line + "\r\n");
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == ShutdownEvent.INSTANCE) {
                shutdownEvents.countDown();
                if (!ignoreShutdown) {
                    ctx.writeAndFlush("421 bye\r\n").addListener(ChannelFutureListener.CLOSE);
                }
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
