package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.Transport;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.smtp.SmtpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Discard and Relay decisions at each phase, expanded aliases and the per-connection limits. */
class SmtpPolicyDecisionsTest {
    private static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n.\r\n";

    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();
    final List<Envelope> relayed = new ArrayList<>();

    final Transport transport = (Envelope envelope, MessageSource content) -> {
        relayed.add(envelope);
        List<RecipientOutcome> outcomes = new ArrayList<>();
        envelope.recipientAddresses().forEach(a -> outcomes.add(
                new RecipientOutcome(a, DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok"))));
        return new DeliveryReport(outcomes);
    };

    static Resolution resolve(MailAddress address) {
        if (!address.domain().equalsIgnoreCase("example.org")) {
            return Resolution.REMOTE;
        }
        switch (address.localPart().toLowerCase()) {
            case "team":
                return new Resolution.Expanded(List.of("alice", "bob"), List.of(MailAddress.parse("carol@remote.example")));
            case "fwd":
                return new Resolution.Expanded(List.of(), List.of(MailAddress.parse("carol@remote.example")));
            case "alice":
            case "bob":
                return Resolution.Local.of(address.localPart().toLowerCase());
            default:
                return Resolution.UNKNOWN;
        }
    }

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpPolicyDecisionsTest::resolve)
                .store(store).executor(Runnable::run).spoolDirectory(spool).transport(transport);
    }

    /** A policy answering {@code decision} at {@code phase} and Accept elsewhere. */
    static DeliveryPolicy at(String phase, Decision decision) {
        return at(phase, r -> decision);
    }

    static DeliveryPolicy at(String phase, Function<MailAddress, Decision> atRcpt) {
        return new DeliveryPolicy() {
            @Override
            public Decision onConnect(SessionInfo session) {
                return phase.equals("connect") ? atRcpt.apply(null) : Decision.ACCEPT;
            }

            @Override
            public Decision onHelo(SessionInfo session) {
                return phase.equals("helo") ? atRcpt.apply(null) : Decision.ACCEPT;
            }

            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                return phase.equals("mail") ? atRcpt.apply(null) : Decision.ACCEPT;
            }

            @Override
            public Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
                return phase.equals("rcpt") ? atRcpt.apply(recipient.address()) : Decision.ACCEPT;
            }
        };
    }

    SmtpTester session(SmtpConfig config) {
        SmtpTester smtp = SmtpTester.connect(config).expect("220 mx.example.org ESMTP");
        smtp.send("EHLO client.example").expect("250 ");
        return smtp;
    }

    @Test
    void discardAtConnectAcceptsEveryMessageOfTheSessionAndDropsIt() {
        SmtpTester smtp = session(config().policy(at("connect", Decision.DISCARD)).build());
        for (int i = 0; i < 2; i++) {
            smtp.send("MAIL FROM:<a@client.example>").expect("250 2.1.0 ")
                    .send("RCPT TO:<alice@example.org>").expect("250 2.1.5 ")
                    .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 Ok: queued as ");
        }
        assertThat(store.deliveries).isEmpty();
        assertThat(relayed).isEmpty();
    }

    @Test
    void discardAtHeloDropsMessagesButStillChecksRecipients() {
        SmtpTester smtp = session(config().policy(at("helo", Decision.DISCARD)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<nobody@example.org>").expect("550 5.1.1 ")
                .send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void discardAtMailDropsOnlyThatTransaction() {
        int[] mails = {0};
        DeliveryPolicy firstOnly = new DeliveryPolicy() {
            @Override
            public Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
                return mails[0]++ == 0 ? Decision.DISCARD : Decision.ACCEPT;
            }
        };
        SmtpTester smtp = session(config().policy(firstOnly).build());
        for (int i = 0; i < 2; i++) {
            smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                    .send("RCPT TO:<alice@example.org>").expect("250 ")
                    .send("RCPT TO:<friend@remote.example>").expect("554 5.7.1 ")
                    .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        }
        assertThat(store.deliveries).hasSize(1);
        assertThat(relayed).isEmpty();
    }

    @Test
    void discardAtRcptDropsOnlyThatRecipient() {
        SmtpTester smtp = session(config().policy(at("rcpt",
                a -> a.localPart().equals("bob") ? Decision.DISCARD : Decision.ACCEPT)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<bob@example.org>").expect("250 2.1.5 ")
                .send("RCPT TO:<alice@example.org>").expect("250 2.1.5 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
    }

    @Test
    void messageWhoseRecipientsAreAllDiscardedIsAcceptedAndDropped() {
        SmtpTester smtp = session(config().policy(at("rcpt", Decision.DISCARD)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<nobody@example.org>").expect("250 2.1.5 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ")
                .send("BDAT 5 LAST").sendRaw("hello").expect("250 2.0.0 Ok: queued as ");
        assertThat(store.deliveries).isEmpty();
        assertThat(relayed).isEmpty();
    }

    @Test
    void relayAtConnectTrustsTheClientForTheWholeSession() {
        SmtpTester smtp = session(config().policy(at("connect", Decision.RELAY)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<other@remote.example>").expect("250 2.1.5 ");
        assertThat(relayed).hasSize(1);
    }

    @Test
    void relayAtHeloOrMailTrustsTheClientFromThenOn() {
        session(config().policy(at("helo", Decision.RELAY)).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ");
        session(config().policy(at("mail", Decision.RELAY)).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ")
                .send("RSET").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("250 2.1.5 ");
    }

    @Test
    void relayAtRcptAllowsOnlyThatRecipient() {
        SmtpTester smtp = session(config().policy(at("rcpt",
                a -> a.domain().equals("partner.example") ? Decision.RELAY : Decision.ACCEPT)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<x@partner.example>").expect("250 2.1.5 ")
                .send("RCPT TO:<x@remote.example>").expect("554 5.7.1 <x@remote.example>: Relay access denied")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 ");
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).containsExactly(MailAddress.parse("x@partner.example"));
    }

    @Test
    void relayDecisionDoesNotMakeUnknownLocalUsersValid() {
        session(config().policy(at("rcpt", Decision.RELAY)).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<nobody@example.org>").expect("550 5.1.1 ");
    }

    @Test
    void relayDecisionStillNeedsATransport() {
        session(config().transport(null).policy(at("connect", Decision.RELAY)).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<friend@remote.example>").expect("554 5.7.1 ");
    }

    @Test
    void rejectAtRcptWinsOverTheResolver() {
        session(config().policy(at("rcpt", Decision.reject(550, "5.7.1", "blocked"))).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("550 5.7.1 blocked");
    }

    @Test
    void disconnectAtRcptClosesTheConnection() {
        session(config().policy(at("rcpt", new Decision.Disconnect(SmtpReply.of(421, "4.7.0", "go away"))))
                .build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("421 4.7.0 go away").expectClosed();
    }

    @Test
    void expandedAliasesDeliverLocallyAndForwardWithoutAuthorisation() {
        SmtpTester smtp = session(config().build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<team@example.org>").expect("250 2.1.5 ")
                .send("RCPT TO:<fwd@example.org>").expect("250 2.1.5 ")
                .send("RCPT TO:<alice@example.org>").expect("250 2.1.5 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        // alice reached twice, carol twice: one copy each
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.deliveries.get(0).targets())
                .containsExactly(MailboxRef.inbox("alice"), MailboxRef.inbox("bob"));
        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0).recipientAddresses()).containsExactly(MailAddress.parse("carol@remote.example"));
    }

    @Test
    void forwardsWithoutATransportAreRefusedAtRcpt() {
        session(config().transport(null).build())
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<team@example.org>").expect("550 5.7.1 <team@example.org>: ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 ");
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
    }

    @Test
    void tooManyRecipientsIs452AndTheTransactionGoesOn() {
        SmtpTester smtp = session(config().maxRecipients(2).policy(at("rcpt",
                a -> a.localPart().equals("bob") ? Decision.DISCARD : Decision.ACCEPT)).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("RCPT TO:<bob@example.org>").expect("250 ")
                // discarded recipients count too
                .send("RCPT TO:<team@example.org>").expect("452 4.5.3 Error: too many recipients")
                .send("RCPT TO:<team@example.org>").expect("452 4.5.3 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<team@example.org>").expect("250 ");
        smtp.expectOpen();
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
    }

    @Test
    void transactionsBeyondTheLimitCloseTheConnection() {
        SmtpTester smtp = session(config().maxTransactionsPerConnection(2).build());
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RSET").expect("250 ")
                .send("MAIL FROM:<a@client.example>")
                .expect("421 4.7.0 mx.example.org Error: too many transactions in this connection")
                .expectClosed();
        assertThat(store.deliveries).hasSize(1);
    }

    @Test
    void transactionsAreUnlimitedByDefault() {
        SmtpTester smtp = session(config().build());
        for (int i = 0; i < 50; i++) {
            smtp.send("MAIL FROM:<a@client.example>").expect("250 ").send("RSET").expect("250 ");
        }
        smtp.expectOpen();
    }
}
