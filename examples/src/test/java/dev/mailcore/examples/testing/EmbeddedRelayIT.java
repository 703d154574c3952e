package dev.mailcore.examples.testing;

import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.server.MailServer;
import dev.mailcore.smtp.SmtpRole;
import dev.mailcore.testing.MailListener;
import dev.mailcore.testing.ReceivedMessage;
import dev.mailcore.testing.TestMailServer;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application embeds a mailcore server as a relay: its own components submit mail to it, and it forwards mail for
 * remote domains to an upstream smarthost. The test plays the smarthost with a {@link TestMailServer} and checks what
 * arrives there, including what the relay does when the smarthost refuses a recipient.
 */
class EmbeddedRelayIT {
    TestMailServer smarthost;
    MailServer relay;

    /** A minimal forwarding transport: one SMTP connection per message to the smarthost, per-recipient outcomes. */
    static final class SmarthostTransport implements dev.mailcore.api.Transport {
        private final Session session;

        SmarthostTransport(Session session) {
            this.session = session;
        }

        @Override
        public DeliveryReport deliver(Envelope envelope, MessageSource content) {
            List<RecipientOutcome> outcomes = new ArrayList<>();
            try (InputStream in = content.openStream()) {
                SMTPMessage message = new SMTPMessage(session, in);
                message.setEnvelopeFrom(envelope.sender().address().map(MailAddress::toString).orElse("<>"));
                message.setSendPartial(true);
                List<Address> to = new ArrayList<>();
                for (MailAddress a : envelope.recipientAddresses()) {
                    to.add(new InternetAddress(a.toString()));
                }
                try (Transport t = session.getTransport()) {
                    t.connect();
                    try {
                        t.sendMessage(message, to.toArray(new Address[0]));
                    } catch (jakarta.mail.SendFailedException partial) {
                        // some recipients refused: sendPartial delivered to the others
                        for (Address a : partial.getInvalidAddresses() == null ? new Address[0]
                                : partial.getInvalidAddresses()) {
                            outcomes.add(new RecipientOutcome(MailAddress.parse(a.toString()), DeliveryStatus.FAILED,
                                    SmtpReply.of(550, "5.1.1", "refused by smarthost")));
                        }
                    }
                }
                for (MailAddress a : envelope.recipientAddresses()) {
                    if (outcomes.stream().noneMatch(o -> o.recipient().equals(a))) {
                        outcomes.add(new RecipientOutcome(a, DeliveryStatus.DELIVERED,
                                SmtpReply.of(250, "2.0.0", "relayed")));
                    }
                }
            } catch (Exception e) {
                outcomes.clear();
                for (MailAddress a : envelope.recipientAddresses()) {
                    outcomes.add(new RecipientOutcome(a, DeliveryStatus.DEFERRED,
                            SmtpReply.of(451, "4.4.1", "smarthost unavailable")));
                }
            }
            return new DeliveryReport(outcomes);
        }
    }

    @BeforeEach
    void start() {
        smarthost = TestMailServer.builder().user("orders@partner.example", "x").user("nobody@partner.example", "y")
                .start();
        relay = MailServer.builder()
                .user("app@internal.example", "secret")
                .submission(0)
                .tls(smarthost.certificate().tlsConfig()) // reuse a runtime certificate for the relay
                .transport(new SmarthostTransport(smarthost.clients().smtp()))
                .build().start();
    }

    @AfterEach
    void stop() {
        relay.close();
        smarthost.close();
    }

    Session relaySession() {
        java.util.Properties p = new java.util.Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(relay.port(SmtpRole.SUBMISSION)));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        p.putAll(smarthost.trust().mailProperties("smtp"));
        return Session.getInstance(p, new jakarta.mail.Authenticator() {
            @Override
            protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                return new jakarta.mail.PasswordAuthentication("app@internal.example", "secret");
            }
        });
    }

    MimeMessage order(Session session, String... to) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("app@internal.example"));
        for (String rcpt : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(rcpt));
        }
        m.setSubject("Order 4711");
        m.setText("Please ship order 4711.");
        return m;
    }

    @Test
    void relaysSubmittedMailToTheSmarthost() throws Exception {
        Transport.send(order(relaySession(), "orders@partner.example"));

        ReceivedMessage relayed = smarthost.awaitMessage(m -> m.isFor("orders@partner.example"));
        assertThat(relayed).hasSender("app@internal.example").hasSubject("Order 4711")
                .hasTextBodyContaining("ship order 4711").hasHeaderContaining("Received", "localhost")
                .wasSentOverTls();
        assertThat(smarthost.sessions()).hasSize(1);
        assertThat(smarthost.received().get(0).listener()).isEqualTo(MailListener.SMTP);
    }

    @Test
    void aRecipientTheSmarthostRefusesIsReportedBackToTheSubmitter() throws Exception {
        smarthost.faults().onRcpt("nobody@partner.example").reply(550, "5.1.1 no such user");
        try {
            Transport.send(order(relaySession(), "orders@partner.example", "nobody@partner.example"));
        } catch (MessagingException expected) {
            // how a relay reports a partial failure (accept + bounce, or refuse) is up to the relay's pipeline
        }
        List<ReceivedMessage> arrived = smarthost.awaitMessagesFor("orders@partner.example", 1);
        assertThat(arrived.get(0)).hasRecipients("orders@partner.example");
        assertThat(smarthost).hasRejected(550).hasReceivedFor("nobody@partner.example", 0);
    }
}
