package dev.mailcore.pop3;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.pop3.internal.TestUsers;
import dev.mailcore.store.MemoryStore;
import dev.mailcore.store.maildir.MaildirStore;
import jakarta.mail.Flags.Flag;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Angus Mail's POP3 client against the server over plain text, STLS and implicit TLS. */
class Pop3ClientIT {
    private static final ServerTls TLS = ServerTls.create(TlsConfig.selfSigned());
    private static final String USER = "alice";
    private static final String PASSWORD = "secret";
    private static final String MSG1 = "From: a@example.org\r\nSubject: one\r\n\r\nHello one\r\n";
    private static final String MSG2 = "From: b@example.org\r\nSubject: two\r\n\r\n.starts with a dot\r\nbye\r\n";

    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private BoundListener plain;
    private BoundListener implicit;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        executor.shutdownNow();
    }

    private void start(Store store) {
        NettyServer server = new NettyServer(1, Duration.ofSeconds(1));
        resources.add(server);
        Pop3Protocol pop3 = new Pop3Protocol(Pop3Config.builder().hostname("localhost").store(store)
                .authProvider(new TestUsers().user(USER, PASSWORD)).executor(executor).build());
        plain = server.bind(ListenerConfig.defaults("pop3", TlsMode.STARTTLS), TLS, pop3);
        implicit = server.bind(ListenerConfig.defaults("pop3s", TlsMode.IMPLICIT), TLS, pop3);
    }

    private static void deliver(Store store, String content) {
        store.append(MailboxRef.inbox(USER), MessageSource.of(content.getBytes(StandardCharsets.UTF_8)), Flags.NONE,
                Instant.now());
    }

    private Properties props(String protocol, int port) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".host", "127.0.0.1");
        p.put("mail." + protocol + ".port", String.valueOf(port));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "10000");
        p.put("mail." + protocol + ".ssl.socketFactory", TLS.clientContext().getSocketFactory());
        p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        return p;
    }

    private jakarta.mail.Store connect(String protocol, Properties p) throws Exception {
        jakarta.mail.Store store = Session.getInstance(p).getStore(protocol);
        store.connect(USER, PASSWORD);
        return store;
    }

    private static String content(Message m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private void downloadAndDelete(String protocol, Properties p, Store store) throws Exception {
        jakarta.mail.Store client = connect(protocol, p);
        Folder inbox = client.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertThat(inbox.getMessageCount()).isEqualTo(2);
        Message[] messages = inbox.getMessages();
        assertThat(((POP3Folder) inbox).getSizes()).containsExactly(MSG1.length(), MSG2.length());
        assertThat(content(messages[0])).isEqualTo(MSG1);
        assertThat(content(messages[1])).isEqualTo(MSG2);
        assertThat(messages[1].getSubject()).isEqualTo("two");
        messages[0].setFlag(Flag.DELETED, true);
        inbox.close(true);
        client.close();

        assertThat(store.messages(MailboxRef.inbox(USER))).hasSize(1);
        jakarta.mail.Store again = connect(protocol, p);
        Folder folder = again.getFolder("INBOX");
        folder.open(Folder.READ_ONLY);
        assertThat(folder.getMessageCount()).isEqualTo(1);
        assertThat(folder.getMessage(1).getSubject()).isEqualTo("two");
        folder.close(false);
        again.close();
    }

    @Test
    void angusMailDownloadsAndDeletesOverPlainTextOnLoopback() throws Exception {
        MemoryStore store = new MemoryStore();
        start(store);
        deliver(store, MSG1);
        deliver(store, MSG2);
        downloadAndDelete("pop3", props("pop3", plain.port()), store);
    }

    @Test
    void angusMailDownloadsAndDeletesAfterStls() throws Exception {
        MemoryStore store = new MemoryStore();
        start(store);
        deliver(store, MSG1);
        deliver(store, MSG2);
        Properties p = props("pop3", plain.port());
        p.put("mail.pop3.starttls.enable", "true");
        p.put("mail.pop3.starttls.required", "true");
        downloadAndDelete("pop3", p, store);
    }

    @Test
    void angusMailDownloadsAndDeletesOverImplicitTls() throws Exception {
        MemoryStore store = new MemoryStore();
        start(store);
        deliver(store, MSG1);
        deliver(store, MSG2);
        downloadAndDelete("pop3s", props("pop3s", implicit.port()), store);
    }

    @Test
    void largeMessageFromADurableStoreArrivesIntact() throws Exception {
        MaildirStore store = MaildirStore.open(dir.resolve("maildir"));
        resources.add(store);
        start(store);
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; sb.length() < 3_000_000; i++) {
            sb.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a large message body\r\n");
        }
        String big = sb.toString();
        deliver(store, big);

        jakarta.mail.Store client = connect("pop3s", props("pop3s", implicit.port()));
        Folder inbox = client.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        Message message = inbox.getMessage(1);
        assertThat(((POP3Folder) inbox).getSizes()).containsExactly(big.length());
        long start = System.nanoTime();
        assertThat(content(message)).isEqualTo(big);
        System.out.println("RETR of " + big.length() + " octets took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        inbox.close(false);
        client.close();
    }

    @Test
    void slowDownloadLastingSeveralIdleTimeoutsIsNotCut() throws Exception {
        MemoryStore store = new MemoryStore();
        NettyServer server = new NettyServer(1, Duration.ofSeconds(1));
        resources.add(server);
        Duration idle = Duration.ofSeconds(1);
        Pop3Protocol pop3 = new Pop3Protocol(Pop3Config.builder().hostname("localhost").store(store)
                .authProvider(new TestUsers().user(USER, PASSWORD)).executor(executor).idleTimeout(idle).build());
        // small kernel buffers on both ends, so that the client's pace reaches the server (with auto-tuned
        // megabytes of buffer, writes would stall for long stretches and then complete all at once)
        dev.mailcore.netty.ProtocolSupport smallBuffers = new dev.mailcore.netty.ProtocolSupport() {
            @Override
            public void initialize(io.netty.channel.Channel channel, dev.mailcore.netty.ConnectionContext context) {
                channel.config().setOption(io.netty.channel.ChannelOption.SO_SNDBUF, 64 * 1024);
                pop3.initialize(channel, context);
            }

            @Override
            public String refusal(Refusal reason) {
                return pop3.refusal(reason);
            }
        };
        BoundListener listener = server.bind(new ListenerConfig("pop3", "127.0.0.1", 0, TlsMode.NONE, false, 10, 10,
                idle), null, smallBuffers);
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; sb.length() < 6_000_000; i++) {
            sb.append("line ").append(i).append(" of a message larger than the socket buffers\r\n");
        }
        byte[] big = sb.toString().getBytes(StandardCharsets.US_ASCII);
        store.append(MailboxRef.inbox(USER), MessageSource.of(big), Flags.NONE, Instant.now());

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", listener.port()));
            socket.setSoTimeout(10_000);
            java.io.InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            assertThat(statusLine(in)).startsWith("+OK");
            out.write(("USER " + USER + "\r\nPASS " + PASSWORD + "\r\nRETR 1\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(in)).startsWith("+OK");
            assertThat(statusLine(in)).isEqualTo("+OK Logged in.");
            assertThat(statusLine(in)).isEqualTo("+OK " + big.length + " octets");
            ByteArrayOutputStream body = new ByteArrayOutputStream(big.length + 3);
            byte[] chunk = new byte[256 * 1024];
            long slowUntil = System.nanoTime() + idle.multipliedBy(3).toNanos();
            while (body.size() < big.length + 3) {
                int n = in.read(chunk, 0, Math.min(chunk.length, big.length + 3 - body.size()));
                assertThat(n).as("connection cut after " + body.size() + " octets").isPositive();
                body.write(chunk, 0, n);
                if (System.nanoTime() < slowUntil) {
                    Thread.sleep(100); // pacing: the client reads slowly for three idle timeouts, then catches up
                }
            }
            byte[] received = body.toByteArray();
            assertThat(new String(received, big.length, 3, StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
            assertThat(java.util.Arrays.equals(received, 0, big.length, big, 0, big.length)).isTrue();
            out.write("NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(statusLine(in)).isEqualTo("+OK");
        }
    }

    private static String statusLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) c);
        }
        throw new java.io.EOFException("connection closed after: " + sb);
    }

    @Test
    void uidlsStayTheSameAcrossAServerRestartWithAMaildirStore() throws Exception {
        Path root = dir.resolve("maildir");
        MaildirStore first = MaildirStore.open(root);
        start(first);
        deliver(first, MSG1);
        deliver(first, MSG2);
        List<String> before = uids(plain.port());
        assertThat(before).hasSize(2).doesNotHaveDuplicates();
        for (AutoCloseable r : resources) {
            r.close();
        }
        resources.clear();
        first.close();

        MaildirStore second = MaildirStore.open(root);
        resources.add(second);
        start(second);
        assertThat(uids(plain.port())).isEqualTo(before);
    }

    private List<String> uids(int port) throws Exception {
        jakarta.mail.Store client = connect("pop3", props("pop3", port));
        POP3Folder inbox = (POP3Folder) client.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        List<String> uids = new ArrayList<>();
        for (Message m : inbox.getMessages()) {
            uids.add(inbox.getUID(m));
        }
        inbox.close(false);
        client.close();
        return uids;
    }

    @Test
    void droppedConnectionKeepsMailAndASecondSessionIsLockedOut() throws Exception {
        MemoryStore store = new MemoryStore();
        start(store);
        deliver(store, MSG1);
        try (RawClient raw = new RawClient(plain.port())) {
            assertThat(raw.line()).isEqualTo("+OK mailcore ready.");
            assertThat(raw.send("USER " + USER)).startsWith("+OK");
            assertThat(raw.send("PASS " + PASSWORD)).isEqualTo("+OK Logged in.");
            assertThat(raw.send("DELE 1")).startsWith("+OK");

            try (RawClient second = new RawClient(plain.port())) {
                second.line();
                second.send("USER " + USER);
                assertThat(second.send("PASS " + PASSWORD))
                        .isEqualTo("-ERR [IN-USE] Mailbox is locked by another POP3 session");
            }
        }
        // the first connection was dropped without QUIT: its DELE is forgotten and the lock released
        jakarta.mail.Store client = connect("pop3", props("pop3", plain.port()));
        Folder inbox = client.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        inbox.close(false);
        client.close();
        assertThat(store.messages(MailboxRef.inbox(USER))).hasSize(1);
    }

    @Test
    void messageHeadersViaTopMatchTheStoredMessage() throws Exception {
        MemoryStore store = new MemoryStore();
        start(store);
        deliver(store, MSG2);
        Properties p = props("pop3", plain.port());
        p.put("mail.pop3.forgettopheaders", "false");
        jakarta.mail.Store client = connect("pop3", p);
        Folder inbox = client.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        MimeMessage m = (MimeMessage) inbox.getMessage(1);
        assertThat(m.getHeader("From")).containsExactly("b@example.org");
        inbox.close(false);
        client.close();
    }

    /** A line client with timeouts, for what Angus Mail cannot do (dropping a connection without QUIT). */
    private static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        RawClient(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String line() throws Exception {
            return in.readLine();
        }

        String send(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return line();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }
}
