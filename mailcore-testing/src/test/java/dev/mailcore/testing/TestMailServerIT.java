package dev.mailcore.testing;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestMailServerIT {

    @Test
    void receivesAMessageSentByJakartaMailAndParsesIt() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "secret").start()) {
            Session session = server.clients().smtp();
            Transport.send(Mails.withAttachment(session, "app@shop.example", "alice@example.com", "Your report"));
            ReceivedMessage m = server.awaitMessages(1).get(0);
            assertThat(m).hasSender("app@shop.example").hasRecipients("alice@example.com")
                    .hasSubject("Your report").hasFrom("app@shop.example").hasTo("alice@example.com")
                    .hasHeader("MIME-Version", "1.0")
                    .hasTextBody("Plain text body").hasHtmlBodyContaining("<b>body</b>")
                    .hasAttachments(1).hasAttachment("report.csv", "text/csv", "col1,col2\n1,2\n")
                    .hasAttachmentEncodedWith("report.csv", "base64")
                    .wasSentOverTls();
            assertThat(server).hasReceived(1).hasReceivedFor("alice@example.com", 1).usedTls().hasNoRejections();
            assertThat(server.messageCount("alice@example.com", "INBOX")).isEqualTo(1);
        }
    }

    @Test
    void recordsSessionsWithTlsAndAuth() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "secret")
                .listeners(MailListener.SUBMISSION, MailListener.SMTPS).start()) {
            Transport.send(Mails.text(server.clients().submission(), "alice@example.com", "alice@example.com",
                    "via submission", "one"));
            Transport.send(Mails.text(server.clients().smtps(), "alice@example.com", "alice@example.com",
                    "via smtps", "two"));
            List<ReceivedMessage> messages = server.awaitMessages(2);
            assertThat(messages).extracting(ReceivedMessage::listener)
                    .containsExactly(MailListener.SUBMISSION, MailListener.SMTPS);
            assertThat(messages.get(0)).wasSentOverTls().wasSentBy("alice@example.com");
            assertThat(server).usedTls().usedAuthAs("alice@example.com");
            List<SessionRecord> sessions = server.sessions();
            assertThat(sessions).hasSize(2).allMatch(SessionRecord::usedTls);
            assertThat(sessions.get(0).commands().get(0)).startsWith("HELO ");
            assertThat(sessions.get(0).commands()).contains("STARTTLS");
            assertThat(sessions.get(0).commands()).anyMatch(c -> c.startsWith("AUTH "))
                    .noneMatch(c -> c.contains("secret"));
        }
    }

    @Test
    void awaitMessageTimesOutListingWhatArrived() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x").start()) {
            Transport.send(Mails.text(server.clients().smtp(), "a@client.example", "alice@example.com", "first",
                    "b"));
            assertThatThrownBy(() -> server.awaitMessage(m -> m.isFor("bob@example.com"), Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("a message matching the predicate within PT0.2S")
                    .hasMessageContaining("1 message arrived")
                    .hasMessageContaining("#1 from <a@client.example> to [alice@example.com] subject \"first\"");
            assertThatThrownBy(() -> server.awaitMessages(2, Duration.ofMillis(100)))
                    .hasMessageContaining("Expected 2 messages");
        }
    }

    @Test
    void waitsPerRecipientAndPerTransaction() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x")
                .user("bob@example.com", "y").start()) {
            Session session = server.clients().smtp();
            Transport.send(Mails.text(session, "a@client.example", "alice@example.com, bob@example.com", "both",
                    "b"));
            Transport.send(Mails.text(session, "a@client.example", "bob@example.com", "bob only", "b"));
            assertThat(server.awaitMessagesFor("bob@example.com", 2)).extracting(ReceivedMessage::subject)
                    .containsExactly("both", "bob only");
            assertThat(server.awaitMessagesFor("alice@example.com", 1)).hasSize(1);
            ReceivedMessage both = server.received().get(0);
            assertThat(server.awaitTransaction(both.queueId())).isSameAs(both);
            assertThat(both).hasRecipients("bob@example.com", "alice@example.com");
            assertThat(server.awaitExactly(2)).hasSize(2);
        }
    }

    @Test
    void waitsWithATimeoutForOneTransactionAndForExactlyNMessages() throws Exception {
        try (TestMailServer server = TestMailServer.start("alice@example.com:x")) {
            Session session = server.clients().smtp();
            Transport.send(Mails.text(session, "a@client.example", "alice@example.com", "one", "b"));
            Transport.send(Mails.text(session, "a@client.example", "alice@example.com", "two", "b"));
            ReceivedMessage second = server.received().get(1);
            assertThat(server.awaitTransaction(second.queueId(), Duration.ofSeconds(5))).isSameAs(second);
            assertThatThrownBy(() -> server.awaitTransaction("NOSUCHID", Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the message queued as NOSUCHID within PT0.1S")
                    .hasMessageContaining("2 messages arrived");
            assertThat(server.awaitExactly(2, Duration.ofSeconds(5))).extracting(ReceivedMessage::subject)
                    .containsExactly("one", "two");
            assertThatThrownBy(() -> server.awaitExactly(1, Duration.ofSeconds(5)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("Expected exactly 1 message, but 2");
            assertThatThrownBy(() -> server.awaitExactly(3, Duration.ofMillis(100)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("Expected 3 messages within PT0.1S");
        }
    }

    @Test
    void preloadsEmlFilesAndEmptyFoldersFromTheBuilder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path eml = dir.resolve("welcome.eml");
        java.nio.file.Files.writeString(eml, "From: a@b.example\r\nSubject: welcome\r\n\r\nhi\r\n");
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x")
                .preload("alice@example.com", "INBOX", eml).folder("alice@example.com", "Empty").start()) {
            assertThat(server.messageCount("alice@example.com", "INBOX")).isEqualTo(1);
            String alice = server.mailServer().users()
                    .lookup(dev.mailcore.api.MailAddress.parse("alice@example.com")).orElseThrow();
            assertThat(server.store().mailbox(new dev.mailcore.api.store.MailboxRef(alice, "Empty")))
                    .isPresent();
            assertThat(server.messageCount("alice@example.com", "Empty")).isZero();
            server.createFolder("alice@example.com", "Later").createFolder("alice@example.com", "Later");
            assertThat(server.store().mailbox(new dev.mailcore.api.store.MailboxRef(alice, "Later")))
                    .isPresent();
        }
    }

    @Test
    void preloadsMessagesIntoFolders() throws Exception {
        byte[] eml = "From: a@b.example\r\nSubject: old\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "x")
                .preload("alice@example.com", "INBOX", eml).start()) {
            server.preload("alice@example.com", "Archive", eml)
                    .preload("alice@example.com", "Archive", Mails.text(server.clients().smtp(), "a@b.example",
                            "alice@example.com", "built", "body"));
            assertThat(server.messageCount("alice@example.com", "INBOX")).isEqualTo(1);
            assertThat(server.messageCount("alice@example.com", "Archive")).isEqualTo(2);
            assertThat(server.received()).as("preloads are not received mail").isEmpty();
        }
    }

    @Test
    void startingAServerLeavesTheBuilderAsItWasAndCopiesAreIndependent() {
        TestMailServer.Builder builder = TestMailServer.builder();
        TestMailServer.Builder copy = builder.copy().pop3();
        try (TestMailServer first = builder.start()) {
            assertThat(first.listeners()).containsExactly(MailListener.SMTP);
        }
        builder.imap();
        try (TestMailServer second = builder.start()) {
            assertThat(second.listeners()).containsExactly(MailListener.IMAP);
        }
        try (TestMailServer third = copy.start()) {
            assertThat(third.listeners()).containsExactly(MailListener.POP3);
        }
    }

    @Test
    void serversAreIndependent() {
        try (TestMailServer a = TestMailServer.start(); TestMailServer b = TestMailServer.start()) {
            assertThat(a.smtpPort()).isNotEqualTo(b.smtpPort());
            assertThat(a.certificate().certificate()).isNotEqualTo(b.certificate().certificate());
        }
    }
}
