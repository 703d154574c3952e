package dev.mailcore.imap;

import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.imap.internal.CountingStore;
import dev.mailcore.netty.ConnectionContext;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.store.MemoryStore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Literals spooled to disk are deleted whatever becomes of their command and its connection. */
class ImapSpoolTest {
    private static final String BIG = "Subject: big\r\n\r\n" + "x".repeat(100_000);

    @TempDir
    Path spool;

    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private boolean reject;
    private EmbeddedChannel channel;
    private final StringBuilder received = new StringBuilder();

    private void connect() {
        ImapConfig config = ImapConfig.builder().store(new CountingStore(MemoryStore.builder().build())) // blocking: store calls use the executor
                .authProvider((u, p) -> p.equals("secret") ? new AuthResult.Success(u) : AuthResult.FAILURE)
                .executor(task -> {
                    if (reject) {
                        throw new RejectedExecutionException("shutting down");
                    }
                    held.add(task);
                }).build();
        channel = new EmbeddedChannel();
        new ImapProtocol(config, spool).initialize(channel, new ConnectionContext(
                ListenerConfig.defaults("imap", TlsMode.NONE), null, new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 143), "S1"));
        send("a1 LOGIN alice secret\r\n");
        assertThat(received()).contains("a1 OK");
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        settle();
    }

    private void settle() {
        do {
            while (!held.isEmpty()) {
                held.poll().run();
            }
            channel.runPendingTasks();
        } while (!held.isEmpty());
    }

    private String received() {
        settle();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            received.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return received.toString();
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        }
    }

    @Test
    void anAppendedLiteralIsDeletedOnceStored() throws Exception {
        connect();
        send("a2 APPEND INBOX {" + BIG.length() + "+}\r\n" + BIG + "\r\n");
        assertThat(received()).contains("a2 OK [APPENDUID");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void anAppendedLiteralIsDeletedWhenTheClientLeavesBeforeItIsStored() throws Exception {
        connect();
        channel.writeInbound(Unpooled.copiedBuffer("a2 APPEND INBOX {" + BIG.length() + "+}\r\n" + BIG + "\r\n",
                StandardCharsets.UTF_8));
        assertThat(held).hasSize(1);
        assertThat(spooled()).hasSize(1);
        channel.close();
        settle();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void anAppendedLiteralIsDeletedWhenTheExecutorRefusesTheStoreCall() throws Exception {
        connect();
        reject = true;
        send("a2 APPEND INBOX {" + BIG.length() + "+}\r\n" + BIG + "\r\n");
        assertThat(received()).contains("a2 NO ");
        assertThat(spooled()).isEmpty();
    }

    @Test
    void anAppendedLiteralIsDeletedWhenTheExecutorRefusesTheStoreCallOfAClientThatLeft() throws Exception {
        connect();
        reject = true;
        channel.writeInbound(Unpooled.copiedBuffer("a2 APPEND INBOX {" + BIG.length() + "+}\r\n" + BIG + "\r\n",
                StandardCharsets.UTF_8));
        channel.close(); // before the refusal reaches the session
        settle();
        assertThat(spooled()).isEmpty();
    }
}
