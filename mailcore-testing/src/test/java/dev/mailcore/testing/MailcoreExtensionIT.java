package dev.mailcore.testing;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

class MailcoreExtensionIT {

    @RegisterExtension
    static MailcoreExtension mail = MailcoreExtension.builder()
            .user("alice@example.com", "secret")
            .listeners(MailListener.SMTP, MailListener.SUBMISSION)
            .configure(b -> b.maxMessageSize(1024 * 1024))
            .build();

    TestMailServer fromBeforeEach;

    @BeforeEach
    void remember(TestMailServer server) {
        fromBeforeEach = server;
    }

    @Test
    void injectsTheServerAndReadyToUseSessions(TestMailServer server, Session smtp, @Submission Session submission,
                                               MailSessions sessions) throws Exception {
        assertThat(server).isSameAs(fromBeforeEach).isSameAs(mail.server());
        Transport.send(Mails.text(smtp, "a@client.example", "alice@example.com", "over smtp", "1"));
        Transport.send(Mails.text(submission, "alice@example.com", "alice@example.com", "over submission", "2"));
        assertThat(server.awaitMessages(2)).extracting(ReceivedMessage::listener)
                .containsExactly(MailListener.SMTP, MailListener.SUBMISSION);
        assertThat(sessions.properties(MailListener.SMTP).getProperty("mail.smtp.port"))
                .isEqualTo(String.valueOf(server.smtpPort()));
        assertThat(server).usedTls().usedAuth("LOGIN");
    }

    @Test
    void theBuilderSettingsReachTheServer(TestMailServer server) {
        assertThat(server.listeners()).containsExactly(MailListener.SMTP, MailListener.SUBMISSION);
        assertThat(server.users()).containsKey("alice@example.com");
        assertThat(server.received()).isEmpty();
    }

    @Nested
    class WhenNested {
        @Test
        void nestedTestsGetTheirOwnServer(TestMailServer server, @Smtp Session session) throws Exception {
            assertThat(server).isSameAs(mail.server()).isSameAs(fromBeforeEach);
            Transport.send(Mails.text(session, "a@client.example", "alice@example.com", "nested", "n"));
            assertThat(server.awaitMessages(1).get(0)).hasSubject("nested");
        }
    }
}
