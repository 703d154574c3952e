package dev.mailcore.examples;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.server.MailServer;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The example server, driven by Angus Mail as an application's own test would. */
class FilterAndPolicyIT {

    private static MimeMessage message(Session session, String from) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, "bob@example.com");
        m.setSubject("example");
        m.setText("hello");
        return m;
    }

    @Test
    void filterTagsAcceptedMailAndPolicyRefusesTheSpamDomain() throws Exception {
        try (MailServer server = FilterAndPolicy.create().start()) {
            Properties p = new Properties();
            p.put("mail.smtp.host", "127.0.0.1");
            p.put("mail.smtp.port", String.valueOf(server.smtpPort()));
            Session session = Session.getInstance(p);

            Transport.send(message(session, "alice@friends.example"));
            assertThatThrownBy(() -> Transport.send(message(session, "eve@spam.example")))
                    .isInstanceOf(SendFailedException.class);

            MailboxRef inbox = MailboxRef.inbox("bob@example.com");
            List<MessageMeta> messages = server.store().messages(inbox);
            assertThat(messages).hasSize(1);
            try (InputStream in = server.store().content(inbox, messages.get(0).uid()).openStream()) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertThat(text).startsWith("X-Scanned-By: mailcore example filter\r\nReceived: ");
                assertThat(text).contains("From: alice@friends.example");
            }
        }
    }
}
