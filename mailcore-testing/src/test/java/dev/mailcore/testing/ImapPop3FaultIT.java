package dev.mailcore.testing;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IMAP and POP3 faults as Angus Mail (Jakarta Mail) sees them. */
class ImapPop3FaultIT {
    static final byte[] EML = "From: a@b.example\r\nTo: alice@example.com\r\nSubject: waiting\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    MailcoreExtension mail = MailcoreExtension.builder()
            .user("alice@example.com", "secret")
            .listeners(MailListener.IMAP, MailListener.POP3)
            .server(s -> s.preload("alice@example.com", "INBOX", EML))
            .build();

    @Test
    void anImapLoginFailingOnceSucceedsOnTheNextTry(TestMailServer server, @Imap Session session)
            throws Exception {
        Fault fault = server.faults().onImapLogin().once().reply("NO [UNAVAILABLE] Try again later");

        try (Store store = session.getStore()) {
            assertThatThrownBy(store::connect).isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("Try again later");
            store.connect();
            assertThat(store.isConnected()).isTrue();
            assertThat(inbox(store).getMessageCount()).isEqualTo(1);
        }
        assertThat(fault.triggered()).isEqualTo(1);
        assertThat(fault.isActive()).isFalse();
    }

    @Test
    void anImapSelectFaultAnswersNoAndAFetchFaultDropsTheConnection(TestMailServer server, @Imap Session session)
            throws Exception {
        server.faults().onImapCommand("select").once().reply("NO [UNAVAILABLE] Mailbox busy");
        Fault fetch = server.faults().onImapCommand("FETCH").close();
        try (Store store = session.getStore()) {
            store.connect();
            Folder folder = store.getFolder("INBOX");
            assertThatThrownBy(() -> folder.open(Folder.READ_WRITE)).isInstanceOf(MessagingException.class)
                    .hasMessageContaining("Mailbox busy"); // READ_WRITE is SELECT (READ_ONLY would be EXAMINE)
            folder.open(Folder.READ_WRITE);
            assertThatThrownBy(() -> folder.getMessage(1).getSubject()).isInstanceOf(MessagingException.class);
        }
        assertThat(fetch.triggered()).isEqualTo(1);
    }

    @Test
    void aPop3LoginFailingTwiceThenARetrClosingTheConnection(TestMailServer server, @Pop3 Session session)
            throws Exception {
        server.faults().onPop3Login().times(2).reply("-ERR [SYS/TEMP] try later");
        Fault retr = server.faults().onPop3Command("RETR").closeWith("-ERR [SYS/TEMP] going away");
        try (Store store = session.getStore()) {
            assertThatThrownBy(store::connect).isInstanceOf(AuthenticationFailedException.class);
            assertThatThrownBy(store::connect).isInstanceOf(AuthenticationFailedException.class);
            store.connect();
            Folder folder = inbox(store);
            assertThat(folder.getMessageCount()).isEqualTo(1);
            assertThatThrownBy(() -> folder.getMessage(1).getContent()).isInstanceOf(Exception.class);
        }
        assertThat(retr.triggered()).isEqualTo(1);
    }

    static Folder inbox(Store store) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        return inbox;
    }
}
