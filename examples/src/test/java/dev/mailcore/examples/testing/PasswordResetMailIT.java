package dev.mailcore.examples.testing;

import dev.mailcore.testing.MailcoreExtension;
import dev.mailcore.testing.ReceivedMessage;
import dev.mailcore.testing.Submission;
import dev.mailcore.testing.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testing an application's password-reset mail end to end: the application sends through a real SMTP submission
 * listener (STARTTLS + AUTH, verified certificate), the test waits for exactly that message and checks it.
 */
class PasswordResetMailIT {

    /** The application code under test: it only knows a Jakarta Mail session, as in production. */
    static final class PasswordResetMailer {
        private final Session session;

        PasswordResetMailer(Session session) {
            this.session = session;
        }

        void sendResetLink(String user, String token) throws MessagingException {
            MimeMessage message = new MimeMessage(session);
            message.setFrom(new InternetAddress("noreply@shop.example", false));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(user));
            message.setSubject("Reset your password", "UTF-8");
            String link = "https://shop.example/reset?token=" + token;
            MimeMultipart alternative = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText("Open " + link + " within 30 minutes.", "UTF-8");
            MimeBodyPart html = new MimeBodyPart();
            html.setContent("<p><a href=\"" + link + "\">Reset your password</a></p>", "text/html; charset=UTF-8");
            alternative.addBodyPart(text);
            alternative.addBodyPart(html);
            message.setContent(alternative);
            Transport.send(message);
        }
    }

    @RegisterExtension
    MailcoreExtension mail = MailcoreExtension.builder()
            .user("noreply@shop.example", "app-password") // the application's submission account
            .user("alice@example.com", "irrelevant")
            .server(s -> s.submission())
            .build();

    @Test
    void sendsAResetLinkToTheUser(TestMailServer server, @Submission Session session) throws Exception {
        new PasswordResetMailer(session).sendResetLink("alice@example.com", "t0k3n");

        ReceivedMessage reset = server.awaitMessage(m -> m.isFor("alice@example.com"));
        assertThat(reset)
                .hasSender("noreply@shop.example")
                .hasRecipients("alice@example.com")
                .hasSubject("Reset your password")
                .hasTextBodyContaining("https://shop.example/reset?token=t0k3n")
                .hasHtmlBodyContaining("href=\"https://shop.example/reset?token=t0k3n\"")
                .wasSentOverTls()
                .wasSentBy("noreply@shop.example");
        assertThat(server).hasReceived(1).usedAuthAs("noreply@shop.example");

        // the link can be taken out of the mail and used by the rest of the test
        Matcher link = Pattern.compile("token=(\\w+)").matcher(reset.textBody());
        assertThat(link.find()).isTrue();
        assertThat(link.group(1)).isEqualTo("t0k3n");
    }
}
