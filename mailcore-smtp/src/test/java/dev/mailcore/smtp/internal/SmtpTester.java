package dev.mailcore.smtp.internal;

import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpProtocol;
import dev.mailcore.smtp.SmtpRole;
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
 * Drives an {@link SmtpProtocol} over an {@link EmbeddedChannel} with the real decoder: {@code
 * smtp.send("MAIL FROM:<a@example.org>").expect("250 2.1.0 ")}.
 */
final class SmtpTester {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 25);

    final EmbeddedChannel channel;
    private final StringBuilder received = new StringBuilder();
    int flushes;

    private SmtpTester(SmtpConfig config, SmtpRole role, TlsMode tlsMode, ServerTls tls, InetSocketAddress remote) {
        channel = new EmbeddedChannel();
        channel.pipeline().addFirst("flush-counter", new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes++;
                ctx.flush();
            }
        });
        ConnectionContext context = new ConnectionContext(ListenerConfig.defaults("smtp", tlsMode), tls, remote,
                LOCAL, "S1");
        new SmtpProtocol(config, role).initialize(channel, context);
        channel.runPendingTasks();
    }

    static SmtpTester connect(SmtpConfig config) {
        return new SmtpTester(config, SmtpRole.MX, TlsMode.NONE, null, REMOTE);
    }

    static SmtpTester connect(SmtpConfig config, SmtpRole role, TlsMode tlsMode, InetSocketAddress remote) {
        return new SmtpTester(config, role, tlsMode, null, remote);
    }

    /** A STARTTLS listener with this TLS context. */
    static SmtpTester connectStartTls(SmtpConfig config, ServerTls tls) {
        return new SmtpTester(config, SmtpRole.MX, TlsMode.STARTTLS, tls, REMOTE);
    }

    /** Sends one command line (CRLF appended). */
    SmtpTester send(String line) {
        return sendRaw(line + "\r\n");
    }

    /** Sends bytes as they are. */
    SmtpTester sendRaw(String text) {
        return sendBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    SmtpTester sendBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        channel.runPendingTasks();
        return this;
    }

    /** Asserts the next reply's last line starts with {@code prefix}. */
    SmtpTester expect(String prefix) {
        List<String> reply = nextReply();
        assertThat(reply.get(reply.size() - 1)).startsWith(prefix);
        return this;
    }

    /** The next complete reply's lines (without CRLF); fails when there is none. */
    List<String> nextReply() {
        drain();
        List<String> lines = new ArrayList<>();
        while (true) {
            int end = received.indexOf("\r\n");
            if (end < 0) {
                throw new AssertionError("no complete reply; lines so far " + lines + ", rest: " + received);
            }
            String line = received.substring(0, end);
            received.delete(0, end + 2);
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** Asserts that nothing more was written. */
    SmtpTester expectNothing() {
        drain();
        assertThat(received.toString()).isEmpty();
        return this;
    }

    SmtpTester expectClosed() {
        channel.runPendingTasks();
        assertThat(channel.isOpen()).as("channel open").isFalse();
        return this;
    }

    SmtpTester expectOpen() {
        assertThat(channel.isOpen()).as("channel open").isTrue();
        return this;
    }

    /** EHLO and the full capability list. */
    List<String> ehlo(String name) {
        send("EHLO " + name);
        List<String> lines = nextReply();
        assertThat(lines.get(0)).startsWith("250");
        return lines;
    }

    private void drain() {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ByteBuf buf = (ByteBuf) out;
            received.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
    }
}
