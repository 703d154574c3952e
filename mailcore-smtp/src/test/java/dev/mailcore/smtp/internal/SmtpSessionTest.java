package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.netty.ShutdownEvent;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpSessionTest {
    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();

    static Resolution resolve(MailAddress address) {
        if (address.domain().equalsIgnoreCase("example.org") || address.domain().equalsIgnoreCase("mx.example.org")) {
            String local = address.localPart().toLowerCase();
            return List.of("alice", "bob", "postmaster", "δοκιμή").contains(local) ? Resolution.Local.of(local)
                    : Resolution.UNKNOWN;
        }
        return Resolution.REMOTE;
    }

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool)
                .clock(Clock.fixed(Instant.parse("2026-11-25T01:48:13Z"), ZoneOffset.UTC));
    }

    SmtpTester connect() {
        return SmtpTester.connect(config().build()).expect("220 mx.example.org ESMTP mailcore");
    }

    @Test
    void greetsAndAdvertisesExtensions() {
        SmtpTester smtp = connect();
        assertThat(smtp.ehlo("client.example")).containsExactly("250-mx.example.org", "250-PIPELINING",
                "250-SIZE 36700160", "250-ENHANCEDSTATUSCODES", "250-8BITMIME", "250-DSN", "250-SMTPUTF8",
                "250-CHUNKING", "250 BINARYMIME");
    }

    @Test
    void advertisesStartTlsOnlyOnStartTlsListeners() {
        SmtpTester smtp = SmtpTester.connect(config().build(), SmtpRole.MX, TlsMode.STARTTLS, SmtpTester.REMOTE);
        smtp.expect("220 ");
        // no ServerTls in the context: STARTTLS cannot be offered
        assertThat(smtp.ehlo("client.example")).doesNotContain("250-STARTTLS");
        smtp.send("STARTTLS").expect("502 5.5.1 ");
    }

    @Test
    void heloAnswersWithOneLineAndRefusesParameters() {
        connect().send("HELO client.example").expect("250 mx.example.org")
                .send("MAIL FROM:<a@client.example> SIZE=10").expect("555 5.5.4 ")
                .send("MAIL FROM:<a@client.example>").expect("250 2.1.0 ")
                .send("RCPT TO:<alice@example.org> NOTIFY=NEVER").expect("555 5.5.4 ")
                .send("RCPT TO:<alice@example.org>").expect("250 2.1.5 ");
    }

    @Test
    void refusesHeloWithoutOrWithBadArgument() {
        connect().send("EHLO").expect("501 5.5.4 ").send("HELO").expect("501 5.5.4 ")
                .send("EHLO two words").expect("501 5.5.4 ").send("EHLO [192.0.2.1]").expect("250 ");
    }

    @Test
    void commandsAreCaseInsensitive() {
        connect().send("ehlo client.example").expect("250 ").send("mail from:<a@client.example>")
                .expect("250 2.1.0 ").send("rcpt to:<Alice@Example.org>").expect("250 2.1.5 ")
                .send("rset").expect("250 2.0.0 ").send("noop").expect("250 2.0.0 ");
    }

    @Test
    void mailNeedsHeloAndNoOpenTransaction() {
        connect().send("MAIL FROM:<a@client.example>").expect("503 5.5.1 ")
                .send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 2.1.0 Ok")
                .send("MAIL FROM:<a@client.example>").expect("503 5.5.1 ");
    }

    @Test
    void ehloAndHeloResetTheTransaction() {
        connect().send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("HELO client.example").expect("250 mx.example.org")
                .send("RCPT TO:<alice@example.org>").expect("503 5.5.1 ")
                .send("DATA").expect("503 5.5.1 ")
                .send("AUTH PLAIN AGFsaWNlAHNlY3JldA==").expect("503 5.5.1 ");
    }

    @Test
    void heloSessionsAreReceivedWithSmtp() {
        connect().send("HELO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("354 ")
                .sendRaw("Subject: x\r\n\r\nx\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.onlyContent()).contains("\twith SMTP id S1M1 ");
    }

    @Test
    void mailAcceptsNullPathSourceRoutesAndOneSpaceAfterColon() {
        SmtpTester smtp = connect();
        smtp.send("EHLO client.example").expect("250 ");
        smtp.send("MAIL FROM:<>").expect("250 2.1.0 ").send("RSET").expect("250 2.0.0 ");
        smtp.send("MAIL FROM: <a@client.example>").expect("250 2.1.0 ").send("RSET").expect("250 2.0.0 ");
        smtp.send("MAIL FROM:<@relay.example:a@client.example>").expect("250 2.1.0 ");
    }

    @Test
    void mailRejectsBadSyntax() {
        connect().send("EHLO client.example").expect("250 ")
                .send("MAIL TO:<a@client.example>").expect("501 5.5.4 ")
                .send("MAIL FROM:a@client.example").expect("501 5.1.7 ")
                .send("MAIL FROM:<a@>").expect("501 5.1.7 ")
                .send("MAIL FROM:<a@client.example> FOO=BAR").expect("555 5.5.4 ")
                .send("MAIL FROM:<a@client.example> SIZE=1 SIZE=2").expect("555 5.5.4 ")
                .send("MAIL FROM:<a@client.example> SIZE=99999999999").expect("552 5.3.4 ")
                .send("MAIL FROM:<a@client.example> BODY=8BITMIME RET=FULL ENVID=x AUTH=<>").expect("250 2.1.0 ");
    }

    @Test
    void unicodeAddressesNeedSmtpUtf8() {
        connect().send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<δοκιμή@client.example>").expect("553 5.6.7 ")
                .send("MAIL FROM:<a@client.example>").expect("250 2.1.0 ")
                .send("RCPT TO:<δοκιμή@example.org>").expect("553 5.6.7 ")
                .send("RSET").expect("250 ")
                .send("MAIL FROM:<δοκιμή@client.example> SMTPUTF8").expect("250 2.1.0 ")
                .send("RCPT TO:<δοκιμή@example.org>").expect("250 2.1.5 ");
    }

    @Test
    void rcptChecksSequenceSyntaxAndMailboxes() {
        connect().send("EHLO client.example").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("503 5.5.1 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:alice@example.org").expect("501 5.1.3 ")
                .send("RCPT alice@example.org").expect("501 5.5.4 ")
                .send("RCPT TO:<nobody@example.org>")
                .expect("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown")
                .send("RCPT TO:<alice@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;alice+40example.org")
                .expect("250 2.1.5 Ok")
                .send("RCPT TO:<bob@example.org> FOO").expect("555 5.5.4 ");
    }

    @Test
    void postmasterWithoutDomainIsTheLocalPostmaster() {
        connect().send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<Postmaster>").expect("250 2.1.5 ");
    }

    @Test
    void relayIsDeniedWithoutAuthentication() {
        connect().send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<x@elsewhere.example>")
                .expect("554 5.7.1 <x@elsewhere.example>: Relay access denied");
    }

    @Test
    void limitsRecipientsPerTransaction() {
        SmtpTester smtp = SmtpTester.connect(config().maxRecipients(2).build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("RCPT TO:<postmaster@example.org>").expect("452 4.5.3 ");
    }

    @Test
    void policyDecisionsAreUsedAsGiven() {
        List<String> calls = new ArrayList<>();
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onHelo(SessionInfo session) {
                calls.add("helo " + session.heloName() + " " + session.listener() + " " + session.remote());
                return Decision.ACCEPT;
            }

            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                return from.toString().contains("spammer") ? Decision.reject(550, "5.7.1", "go away")
                        : Decision.ACCEPT;
            }

            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
                if (recipient.address().localPart().equals("bob")) {
                    return Decision.defer(450, "4.2.0", "greylisted");
                }
                if (recipient.address().localPart().equals("postmaster")) {
                    return new Decision.Disconnect(SmtpReply.of(421, "4.7.0", "bye now"));
                }
                return Decision.ACCEPT;
            }
        };
        SmtpTester smtp = SmtpTester.connect(config().policy(policy).build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<spammer@client.example>").expect("550 5.7.1 go away")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<bob@example.org>").expect("450 4.2.0 greylisted")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("RCPT TO:<postmaster@example.org>").expect("421 4.7.0 bye now").expectClosed();
        assertThat(calls).containsExactly("helo client.example smtp " + SmtpTester.REMOTE);
    }

    @Test
    void connectionRefusedByPolicyAnswersOnlyQuit() {
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onConnect(SessionInfo session) {
                return Decision.reject(554, "5.7.1", "mx.example.org No SMTP service here");
            }
        };
        SmtpTester.connect(config().policy(policy).build())
                .expect("554 5.7.1 mx.example.org No SMTP service here")
                .send("EHLO client.example").expect("503 5.5.1 ")
                .send("MAIL FROM:<a@client.example>").expect("503 5.5.1 ")
                .send("QUIT").expect("221 2.0.0 ").expectClosed();
    }

    @Test
    void connectionDisconnectedByPolicyIsClosedAfterTheReply() {
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onConnect(SessionInfo session) {
                return new Decision.Disconnect(SmtpReply.of(421, "4.7.0", "mx.example.org busy"));
            }
        };
        SmtpTester.connect(config().policy(policy).build()).expect("421 4.7.0 mx.example.org busy").expectClosed();
    }

    @Test
    void failingPolicyAnswers451AndKeepsTheSession() {
        DeliveryPolicy policy = new DeliveryPolicy() {
            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                throw new IllegalStateException("database down");
            }
        };
        SmtpTester.connect(config().policy(policy).build()).expect("220 ")
                .send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("451 4.3.0 ")
                .send("NOOP").expect("250 ").expectOpen();
    }

    @Test
    void simpleCommands() {
        connect().send("NOOP").expect("250 2.0.0 Ok").send("NOOP anything").expect("250 2.0.0 ")
                .send("RSET").expect("250 2.0.0 Ok").send("RSET x").expect("501 5.5.4 ")
                .send("VRFY alice").expect("252 2.5.0 Cannot VRFY user")
                .send("EXPN staff").expect("502 5.5.1 ")
                .send("HELP").expect("214 2.0.0 ")
                .send("ETRN example.org").expect("502 5.5.1 Error: command not implemented")
                .send("TURN").expect("502 5.5.1 ").send("SEND FROM:<a@b>").expect("502 5.5.1 ")
                .send("SAML FROM:<a@b>").expect("502 5.5.1 ").send("SOML FROM:<a@b>").expect("502 5.5.1 ")
                .send("FOO").expect("500 5.5.2 Error: command not recognized")
                .send("QUIT").expect("221 2.0.0 Bye").expectClosed();
    }

    @Test
    void badLinesAreAnswered500() {
        SmtpTester smtp = connect();
        smtp.sendRaw("NOOP\n").expect("500 5.5.2 ");
        smtp.sendRaw("NO\rOP\r\n").expect("500 5.5.2 ");
        smtp.sendBytes(new byte[] {'N', 'O', (byte) 0xFF, '\r', '\n'}).expect("500 5.5.2 ");
        smtp.send("NOOP " + "x".repeat(2000)).expect("500 5.5.6 ");
        smtp.send("NOOP").expect("250 ");
    }

    @Test
    void closesAfterTooManyBadCommands() {
        SmtpTester smtp = SmtpTester.connect(config().maxBadCommands(3).build()).expect("220 ");
        smtp.send("FOO").expect("500 ").send("RCPT TO:<a@b.example>").expect("503 ").expectOpen();
        smtp.send("BAR").expect("500 ").expect("421 4.7.0 mx.example.org Error: too many errors").expectClosed();
    }

    @Test
    void answersAPipelinedBatchInOrderWithOneFlush() {
        SmtpTester smtp = connect();
        smtp.send("EHLO client.example").nextReply();
        int before = smtp.flushes;
        smtp.sendRaw("MAIL FROM:<a@client.example>\r\nRCPT TO:<alice@example.org>\r\nRCPT TO:<nobody@example.org>\r\n"
                + "RCPT TO:<bob@example.org>\r\nDATA\r\n");
        assertThat(smtp.flushes - before).isEqualTo(1);
        smtp.expect("250 2.1.0 ").expect("250 2.1.5 ").expect("550 5.1.1 ").expect("250 2.1.5 ").expect("354 ");
        smtp.sendRaw("Subject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n").expect("250 2.0.0 Ok: queued as ").expect("221 ");
        assertThat(store.deliveries).hasSize(1);
    }

    @Test
    void shutdownClosesAnIdleSessionAtOnce() {
        SmtpTester smtp = connect();
        smtp.send("EHLO client.example").expect("250 ");
        smtp.channel.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        smtp.expect("421 4.3.2 mx.example.org Service shutting down").expectClosed();
    }

    @Test
    void shutdownLetsTheCurrentTransactionFinish() {
        SmtpTester smtp = connect();
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ");
        smtp.channel.pipeline().fireUserEventTriggered(ShutdownEvent.INSTANCE);
        smtp.expectNothing().expectOpen();
        smtp.send("DATA").expect("354 ").sendRaw("Subject: x\r\n\r\nhi\r\n.\r\n")
                .expect("250 2.0.0 Ok: queued as ").expect("421 4.3.2 ").expectClosed();
        assertThat(store.deliveries).hasSize(1);
    }
}
