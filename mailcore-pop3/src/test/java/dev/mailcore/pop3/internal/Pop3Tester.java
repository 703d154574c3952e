package dev.mailcore.pop3.internal;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.pop3.Pop3Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link Pop3Protocol} over an {@link EmbeddedChannel} with the real decoder: {@code
 * pop3.send("STAT").expect("+OK 2 ")}. With a {@link ManualExecutor} the store calls run when the tester settles.
 */
final class Pop3Tester {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 110);

    final EmbeddedChannel channel;
    private final ManualExecutor executor;
    /** Everything received, one char per octet (ISO-8859-1). */
    private final StringBuilder received = new StringBuilder();
    int flushes;
    /** The most octets written but not yet flushed out at any time. */
    long maxPendingBytes;

    Pop3Tester(Pop3Protocol protocol, TlsMode mode, ServerTls tls, InetSocketAddress remote,
               ManualExecutor executor) {
        this.executor = executor;
        channel = new EmbeddedChannel();
        channel.pipeline().addFirst("flush-counter", new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes++;
                ctx.flush();
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
                ctx.write(msg, promise);
                maxPendingBytes = Math.max(maxPendingBytes,
                        ctx.channel().unsafe().outboundBuffer().totalPendingWriteBytes());
            }
        });
        ConnectionContext context = new ConnectionContext(ListenerConfig.defaults("pop3", mode), tls, remote, LOCAL,
                "P1");
        protocol.initialize(channel, context);
        settle();
    }

    static Pop3Tester connect(Pop3Protocol protocol) {
        return new Pop3Tester(protocol, TlsMode.NONE, null, LOOPBACK, null);
    }

    static Pop3Tester connect(Pop3Protocol protocol, InetSocketAddress remote) {
        return new Pop3Tester(protocol, TlsMode.NONE, null, remote, null);
    }

    /** Runs event-loop tasks and executor tasks until nothing is left. */
    Pop3Tester settle() {
        while (true) {
            channel.runPendingTasks();
            if (executor == null || executor.runAll() == 0) {
                channel.runPendingTasks();
                return this;
            }
        }
    }

    Pop3Tester send(String line) {
        return sendRaw(line + "\r\n");
    }

    Pop3Tester sendRaw(String text) {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    Pop3Tester sendBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        return settle();
    }

    /** Sends without running executor tasks (they stay queued). */
    Pop3Tester sendUnsettled(String text) {
        channel.writeInbound(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
        channel.runPendingTasks();
        return this;
    }

    /** The next line (without CRLF) as octets in ISO-8859-1; fails when there is none. */
    String readLine() {
        drain();
        int end = received.indexOf("\r\n");
        if (end < 0) {
            throw new AssertionError("no complete line; received so far: " + received);
        }
        String line = received.substring(0, end);
        received.delete(0, end + 2);
        return line;
    }

    Pop3Tester expect(String prefix) {
        assertThat(readLine()).startsWith(prefix);
        return this;
    }

    Pop3Tester expectLine(String line) {
        assertThat(readLine()).isEqualTo(line);
        return this;
    }

    /** Reads a multi-line response after its first line: the lines up to the final ".", still dot-stuffed. */
    List<String> readBody() {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.equals(".")) {
                return lines;
            }
            lines.add(line);
        }
    }

    /** Reads a multi-line response after its first line, as octets up to and excluding the terminating ".CRLF". */
    String readRawBody() {
        drain();
        int end = received.indexOf("\r\n.\r\n");
        if (received.indexOf(".\r\n") == 0) {
            received.delete(0, 3);
            return "";
        }
        if (end < 0) {
            throw new AssertionError("no complete multi-line response; received: " + received);
        }
        String body = received.substring(0, end + 2);
        received.delete(0, end + 5);
        return body;
    }

    Pop3Tester expectNothing() {
        drain();
        assertThat(received.toString()).isEmpty();
        return this;
    }

    Pop3Tester expectClosed() {
        settle();
        assertThat(channel.isOpen()).as("channel open").isFalse();
        return this;
    }

    Pop3Tester expectOpen() {
        assertThat(channel.isOpen()).as("channel open").isTrue();
        return this;
    }

    /** Reads the greeting and logs in with USER/PASS. */
    Pop3Tester login(String user, String password) {
        expect("+OK mailcore ready.");
        send("USER " + user).expect("+OK");
        return send("PASS " + password).expectLine("+OK Logged in.");
    }

    /** Logs in with USER/PASS after the greeting was read. */
    Pop3Tester login2(String user, String password) {
        send("USER " + user).expect("+OK");
        return send("PASS " + password).expectLine("+OK Logged in.");
    }

    private void drain() {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            received.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
    }
}
