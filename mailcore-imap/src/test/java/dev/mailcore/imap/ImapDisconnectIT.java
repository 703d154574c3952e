package dev.mailcore.imap;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.imap.internal.CountingStore;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Clients that vanish in every state leave no store subscription behind, and the server keeps serving. */
class ImapDisconnectIT {
    static CountingStore store;
    static ExecutorService executor;
    static NettyServer server;
    static BoundListener listener;

    @BeforeAll
    static void start() {
        MemoryStore memory = new MemoryStore();
        memory.append(MailboxRef.inbox("alice"), MessageSource.of("Subject: x\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.now());
        store = new CountingStore(memory);
        executor = Executors.newCachedThreadPool();
        ImapProtocol imap = new ImapProtocol(ImapConfig.builder().store(store)
                .authProvider((u, p) -> p.equals("secret") ? new AuthResult.Success(u) : AuthResult.FAILURE)
                .executor(executor).build());
        server = new NettyServer(1, Duration.ofSeconds(1));
        listener = server.bind(ListenerConfig.defaults("imap", TlsMode.NONE), null, imap);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"greeted", "authenticating", "authenticated", "selected", "idling", "mid-literal",
            "fetching", "logout"})
    void leavesNoSubscriptionWhenTheClientVanishes(String state) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK ");
            if (state.equals("authenticating")) {
                send(out, "a1 AUTHENTICATE PLAIN");
                assertThat(in.readLine()).startsWith("+");
            }
            if (!state.equals("greeted") && !state.equals("authenticating")) {
                send(out, "a1 LOGIN alice secret");
                assertThat(in.readLine()).startsWith("a1 OK");
            }
            if (state.equals("selected") || state.equals("idling") || state.equals("fetching")
                    || state.equals("logout")) {
                send(out, "a2 SELECT INBOX");
                String line;
                while (!(line = in.readLine()).startsWith("a2 ")) {
                    assertThat(line).startsWith("* ");
                }
                assertThat(line).startsWith("a2 OK");
                assertThat(store.open()).isEqualTo(1);
            }
            if (state.equals("idling")) {
                send(out, "a3 IDLE");
                assertThat(in.readLine()).isEqualTo("+ idling");
            }
            if (state.equals("mid-literal")) {
                send(out, "a3 APPEND INBOX {100}");
                assertThat(in.readLine()).startsWith("+");
                out.write("Subject: half".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (state.equals("fetching")) {
                StringBuilder many = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    many.append("f").append(i).append(" FETCH 1 (BODY.PEEK[])\r\n");
                }
                out.write(many.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (state.equals("logout")) {
                send(out, "a9 LOGOUT");
                assertThat(in.readLine()).startsWith("* BYE");
                assertThat(in.readLine()).startsWith("a9 OK");
                assertThat(in.readLine()).isNull();
            }
        }
        assertThat(store.awaitOpen(0, Duration.ofSeconds(10))).isTrue();
        // the server still answers
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("* OK ");
            send(socket.getOutputStream(), "z1 LOGOUT");
            assertThat(in.readLine()).startsWith("* BYE");
        }
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
