package dev.mailcore.testing;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IMAP and POP3 session records and assertions, with Angus Mail (Jakarta Mail) as the client. */
class ImapPop3SessionRecordIT {
    static final byte[] EML = "From: a@b.example\r\nTo: alice@example.com\r\nSubject: hello\r\n\r\nhi\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    MailcoreExtension mail = MailcoreExtension.builder()
            .user("alice@example.com", "secret")
            .user("bob@example.com", "pw")
            .listeners(MailListener.IMAP, MailListener.IMAPS, MailListener.POP3, MailListener.POP3S)
            .server(s -> s.preload("alice@example.com", "INBOX", EML))
            .build();

    @Test
    void anImapSessionOverStartTlsRecordsItsLoginAndCommands(TestMailServer server, @Imap Session session)
            throws Exception {
        try (Store store = session.getStore()) {
            store.connect();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("hello");
            inbox.close(false);
        }

        List<MailboxSessionRecord> sessions = server.awaitClosedImapSessions(1);
        assertThat(sessions).hasSize(1);
        MailboxSessionRecord imap = sessions.get(0);
        assertThat(imap.listener()).isEqualTo(MailListener.IMAP);
        assertThat(imap.remote().getAddress().isLoopbackAddress()).isTrue();
        assertThat(imap.tlsProtocol()).startsWith("TLSv1.");
        assertThat(imap.usedStartTls()).isTrue();
        assertThat(imap.user()).isEqualTo("alice@example.com");
        assertThat(imap.loginMethod()).isEqualTo("AUTHENTICATE PLAIN");
        assertThat(imap.failedLogins()).isZero();
        assertThat(imap.commands()).startsWith("STARTTLS", "CAPABILITY") // the greeting lists capabilities.contains("EXAMINE", "FETCH", "LOGOUT")
                .noneMatch(c -> c.contains(" ") || c.contains("secret"));
        assertThat(imap.closed()).isTrue();
        assertThat(server.pop3Sessions()).isEmpty();
        assertThat(server.sessions()).isEmpty();

        MailAssertions.assertThat(server).hadImapSessions(1).hadFailedImapLogins(0).hadNoImapLogin("bob@example.com")
                .hadImapLogin("alice@example.com").hasSessionCount(1).usedTls().usedStartTls()
                .usedMechanism("PLAIN").usedMechanism("authenticate plain").sentCommand("EXAMINE")
                .sentCommand("uid fetch").didNotSend("SELECT");
    }

    @Test
    void anImapsSessionUsesImplicitTls(TestMailServer server, @Imaps Session session) throws Exception {
        try (Store store = session.getStore()) {
            store.connect();
        }

        MailAssertions.assertThat(server).hadImapLogin("alice@example.com").usedImplicitTls();
        assertThat(server.imapSessions().get(0).listener()).isEqualTo(MailListener.IMAPS);
        assertThatThrownBy(() -> MailAssertions.assertThat(server).hadImapLogin("alice@example.com").usedStartTls())
                .isInstanceOf(AssertionError.class).hasMessageContaining("STARTTLS");
    }

