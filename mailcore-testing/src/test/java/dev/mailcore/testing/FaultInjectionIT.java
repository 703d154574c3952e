package dev.mailcore.testing;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Properties;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every scripted fault, as a real Jakarta Mail client sees it. */
class FaultInjectionIT {
    TestMailServer server;

    @BeforeEach
    void start() {
        server = TestMailServer.builder().user("alice@example.com", "secret").user("bob@example.com", "pw")
                .listeners(MailListener.SMTP, MailListener.SUBMISSION).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    MimeMessage mail(Session session, String to) throws MessagingException {
        return Mails.text(session, "alice@example.com", to, "hello", "body");
    }

    @Test
    void aRecipientFaultFiresTheFirstNTimesForThatRecipientOnly() throws Exception {
        Fault fault = server.faults().onRcpt("Bob@example.com").times(2).reply(450, "4.2.0 try later");
        Session session = server.clients().smtp();
        for (int attempt = 1; attempt <= 2; attempt++) {
            SendFailedException e = catchThrowableOfType(SendFailedException.class,
                    () -> Transport.send(mail(session, "alice@example.com, bob@example.com")));
            SMTPAddressFailedException refused = (SMTPAddressFailedException) e.getNextException();
            assertThat(refused.getReturnCode()).isEqualTo(450);
            assertThat(refused.getAddress().getAddress()).isEqualTo("bob@example.com");
            assertThat(refused.getMessage()).contains("4.2.0 try later");
        }
        Transport.send(mail(session, "alice@example.com, bob@example.com"));
        assertThat(server.awaitMessages(1).get(0)).hasRecipients("alice@example.com", "bob@example.com");
        assertThat(fault.triggered()).isEqualTo(2);
        assertThat(fault.isActive()).isFalse();
        assertThat(server).hasRejected(450).hasReceived(1);
    }

    @Test
    void aConnectFaultClosesTheConnectionOnce() throws Exception {
        server.faults().onConnect().once().close();
        assertThatThrownBy(() -> Transport.send(mail(server.clients().smtp(), "alice@example.com")))
                .isInstanceOf(MessagingException.class);
        Transport.send(mail(server.clients().smtp(), "alice@example.com"));
        assertThat(server.awaitMessages(1)).hasSize(1);
        assertThat(server.sessions()).hasSize(2);
    }

    @Test
    void aGreetingCanBeReplacedByARefusal() {
        server.faults().onConnect().reply(554, "5.3.2 not accepting mail");
        assertThatThrownBy(() -> Transport.send(mail(server.clients().smtp(), "alice@example.com")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("554");
        assertThat(server).hasReceivedNothing().hasRejected(554);
    }

    @Test
    void aFailedStartTlsHandshakeStopsAClientThatRequiresTls() {
        server.faults().onStartTls().failHandshake();
        Throwable thrown = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(mail(server.clients().submission(), "bob@example.com")));
        assertThat(thrown).isNotNull();
        assertThat(server.awaitClosedSessions(1).get(0).commands()).contains("STARTTLS")
                .noneMatch(c -> c.startsWith("MAIL"));
        assertThat(server).hasReceivedNothing();
    }

    @Test
    void anAuthFaultLooksLikeATemporaryAuthenticationFailure() throws Exception {
        server.faults().onAuth().once().reply(454, "4.7.0 Temporary authentication failure");
        assertThatThrownBy(() -> Transport.send(mail(server.clients().submission(), "bob@example.com")))
                .isInstanceOf(AuthenticationFailedException.class);
        Transport.send(mail(server.clients().submission(), "bob@example.com"));
        assertThat(server.awaitMessages(1).get(0)).wasSentBy("alice@example.com").wasSentOverTls();
        assertThat(server).hasRejected(454).usedAuthAs("alice@example.com");
    }

    @Test
    void aMailFaultCanCloseWithA421() {
        server.faults().onMail("alice@example.com").closeWith(421, "4.3.2 shutting down");
        // the client fails either on the 421 itself or on the closed socket right after it, depending on timing
        assertThatThrownBy(() -> Transport.send(mail(server.clients().smtp(), "bob@example.com")))
                .isInstanceOf(MessagingException.class);
        assertThat(server.awaitClosedSessions(1).get(0).rejections()).extracting(r -> r.code()).containsExactly(421);
        assertThat(server).hasReceivedNothing();
    }

    @Test
    void dataAndEndOfDataFaultsRefuseTheMessage() throws Exception {
        server.faults().onData().once().reply(554, "5.5.1 no data today");
        SMTPSendFailedException data = catchThrowableOfType(SMTPSendFailedException.class,
                () -> Transport.send(mail(server.clients().smtp(), "bob@example.com")));
        assertThat(data.getReturnCode()).isEqualTo(554);
        server.faults().onEndOfData().once().reply(552, "5.3.4 too big for the test");
        SMTPSendFailedException end = catchThrowableOfType(SMTPSendFailedException.class,
                () -> Transport.send(mail(server.clients().smtp(), "bob@example.com")));
        assertThat(end.getReturnCode()).isEqualTo(552);
        assertThat(server).hasReceivedNothing();
        assertThat(server.messageCount("bob@example.com", "INBOX")).isZero();
    }

    @Test
    void slowWritesTimeOutAnImpatientClientButStillDeliverForAPatientOne() throws Exception {
        server.faults().onConnect().slowWrites(40);
        Properties props = server.clients().properties(MailListener.SMTP);
        props.put("mail.smtp.timeout", "300");
        Session impatient = Session.getInstance(props);
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(mail(impatient, "bob@example.com")));
        assertThat(causes(e)).anyMatch(c -> c instanceof SocketTimeoutException);

        server.faults().clear();
        server.faults().onConnect().slowWrites(2000);
        Transport.send(mail(server.clients().smtp(), "bob@example.com"));
        assertThat(server.awaitMessages(1)).hasSize(1);
    }

    @Test
    void aStalledServerTimesOutAClientWithAShortReadTimeout() {
        server.faults().onHelo().stall(Duration.ofSeconds(3));
        Properties props = server.clients().properties(MailListener.SMTP);
        props.put("mail.smtp.timeout", "300");
        Session impatient = Session.getInstance(props);
        MessagingException e = catchThrowableOfType(MessagingException.class,
                () -> Transport.send(mail(impatient, "bob@example.com")));
        assertThat(causes(e)).anyMatch(c -> c instanceof SocketTimeoutException);
    }

    @Test
    void faultsCanBeLimitedToAListener() throws Exception {
        server.faults().onRcpt().on(MailListener.SUBMISSION).reply(550, "5.7.1 not from here");
        Transport.send(mail(server.clients().smtp(), "bob@example.com"));
        assertThatThrownBy(() -> Transport.send(mail(server.clients().submission(), "bob@example.com")))
                .isInstanceOf(SendFailedException.class);
        assertThat(server.awaitMessages(1).get(0).listener()).isEqualTo(MailListener.SMTP);
    }

    @Test
    void clearingTheScriptRestoresNormalService() throws Exception {
        server.faults().onEveryCommand().reply(451, "4.3.0 everything fails");
        assertThatThrownBy(() -> Transport.send(mail(server.clients().smtp(), "bob@example.com")))
                .isInstanceOf(MessagingException.class);
        server.faults().clear();
        Transport.send(mail(server.clients().smtp(), "bob@example.com"));
        assertThat(server.awaitMessages(1)).hasSize(1);
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
            if (c instanceof MessagingException me && me.getNextException() != null) {
                all.add(me.getNextException());
            }
        }
        return all;
    }
}
