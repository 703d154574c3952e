package dev.mailcore.imap.internal;

import dev.mailcore.imap.ImapConfig;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsMode;
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
 * Drives an {@link ImapProtocol} over an {@link EmbeddedChannel} with the real decoder: {@code
 * imap.run("a1 LOGIN alice secret")} sends a line and returns every response line up to the tagged one.
 */
final class ImapTester {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress REMOTE = new InetSocketAddress("192.0.2.10", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 143);

    final EmbeddedChannel channel;
    /** Octets received and not consumed yet. */
    private final ByteBuf received = Unpooled.buffer();
    int flushes;

    ImapTester(ImapProtocol protocol, TlsMode tlsMode, ServerTls tls, InetSocketAddress remote) {
        channel = new EmbeddedChannel();
        channel.pipeline().addFirst("flush-counter", new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes++;
                ctx.flush();
            }
        });
        ConnectionContext context = new ConnectionContext(ListenerConfig.defaults("imap", tlsMode), tls, remote,
                LOCAL, "I1");
        protocol.initialize(channel, context);
        settle();
    }

    static ImapTester connect(ImapProtocol protocol) {
        return new ImapTester(protocol, TlsMode.NONE, null, LOOPBACK);
    }

    static ImapTester connect(ImapConfig config) {
        return connect(new ImapProtocol(config));
    }

    /** Runs queued event loop tasks until none is left. */
    void settle() {
        for (int i = 0; i < 1000; i++) {
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
            boolean more = drainOutbound();
            if (!more && !hasPendingTasks()) {
                return;
            }
        }
    }

    private boolean hasPendingTasks() {
        // EmbeddedChannel has no public "pending tasks" query; runPendingTasks above ran what was queued
        return false;
    }

    private boolean drainOutbound() {
        boolean any = false;
        Object o;
        while ((o = channel.readOutbound()) != null) {
            any = true;
            if (o instanceof ByteBuf) {
                ByteBuf b = (ByteBuf) o;
                received.writeBytes(b);
                b.release();
            }
        }
        return any;
    }

    /** Sends raw text (no CRLF added). */
    ImapTester sendRaw(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        settle();
        return this;
    }

    /** Sends raw octets. */
    ImapTester sendBytes(byte[] data) {
        channel.writeInbound(Unpooled.wrappedBuffer(data));
        settle();
        return this;
    }

    /** Sends one line (CRLF added). */
    ImapTester send(String line) {
        return sendRaw(line + "\r\n");
    }

    /** Sends a command line and returns every line up to and including the tagged response. */
    List<String> run(String line) {
        send(line);
        String tag = line.substring(0, line.indexOf(' '));
        return until(tag + " ");
    }

    /** The lines received so far up to and including the first one starting with {@code prefix}; fails without. */
    List<String> until(String prefix) {
        settle();
        List<String> out = new ArrayList<>();
        while (true) {
            String line = nextLine();
            if (line == null) {
                throw new AssertionError("no line starting with \"" + prefix + "\"; got " + out + " and then nothing");
            }
            out.add(line);
            if (line.startsWith(prefix)) {
                return out;
            }
        }
    }

    /** The next complete line received (without CRLF), or null. */
    String nextLine() {
        settle();
        int end = lineEnd(received.readerIndex());
        if (end < 0) {
            return null;
        }
        String line = received.toString(received.readerIndex(), end - received.readerIndex(), StandardCharsets.UTF_8);
        received.readerIndex(end + 2);
        received.discardReadBytes();
        return line;
    }

    /**
     * The octets received up to and including the first line starting with {@code prefix} (literal contents are not
     * told apart from lines: choose a prefix they cannot hold); fails without such a line.
     */
    byte[] untilBytes(String prefix) {
        settle();
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        int start = received.readerIndex();
        while (true) {
            int end = lineEnd(start);
            if (end < 0) {
                throw new AssertionError("no line starting with \"" + prefix + "\"; got " + pending());
            }
            if (end - start >= p.length && startsWith(start, p)) {
                byte[] out = new byte[end + 2 - received.readerIndex()];
                received.readBytes(out);
                received.discardReadBytes();
                return out;
            }
            start = end + 2;
        }
    }

    private boolean startsWith(int at, byte[] p) {
        for (int i = 0; i < p.length; i++) {
            if (received.getByte(at + i) != p[i]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the next CRLF at or after {@code from}, or -1. */
    private int lineEnd(int from) {
        for (int i = from; i + 1 < received.writerIndex(); i++) {
            if (received.getByte(i) == '\r' && received.getByte(i + 1) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Everything received and not yet consumed. */
    String pending() {
        settle();
        return received.toString(StandardCharsets.UTF_8);
    }

    /** Expects the next line to start with {@code prefix}. */
    ImapTester expect(String prefix) {
        String line = nextLine();
        assertThat(line).as("next line").isNotNull().startsWith(prefix);
        return this;
    }

    /** Asserts nothing more was received. */
    void expectNothing() {
        assertThat(pending()).isEmpty();
    }

    ImapTester login() {
        List<String> lines = run("L1 LOGIN alice secret");
        assertThat(lines.get(lines.size() - 1)).startsWith("L1 OK");
        return this;
    }
}
