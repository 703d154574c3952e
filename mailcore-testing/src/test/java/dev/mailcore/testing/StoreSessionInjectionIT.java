package dev.mailcore.testing;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @Imap}, {@code @Imaps}, {@code @Pop3} and {@code @Pop3s} sessions, and the unqualified session's rule. */
class StoreSessionInjectionIT {
    static final byte[] EML = "From: a@b.example\r\nTo: alice@example.com\r\nSubject: waiting\r\n\r\nhello\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    MailcoreExtension mail = MailcoreExtension.builder()
            .user("alice@example.com", "secret")
            .listeners(MailListener.IMAPS, MailListener.SMTP, MailListener.POP3, MailListener.IMAP,
                    MailListener.POP3S)
            .server(s -> s.preload("alice@example.com", "INBOX", EML))
            .build();

    @Test
    void qualifiedSessionsConnectAStoreToTheirListenerAsTheFirstUser(TestMailServer server, @Imap Session imap,
                                                                      @Imaps Session imaps, @Pop3 Session pop3,
                                                                      @Pop3s Session pop3s) throws Exception {
        assertThat(inboxCount(imap, "imap")).isEqualTo(1);
        assertThat(inboxCount(imaps, "imaps")).isEqualTo(1);
        assertThat(inboxCount(pop3, "pop3")).isEqualTo(1);
        assertThat(inboxCount(pop3s, "pop3s")).isEqualTo(1);
    }

    @Test
    void anUnqualifiedSessionIsForTheFirstListenerInDeclaredOrder(TestMailServer server, Session session)
            throws Exception {
        assertThat(server.listeners()).containsExactly(MailListener.IMAPS, MailListener.SMTP, MailListener.POP3,
                MailListener.IMAP, MailListener.POP3S);
        assertThat(inboxCount(session, "imaps")).isEqualTo(1);
    }

    static int inboxCount(Session session, String protocol) throws Exception {
        try (Store store = session.getStore()) {
            store.connect();
            assertThat(store.getURLName().getProtocol()).isEqualTo(protocol);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return inbox.getMessageCount();
            } finally {
                inbox.close(false);
            }
        }
    }
}
