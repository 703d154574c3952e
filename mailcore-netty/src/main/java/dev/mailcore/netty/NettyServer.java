package dev.mailcore.netty;

import dev.mailcore.api.MailcoreException;
import dev.mailcore.netty.internal.ConnectionInitializer;
import dev.mailcore.netty.internal.ConnectionLimiter;
import dev.mailcore.netty.internal.ConnectionState;
import dev.mailcore.netty.internal.ListenerRuntime;
import dev.mailcore.netty.internal.SessionIds;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The Netty runtime of one mail server: event loops and listeners. No static state; many can run in one JVM.
 *
 * <h2>How a protocol module uses it</h2>
 * A protocol (SMTP, IMAP, POP3) implements {@link ProtocolSupport}; the host binds it to as many listeners as it
 * wants:
 * <pre>{@code
 * ServerTls tls = ServerTls.create(TlsConfig.selfSigned());
 * try (NettyServer server = new NettyServer(0, Duration.ofSeconds(10))) {
 *     BoundListener smtp = server.bind(ListenerConfig.defaults("smtp", TlsMode.STARTTLS), tls, smtpSupport);
 *     BoundListener smtps = server.bind(ListenerConfig.defaults("smtps", TlsMode.IMPLICIT), tls, smtpSupport);
 *     System.out.println("SMTP on port " + smtp.port());
 *     ...
 * } // close(): stop accepting, ShutdownEvent, grace period, refusal(SHUTDOWN), stop the event loops
 * }</pre>
 * For every accepted connection the server, in this order: reads the PROXY v1/v2 header when the listener expects
 * one (anything else closes the connection); checks {@code maxConnections} and {@code maxConnectionsPerIp} on the
 * real client IP (when over: writes {@link ProtocolSupport#refusal} and closes); arms the idle timeout (nothing read
 * and no write completed for that long: {@code refusal(IDLE_TIMEOUT)} then close); adds the {@link io.netty.handler.ssl.SslHandler} for implicit TLS; then
 * calls {@link ProtocolSupport#initialize} on the channel's event loop. A minimal protocol:
 * <pre>{@code
 * final class EchoSupport implements ProtocolSupport {
 *     public void initialize(Channel ch, ConnectionContext ctx) {
 *         ch.pipeline().addLast(new LineBasedFrameDecoder(1000), new StringDecoder(US_ASCII),
 *                 new StringEncoder(US_ASCII), new EchoHandler(ctx));   // EchoHandler may call StartTls.upgrade
 *         ch.writeAndFlush("220 " + ctx.sessionId() + " ready\r\n");
 *     }
 *     public String refusal(Refusal reason) {
 *         return "421 4.3.2 " + reason + "\r\n";
 *     }
 * }
 * }</pre>
 * Handlers {@code initialize} adds must not rely on {@code channelActive} (they are added after it): {@code
 * initialize} is the start signal. After {@code initialize} returns, a last handler named {@value #EXCEPTION_HANDLER}
 * is appended that logs (debug) and closes on any exception no protocol handler dealt with; handlers added later
 * belong before it ({@code pipeline.addBefore(NettyServer.EXCEPTION_HANDLER, ...)}). A protocol handler reacts to
 * {@link ShutdownEvent} in {@code userEventTriggered} by ending the connection when it is between transactions.
 */
public final class NettyServer implements AutoCloseable {

    /** Name of the last handler of every served connection's pipeline. */
    public static final String EXCEPTION_HANDLER = dev.mailcore.netty.internal.ExceptionTail.NAME;

    private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);

    /** How long the forced close of the remaining connections and the event loop shutdown may take. */
    private static final long FORCE_CLOSE_MILLIS = 2_000;

    private final Duration shutdownGrace;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ChannelGroup children;
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final SessionIds sessionIds = new SessionIds();
    private final Object lock = new Object();
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closing;
    private boolean closed;

    /**
     * @param ioThreads     event loop threads; 0 picks the number of cores
     * @param shutdownGrace how long {@link #close()} lets connections finish their transactions
     */
    public NettyServer(int ioThreads, Duration shutdownGrace) {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must not be negative: " + ioThreads);
        }
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative: " + shutdownGrace);
        }
        this.shutdownGrace = shutdownGrace;
        int threads = ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads;
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mailcore-accept"),
                NioIoHandler.newFactory());
        this.workerGroup = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("mailcore-io"),
                NioIoHandler.newFactory());
        this.children = new DefaultChannelGroup("mailcore-connections", bossGroup.next());
    }

    /**
     * Binds a listener and starts accepting on it.
     *
     * @param tls the TLS context; required when {@code config.tlsMode()} is not {@link TlsMode#NONE}
     * @throws dev.mailcore.api.MailcoreException when the address cannot be bound
     */
    public BoundListener bind(ListenerConfig config, ServerTls tls, ProtocolSupport protocol) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(protocol, "protocol");
        if (config.tlsMode() != TlsMode.NONE && tls == null) {
            throw new MailcoreException("listener " + config.name() + " uses TLS mode " + config.tlsMode()
                    + " but no TLS context was given");
        }
        InetSocketAddress requested = new InetSocketAddress(config.bindAddress(), config.port());
        if (requested.isUnresolved()) {
            throw new MailcoreException("listener " + config.name() + ": cannot resolve bind address "
                    + config.bindAddress());
        }
        synchronized (lock) {
            if (closing) {
                throw new MailcoreException("server is closed; cannot bind listener " + config.name());
            }
            ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerIp());
            ListenerRuntime runtime = new ListenerRuntime(config, tls, protocol, limiter, children, sessionIds,
                    () -> closing);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(bossGroup, workerGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ConnectionInitializer(runtime));
            ChannelFuture future = bootstrap.bind(requested).awaitUninterruptibly();
            if (!future.isSuccess()) {
                Throwable cause = future.cause();
                throw new MailcoreException("listener " + config.name() + ": cannot bind " + requested + ": "
                        + (cause == null ? "unknown error" : cause.getMessage()), cause);
            }
            Channel serverChannel = future.channel();
            serverChannels.add(serverChannel);
            InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
            LOG.info("listener {} ({}) bound to {}", config.name(), config.tlsMode(), bound);
            return new Listener(config, bound, limiter);
        }
    }

    /** Whether {@link #close()} has begun. */
    public boolean isClosed() {
        return closing;
    }

    /**
     * Stops accepting, fires {@link ShutdownEvent} on every open connection, waits up to the grace period for them to
     * close, closes the rest and stops the event loops. Idempotent.
     *
     * <p>Blocks until done (at most the grace period plus a few seconds), also when another thread began the
     * shutdown. Called on one of this server's own event loop threads, it cannot wait there: the shutdown then runs
     * on a new thread and this method returns at once.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (lock) {
            first = !closed;
            closed = true;
            closing = true;
        }
        if (!first) {
            if (!onOwnEventLoop()) {
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return;
        }
        if (onOwnEventLoop()) {
            Thread thread = new Thread(this::shutdown, "mailcore-shutdown");
            thread.start();
            return;
        }
        shutdown();
    }

    private void shutdown() {
        try {
            stopAll();
        } finally {
            stopped.countDown();
        }
    }

    private void stopAll() {
        for (Channel serverChannel : serverChannels) {
            serverChannel.close().awaitUninterruptibly(FORCE_CLOSE_MILLIS);
        }
        List<Channel> open = new ArrayList<>(children);
        LOG.debug("shutting down: {} open connections, grace {}", open.size(), shutdownGrace);
        for (Channel child : open) {
            child.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        }
        if (!open.isEmpty() && !shutdownGrace.isZero()) {
            children.newCloseFuture().awaitUninterruptibly(shutdownGrace.toMillis());
        }
        List<Channel> remaining = new ArrayList<>(children);
        if (!remaining.isEmpty()) {
            LOG.debug("shutdown grace over: closing {} connections", remaining.size());
            for (Channel child : remaining) {
                ConnectionState state = ConnectionState.of(child);
                if (state != null) {
                    child.eventLoop().execute(() ->
                            state.refuse(child, ProtocolSupport.Refusal.SHUTDOWN, state.admitted()));
                } else {
                    child.close();
                }
            }
            if (!children.newCloseFuture().awaitUninterruptibly(FORCE_CLOSE_MILLIS)) {
                children.close().awaitUninterruptibly(FORCE_CLOSE_MILLIS);
            }
        }
        bossGroup.shutdownGracefully(0, FORCE_CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        workerGroup.shutdownGracefully(0, FORCE_CLOSE_MILLIS, TimeUnit.MILLISECONDS);
        bossGroup.terminationFuture().awaitUninterruptibly(FORCE_CLOSE_MILLIS * 2);
        workerGroup.terminationFuture().awaitUninterruptibly(FORCE_CLOSE_MILLIS * 2);
        LOG.debug("server stopped");
    }

    private boolean onOwnEventLoop() {
        for (EventExecutor executor : workerGroup) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        for (EventExecutor executor : bossGroup) {
            if (executor.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private static final class Listener implements BoundListener {
        private final ListenerConfig config;
        private final InetSocketAddress address;
        private final ConnectionLimiter limiter;

        Listener(ListenerConfig config, InetSocketAddress address, ConnectionLimiter limiter) {
            this.config = config;
            this.address = address;
            this.limiter = limiter;
        }

        @Override
        public ListenerConfig config() {
            return config;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public int openConnections() {
            return limiter.open();
        }

        @Override
        public String toString() {
            return "listener " + config.name() + " on " + address;
        }
    }
}
