package dev.mailcore.imap;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.netty.BoundListener;
import dev.mailcore.netty.ListenerConfig;
import dev.mailcore.netty.NettyServer;
import dev.mailcore.netty.ServerTls;
import dev.mailcore.netty.TlsConfig;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.store.MemoryStore;
import jakarta.mail.BodyPart;
import jakarta.mail.Flags.Flag;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Angus Mail (Jakarta Mail) against the IMAP server over real sockets: plain, STARTTLS and implicit TLS. */
class ImapClientIT {
    static final AuthProvider USERS = (user, password) -> password.equals("secret")
            && (user.equals("alice") || user.equals("bob")) ? new AuthResult.Success(user) : AuthResult.FAILURE;

    static MemoryStore store;
    static ExecutorService executor;
    static NettyServer server;
    static ServerTls tls;
    static BoundListener plain;
    static BoundListener implicit;

    @BeforeAll
    static void start() {
        store = MemoryStore.builder().standardFolders().build();
        executor = Executors.newCachedThreadPool();
        tls = ServerTls.create(TlsConfig.selfSigned());
        // through a store that is not NonBlocking, so every store call runs on the executor
        ImapProtocol imap = new ImapProtocol(ImapConfig.builder()
                .store(new dev.mailcore.imap.internal.CountingStore(store)).authProvider(USERS)
                .executor(executor).build());
        server = new NettyServer(1, Duration.ofSeconds(2));
        plain = server.bind(ListenerConfig.defaults("imap", TlsMode.STARTTLS), tls, imap);
        implicit = server.bind(ListenerConfig.defaults("imaps", TlsMode.IMPLICIT), tls, imap);
    }

    @AfterAll
    static void stop() {
        server.close();
        executor.shutdownNow();
    }

    private Properties props(String protocol, BoundListener listener) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".host", "127.0.0.1");
        p.put("mail." + protocol + ".port", String.valueOf(listener.port()));
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "10000");
        p.put("mail." + protocol + ".ssl.socketFactory", tls.clientContext().getSocketFactory());
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        return p;
    }

    private Store connect(Properties p, String protocol, String user) throws Exception {
        Store s = Session.getInstance(p).getStore(protocol);
        s.connect(user, "secret");
        return s;
    }

    private static MimeMessage message(Session session, String subject, String text) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("bob@example.org"));
        m.setRecipients(Message.RecipientType.TO, "alice@example.org");
        m.setSubject(subject);
        m.setText(text);
        m.saveChanges();
        return m;
    }

    @Test
    void appendsFetchesFlagsAndMovesOverPlainImap() throws Exception {
        Properties p = props("imap", plain);
        Session session = Session.getInstance(p);
        try (Store s = connect(p, "imap", "alice")) {
            Folder work = s.getFolder("Work");
            assertThat(work.exists()).isFalse();
            assertThat(work.create(Folder.HOLDS_MESSAGES)).isTrue();
            work.open(Folder.READ_WRITE);
            MimeMessage first = message(session, "first", "one");
            MimeMultipart multi = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText("body text");
            MimeBodyPart attachment = new MimeBodyPart();
            attachment.setContent(new byte[]{0, 1, 2, 3}, "application/octet-stream");
            attachment.setFileName("data.bin");
            multi.addBodyPart(text);
            multi.addBodyPart(attachment);
            MimeMessage second = new MimeMessage(session);
            second.setSubject("second");
            second.setContent(multi);
            second.saveChanges();
            work.appendMessages(new Message[]{first, second});
            assertThat(work.getMessageCount()).isEqualTo(2);
            Message[] messages = work.getMessages();
            assertThat(messages[0].getSubject()).isEqualTo("first");
            assertThat(messages[0].getContent().toString()).contains("one");
            Multipart parts = (Multipart) messages[1].getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            BodyPart part = parts.getBodyPart(1);
            assertThat(part.getFileName()).isEqualTo("data.bin");
            assertThat(part.getInputStream().readAllBytes()).containsExactly(0, 1, 2, 3);
            messages[0].setFlag(Flag.FLAGGED, true);
            assertThat(messages[0].isSet(Flag.FLAGGED)).isTrue();
            assertThat(messages[0].isSet(Flag.SEEN)).isTrue();
            long uid = ((UIDFolder) work).getUID(messages[1]);
            assertThat(((UIDFolder) work).getMessageByUID(uid).getSubject()).isEqualTo("second");

            Folder archive = s.getFolder("Archive");
            ((IMAPFolder) work).moveMessages(new Message[]{messages[0]}, archive);
            assertThat(messages[0].isExpunged()).isTrue();
            archive.open(Folder.READ_ONLY);
            assertThat(archive.getMessageCount()).isEqualTo(1);
            assertThat(archive.getMessage(1).isSet(Flag.FLAGGED)).isTrue();
            archive.close(false);

            messages[1].setFlag(Flag.DELETED, true);
            work.close(true);
            work.open(Folder.READ_ONLY);
            assertThat(work.getMessageCount()).isZero();
            work.close(false);
            assertThat(Arrays.stream(s.getDefaultFolder().list("*")).map(Folder::getFullName))
                    .contains("INBOX", "Work", "Archive", "Sent");
            assertThat(work.delete(false)).isTrue();
            assertThat(s.getFolder("Work").exists()).isFalse();
        }
    }

    @Test
    void idleReportsNewMessagesOverStartTls() throws Exception {
        Properties p = props("imap", plain);
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        try (Store s = connect(p, "imap", "bob")) {
            IMAPFolder inbox = (IMAPFolder) s.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            int before = inbox.getMessageCount();
            CountDownLatch added = new CountDownLatch(1);
            inbox.addMessageCountListener(new jakarta.mail.event.MessageCountAdapter() {
                @Override
                public void messagesAdded(jakarta.mail.event.MessageCountEvent e) {
                    added.countDown();
                }
            });
            CompletableFuture<Void> idling = CompletableFuture.runAsync(() -> {
                try {
                    inbox.idle(true);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // deliver until the IDLE sees it (the IDLE command may still be on its way when the first arrives)
            for (int i = 0; i < 50 && !added.await(200, TimeUnit.MILLISECONDS); i++) {
                store.append(MailboxRef.inbox("bob"), MessageSource.of(("Subject: idle " + i + "\r\n\r\nhi\r\n")
                        .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.now());
            }
            assertThat(added.await(5, TimeUnit.SECONDS)).isTrue();
            idling.get(10, TimeUnit.SECONDS);
            assertThat(inbox.getMessageCount()).isGreaterThan(before);
            inbox.close(false);
        }
    }

    @Test
    void readsMessagesOverImplicitTls() throws Exception {
        store.append(MailboxRef.inbox("alice"), MessageSource.of("Subject: tls\r\n\r\nsecret stuff\r\n"
                .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.now());
        Properties p = props("imaps", implicit);
        try (Store s = connect(p, "imaps", "alice")) {
            Folder inbox = s.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(Arrays.stream(inbox.getMessages()).map(m -> {
                try {
                    return m.getSubject();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            })).contains("tls");
            inbox.close(false);
        }
    }
}
