package dev.mailcore.server;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers on loopback: the sending one queues mail from its authenticated user and relays it through its relay
 * host (the receiving one); a recipient the receiver refuses comes back as a DSN bounce into the sender's INBOX.
 */
class OutboundQueueIT {
    private static final String SENDER = "alice@sender.example";
    private static final String PASSWORD = "secret";
    private static final String RECEIVER = "bob@receiver.example";

    @TempDir
    Path spool;
    private MailServer receiving;
    private MailServer sending;

    @AfterEach
    void stop() {
        if (sending != null) {
            sending.close();
        }
        if (receiving != null) {
            receiving.close();
        }
    }

    private void startBoth() {
        receiving = MailServer.builder().hostname("mx.receiver.example").user(RECEIVER, "x").smtp(0).build().start();
        sending = MailServer.builder()
                .hostname("mail.sender.example")
                .user(SENDER, PASSWORD)
                .submission(0)
                .queue(spool)
                .relayHost("[127.0.0.1]:" + receiving.smtpPort())
                .build()
                .start();
    }

    private void submit(String to, String subject) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(sending.submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.ssl.socketFactory", sending.tls().clientContext().getSocketFactory());
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(SENDER));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText("Hello " + subject + "\r\n");
        Transport.send(m, SENDER, PASSWORD);
    }

    private static String text(MailServer server, String user, MessageMeta meta) throws Exception {
        try (InputStream in = server.store().content(MailboxRef.inbox(user), meta.uid()).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void relaysQueuedMailToTheRelayHost() throws Exception {
        startBoth();
        submit(RECEIVER, "queued");
        sending.queue().whenIdle().get(30, TimeUnit.SECONDS);

        List<MessageMeta> inbox = receiving.store().messages(MailboxRef.inbox(RECEIVER));
        assertThat(inbox).hasSize(1);
        assertThat(text(receiving, RECEIVER, inbox.get(0))).contains("Subject: queued").contains("Hello queued");
        assertThat(sending.queue().list()).isEmpty();
    }

    @Test
    void refusedRecipientBouncesIntoTheSendersInbox() throws Exception {
        startBoth();
        submit("nobody@receiver.example", "doomed");
        sending.queue().whenIdle().get(30, TimeUnit.SECONDS);

        List<MessageMeta> bounces = sending.store().messages(MailboxRef.inbox(SENDER));
        assertThat(bounces).hasSize(1);
        String dsn = text(sending, SENDER, bounces.get(0));
        assertThat(dsn).contains("multipart/report").contains("report-type=delivery-status")
                .contains("Final-Recipient: rfc822; nobody@receiver.example").contains("Action: failed")
                .contains("Status: 5.1.1").contains("Subject: doomed");
        assertThat(receiving.store().messages(MailboxRef.inbox(RECEIVER))).isEmpty();
    }
}
