package dev.mailcore.imap.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.imap.ImapProtocol;
import dev.mailcore.netty.TlsMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class ImapSessionTest extends ImapTestSupport {

    @Test
    void greetsWithCapabilitiesAndLogsIn() {
        ImapTester imap = ImapTester.connect(protocol());
        String greeting = imap.nextLine();
        assertThat(greeting).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2 SASL-IR LITERAL+ ENABLE IDLE ID")
                .contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED").endsWith("] mailcore ready.");
        List<String> lines = imap.run("a1 LOGIN alice secret");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("a1 OK [CAPABILITY IMAP4rev1").contains(" UIDPLUS ", " MOVE ",
                " APPENDLIMIT=" + protocol().config().maxMessageSize() + " ").endsWith("Logged in");
    }

    @Test
    void refusesWrongPasswordAndCommandsBeforeLogin() {
        ImapTester imap = ImapTester.connect(protocol());
        imap.nextLine();
        assertThat(imap.run("a1 LOGIN alice wrong")).containsExactly("a1 NO [AUTHENTICATIONFAILED] Authentication failed.");
        assertThat(imap.run("a2 SELECT INBOX")).containsExactly("a2 BAD Please login first.");
        assertThat(imap.run("a3 FETCH 1 FLAGS")).containsExactly("a3 BAD Please login first.");
    }

    @Test
    void disablesLoginWithoutTlsForRemoteClients() {
        ImapTester imap = new ImapTester(protocol(), TlsMode.NONE, null, ImapTester.REMOTE);
        assertThat(imap.nextLine()).contains(" LOGINDISABLED").doesNotContain("AUTH=");
        assertThat(imap.run("a1 LOGIN alice secret")).containsExactly(
                "a1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
        assertThat(imap.run("a2 AUTHENTICATE PLAIN")).containsExactly(
                "a2 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.");
        assertThat(imap.run("a3 STARTTLS")).containsExactly("a3 BAD TLS support isn't enabled.");
    }

    @Test
    void authenticatesWithPlainInitialResponse() {
        ImapTester imap = ImapTester.connect(protocol());
        imap.nextLine();
        String ir = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(UTF_8));
        assertThat(last(imap.run("a1 AUTHENTICATE PLAIN " + ir))).startsWith("a1 OK [CAPABILITY ").endsWith("Logged in");
        assertThat(imap.run("a2 LOGIN alice secret")).containsExactly("a2 BAD Already logged in.");
    }

    @Test
    void authenticatesWithContinuation() {
        ImapTester imap = ImapTester.connect(protocol());
        imap.nextLine();
        imap.send("a1 AUTHENTICATE PLAIN");
        assertThat(imap.nextLine()).isEqualTo("+ ");
        imap.send(Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(UTF_8)));
        assertThat(imap.nextLine()).startsWith("a1 OK [CAPABILITY ");
        assertThat(imap.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
    }

    @Test
    void cancelledAuthenticationIsBad() {
        ImapTester imap = ImapTester.connect(protocol());
        imap.nextLine();
        imap.send("a1 AUTHENTICATE PLAIN");
        assertThat(imap.nextLine()).isEqualTo("+ ");
        imap.send("*");
        assertThat(imap.nextLine()).isEqualTo("a1 BAD Authentication aborted by client.");
        assertThat(imap.run("a2 CAPABILITY")).hasSize(2);
    }

    @Test
    void answersCapabilityNoopIdNamespaceAndLogout() {
        ImapTester imap = session();
        List<String> cap = imap.run("a1 CAPABILITY");
        assertThat(cap.get(0)).startsWith("* CAPABILITY IMAP4rev1 IMAP4rev2").contains("QRESYNC", "ESEARCH", "IDLE");
        assertThat(cap.get(1)).isEqualTo("a1 OK Capability completed.");
        assertThat(imap.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
        assertThat(imap.run("a3 ID (\"name\" \"test\")")).containsExactly("* ID (\"name\" \"mailcore\")", "a3 OK ID completed.");
        assertThat(imap.run("a4 NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \"/\")) NIL NIL", "a4 OK Namespace completed.");
        assertThat(imap.run("a5 LOGOUT")).containsExactly("* BYE Logging out", "a5 OK Logout completed.");
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void enablesExtensionsOnce() {
        ImapTester imap = session();
        assertThat(imap.run("a1 ENABLE CONDSTORE QRESYNC X-UNKNOWN")).containsExactly("* ENABLED CONDSTORE QRESYNC",
                "a1 OK Enabled.");
        assertThat(imap.run("a2 ENABLE QRESYNC")).containsExactly("* ENABLED", "a2 OK Enabled.");
    }

    @Test
    void closesAfterTooManyBadCommands() {
        ImapProtocol protocol = new ImapProtocol(configBuilder().maxBadCommands(3).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.run("a1 FOO");
        imap.run("a2 BAR");
        assertThat(imap.channel.isOpen()).isTrue();
        imap.send("a3 BAZ");
        List<String> lines = imap.until("* BYE");
        assertThat(lines.get(0)).startsWith("a3 BAD");
        assertThat(last(lines)).isEqualTo("* BYE Too many invalid IMAP commands.");
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void badCommandsInterleavedWithGoodOnesKeepTheConnectionOpen() {
        ImapTester imap = session();
        for (int i = 0; i < 30; i++) {
            assertThat(imap.run("b" + i + " FETCH")).singleElement().asString().startsWith("b" + i + " BAD");
            assertThat(imap.run("n" + i + " NOOP")).containsExactly("n" + i + " OK NOOP completed.");
        }
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void consecutiveBadCommandsStillCloseAfterGoodOnes() {
        ImapProtocol protocol = new ImapProtocol(configBuilder().maxBadCommands(3).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        imap.run("a1 FOO");
        imap.run("a2 FOO");
        imap.run("a3 NOOP");
        imap.run("a4 FOO");
        imap.run("a5 FOO");
        assertThat(imap.channel.isOpen()).isTrue();
        imap.send("a6 FOO");
        assertThat(imap.until("* BYE")).last().isEqualTo("* BYE Too many invalid IMAP commands.");
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void commandsInTheWrongStateAreBadButNotCountedAsSyntaxErrors() {
        ImapProtocol protocol = new ImapProtocol(configBuilder().maxBadCommands(3).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        for (int i = 0; i < 5; i++) {
            assertThat(imap.run("a" + i + " FETCH 1 FLAGS")).containsExactly("a" + i + " BAD No mailbox selected.");
        }
        assertThat(imap.run("b1 LOGIN alice secret")).containsExactly("b1 BAD Already logged in.");
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void syntaxErrorsAreBadButKeepTheConnection() {
        ImapTester imap = session();
        List<String> lines = imap.run("a1 FETCH");
        assertThat(last(lines)).startsWith("a1 BAD");
        assertThat(imap.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void logsOutAnIdleClientAfterTheAutologoutTimeout() {
        ImapProtocol protocol = new ImapProtocol(configBuilder().autologoutTimeout(Duration.ofMinutes(30)).build());
        ImapTester imap = ImapTester.connect(protocol);
        imap.nextLine();
        imap.login();
        imap.channel.advanceTimeBy(29, TimeUnit.MINUTES);
        imap.settle();
        assertThat(imap.channel.isOpen()).isTrue();
        imap.run("a1 NOOP");
        imap.channel.advanceTimeBy(29, TimeUnit.MINUTES);
        imap.settle();
        assertThat(imap.channel.isOpen()).isTrue();
        imap.channel.advanceTimeBy(2, TimeUnit.MINUTES);
        imap.settle();
        assertThat(imap.nextLine()).isEqualTo("* BYE Disconnected for inactivity.");
        assertThat(imap.channel.isOpen()).isFalse();
    }

    @Test
    void selectsInboxWithRev1Responses() {
        deliver(MESSAGE, Flag.SEEN);
        deliver(MESSAGE);
        ImapTester imap = session();
        List<String> select = imap.run("a2 SELECT INBOX");
        long validity = store.mailbox(MailboxRef.inbox("alice")).get().uidValidity();
        assertThat(select).containsExactly(
                "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)",
                "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.",
                "* 2 EXISTS",
                "* 2 RECENT",
                "* OK [UNSEEN 2] First unseen.",
                "* OK [UIDVALIDITY " + validity + "] UIDs valid",
                "* OK [UIDNEXT 3] Predicted next UID",
                "* OK [HIGHESTMODSEQ " + store.mailbox(MailboxRef.inbox("alice")).get().highestModSeq() + "] Highest",
                "a2 OK [READ-WRITE] Select completed.");
    }

    @Test
    void selectsWithRev2ResponsesAndExaminesReadOnly() {
        deliver(MESSAGE);
        ImapTester imap = session();
        imap.run("a1 ENABLE IMAP4rev2");
        List<String> examine = imap.run("a2 EXAMINE INBOX");
        assertThat(examine).contains("* OK [PERMANENTFLAGS ()] Read-only mailbox.", "* 1 EXISTS",
                "* LIST () \"/\" INBOX").noneMatch(l -> l.contains("RECENT") || l.contains("UNSEEN"));
        assertThat(last(examine)).isEqualTo("a2 OK [READ-ONLY] Examine completed.");
        assertThat(imap.run("a3 STORE 1 +FLAGS \\Seen")).containsExactly("a3 NO [CANNOT] Mailbox is read-only.");
        assertThat(imap.run("a4 SELECT INBOX")).first().isEqualTo("* OK [CLOSED] Previous mailbox closed.");
    }

    @Test
    void selectingAMissingMailboxFails() {
        ImapTester imap = session();
        assertThat(imap.run("a1 SELECT Nowhere")).containsExactly("a1 NO [NONEXISTENT] Mailbox doesn't exist: Nowhere");
        assertThat(imap.run("a2 FETCH 1 FLAGS")).containsExactly("a2 BAD No mailbox selected.");
    }

    @Test
    void recentIsClaimedByTheFirstSessionOnly() {
        deliver(MESSAGE);
        ImapTester first = session();
        assertThat(first.run("a1 SELECT INBOX")).contains("* 1 RECENT");
        ImapTester second = session();
        assertThat(second.run("a1 SELECT INBOX")).contains("* 0 RECENT");
        assertThat(first.run("a2 FETCH 1 FLAGS")).first().isEqualTo("* 1 FETCH (FLAGS (\\Recent))");
    }

    @Test
    void startTlsDropsPipelinedCommandsAndInstallsTls() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(dev.mailcore.netty.TlsConfig.selfSigned());
        ImapTester imap = new ImapTester(protocol(), TlsMode.STARTTLS, tls, ImapTester.REMOTE);
        assertThat(imap.nextLine()).contains(" STARTTLS", " LOGINDISABLED");
        imap.sendRaw("a1 STARTTLS\r\na2 LOGIN alice secret\r\n");
        assertThat(imap.nextLine()).isEqualTo("a1 OK Begin TLS negotiation now.");
        assertThat(imap.channel.pipeline().get(io.netty.handler.ssl.SslHandler.class)).isNotNull();
        // whatever follows is the TLS handshake (binary), never a reply to the pipelined LOGIN
        assertThat(imap.pending()).doesNotContain("a2");
    }

    @Test
    void anIdleLineOverTheLengthLimitEndsIdleWithATaggedBad() {
        ImapTester imap = ImapTester.connect(new ImapProtocol(configBuilder().maxLineLength(1024).build()));
        imap.nextLine();
        imap.login();
        imap.send("a1 IDLE");
        assertThat(imap.nextLine()).isEqualTo("+ idling");
        imap.send("x".repeat(2000));
        assertThat(imap.nextLine()).isEqualTo("a1 BAD Expected DONE.");
        assertThat(imap.run("a2 NOOP")).containsExactly("a2 OK NOOP completed.");
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void anAuthenticateResponseOverTheLengthLimitFailsWithATaggedBad() {
        ImapTester imap = ImapTester.connect(new ImapProtocol(configBuilder().maxLineLength(1024).build()));
        imap.nextLine();
        imap.send("a1 AUTHENTICATE PLAIN");
        assertThat(imap.nextLine()).isEqualTo("+ ");
        imap.send("A".repeat(2000));
        assertThat(imap.nextLine()).isEqualTo("a1 BAD Authentication response too long.");
        assertThat(last(imap.run("a2 LOGIN alice secret"))).startsWith("a2 OK");
        assertThat(imap.channel.isOpen()).isTrue();
    }

    @Test
    void anIdlingClientIsToldStillHereEveryInterval() {
        ImapTester imap = ImapTester.connect(new ImapProtocol(
                configBuilder().idleKeepaliveInterval(Duration.ofMinutes(2)).build()));
        imap.nextLine();
        imap.login();
        imap.send("a1 IDLE");
        assertThat(imap.nextLine()).isEqualTo("+ idling");
        imap.channel.advanceTimeBy(119, TimeUnit.SECONDS);
        imap.expectNothing();
        imap.channel.advanceTimeBy(1, TimeUnit.SECONDS);
        assertThat(imap.nextLine()).isEqualTo("* OK Still here");
        imap.channel.advanceTimeBy(2, TimeUnit.MINUTES);
        assertThat(imap.nextLine()).isEqualTo("* OK Still here");
        imap.send("DONE");
        assertThat(imap.nextLine()).isEqualTo("a1 OK Idle completed.");
        imap.channel.advanceTimeBy(5, TimeUnit.MINUTES);
        imap.expectNothing();
    }

    @Test
    void theIdleKeepaliveCanBeTurnedOff() {
        ImapTester imap = ImapTester.connect(new ImapProtocol(
                configBuilder().idleKeepaliveInterval(Duration.ZERO).build()));
        imap.nextLine();
        imap.login();
        imap.send("a1 IDLE");
        assertThat(imap.nextLine()).isEqualTo("+ idling");
        imap.channel.advanceTimeBy(10, TimeUnit.MINUTES);
        imap.expectNothing();
    }

    @Test
    void aTooBigNonSynchronisingLiteralEndsTheConnectionWithTooBig() {
        ImapTester imap = ImapTester.connect(protocol());
        imap.nextLine();
        imap.send("a1 LOGIN alice {9000+}");
        assertThat(imap.until("* BYE")).containsExactly("a1 BAD [TOOBIG] Literal too big",
                "* BYE [TOOBIG] Literal too big.");
        assertThat(imap.channel.isOpen()).isFalse();
    }
}