    @Test
    void wrongImapPasswordsAreCountedAsFailedLoginsWithoutALogin(TestMailServer server) {
        assertThatThrownBy(() -> server.clients().openStore(MailListener.IMAP, "bob@example.com", "wrong"))
                .isInstanceOf(AuthenticationFailedException.class);

        MailAssertions.assertThat(server).hadFailedImapLogins(1).hadNoImapLogin("bob@example.com");
        assertThat(server.imapSessions().get(0).failedLogins()).isEqualTo(1);
        assertThat(server.imapSessions().get(0).loggedIn()).isFalse();
        assertThatThrownBy(() -> MailAssertions.assertThat(server).hadImapLogin("bob@example.com"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Expected a login as bob@example.com over IMAP");
    }

    @Test
    void anImapClientWithoutStartTlsIsRecordedWithoutTls(TestMailServer server) throws Exception {
        Properties props = server.clients().properties(MailListener.IMAP);
        props.put("mail.imap.starttls.enable", "false");
        try (Store store = Session.getInstance(props).getStore()) {
            store.connect("bob@example.com", "pw"); // plain text logins are allowed from loopback
        }

        MailAssertions.assertThat(server).hadImapLogin("bob@example.com").usedNoTls();
        assertThatThrownBy(() -> MailAssertions.assertThat(server).hadImapLogin("bob@example.com").usedTls())
                .isInstanceOf(AssertionError.class).hasMessageContaining("to use TLS");
    }

    @Test
    void aPop3SessionOverStlsRecordsItsLoginAndCommands(TestMailServer server, @Pop3 Session session)
            throws Exception {
        try (Store store = session.getStore()) {
            store.connect();
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("hello");
            inbox.close(false);
        }

        MailboxSessionRecord pop3 = server.awaitClosedPop3Sessions(1).get(0);
        assertThat(pop3.listener()).isEqualTo(MailListener.POP3);
        assertThat(pop3.usedStartTls()).isTrue();
        assertThat(pop3.user()).isEqualTo("alice@example.com");
        assertThat(pop3.commands()).startsWith("CAPA", "STLS").contains("USER", "PASS", "TOP", "QUIT")
                .doesNotContain(""); // the subject comes from TOP, not RETR
        assertThat(pop3.loginMethod()).isEqualTo("USER/PASS");
        assertThat(server.imapSessions()).isEmpty();

        MailAssertions.assertThat(server).hadPop3Sessions(1).hadFailedPop3Logins(0)
                .hadPop3Login("alice@example.com").usedStartTls().usedMechanism("user/pass")
                .sentCommand("TOP").didNotSend("RETR").didNotSend("DELE");
    }

    @Test
    void aPop3sSessionUsesImplicitTlsAndCountsAWrongPassword(TestMailServer server) throws Exception {
        assertThatThrownBy(() -> server.clients().openStore(MailListener.POP3S, "alice@example.com", "wrong"))
                .isInstanceOf(AuthenticationFailedException.class);
        try (Store store = server.clients().openStore(MailListener.POP3S, "alice@example.com", "secret")) {
            assertThat(store.isConnected()).isTrue();
        }

        MailAssertions.assertThat(server).hadPop3Sessions(2).hadFailedPop3Logins(1)
                .hadPop3Login("alice@example.com").hasSessionCount(1).usedImplicitTls().hadFailedLogins(0);
        assertThat(server.pop3Sessions()).allMatch(s -> s.listener() == MailListener.POP3S);
    }

    @Test
    void aLoginFaultCountsAsAFailedLogin(TestMailServer server, @Imap Session session) throws Exception {
        server.faults().onImapLogin().once().reply("NO [UNAVAILABLE] Try again later");
        try (Store store = session.getStore()) {
            assertThatThrownBy(store::connect).isInstanceOf(AuthenticationFailedException.class);
            store.connect();
        }

        // Angus Mail drops a connection whose login failed and tries again on a new one
        MailAssertions.assertThat(server).hadImapSessions(2).hadFailedImapLogins(1)
                .hadImapLogin("alice@example.com").hasSessionCount(1).hadFailedLogins(0);
        assertThat(server.imapSessions().get(0).failedLogins()).isEqualTo(1);
    }

    @Test
    void resetForgetsClosedImapAndPop3Sessions(TestMailServer server, @Imap Session imap, @Pop3 Session pop3)
            throws Exception {
        try (Store store = imap.getStore()) {
            store.connect();
        }
        try (Store store = pop3.getStore()) {
            store.connect();
        }
        server.awaitClosedImapSessions(1);
        server.awaitClosedPop3Sessions(1);

        server.reset();

        assertThat(server.imapSessions()).isEmpty();
        assertThat(server.pop3Sessions()).isEmpty();
    }
}
