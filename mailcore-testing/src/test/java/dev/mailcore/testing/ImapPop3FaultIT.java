package dev.mailcore.testing;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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

    @Test
    void anImapFetchStallTimesOutAnImpatientClientAndOnlyDelaysAPatientOne(TestMailServer server)
            throws Exception {
        Fault stall = server.faults().onImapCommand("FETCH").once().stall(Duration.ofSeconds(3));
        Properties props = server.clients().properties(MailListener.IMAP);
        props.put("mail.imap.timeout", "300");
        try (Store store = Session.getInstance(props).getStore()) {
            store.connect("alice@example.com", "secret");
            Folder folder = inbox(store);
            MessagingException e = catchThrowableOfType(MessagingException.class,
                    () -> folder.getMessage(1).getSubject());
            assertThat(causes(e)).anyMatch(ImapPop3FaultIT::isReadTimeout);
        }
        assertThat(stall.triggered()).isEqualTo(1);

        server.faults().onImapCommand("FETCH").once().stall(Duration.ofMillis(700));
        try (Store store = server.clients().openStore(MailListener.IMAP, "alice@example.com", "secret")) {
            Folder folder = inbox(store);
            long start = System.nanoTime();
            assertThat(folder.getMessage(1).getSubject()).isEqualTo("waiting");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        }
    }

    @Test
    void anImapLoginStallDelaysTheLoginWhichThenSucceeds(TestMailServer server, @Imap Session session)
            throws Exception {
        server.faults().onImapLogin().stall(Duration.ofMillis(500));
        try (Store store = session.getStore()) {
            long start = System.nanoTime();
            store.connect();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
        MailAssertions.assertThat(server).hadImapLogin("alice@example.com").hadFailedLogins(0);
    }

    @Test
    void aPop3LoginStallTimesOutAClientWithAShortReadTimeout(TestMailServer server) {
        server.faults().onPop3Login().stall(Duration.ofSeconds(3));
        Properties props = server.clients().properties(MailListener.POP3);
        props.put("mail.pop3.timeout", "300");
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> Session.getInstance(props).getStore().connect("alice@example.com", "secret"));

        assertThat(causes(e)).anyMatch(ImapPop3FaultIT::isReadTimeout);
        MailAssertions.assertThat(server).hadPop3Sessions(1).hadNoPop3Login("alice@example.com");
    }

    @Test
    void aPop3RetrStallOnlyDelaysTheMessage(TestMailServer server, @Pop3 Session session) throws Exception {
        Fault stall = server.faults().onPop3Command("RETR").stall(Duration.ofMillis(700));
        try (Store store = session.getStore()) {
            store.connect();
            Folder folder = inbox(store);
            long start = System.nanoTime();
            assertThat(new String(folder.getMessage(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("hello\r\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        }
        assertThat(stall.triggered()).isEqualTo(1);
    }

    static Folder inbox(Store store) throws MessagingException {
        Folder inbox = store.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        return inbox;
    }

    /** Angus Mail sometimes keeps only the text of the timeout: "... SocketTimeoutException: Read timed out". */
    private static boolean isReadTimeout(Throwable t) {
        return t instanceof SocketTimeoutException
                || t.getMessage() != null && t.getMessage().contains("Read timed out");
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
            if (c instanceof MessagingException me && me.getNextException() != null) {
                all.add(me.getNextException());
            }
        }
        return all;
    }
}
