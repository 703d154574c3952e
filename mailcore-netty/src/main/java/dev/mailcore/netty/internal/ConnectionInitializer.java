package dev.mailcore.netty.internal;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ProtocolSupport.Refusal;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.StartTls;
import dev.mailcore.netty.TlsMode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Sets up each accepted connection of one listener. The pipeline starts as
 * {@code idle-timer, idle-closer, [proxy-guard, proxy-decoder,] admission}; once the client's address is known
 * (at once, or from the PROXY header) the admission handler checks the connection limits, adds the
 * {@link SslHandler} for implicit TLS, hands the channel to the protocol and appends {@link ExceptionTail}.
 */
public final class ConnectionInitializer extends ChannelInitializer<Channel> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionInitializer.class);

    static final String IDLE_TIMER = "mailcore-idle-timer";
    static final String IDLE_CLOSER = "mailcore-idle";
    static final String PROXY_GUARD = "mailcore-proxy-guard";
    static final String PROXY_DECODER = "mailcore-proxy";
    static final String ADMISSION = "mailcore-admission";

    private final ListenerRuntime runtime;

    public ConnectionInitializer(ListenerRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    protected void initChannel(Channel channel) {
        ConnectionState state = new ConnectionState(runtime.protocol());
        channel.attr(ConnectionState.KEY).set(state);
        runtime.children().add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        long idleMillis = runtime.config().idleTimeout().toMillis();
        if (idleMillis > 0) { // a zero idle timeout means none
            // all-idle, not reader-idle: a client still taking our output (a large download over a slow link) is
            // not idle; one that neither sends nor reads is (a write completes only once the client makes room)
            pipeline.addLast(IDLE_TIMER, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
            pipeline.addLast(IDLE_CLOSER, new IdleCloser(state));
        }
        if (runtime.config().proxyProtocol()) {
            pipeline.addLast(PROXY_GUARD, new ProxyPrefixGuard());
            pipeline.addLast(PROXY_DECODER, new HAProxyMessageDecoder());
        }
        pipeline.addLast(ADMISSION, new Admission(state));
    }

    private static InetSocketAddress inet(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet;
        }
        // not an IP connection (embedded or local channel): count all such clients as one
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private final class Admission extends ChannelInboundHandlerAdapter {
        private final ConnectionState state;
        private boolean decided;

        Admission(ConnectionState state) {
            this.state = state;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // Not passed on: protocol handlers are added later and must not depend on channelActive (with PROXY
            // they would never see it); ProtocolSupport.initialize is their start signal.
            if (!runtime.config().proxyProtocol()) {
                admit(ctx, inet(ctx.channel().remoteAddress()), inet(ctx.channel().localAddress()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HAProxyMessage header) {
                InetSocketAddress remote = inet(ctx.channel().remoteAddress());
                InetSocketAddress local = inet(ctx.channel().localAddress());
                try {
                    if (header.command() == HAProxyCommand.PROXY && isIp(header.proxiedProtocol())) {
                        InetSocketAddress source = address(header.sourceAddress(), header.sourcePort());
                        InetSocketAddress destination = address(header.destinationAddress(),
                                header.destinationPort());
                        if (source == null || destination == null) {
                            LOG.debug("{} closed: bad addresses in PROXY header", ctx.channel());
                            ctx.close();
                            return;
                        }
                        remote = source;
                        local = destination;
                    }
                } finally {
                    ReferenceCountUtil.release(header);
                }
                admit(ctx, remote, local);
                return;
            }
            if (!decided) {
                // bytes before the connection was admitted (cannot happen once the PROXY decoder is in front)
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == ShutdownEvent.INSTANCE && !decided) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("{} closed before it was served", ctx.channel(), cause);
            ctx.close();
        }

        private void admit(ChannelHandlerContext ctx, InetSocketAddress remote, InetSocketAddress local) {
            if (decided) {
                return;
            }
            decided = true;
            Channel channel = ctx.channel();
            ChannelPipeline pipeline = channel.pipeline();
            if (runtime.closing().getAsBoolean()) {
                ctx.close();
                return;
            }
            if (runtime.config().tlsMode() == TlsMode.IMPLICIT) {
                SslHandler ssl = runtime.tls().newHandler(channel.alloc(), false);
                pipeline.addAfter(ctx.name(), StartTls.HANDLER_NAME, ssl);
            }
            InetAddress ip = remote.getAddress();
            Refusal refusal = runtime.limiter().tryAcquire(ip);
            if (refusal != null) {
                LOG.debug("{} refused ({}) on listener {} for {}", channel, refusal, runtime.config().name(),
                        remote);
                pipeline.remove(this);
                pipeline.addLast(ExceptionTail.NAME, ExceptionTail.INSTANCE);
                state.refuse(channel, refusal, true);
                return;
            }
            channel.closeFuture().addListener(f -> runtime.limiter().release(ip));
            ConnectionContext context = new ConnectionContext(runtime.config(), runtime.tls(), remote, local,
                    runtime.sessionIds().next());
            state.markAdmitted();
            pipeline.remove(this);
            try {
                runtime.protocol().initialize(channel, context);
            } catch (RuntimeException e) {
                LOG.warn("{} closed: protocol {} failed to initialize it", channel,
                        runtime.protocol().getClass().getName(), e);
                channel.close();
                return;
            }
            pipeline.addLast(ExceptionTail.NAME, ExceptionTail.INSTANCE);
        }
    }

    private static boolean isIp(HAProxyProxiedProtocol protocol) {
        HAProxyProxiedProtocol.AddressFamily family = protocol.addressFamily();
        return family == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                || family == HAProxyProxiedProtocol.AddressFamily.AF_IPv6;
    }

    private static InetSocketAddress address(String ip, int port) {
        if (ip == null) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
        if (bytes == null || port < 0 || port > 65535) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
