package dev.mailcore.testing;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@MailcoreTest(users = {"bob@example.com:pw", "carol@example.com:pw2"},
        listeners = {MailListener.SMTP, MailListener.SMTPS}, tls = true)
class MailcoreTestAnnotationIT {

    @Test
    void configuresTheServerFromTheAnnotation(TestMailServer server, @Smtps Session smtps, Session smtp)
            throws Exception {
        assertThat(server.listeners()).containsExactly(MailListener.SMTP, MailListener.SMTPS);
        assertThat(server.users()).containsOnlyKeys("bob@example.com", "carol@example.com");
        assertThat(smtp.getProperty("mail.smtp.starttls.required")).isEqualTo("true");
        Transport.send(Mails.text(smtps, "bob@example.com", "carol@example.com", "implicit tls", "x"));
        Transport.send(Mails.text(smtp, "x@client.example", "carol@example.com", "starttls", "y"));
        assertThat(server.awaitMessagesFor("carol@example.com", 2)).allMatch(m -> m.tlsProtocol().isPresent());
    }

    @Nested
    class Inner {
        @Test
        void nestedClassesUseTheOuterAnnotation(TestMailServer server) {
            assertThat(server.listeners()).containsExactly(MailListener.SMTP, MailListener.SMTPS);
        }
    }
}
