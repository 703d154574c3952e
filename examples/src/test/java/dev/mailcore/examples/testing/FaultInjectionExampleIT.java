package dev.mailcore.examples.testing;

import dev.mailcore.testing.Fault;
import dev.mailcore.testing.MailcoreExtension;
import dev.mailcore.testing.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Properties;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Testing an application's error handling with scripted server faults: a notifier that retries temporary (4xx)
 * failures a few times and gives up on permanent (5xx) ones.
 */
class FaultInjectionExampleIT {

    /** The application code under test. */
    static final class Notifier {
        private final Session session;
        private final int attempts;
        int tries;

        Notifier(Session session, int attempts) {
            this.session = session;
            this.attempts = attempts;
        }

        /** Sends, retrying while the server answers 4xx; returns false when it gave up. */
        boolean notify(String to, String text) throws MessagingException {
            for (tries = 1; tries <= attempts; tries++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("alerts@app.example"));
                m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
                m.setSubject("Alert");
                m.setText(text);
                try {
                    Transport.send(m);
                    return true;
                } catch (MessagingException e) {
                    if (!isTemporary(e)) {
                        return false;
                    }
                }
            }
            return false;
        }

        private static boolean isTemporary(MessagingException e) {
            int code = 0;
            Exception next = e instanceof SendFailedException ? e.getNextException() : e;
            if (next instanceof SMTPAddressFailedException a) {
                code = a.getReturnCode();
            } else if (next instanceof SMTPSendFailedException s) {
                code = s.getReturnCode();
            }
            return code >= 400 && code < 500;
        }
    }

    @RegisterExtension
    MailcoreExtension mail = MailcoreExtension.builder().user("ops@example.com", "pw").build();

    @Test
    void retriesGreylistingUntilTheRecipientIsAccepted(TestMailServer server, Session session) throws Exception {
        Fault greylist = server.faults().onRcpt("ops@example.com").times(2)
                .reply(450, "4.2.0 greylisted, try later");
        Notifier notifier = new Notifier(session, 5);

        assertThat(notifier.notify("ops@example.com", "disk full")).isTrue();
        assertThat(notifier.tries).isEqualTo(3);
        assertThat(greylist.triggered()).isEqualTo(2);
        assertThat(server.awaitMessages(1).get(0)).hasTextBodyContaining("disk full");
        assertThat(server).hasReceived(1).hasRejected(450).hasSeenSessions(3);
    }

    @Test
    void givesUpOnAPermanentRejectionAtEndOfData(TestMailServer server, Session session) throws Exception {
        server.faults().onEndOfData().reply(554, "5.7.1 message content rejected");
        Notifier notifier = new Notifier(session, 5);

        assertThat(notifier.notify("ops@example.com", "spammy")).isFalse();
        assertThat(notifier.tries).isEqualTo(1);
        assertThat(server).hasReceivedNothing().hasRejected(554);
    }

    @Test
    void aHungServerSurfacesAsATimeoutButTheMessageMayStillArrive(TestMailServer server) throws Exception {
        server.faults().onEndOfData().stall(Duration.ofSeconds(6));
        Properties props = server.clients().properties(dev.mailcore.testing.MailListener.SMTP);
        props.put("mail.smtp.timeout", "2000"); // the application's read timeout: well below the stall, and long
        // enough that a busy machine's slow TLS handshake before end of data does not time out already
        Notifier notifier = new Notifier(Session.getInstance(props), 1);

        assertThat(notifier.notify("ops@example.com", "slow")).as("gave up after the read timeout").isFalse();
        assertThat(notifier.tries).isEqualTo(1);
        // The server had the whole message and still wrote its 250 when the stall ended: from the server's side the
        // transaction completed, so the message counts. This is RFC 1047's duplicate-message window: an application
        // that retries after a timeout at end of data must expect duplicates (use a Message-ID to de-duplicate).
        assertThat(server.awaitMessages(1).get(0)).hasTextBodyContaining("slow");
    }
}
