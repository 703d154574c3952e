package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.auth.AuthProvider;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpAuthTest {
    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();
    final List<Envelope> relayed = new ArrayList<>();

    static final AuthProvider USERS = (user, password) -> {
        if (user.equals("tempfail")) {
            return new AuthResult.TemporaryFailure("directory down");
        }
        return user.equals("alice") && password.equals("secret") ? new AuthResult.Success("alice")
                : AuthResult.FAILURE;
    };

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool).authProvider(USERS)
                .transport((Envelope envelope, dev.mailcore.api.MessageSource content) -> {
                    relayed.add(envelope);
                    List<RecipientOutcome> outcomes = new ArrayList<>();
                    envelope.recipientAddresses().forEach(a -> outcomes.add(
                            new RecipientOutcome(a, DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok"))));
                    return new DeliveryReport(outcomes);
                });
    }

    SmtpTester loopback(SmtpConfig config, SmtpRole role) {
        SmtpTester smtp = SmtpTester.connect(config, role, TlsMode.NONE, SmtpTester.LOOPBACK).expect("220 ");
        assertThat(smtp.ehlo("client.example")).contains("250-AUTH PLAIN LOGIN");
        return smtp;
    }

    @Test
    void authPlainWithInitialResponse() {
        loopback(config().build(), SmtpRole.MX).send("AUTH PLAIN " + plain("alice", "secret"))
                .expect("235 2.7.0 Authentication successful")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("503 5.5.1 ");
    }

    @Test
    void authPlainWithChallenge() {
        loopback(config().build(), SmtpRole.MX).send("AUTH PLAIN").expect("334 ")
                .send(plain("alice", "secret")).expect("235 2.7.0 ");
    }

    @Test
    void authLoginAsksForUserAndPassword() {
        SmtpTester smtp = loopback(config().build(), SmtpRole.MX).send("AUTH LOGIN");
        assertThat(smtp.nextReply()).containsExactly("334 " + b64("Username:"));
        smtp.send(b64("alice"));
        assertThat(smtp.nextReply()).containsExactly("334 " + b64("Password:"));
        smtp.send(b64("secret")).expect("235 2.7.0 ");
    }

    @Test
    void authIsNotOfferedAgainAfterSuccess() {
        SmtpTester smtp = loopback(config().build(), SmtpRole.MX).send("AUTH PLAIN " + plain("alice", "secret"))
                .expect("235 ");
        assertThat(smtp.ehlo("client.example")).noneMatch(l -> l.contains("AUTH"));
    }

    @Test
    void authFailuresAndErrors() {
        loopback(config().build(), SmtpRole.MX)
                .send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 5.7.8 Error: authentication failed")
                .send("AUTH PLAIN " + plain("tempfail", "x")).expect("454 4.7.0 ")
                .send("AUTH CRAM-MD5").expect("504 5.5.4 ")
                .send("AUTH").expect("501 5.5.4 ")
                .send("AUTH PLAIN !!!").expect("501 5.5.2 ")
                .send("AUTH PLAIN").expect("334 ").send("*").expect("501 5.0.0 Authentication aborted")
                .send("AUTH PLAIN").expect("334 ").send("%%%").expect("501 5.5.2 ")
                .send("AUTH PLAIN =").expect("501 5.5.2 ")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ");
    }

    @Test
    void authNeedsEhloAndNoTransaction() {
        SmtpTester smtp = SmtpTester.connect(config().build(), SmtpRole.MX, TlsMode.NONE, SmtpTester.LOOPBACK)
                .expect("220 ");
        smtp.send("AUTH PLAIN " + plain("alice", "secret")).expect("503 5.5.1 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("503 5.5.1 ");
    }

    @Test
    void authNeedsEncryptionFromRemoteClients() {
        SmtpTester smtp = SmtpTester.connect(config().build()).expect("220 ");
        assertThat(smtp.ehlo("client.example")).noneMatch(l -> l.contains("AUTH"));
        smtp.send("AUTH PLAIN " + plain("alice", "secret")).expect("538 5.7.11 ");
        SmtpTester insecure = SmtpTester.connect(config().allowInsecureAuth(true).build()).expect("220 ");
        assertThat(insecure.ehlo("client.example")).contains("250-AUTH PLAIN LOGIN");
    }

    @Test
    void authIsUnavailableWithoutProvider() {
        SmtpTester smtp = SmtpTester.connect(config().authProvider(null).build(), SmtpRole.MX, TlsMode.NONE,
                SmtpTester.LOOPBACK).expect("220 ");
        assertThat(smtp.ehlo("client.example")).noneMatch(l -> l.contains("AUTH"));
        smtp.send("AUTH PLAIN " + plain("alice", "secret")).expect("503 5.5.1 ");
    }

    @Test
    void submissionRequiresAuthBeforeMail() {
        loopback(config().build(), SmtpRole.SUBMISSION).send("MAIL FROM:<alice@example.org>")
                .expect("530 5.7.0 Authentication required")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ")
                .send("MAIL FROM:<alice@example.org>").expect("250 2.1.0 ");
    }

    @Test
    void authenticatedClientsRelayThroughTheTransport() {
        SmtpTester smtp = loopback(config().build(), SmtpRole.SUBMISSION)
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ")
                .send("MAIL FROM:<alice@example.org>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ")
                .send("RCPT TO:<bob@example.org>").expect("250 2.1.5 ")
                .send("DATA").expect("354 ").sendRaw("Subject: hi\r\n\r\nx\r\n.\r\n").expect("250 2.0.0 Ok: queued");
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).hasToString("[friend@remote.example]");
        assertThat(store.onlyContent()).contains("with ESMTPA id ");
        smtp.expectOpen();
    }

    @Test
    void authParameterIsTrustedOnlyFromAuthenticatedClients() {
        List<String> senders = new ArrayList<>();
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                senders.add(session.authenticated() + ":" + parameters.authSender());
                return Decision.ACCEPT;
            }
        };
        loopback(config().policy(policy).build(), SmtpRole.MX)
                .send("MAIL FROM:<a@client.example> AUTH=a+40client.example").expect("250 ")
                .send("RSET").expect("250 ")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ")
                .send("MAIL FROM:<a@client.example> AUTH=a+40client.example").expect("250 ");
        assertThat(senders).containsExactly("null:null", "alice:a@client.example");
    }

    @Test
    void relayNeedsATransportEvenWhenAuthenticated() {
        loopback(config().transport(null).build(), SmtpRole.MX).send("AUTH PLAIN " + plain("alice", "secret"))
                .expect("235 ").send("MAIL FROM:<alice@example.org>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("554 5.7.1 <friend@remote.example>: Relay access");
    }

    @Test
    void repeatedFailuresAreDelayedProgressivelyThenDisconnected() {
        SmtpConfig config = config().build();
        SmtpTester smtp = loopback(config, SmtpRole.MX);
        smtp.channel.freezeTime();
        for (int i = 0; i < 3; i++) {
            smtp.send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 ");
        }
        long[] expectedDelays = {1000, 2000, 4000, 8000, 16000, 16000};
        for (int i = 0; i < expectedDelays.length; i++) {
            assertThat(config.authThrottle().delayFor(4 + i).toMillis()).isEqualTo(expectedDelays[i]);
            smtp.send("AUTH PLAIN " + plain("alice", "wrong")).expectNothing();
            smtp.channel.advanceTimeBy(expectedDelays[i] - 1, TimeUnit.MILLISECONDS);
            smtp.channel.runScheduledPendingTasks();
            smtp.expectNothing();
            smtp.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            smtp.channel.runScheduledPendingTasks();
            smtp.channel.runPendingTasks();
            smtp.expect("535 5.7.8 ");
        }
        smtp.send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 ")
                .expect("421 4.7.0 mx.example.org Too many authentication failures").expectClosed();
    }

    @Test
    void startTlsIsRefusedAfterAuthAndOnImplicitTls() {
        SmtpTester implicit = SmtpTester.connect(config().build(), SmtpRole.SUBMISSIONS, TlsMode.IMPLICIT,
                SmtpTester.REMOTE).expect("220 ");
        // implicit TLS: AUTH is offered to a remote client, STARTTLS is not
        assertThat(implicit.ehlo("client.example")).contains("250-AUTH PLAIN LOGIN").doesNotContain("250-STARTTLS");
        implicit.send("STARTTLS").expect("503 5.5.1 ");
    }

    @Test
    void failuresCountPerClientAddressAcrossConnections() {
        AuthThrottle throttle = AuthThrottle.builder().delayAfter(100).blockAfter(4).build();
        SmtpConfig config = config().authThrottle(throttle).build();
        SmtpTester first = loopback(config, SmtpRole.MX);
        for (int i = 0; i < 3; i++) {
            first.send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 5.7.8 ");
        }
        first.send("QUIT").expect("221 ").expectClosed();
        SmtpTester second = loopback(config, SmtpRole.MX);
        // the fourth failure from this address reaches the limit: answered, then the connection is closed
        second.send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 5.7.8 ")
                .expect("421 4.7.0 mx.example.org Too many authentication failures").expectClosed();
        // new attempts, even with the right password, are refused before the mechanism runs
        SmtpTester third = loopback(config, SmtpRole.MX);
        third.send("AUTH PLAIN " + plain("alice", "secret")).expect("421 4.7.0 ").expectClosed();
        // another client address is not affected
        SmtpTester remote = SmtpTester.connect(config().authThrottle(throttle).allowInsecureAuth(true).build())
                .expect("220 ");
        remote.send("EHLO client.example").expect("250 ")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ");
    }

    @Test
    void delaysFollowTheFailuresOfTheAddressNotOnlyOfTheConnection() {
        AuthThrottle throttle = AuthThrottle.builder().delayAfter(2).blockAfter(100).build();
        SmtpConfig config = config().authThrottle(throttle).build();
        SmtpTester first = loopback(config, SmtpRole.MX);
        for (int i = 0; i < 2; i++) {
            first.send("AUTH PLAIN " + plain("alice", "wrong")).expect("535 ");
        }
        SmtpTester second = loopback(config, SmtpRole.MX);
        second.channel.freezeTime();
        // the first failure on this connection is the third from the address: delayed by the base delay
        second.send("AUTH PLAIN " + plain("alice", "wrong")).expectNothing();
        second.channel.advanceTimeBy(1, TimeUnit.SECONDS);
        second.channel.runScheduledPendingTasks();
        second.expect("535 5.7.8 ");
    }

    @Test
    void temporaryFailuresAndAbortsAreNotCounted() {
        AuthThrottle throttle = AuthThrottle.builder().blockAfter(1).build();
        SmtpTester smtp = loopback(config().authThrottle(throttle).build(), SmtpRole.MX);
        smtp.send("AUTH PLAIN " + plain("tempfail", "x")).expect("454 4.7.0 ")
                .send("AUTH PLAIN").expect("334 ").send("*").expect("501 5.0.0 ")
                .send("AUTH PLAIN " + plain("alice", "secret")).expect("235 ");
        assertThat(throttle.failures(SmtpTester.LOOPBACK.getAddress())).isZero();
    }
}
