package dev.mailcore.server;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One server, every protocol, as a user's mail client sees it: mail sent over submission is read over IMAP (STARTTLS
 * and implicit TLS) and downloaded and deleted over POP3, all with Angus Mail trusting the runtime certificate.
 */
class AllProtocolsIT {
    private static final String USER = "carol@example.com";
    private static final String PASSWORD = "pa55word";

    private MailServer server;

    @BeforeEach
    void start() {
        server = MailServer.builder()
                .hostname("mail.example.com")
                .user(USER, PASSWORD)
                .submission(0)
                .imap(0)
                .imaps(0)
                .pop3(0)
                .pop3s(0)
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Properties props() {
        Properties p = new Properties();
        for (String proto : new String[] {"smtp", "imap", "imaps", "pop3", "pop3s"}) {
            p.put("mail." + proto + ".host", "localhost");
            p.put("mail." + proto + ".connectiontimeout", "10000");
            p.put("mail." + proto + ".timeout", "10000");
            p.put("mail." + proto + ".ssl.socketFactory", server.tls().clientContext().getSocketFactory());
            p.put("mail." + proto + ".ssl.checkserveridentity", "true");
            if (!proto.endsWith("s")) { // the implicit TLS listeners offer no STARTTLS/STLS
                p.put("mail." + proto + ".starttls.enable", "true");
                p.put("mail." + proto + ".starttls.required", "true");
            }
        }
        p.put("mail.smtp.port", String.valueOf(server.submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.imap.port", String.valueOf(server.imapPort()));
        p.put("mail.imaps.port", String.valueOf(server.imapsPort()));
        p.put("mail.pop3.port", String.valueOf(server.pop3Port()));
        p.put("mail.pop3s.port", String.valueOf(server.pop3sPort()));
        return p;
    }

    private void send(Session session, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(USER));
        m.setRecipients(Message.RecipientType.TO, USER);
        m.setSubject(subject);
        m.setText("Body of " + subject + "\r\n");
        Transport.send(m, USER, PASSWORD);
    }

    @Test
    void mailSentOverSubmissionIsReadOverImapAndPop3() throws Exception {
        Session session = Session.getInstance(props());
        send(session, "first");
        send(session, "second");

        for (String protocol : new String[] {"imap", "imaps"}) {
            try (jakarta.mail.Store imap = session.getStore(protocol)) {
                imap.connect(USER, PASSWORD);
                try (Folder inbox = imap.getFolder("INBOX")) {
                    inbox.open(Folder.READ_ONLY);
                    assertThat(inbox.getMessageCount()).as(protocol).isEqualTo(2);
                    assertThat(inbox.getMessage(1).getSubject()).isEqualTo("first");
                    assertThat(inbox.getMessage(2).getContent().toString()).contains("Body of second");
                }
            }
        }

        try (jakarta.mail.Store pop3 = session.getStore("pop3")) {
            pop3.connect(USER, PASSWORD);
            Folder inbox = pop3.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("first");
            inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            inbox.close(true); // QUIT: the deletion takes effect
        }

        try (jakarta.mail.Store pop3s = session.getStore("pop3s")) {
            pop3s.connect(USER, PASSWORD);
            Folder inbox = pop3s.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("second");
            inbox.close(false);
        }
    }
}
