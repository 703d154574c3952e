package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.DeliveryPolicy;
import dev.mailcore.api.DeliveryReport;
import dev.mailcore.api.DeliveryStatus;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.RecipientOutcome;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.auth.AuthResult;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.netty.TlsMode;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classic open-relay tricks against an MX whose only local domain is {@code example.com}: from an
 * unauthenticated outside client each is refused and nothing reaches the transport; from an authenticated or
 * policy-trusted client the same addresses are handled as what they really are (relayed, or unknown locally).
 */
class OpenRelayTest {
    static final InetSocketAddress OUTSIDE = new InetSocketAddress("203.0.113.5", 40000);
    static final String MESSAGE = "Subject: relay test\r\n\r\nbody\r\n.\r\n";

    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();
    final List<Envelope> relayed = new CopyOnWriteArrayList<>();

    /** Like the server's default resolver: one local domain with one user; every other domain is remote. */
    static Resolution resolve(MailAddress address) {
        if (!address.normalizedDomain().equals("example.com")) {
            return Resolution.REMOTE;
        }
        return address.localPart().toLowerCase(Locale.ROOT).equals("alice") ? Resolution.Local.of("alice")
                : Resolution.UNKNOWN;
    }

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.com").resolver(OpenRelayTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool)
                .authProvider((user, password) -> user.equals("alice") && password.equals("secret")
                        ? new AuthResult.Success("alice") : AuthResult.FAILURE)
                .transport((Envelope envelope, MessageSource content) -> {
                    relayed.add(envelope);
                    List<RecipientOutcome> outcomes = new ArrayList<>();
                    envelope.recipientAddresses().forEach(a -> outcomes.add(new RecipientOutcome(a,
                            DeliveryStatus.DELIVERED, SmtpReply.of(250, "2.0.0", "ok"))));
                    return new DeliveryReport(outcomes);
                });
    }

    /** What an authorised client's RCPT must lead to. */
    enum Handling {
        /** Relayed to the address given (the real destination). */
        RELAYED,
        /** A local-domain address without such a user: 550 5.1.1, never relayed. */
        UNKNOWN_LOCAL,
        /** Not a valid path: 501 5.1.3. */
        SYNTAX,
        /** Needs SMTPUTF8 that MAIL did not ask for: 553 5.6.7. */
        NEEDS_SMTPUTF8
    }

    /**
     * @param trick        the name of the trick
     * @param rcptArgument what follows {@code RCPT TO:}
     * @param smtpUtf8     whether MAIL asks for SMTPUTF8
     * @param unauthorised the reply prefix an outside client gets
     * @param authorised   what happens for an authenticated or trusted client
     * @param destination  the address the transport must see when {@link Handling#RELAYED}
     */
    record Trick(String trick, String rcptArgument, boolean smtpUtf8, String unauthorised, Handling authorised,
                 String destination) {
        @Override
        public String toString() {
            return trick + " " + rcptArgument + (smtpUtf8 ? " SMTPUTF8" : "");
        }
    }

    static Stream<Trick> tricks() {
        return Stream.of(
                new Trick("percent hack", "<user%remote.example@example.com>", false, "550 5.1.1 ",
                        Handling.UNKNOWN_LOCAL, null),
                new Trick("quoted local part", "<\"user@remote.example\"@example.com>", false, "550 5.1.1 ",
                        Handling.UNKNOWN_LOCAL, null),
                new Trick("source route", "<@example.com:user@remote.example>", false, "554 5.7.1 ",
                        Handling.RELAYED, "user@remote.example"),
                new Trick("bang path", "<remote.example!user@example.com>", false, "550 5.1.1 ",
                        Handling.UNKNOWN_LOCAL, null),
                new Trick("address literal", "<user@[192.0.2.1]>", false, "554 5.7.1 ",
                        Handling.RELAYED, "user@[192.0.2.1]"),
                new Trick("loopback literal", "<user@[127.0.0.1]>", false, "554 5.7.1 ",
                        Handling.RELAYED, "user@[127.0.0.1]"),
                new Trick("trailing dot", "<user@remote.example.>", false, "501 5.1.3 ", Handling.SYNTAX, null),
                new Trick("mixed case", "<User@REMOTE.Example>", false, "554 5.7.1 ",
                        Handling.RELAYED, "User@REMOTE.Example"),
                new Trick("spaces inside brackets", "< user@remote.example >", false, "501 5.1.3 ",
                        Handling.SYNTAX, null),
                new Trick("Cyrillic lookalike without SMTPUTF8", "<user@ex\u0430mple.com>", false, "553 5.6.7 ",
                        Handling.NEEDS_SMTPUTF8, null),
                new Trick("Cyrillic lookalike with SMTPUTF8", "<user@ex\u0430mple.com>", true, "554 5.7.1 ",
                        Handling.RELAYED, "user@ex\u0430mple.com"),
                new Trick("two at signs", "<user@example.com@remote.example>", false, "501 5.1.3 ",
                        Handling.SYNTAX, null),
                new Trick("double brackets", "<<user@remote.example>>", false, "501 5.1.3 ", Handling.SYNTAX, null),
                new Trick("remote postmaster", "<postmaster@remote.example>", false, "554 5.7.1 ",
                        Handling.RELAYED, "postmaster@remote.example"),
                new Trick("plain remote", "<user@remote.example>", false, "554 5.7.1 ",
                        Handling.RELAYED, "user@remote.example"));
    }

    static Stream<Arguments> tricksAndAuthorisations() {
        return tricks().flatMap(t -> Stream.of(Arguments.of(t, "AUTH"), Arguments.of(t, "policy Relay")));
    }

    SmtpTester outsider(SmtpConfig config) {
        SmtpTester smtp = SmtpTester.connect(config, SmtpRole.MX, TlsMode.NONE, OUTSIDE).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ");
        return smtp;
    }

    static String mail(Trick trick) {
        return "MAIL FROM:<spammer@client.example>" + (trick.smtpUtf8() ? " SMTPUTF8" : "");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tricks")
    void outsideClientCannotRelayWithTheTrick(Trick trick) {
        SmtpTester smtp = outsider(config().build());
        smtp.send(mail(trick)).expect("250 ")
                .send("RCPT TO:" + trick.rcptArgument()).expect(trick.unauthorised())
                // a genuine local recipient makes the message acceptable: still nothing may leave
                .send("RCPT TO:<alice@example.com>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        assertThat(relayed).isEmpty();
        assertThat(store.deliveries).hasSize(1);
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
    }

    @Test
    void manyRelayAttemptsInOneSessionRelayNothing() {
        SmtpTester smtp = outsider(config().build());
        smtp.send("MAIL FROM:<spammer@client.example> SMTPUTF8").expect("250 ");
        List<Trick> all = tricks().filter(t -> t.authorised() != Handling.SYNTAX).toList();
        for (int round = 0; round < 20; round++) {
            for (Trick trick : all) {
                List<String> reply = smtp.send("RCPT TO:" + trick.rcptArgument()).nextReply();
                assertThat(reply.get(0)).as(trick.toString()).matches("5\\d\\d .*");
            }
            smtp.send("RCPT TO:<victim" + round + "@remote" + round + ".example>").expect("554 5.7.1 ");
        }
        smtp.send("DATA").expect("554 5.5.1 Error: no valid recipients")
                .send("BDAT 4 LAST").sendRaw("spam").expect("503 5.5.1 ")
                .expectOpen();
        assertThat(relayed).isEmpty();
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void syntaxTricksEndTheConnectionOnceTheyPileUp() {
        SmtpTester smtp = outsider(config().maxBadCommands(5).build());
        smtp.send("MAIL FROM:<spammer@client.example>").expect("250 ");
        for (int i = 0; i < 4; i++) {
            smtp.send("RCPT TO:<<user@remote.example>>").expect("501 5.1.3 ");
        }
        smtp.send("RCPT TO:< user@remote.example >").expect("501 5.1.3 ").expect("421 4.7.0 ").expectClosed();
        assertThat(relayed).isEmpty();
    }

    @Test
    void anAuthFailureDoesNotOpenTheRelay() {
        SmtpTester smtp = outsider(config().allowInsecureAuth(true).build());
        smtp.send("AUTH PLAIN " + SmtpAuthTest.plain("alice", "wrong")).expect("535 ")
                .send("MAIL FROM:<spammer@client.example>").expect("250 ")
                .send("RCPT TO:<user@remote.example>").expect("554 5.7.1 <user@remote.example>: Relay access denied");
        assertThat(relayed).isEmpty();
    }

    @ParameterizedTest(name = "{0} after {1}")
    @MethodSource("tricksAndAuthorisations")
    void authorisedClientGetsEachAddressHandledForWhatItIs(Trick trick, String authorisation) {
        SmtpTester smtp;
        if (authorisation.equals("AUTH")) {
            smtp = outsider(config().allowInsecureAuth(true).build());
            smtp.send("AUTH PLAIN " + SmtpAuthTest.plain("alice", "secret")).expect("235 ");
        } else {
            DeliveryPolicy trustedNetwork = new DeliveryPolicy() {
                @Override
                public Decision onConnect(SessionInfo session) {
                    return session.remote().getAddress().getHostAddress().startsWith("203.0.113.")
                            ? Decision.RELAY : Decision.ACCEPT;
                }
            };
            smtp = outsider(config().policy(trustedNetwork).build());
        }
        smtp.send(mail(trick)).expect("250 ").send("RCPT TO:<alice@example.com>").expect("250 ");
        switch (trick.authorised()) {
            case RELAYED:
                smtp.send("RCPT TO:" + trick.rcptArgument()).expect("250 2.1.5 ");
                break;
            case UNKNOWN_LOCAL:
                smtp.send("RCPT TO:" + trick.rcptArgument()).expect("550 5.1.1 ");
                break;
            case SYNTAX:
                smtp.send("RCPT TO:" + trick.rcptArgument()).expect("501 5.1.3 ");
                break;
            default:
                smtp.send("RCPT TO:" + trick.rcptArgument()).expect("553 5.6.7 ");
                break;
        }
        smtp.send("DATA").expect("354 ").sendRaw(MESSAGE).expect("250 2.0.0 ");
        if (trick.authorised() == Handling.RELAYED) {
            assertThat(relayed).hasSize(1);
            MailAddress destination = MailAddress.parse(trick.destination());
            assertThat(relayed.get(0).recipientAddresses()).containsExactly(destination);
            assertThat(relayed.get(0).recipientAddresses().get(0).localPart()).isEqualTo(destination.localPart());
        } else {
            assertThat(relayed).isEmpty();
        }
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
    }
}
