package dev.mailcore.imap;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.AppendResult;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that vanish in every state leave nothing behind: no store subscription, no spooled literal, no store call
 * still running or blocked, no thread busy in our code; and the server keeps serving.
 */
class ImapDisconnectIT {
    /** Messages in the mailbox "Big", of {@link #BIG_SIZE} octets each: far more than socket buffers hold. */
    static final int BIG_MESSAGES = 48;
    static final int BIG_SIZE = 1 << 20;

    @TempDir
    static Path spool;
    static CountingStore store;
    static TrackingExecutor executor;
    static NettyServer server;
    static BoundListener listener;

    @BeforeAll
    static void start() {
        MemoryStore memory = new MemoryStore();
        memory.append(MailboxRef.inbox("alice"), MessageSource.of("Subject: x\r\n\r\nbody\r\n"
                .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.now());
        MailboxRef big = new MailboxRef("alice", "Big");
        memory.createMailbox(big);
        byte[] content = new byte[BIG_SIZE];
        Arrays.fill(content, (byte) 'x');
        byte[] header = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, content, 0, header.length);
        for (int i = 0; i < BIG_MESSAGES; i++) {
            memory.append(big, MessageSource.of(content), Flags.NONE, Instant.now());
        }
        store = new CountingStore(memory);
        executor = new TrackingExecutor();
        ImapProtocol imap = new ImapProtocol(ImapConfig.builder().store(store)
                .authProvider((u, p) -> p.equals("secret") ? new AuthResult.Success(u) : AuthResult.FAILURE)
                .executor(executor).build(), spool);
        server = new NettyServer(1, Duration.ofSeconds(1));
        listener = server.bind(ListenerConfig.defaults("imap", TlsMode.NONE), null, imap);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.pool.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"greeted", "authenticating", "authenticated", "selected", "idling", "mid-literal",
            "mid-spooled-literal", "after-spooled-literal", "fetching", "fetching-large", "logout"})
    void leavesNothingBehindWhenTheClientVanishes(String state) throws Exception {
        int readsBefore = store.contentReads();
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            socket.setReceiveBufferSize(16 * 1024);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
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
            if (state.equals("selected") || state.equals("idling") || state.startsWith("fetching")
                    || state.equals("logout")) {
                send(out, "a2 SELECT " + (state.equals("fetching-large") ? "Big" : "INBOX"));
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
            if (state.equals("mid-spooled-literal")) {
                send(out, "a3 APPEND INBOX {1000000}");
                assertThat(in.readLine()).startsWith("+");
                out.write(("Subject: half\r\n\r\n" + "y".repeat(200_000)).getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(spooled()).as("a literal this large is spooled").hasSize(1);
            }
            if (state.equals("after-spooled-literal")) {
                // the whole literal arrives, and the client leaves while the store call may still run
                String message = "Subject: whole\r\n\r\n";
                message += "z".repeat(200_000 - message.length());
                out.write(("a3 APPEND INBOX {200000+}\r\n" + message + "\r\n").getBytes(StandardCharsets.UTF_8));
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
            if (state.equals("fetching-large")) {
                send(out, "f1 FETCH 1:* (BODY.PEEK[])");
                assertThat(in.readLine()).isEqualTo("* 1 FETCH (BODY[] {" + BIG_SIZE + "}");
            }
            if (state.equals("logout")) {
                send(out, "a9 LOGOUT");
                assertThat(in.readLine()).startsWith("* BYE");
                assertThat(in.readLine()).startsWith("a9 OK");
                assertThat(in.readLine()).isNull();
            }
        }
        executor.await(Duration.ofSeconds(10), () -> listener.openConnections() == 0 && store.open() == 0
                && executor.running() == 0 && busyThreads().isEmpty() && spooled().isEmpty());
        assertThat(listener.openConnections()).as("connections").isZero();
        assertThat(store.open()).as("store subscriptions left").isZero();
        assertThat(executor.running()).as("store calls left running").isZero();
        assertThat(busyThreads()).as("threads in the server's code").isEmpty();
        assertThat(spooled()).as("spooled literals left").isEmpty();
        if (state.equals("fetching-large")) {
            assertThat(store.contentReads() - readsBefore).as("messages read for a client that left")
                    .isLessThan(BIG_MESSAGES);
        }
        // no lock left held: the store answers another caller at once
        CompletableFuture.runAsync(() -> {
            MailboxRef inbox = MailboxRef.inbox("alice");
            AppendResult r = store.append(inbox, MessageSource.of("Subject: y\r\n\r\ny\r\n"
                    .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.now());
            store.expunge(inbox, List.of(r.uid()));
        }).get(10, TimeUnit.SECONDS);
        // the server still answers, with the same mailbox
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("* OK ");
            send(out, "z1 LOGIN alice secret");
            assertThat(in.readLine()).startsWith("z1 OK");
            send(out, "z2 SELECT INBOX");
            String line;
            while (!(line = in.readLine()).startsWith("z2 ")) {
                assertThat(line).startsWith("* ");
            }
            assertThat(line).startsWith("z2 OK");
            send(out, "z3 LOGOUT");
            assertThat(in.readLine()).startsWith("* BYE");
        }
    }

    private static List<Path> spooled() {
        try (Stream<Path> files = Files.list(spool)) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Threads other than this one with a frame of the IMAP server's code on their stack, and what they run. */
    static List<String> busyThreads() {
        List<String> busy = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            if (e.getKey() == Thread.currentThread()) {
                continue;
            }
            for (StackTraceElement frame : e.getValue()) {
                if (frame.getClassName().startsWith("dev.mailcore.imap.")
                        && !frame.getClassName().startsWith(ImapDisconnectIT.class.getName())) {
                    busy.add(e.getKey().getName() + " " + e.getKey().getState() + " at " + frame);
                    break;
                }
            }
        }
        return busy;
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** The sessions' executor: counts the tasks it runs, so that a test can wait until none is left. */
    static final class TrackingExecutor implements Executor {
        final ExecutorService pool = Executors.newCachedThreadPool();
        private final AtomicInteger running = new AtomicInteger();

        @Override
        public void execute(Runnable task) {
            running.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        finished();
                    }
                });
            } catch (RuntimeException e) {
                finished();
                throw e;
            }
        }

        private synchronized void finished() {
            running.decrementAndGet();
            notifyAll();
        }

        int running() {
            return running.get();
        }

        /**
         * Waits until {@code condition} holds, testing it again whenever a task ends and at least every 20 ms; false
         * on timeout.
         */
        synchronized boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, Math.min(20, left / 1_000_000)));
            }
            return true;
        }
    }
}
