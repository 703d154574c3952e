package dev.mailcore.testing;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Preloaded and received mail can be read back over IMAP and POP3 with the ready-made sessions. */
class ImapPop3IT {
    static final byte[] EML = "From: a@b.example\r\nTo: alice@example.com\r\nSubject: preloaded\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void preloadedAndReceivedMailIsReadableOverImapAndPop3() throws Exception {
        try (TestMailServer server = TestMailServer.builder().user("alice@example.com", "secret")
                .listeners(MailListener.SMTP, MailListener.IMAP, MailListener.POP3S)
                .preload("alice@example.com", "INBOX", EML).start()) {
            Transport.send(Mails.text(server.clients().smtp(), "x@client.example", "alice@example.com", "sent",
                    "body"));
            server.awaitMessages(1);

            try (Store imap = server.clients().openStore(MailListener.IMAP, "alice@example.com", "secret")) {
                Folder inbox = imap.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("preloaded", "sent");
                inbox.close(false);
            }
            try (Store pop3 = server.clients().openStore(MailListener.POP3S, "alice@example.com", "secret")) {
                Folder inbox = pop3.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(2);
                inbox.close(false);
            }
        }
    }
}
