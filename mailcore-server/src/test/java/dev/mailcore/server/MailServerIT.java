package dev.mailcore.server;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.smtp.SmtpRole;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real clients over real sockets: Angus Mail over plain, STARTTLS and implicit TLS, and a raw client. */
class MailServerIT {
    private static final String USER = "alice@example.com";
    private static final String PASSWORD = "s3cret";

    private final List<Envelope> relayed = new CopyOnWriteArrayList<>();
    private MailServer server;

    @BeforeEach
    void start() {
        server = MailServer.builder()
                .hostname("mx.example.com")
                .user(USER, PASSWORD)
                .smtp(0)
                .submission(0)
                .smtps(0)
                .transport((envelope, content) -> {
                    relayed.add(envelope);
                    return new DeliveryReport(envelope.recipientAddresses().stream()
                            .map(r -> new RecipientOutcome(r, DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "Ok")))
                            .toList());
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Properties props(SmtpRole role) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(server.port(role)));
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.ssl.socketFactory", server.tls().clientContext().getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        return p;
    }

    private static MimeMessage message(Session session, String from, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText("Hello from " + subject + "\r\n");
        return m;
    }

    private List<byte[]> inbox() throws IOException {
        Store store = server.store();
        List<byte[]> result = new ArrayList<>();
        for (MessageMeta meta : store.messages(MailboxRef.inbox(USER))) {
            try (InputStream in = store.content(MailboxRef.inbox(USER), meta.uid()).openStream()) {
                result.add(in.readAllBytes());
            }
        }
        return result;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void angusMailDeliversOverPlainSmtpWithoutAuthentication() throws Exception {
        Session session = Session.getInstance(props(SmtpRole.MX));
        Transport.send(message(session, "bob@remote.example", USER, "plain"));

        List<byte[]> inbox = inbox();
        assertThat(inbox).hasSize(1);
        String stored = text(inbox.get(0));
        assertThat(stored).startsWith("Received: from ");
        assertThat(stored).contains("by mx.example.com").contains("Subject: plain").contains("Hello from plain");
    }

    @Test
    void angusMailAuthenticatesWithPlainAfterStartTlsOnSubmission() throws Exception {
        Properties p = props(SmtpRole.SUBMISSION);
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth.mechanisms", "PLAIN");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            t.connect(USER, PASSWORD);
            MimeMessage m = message(session, USER, USER, "starttls");
            t.sendMessage(m, m.getAllRecipients());
        }
        String stored = text(inbox().get(0));
        assertThat(stored).contains("with ESMTPSA").contains("Subject: starttls");
    }

    @Test
    void angusMailAuthenticatesWithLoginOverImplicitTls() throws Exception {
        Properties p = props(SmtpRole.SUBMISSIONS);
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.auth.mechanisms", "LOGIN");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            t.connect(USER, PASSWORD);
            MimeMessage m = message(session, USER, USER, "implicit");
            t.sendMessage(m, m.getAllRecipients());
        }
        assertThat(text(inbox().get(0))).contains("with ESMTPSA").contains("Subject: implicit");
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties p = props(SmtpRole.SUBMISSION);
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        assertThatThrownBy(() -> {
            try (Transport t = session.getTransport("smtp")) {
                t.connect(USER, "wrong");
            }
        }).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void unauthenticatedRelayIsDenied() {
        Session session = Session.getInstance(props(SmtpRole.MX));
        assertThatThrownBy(() -> Transport.send(message(session, "x@remote.example", "y@elsewhere.example", "relay")))
                .isInstanceOf(SendFailedException.class)
                .hasStackTraceContaining("554");
        assertThat(relayed).isEmpty();
    }

    @Test
    void authenticatedRelayGoesToTheTransport() throws Exception {
        Properties p = props(SmtpRole.SUBMISSION);
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            t.connect(USER, PASSWORD);
            MimeMessage m = message(session, USER, "friend@elsewhere.example", "relay");
            t.sendMessage(m, m.getAllRecipients());
        }
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).extracting(Object::toString)
                .containsExactly("friend@elsewhere.example");
    }

    @Test
    void unknownLocalRecipientIsRefusedAtRcpt() throws Exception {
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", server.smtpPort())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.example")).startsWith("250 ");
            assertThat(c.command("MAIL FROM:<bob@remote.example>")).startsWith("250 2.1.0");
            assertThat(c.command("RCPT TO:<nobody@example.com>")).startsWith("550 5.1.1");
        }
    }

    @Test
    void thousandRandomMessagesComeBackByteForByte() throws Exception {
        Random random = new Random(42);
        List<byte[]> sent = new ArrayList<>();
        try (RawSmtpClient c = new RawSmtpClient("127.0.0.1", server.smtpPort())) {
            assertThat(c.reply()).startsWith("220 ");
            assertThat(c.command("EHLO client.example")).startsWith("250 ");
            for (int i = 0; i < 1000; i++) {
                byte[] msg = randomMessage(random, i);
                sent.add(msg);
                assertThat(c.command("MAIL FROM:<bob@remote.example>")).startsWith("250 ");
                assertThat(c.command("RCPT TO:<" + USER + ">")).startsWith("250 ");
                assertThat(c.command("DATA")).startsWith("354 ");
                assertThat(c.data(msg)).startsWith("250 2.0.0");
            }
            assertThat(c.command("QUIT")).startsWith("221 ");
        }
        List<byte[]> stored = inbox();
        assertThat(stored).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            byte[] s = stored.get(i);
            byte[] expected = sent.get(i);
            assertThat(text(s)).startsWith("Received: ");
            byte[] tail = Arrays.copyOfRange(s, s.length - expected.length, s.length);
            assertThat(tail).as("message %d", i).isEqualTo(expected);
            String trace = text(Arrays.copyOf(s, s.length - expected.length));
            assertThat(trace).as("only the trace header is added").endsWith("\r\n").doesNotContain("\r\n\r\n");
        }
    }

    /** Headers and a body of random printable and 8-bit text with CRLF lines, some starting with '.'. */
    private static byte[] randomMessage(Random random, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String headers = "From: bob@remote.example\r\nTo: " + USER + "\r\nSubject: random " + n + "\r\n"
                + "Message-ID: <" + n + ".test@remote.example>\r\n\r\n";
        out.writeBytes(headers.getBytes(StandardCharsets.US_ASCII));
        int lines = random.nextInt(40);
        for (int l = 0; l < lines; l++) {
            int len = random.nextInt(200);
            if (random.nextInt(5) == 0) {
                out.write('.');
            }
            for (int k = 0; k < len; k++) {
                int b;
                do {
                    b = random.nextInt(256);
                } while (b == '\r' || b == '\n' || b == 0);
                out.write(b);
            }
            out.write('\r');
            out.write('\n');
        }
        return out.toByteArray();
    }
}
