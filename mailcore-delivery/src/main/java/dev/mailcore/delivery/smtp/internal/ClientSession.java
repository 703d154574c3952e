package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.SmtpReply;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One SMTP client connection. All I/O happens on the channel's event loop; the delivering thread drives the dialogue
 * through futures: each command registers the reply it expects (in order, so PIPELINING needs nothing special) and
 * waits for it with a timeout. Used by one delivering thread at a time.
 */
public final class ClientSession extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final Deque<CompletableFuture<RemoteReply>> waiting = new ArrayDeque<>();
    private final Object writability = new Object();
    private final String peer;
    private final String hostname;
    private final CompletableFuture<RemoteReply> greeting;
    private volatile Channel channel;
    private volatile Throwable closedBecause;
    private Capabilities capabilities = Capabilities.NONE;
    private boolean tls;
    private boolean lmtp;
    private volatile boolean reusable = true;
    private int transactions;
    private long idleSince;

    private ClientSession(String hostname, String peer) {
        this.hostname = hostname;
        this.peer = peer;
        this.greeting = expect();
    }

    /**
     * Opens a TCP connection and returns once it is established (the greeting is then awaited with {@link
     * #greeting()}).
     *
     * @param hostname the server's name (for logs, outcomes and certificate checks)
     */
    public static ClientSession connect(Bootstrap base, InetSocketAddress address, String hostname,
                                        Duration timeout) throws SessionException {
        String peer = hostname + "[" + address.getAddress().getHostAddress() + "]";
        ClientSession session = new ClientSession(hostname, peer);
        Bootstrap b = base.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("smtp-reply", new ReplyDecoder());
                ch.pipeline().addLast("smtp-client", session);
            }
        });
        ChannelFuture f = b.connect(address);
        boolean done;
        try {
            done = f.await(timeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new SessionException(SmtpReply.of(451, "4.4.1", "interrupted while connecting to " + peer),
                    false, e);
        }
        if (!done || !f.isSuccess()) {
            f.channel().close();
            Throwable cause = f.cause();
            String why = !done || cause instanceof io.netty.channel.ConnectTimeoutException ? "Connection timed out"
                    : cause == null ? "connection failed" : message(cause);
            throw new SessionException(SmtpReply.of(451, "4.4.1", "connect to " + peer + ":" + address.getPort()
                    + ": " + why), true, cause);
        }
        session.channel = f.channel();
        return session;
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        int colon = m.lastIndexOf(": ");
        return colon > 0 && m.startsWith("Connection refused") ? "Connection refused" : m;
    }

    /** {@code mx.example[192.0.2.1]}. */
    public String peer() {
        return peer;
    }

    public String hostname() {
        return hostname;
    }

    public CompletableFuture<RemoteReply> greeting() {
        return greeting;
    }

    public Capabilities capabilities() {
        return capabilities;
    }

    public void capabilities(Capabilities caps) {
        this.capabilities = caps;
    }

    public boolean isTls() {
        return tls;
    }

    /** Whether this is an LMTP session (one reply per recipient after the message). */
    public boolean isLmtp() {
        return lmtp;
    }

    public void lmtp(boolean value) {
        this.lmtp = value;
    }

    public int transactions() {
        return transactions;
    }

    public void transactionDone() {
        transactions++;
    }

    public long idleSince() {
        return idleSince;
    }

    public void idleSince(long nanos) {
        this.idleSince = nanos;
    }

    /** Whether the connection is open and in a state where another transaction can start. */
    public boolean isUsable() {
        Channel ch = channel;
        return reusable && ch != null && ch.isActive() && closedBecause == null;
    }

    /** Marks the session as not to be reused (after an error in the middle of a transaction). */
    public void markBroken() {
        reusable = false;
    }

    public Channel channel() {
        return channel;
    }

    /** Registers the next expected reply. */
    public CompletableFuture<RemoteReply> expect() {
        CompletableFuture<RemoteReply> f = new CompletableFuture<>();
        synchronized (waiting) {
            Throwable closed = closedBecause;
            if (closed != null) {
                f.completeExceptionally(closed);
            } else {
                waiting.add(f);
            }
        }
        return f;
    }

    /** Sends one command line (without CRLF) and returns its reply future. */
    public CompletableFuture<RemoteReply> command(String line) {
        CompletableFuture<RemoteReply> f = expect();
        writeLine(line, true);
        return f;
    }

    /** Sends several commands in one flush (PIPELINING) and returns their reply futures in order. */
    public List<CompletableFuture<RemoteReply>> pipeline(List<String> lines) {
        List<CompletableFuture<RemoteReply>> futures = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            futures.add(expect());
            writeLine(lines.get(i), i == lines.size() - 1);
        }
        return futures;
    }

    private void writeLine(String line, boolean flush) {
        Channel ch = channel;
        ByteBuf buf = ByteBufUtil.writeUtf8(ch.alloc(), line + "\r\n");
        LOG.trace("{} > {}", peer, line);
        if (flush) {
            ch.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        } else {
            ch.write(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }

    /**
     * Sends a command line followed by content (BDAT) in one flush. Takes ownership of {@code content}.
     *
     * @return the future of the reply to the command
     */
    public CompletableFuture<RemoteReply> commandWithContent(String line, ByteBuf content) {
        return commandWithContent(line, content, 1).get(0);
    }

    /**
     * Sends a command line followed by content, expecting {@code replies} replies to it (LMTP: one per recipient
     * after the last chunk or the final dot). Takes ownership of {@code content}.
     */
    public List<CompletableFuture<RemoteReply>> commandWithContent(String line, ByteBuf content, int replies) {
        List<CompletableFuture<RemoteReply>> futures = new ArrayList<>(replies);
        for (int i = 0; i < replies; i++) {
            futures.add(expect());
        }
        if (line != null) {
            writeLine(line, false);
        }
        writeContent(content);
        return futures;
    }

    /** Writes raw bytes (message content) and flushes them. Takes ownership of {@code buf}. */
    public void writeContent(ByteBuf buf) {
        channel.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /**
     * Waits until the channel accepts more data (its outbound buffer fell under the low water mark).
     *
     * @throws SessionException when the connection closed or {@code timeout} passed
     */
    public void awaitWritable(Duration timeout, String what) throws SessionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (writability) {
            while (true) {
                Channel ch = channel;
                if (!ch.isActive() || closedBecause != null) {
                    throw lost(what, closedBecause);
                }
                if (ch.isWritable()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    close();
                    throw new SessionException(SmtpReply.of(451, "4.4.2", "conversation with " + peer
                            + " timed out while " + what));
                }
                try {
                    writability.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw lost(what, e);
                }
            }
        }
    }

    /**
     * Waits for a reply.
     *
     * @param what what was going on, for the error text ({@code "sending RCPT TO"})
     * @throws SessionException on timeout (the connection is then closed) or a lost connection
     */
    public RemoteReply await(CompletableFuture<RemoteReply> reply, Duration timeout, String what)
            throws SessionException {
        try {
            RemoteReply r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.trace("{} < {}", peer, r);
            if (r.code() == 421) {
                reusable = false;
            }
            return r;
        } catch (TimeoutException e) {
            close();
            throw new SessionException(SmtpReply.of(451, "4.4.2", "conversation with " + peer + " timed out while "
                    + what), true, e);
        } catch (ExecutionException e) {
            close();
            throw lost(what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw lost(what, e);
        }
    }

    private SessionException lost(String what, Throwable cause) {
        reusable = false;
        String detail = cause instanceof io.netty.handler.codec.DecoderException
                ? ": protocol error: " + cause.getMessage() : "";
        return new SessionException(SmtpReply.of(451, "4.4.2", "lost connection with " + peer + " while " + what
                + detail), true, cause);
    }

    /**
     * Upgrades to TLS after a {@code 220} reply to STARTTLS and waits for the handshake.
     *
     * @throws SessionException when the handshake fails or times out (the connection is then closed)
     */
    public void startTls(SslContext context, Duration timeout) throws SessionException {
        Channel ch = channel;
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        SslHandler handler = context.newHandler(ch.alloc(), hostname, remote.getPort());
        handler.setHandshakeTimeoutMillis(timeout.toMillis());
        ch.pipeline().addFirst("ssl", handler);
        // The handshake ends in success, failure, or the connection closing (also before the handler could start,
        // when the server hung up right after its 220).
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        Future<Channel> hs = handler.handshakeFuture();
        hs.addListener(f -> {
            if (f.isSuccess()) {
                outcome.complete(null);
            } else {
                outcome.completeExceptionally(f.cause());
            }
        });
        ch.closeFuture().addListener(f -> outcome.completeExceptionally(
                new IOException("connection closed during the TLS handshake")));
        Throwable cause = null;
        boolean ok = false;
        try {
            outcome.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            ok = true;
        } catch (ExecutionException e) {
            cause = e.getCause();
        } catch (TimeoutException e) {
            cause = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cause = e;
        }
        if (!ok) {
            close();
            String why = cause == null ? "timed out" : rootMessage(cause);
            throw new SessionException(SmtpReply.of(454, "4.7.5", "TLS handshake with " + peer + " failed: " + why),
                    true, cause);
        }
        tls = true;
        capabilities = Capabilities.NONE;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** The negotiated TLS protocol, or {@code null}. */
    public String tlsProtocol() {
        SslHandler h = channel.pipeline().get(SslHandler.class);
        return h == null ? null : h.engine().getSession().getProtocol();
    }

    /** Sends QUIT and closes once it is answered (or after a short while). Does not wait. */
    public void quit() {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        reusable = false;
        CompletableFuture<RemoteReply> f = command("QUIT");
        f.whenComplete((r, e) -> ch.close());
        try {
            ch.eventLoop().schedule(() -> {
                ch.close();
            }, 2, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            ch.close();
        }
    }

    /** Closes the connection at once. */
    public void close() {
        reusable = false;
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
    }

    // ---- event loop side ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RemoteReply)) {
            ctx.fireChannelRead(msg);
            return;
        }
        RemoteReply reply = (RemoteReply) msg;
        CompletableFuture<RemoteReply> f;
        synchronized (waiting) {
            f = waiting.poll();
        }
        if (f == null) {
            LOG.debug("{}: unexpected reply {}", peer, reply);
            reusable = false;
            if (reply.code() == 421) {
                ctx.close();
            }
            return;
        }
        f.complete(reply);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        synchronized (writability) {
            writability.notifyAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failAll(new IOException("connection closed by " + peer));
        synchronized (writability) {
            writability.notifyAll();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: {}", peer, cause.toString());
        failAll(cause);
        ctx.close();
    }

    private void failAll(Throwable cause) {
        List<CompletableFuture<RemoteReply>> pending;
        synchronized (waiting) {
            if (closedBecause == null) {
                closedBecause = cause;
            }
            pending = new ArrayList<>(waiting);
            waiting.clear();
        }
        reusable = false;
        for (CompletableFuture<RemoteReply> f : pending) {
            f.completeExceptionally(cause);
        }
    }
}
