package dev.mailcore.pop3.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.pop3.Pop3Config;
import dev.mailcore.pop3.Pop3Protocol;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3SessionTest {
    private static final String MSG1 = "Subject: one\r\n\r\nHello\r\n";
    private static final String MSG2 = "Subject: two\r\nFrom: b@example.org\r\n\r\nLine 1\r\n.dotted\r\nLine 3\r\n";

    private final MemoryStore store = new MemoryStore();
    private final TestUsers users = new TestUsers().user("alice", "secret").user("bob", "pw");

    private Pop3Config.Builder config() {
        return Pop3Config.builder().hostname("pop.example.org").store(store).authProvider(users)
                .executor(Runnable::run)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build());
    }

    private Pop3Protocol protocol() {
        return new Pop3Protocol(config().build());
    }

    private long deliver(String user, String content) {
        return store.append(MailboxRef.inbox(user), MessageSource.of(content.getBytes(StandardCharsets.ISO_8859_1)),
                Flags.NONE, Instant.now()).uid();
    }

    private List<MessageMeta> inbox(String user) {
        return store.messages(MailboxRef.inbox(user));
    }

    @Test
    void greetsAndListsCapabilitiesBeforeLogin() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expectLine("+OK mailcore ready.");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).containsExactly("CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING",
                "AUTH-RESP-CODE", "USER", "SASL CRAM-MD5 PLAIN LOGIN", "IMPLEMENTATION mailcore");
    }

    @Test
    void advertisesExpireAndLoginDelayWhenConfigured() {
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().expire("NEVER")
                .loginDelay(java.time.Duration.ofMinutes(15)).build()));
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("EXPIRE NEVER", "LOGIN-DELAY 900");
    }

    @Test
    void capabilitiesAnnouncedBeforeLoginAreStillAnnouncedAfterIt() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("CAPA").expectLine("+OK Capability list follows");
        assertThat(pop3.readBody()).containsExactly("CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING",
                "AUTH-RESP-CODE", "USER", "SASL CRAM-MD5 PLAIN LOGIN", "IMPLEMENTATION mailcore");
    }

    @Test
    void expireUserSuffixIsSentBeforeLoginOnlyAndTheValueAlsoAfterIt() {
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().expire("30 USER")
                .loginDelay(java.time.Duration.ofMinutes(15)).build()));
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("EXPIRE 30 USER", "LOGIN-DELAY 900");
        pop3.login2("alice", "secret");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("EXPIRE 30", "LOGIN-DELAY 900").doesNotContain("EXPIRE 30 USER");
    }

    @Test
    void stlsIsNotAnnouncedAfterLoginButUserAndSaslStay() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(
                dev.mailcore.netty.TlsConfig.selfSigned());
        Pop3Tester pop3 = new Pop3Tester(protocol(), dev.mailcore.netty.TlsMode.STARTTLS, tls, Pop3Tester.LOOPBACK,
                null);
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("STLS", "USER", "SASL CRAM-MD5 PLAIN LOGIN");
        pop3.login2("alice", "secret");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).doesNotContain("STLS").contains("USER", "SASL CRAM-MD5 PLAIN LOGIN");
    }

    @Test
    void downloadAndDeleteFlowRemovesMessagesOnlyAfterQuit() {
        deliver("alice", MSG1);
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");

        pop3.send("STAT").expectLine("+OK 2 " + (MSG1.length() + MSG2.length()));
        pop3.send("LIST").expectLine("+OK 2 messages:");
        assertThat(pop3.readBody()).containsExactly("1 " + MSG1.length(), "2 " + MSG2.length());
        pop3.send("RETR 1").expectLine("+OK " + MSG1.length() + " octets");
        assertThat(pop3.readRawBody()).isEqualTo(MSG1);
        pop3.send("DELE 1").expectLine("+OK Marked to be deleted.");
        pop3.send("DELE 2").expect("+OK");
        assertThat(inbox("alice")).hasSize(2);

        pop3.send("QUIT").expectLine("+OK Logging out, messages deleted.").expectClosed();
        assertThat(inbox("alice")).isEmpty();
    }

    @Test
    void retrDotStuffsLinesStartingWithADot() {
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("RETR 1").expectLine("+OK " + MSG2.length() + " octets");
        assertThat(pop3.readRawBody()).isEqualTo(MSG2.replace("\r\n.dotted", "\r\n..dotted"));
    }

    @Test
    void sizesCountCrlfLineEndsForMessagesStoredWithBareLineFeeds() {
        String bare = "Subject: lf\n\nbody line\n.dot\nlast line without newline";
        String wire = "Subject: lf\r\n\r\nbody line\r\n.dot\r\nlast line without newline\r\n";
        deliver("alice", bare);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");

        pop3.send("LIST 1").expectLine("+OK 1 " + wire.length());
        pop3.send("STAT").expectLine("+OK 1 " + wire.length());
        pop3.send("RETR 1").expectLine("+OK " + wire.length() + " octets");
        assertThat(pop3.readRawBody()).isEqualTo(wire.replace("\r\n.dot", "\r\n..dot"));
    }

    @Test
    void emptyMessageIsAnEmptyMultiLineResponse() {
        deliver("alice", "");
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("RETR 1").expectLine("+OK 0 octets").expectLine(".");
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndTheFirstBodyLines() {
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("TOP 1 0").expectLine("+OK");
        assertThat(pop3.readBody()).containsExactly("Subject: two", "From: b@example.org", "");
        pop3.send("TOP 1 2").expectLine("+OK");
        assertThat(pop3.readBody()).containsExactly("Subject: two", "From: b@example.org", "", "Line 1",
                "..dotted");
        pop3.send("TOP 1 99").expectLine("+OK");
        assertThat(pop3.readBody()).hasSize(6);
        pop3.send("TOP 1").expectLine("-ERR Syntax: TOP message lines");
        pop3.send("TOP 1 x").expectLine("-ERR Invalid number of lines: x");
        pop3.send("TOP 2 1").expectLine("-ERR There's no message 2.");
    }

    @Test
    void uidlIsDovecotsFormatAndStableAcrossSessions() {
        long uid = deliver("alice", MSG1);
        long validity = store.mailbox(MailboxRef.inbox("alice")).orElseThrow().uidValidity();
        String expected = String.format("%08X%08X", uid, validity);

        Pop3Tester first = Pop3Tester.connect(protocol()).login("alice", "secret");
        first.send("UIDL").expectLine("+OK");
        assertThat(first.readBody()).containsExactly("1 " + expected);
        first.send("UIDL 1").expectLine("+OK 1 " + expected);
        first.send("QUIT").expect("+OK");

        long uid2 = deliver("alice", MSG2);
        Pop3Tester second = Pop3Tester.connect(protocol()).login("alice", "secret");
        second.send("UIDL").expectLine("+OK");
        assertThat(second.readBody()).containsExactly("1 " + expected,
                "2 " + String.format("%08X%08X", uid2, validity));
    }

    @Test
    void deletedMessagesAreHiddenAndRsetRestoresThem() {
        deliver("alice", MSG1);
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("DELE 1").expect("+OK");
        pop3.send("DELE 1").expectLine("-ERR Message is deleted.");
        pop3.send("RETR 1").expectLine("-ERR Message is deleted.");
        pop3.send("LIST 1").expectLine("-ERR Message is deleted.");
        pop3.send("STAT").expectLine("+OK 1 " + MSG2.length());
        pop3.send("LIST").expectLine("+OK 1 messages:");
        assertThat(pop3.readBody()).containsExactly("2 " + MSG2.length());
        pop3.send("UIDL").expect("+OK");
        assertThat(pop3.readBody()).hasSize(1).allMatch(l -> l.startsWith("2 "));
        pop3.send("RSET").expect("+OK");
        pop3.send("STAT").expectLine("+OK 2 " + (MSG1.length() + MSG2.length()));
        pop3.send("QUIT").expectLine("+OK Logging out.");
        assertThat(inbox("alice")).hasSize(2);
    }

    @Test
    void droppedConnectionDeletesNothingAndReleasesTheLock() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("DELE 1").expect("+OK");
        pop3.channel.close();
        pop3.settle();
        assertThat(inbox("alice")).hasSize(1);
        assertThat(MaildropLocks.isLocked(store, "alice")).isFalse();
    }

    @Test
    void secondSessionOfTheSameUserIsRefusedWithInUse() {
        Pop3Protocol protocol = protocol();
        Pop3Tester first = Pop3Tester.connect(protocol).login("alice", "secret");
        Pop3Tester second = Pop3Tester.connect(protocol());
        second.expect("+OK");
        second.send("USER alice").expect("+OK");
        second.send("PASS secret").expectLine("-ERR [IN-USE] Mailbox is locked by another POP3 session");
        second.send("STAT").expectLine("-ERR Command not allowed before login: STAT");

        // another protocol instance on the same store shares the lock (ports 110 and 995)
        Pop3Tester third = Pop3Tester.connect(protocol());
        third.expect("+OK");
        third.send("AUTH PLAIN " + b64("\0alice\0secret"))
                .expectLine("-ERR [IN-USE] Mailbox is locked by another POP3 session");
        Pop3Tester.connect(protocol()).login("bob", "pw").send("STAT").expect("+OK 0 0");

        first.send("QUIT").expect("+OK");
        second.send("USER alice").expect("+OK");
        second.send("PASS secret").expectLine("+OK Logged in.");
    }

    @Test
    void twoLoginsOfTheSameUserRacingOnTwoThreadsLetExactlyOneIn() throws Exception {
        deliver("alice", MSG1);
        Pop3Protocol protocol = protocol();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                Pop3Tester[] sessions = new Pop3Tester[2];
                for (int i = 0; i < 2; i++) {
                    sessions[i] = Pop3Tester.connect(protocol);
                    sessions[i].expect("+OK");
                    sessions[i].send("USER alice").expect("+OK");
                }
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<String>> replies = new java.util.ArrayList<>();
                for (Pop3Tester session : sessions) {
                    replies.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return session.send("PASS secret").readLine();
                    }));
                }
                List<String> lines = new java.util.ArrayList<>();
                for (java.util.concurrent.Future<String> reply : replies) {
                    lines.add(reply.get(10, TimeUnit.SECONDS));
                }
                assertThat(lines).as("round " + round).containsExactlyInAnyOrder("+OK Logged in.",
                        "-ERR [IN-USE] Mailbox is locked by another POP3 session");
                Pop3Tester winner = sessions[lines.get(0).startsWith("+OK") ? 0 : 1];
                winner.send("STAT").expectLine("+OK 1 " + MSG1.length());
                winner.send("QUIT").expect("+OK").expectClosed();
                sessions[lines.get(0).startsWith("+OK") ? 1 : 0].channel.close();
                assertThat(MaildropLocks.isLocked(store, "alice")).isFalse();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void messagesArrivingDuringTheSessionAreNotShown() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        deliver("alice", MSG2);
        pop3.send("STAT").expectLine("+OK 1 " + MSG1.length());
        pop3.send("RETR 2").expectLine("-ERR There's no message 2.");
        pop3.send("DELE 1").expect("+OK");
        pop3.send("QUIT").expect("+OK");
        assertThat(inbox("alice")).hasSize(1);
    }

    @Test
    void retrievedMessagesAreMarkedSeenOnQuit() {
        deliver("alice", MSG1);
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("RETR 2").expect("+OK");
        pop3.readRawBody();
        pop3.send("QUIT").expect("+OK");
        List<MessageMeta> metas = inbox("alice");
        assertThat(metas.get(0).flags().contains(Flag.SEEN)).isFalse();
        assertThat(metas.get(1).flags().contains(Flag.SEEN)).isTrue();
    }

    @Test
    void wrongPasswordFailsWithAuthResponseCode() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS wrong").expectLine("-ERR [AUTH] Authentication failed.");
        pop3.send("PASS secret").expectLine("-ERR No user name given (send USER first).");
        pop3.send("USER nobody").expect("+OK");
        pop3.send("PASS secret").expectLine("-ERR [AUTH] Authentication failed.");
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS secret").expectLine("+OK Logged in.");
    }

    @Test
    void passwordMayContainSpaces() {
        users.user("carol", "two words ");
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("USER carol").expect("+OK");
        pop3.send("PASS two words ").expectLine("+OK Logged in.");
    }

    @Test
    void commandsOutsideTheirStateAreRefused() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        for (String verb : List.of("STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 1", "UIDL")) {
            pop3.send(verb).expectLine("-ERR Command not allowed before login: " + verb.split(" ")[0]);
        }
        pop3.send("USER alice").send("PASS secret");
        pop3.expect("+OK").expectLine("+OK Logged in.");
        for (String verb : List.of("USER alice", "PASS x", "APOP a b", "AUTH PLAIN", "STLS")) {
            pop3.send(verb).expectLine("-ERR Command not allowed after login: " + verb.split(" ")[0]);
        }
        pop3.send("NOOP").expectLine("+OK");
    }

    @Test
    void badArgumentsGetClearErrors() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("RETR").expectLine("-ERR Message number required.");
        pop3.send("RETR x").expectLine("-ERR Invalid message number: x");
        pop3.send("RETR -1").expectLine("-ERR Invalid message number: -1");
        pop3.send("RETR 0").expectLine("-ERR There's no message 0.");
        pop3.send("RETR 99999999999").expectLine("-ERR Invalid message number: 99999999999");
        pop3.send("RETR 1 2").expectLine("-ERR Too many arguments for RETR.");
        pop3.send("STAT 1").expectLine("-ERR STAT takes no arguments.");
        pop3.send("FOO bar").expectLine("-ERR Unknown command: FOO");
        pop3.send("").expectLine("-ERR Empty command.");
        pop3.send("noop").expectLine("+OK");
    }

    @Test
    void tooManyBadCommandsCloseTheConnection() {
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().maxBadCommands(3).build()));
        pop3.expect("+OK");
        pop3.send("X").send("Y").send("Z");
        pop3.expect("-ERR Unknown").expect("-ERR Unknown").expect("-ERR Unknown")
                .expectLine("-ERR Too many bad commands.").expectClosed();
    }

    @Test
    void overLongLineIsRefusedAndTheNextLineWorks() {
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().maxLineLength(300).build()));
        pop3.expect("+OK");
        pop3.sendRaw("USER " + "x".repeat(1000) + "\r\nCAPA\r\n");
        pop3.expectLine("-ERR Input line too long.").expect("+OK");
        assertThat(pop3.readBody()).contains("UIDL");
    }

    @Test
    void invalidUtf8IsRefused() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.sendBytes(new byte[]{'U', 'S', 'E', 'R', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
        pop3.expectLine("-ERR Invalid characters in command (not UTF-8).");
    }

    @Test
    void inputArrivingByteByByteWorks() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        for (byte b : "USER alice\r\nPASS secret\r\nRETR 1\r\nQUIT\n".getBytes(StandardCharsets.US_ASCII)) {
            pop3.sendBytes(new byte[]{b});
        }
        pop3.expectLine("+OK").expectLine("+OK Logged in.").expect("+OK " + MSG1.length());
        assertThat(pop3.readRawBody()).isEqualTo(MSG1);
        pop3.expectLine("+OK Logging out.").expectClosed();
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderWithOneFlush() {
        deliver("alice", MSG1);
        deliver("alice", MSG2);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        int before = pop3.flushes;
        pop3.sendRaw("STAT\r\nRETR 1\r\nRETR 2\r\nUIDL 2\r\n");
        assertThat(pop3.flushes - before).isEqualTo(1);
        pop3.expect("+OK 2 ").expect("+OK " + MSG1.length());
        assertThat(pop3.readRawBody()).isEqualTo(MSG1);
        pop3.expect("+OK " + MSG2.length());
        pop3.readRawBody();
        pop3.expect("+OK 2 ");
    }

    @Test
    void plaintextLoginIsRefusedOnAnInsecureRemoteConnection() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol(), Pop3Tester.REMOTE);
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).doesNotContain("USER").contains("SASL CRAM-MD5");
        pop3.send("USER alice").expectLine("-ERR [AUTH] Plaintext authentication disallowed on non-secure "
                + "(SSL/TLS) connections.");
        pop3.send("AUTH PLAIN").expectLine("-ERR [AUTH] Plaintext authentication disallowed on non-secure "
                + "(SSL/TLS) connections.");
        pop3.send("STLS").expectLine("-ERR TLS support isn't enabled.");
    }

    @Test
    void plaintextLoginIsAllowedRemotelyWhenConfigured() {
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().allowInsecureAuth(true).build()),
                Pop3Tester.REMOTE);
        pop3.login("alice", "secret");
    }

    @Test
    void authPlainWithInitialResponse() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("AUTH PLAIN " + b64("\0alice\0secret")).expectLine("+OK Logged in.");
    }

    @Test
    void equalsSignIsAnEmptyInitialResponseNotAMissingOne() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        // RFC 5034 §4: "=" is a zero-length initial response; PLAIN cannot authenticate with one (no continuation)
        pop3.send("AUTH PLAIN =").expectLine("-ERR [AUTH] Authentication failed (invalid authentication data).");
        pop3.send("NOOP").expectLine("-ERR Command not allowed before login: NOOP");
        // LOGIN has no user name in it, so it asks for one as if nothing had been sent
        pop3.send("AUTH LOGIN =").expectLine("+ " + b64("Username:"));
        pop3.send(b64("alice")).expectLine("+ " + b64("Password:"));
        pop3.send(b64("secret")).expectLine("+OK Logged in.");
    }

    @Test
    void authPlainWithContinuationAndAuthLogin() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("AUTH PLAIN").expectLine("+ ");
        pop3.send(b64("\0alice\0wrong")).expectLine("-ERR [AUTH] Authentication failed.");
        pop3.send("AUTH LOGIN").expect("+ ");
        pop3.send(b64("alice")).expect("+ ");
        pop3.send(b64("secret")).expectLine("+OK Logged in.");
    }

    @Test
    void authWithoutArgumentsListsMechanismsAndStarCancels() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("AUTH").expectLine("+OK");
        assertThat(pop3.readBody()).containsExactly("CRAM-MD5", "PLAIN", "LOGIN");
        pop3.send("AUTH PLAIN").expect("+ ");
        pop3.send("*").expectLine("-ERR Authentication aborted by client.");
        pop3.send("AUTH NTLM").expectLine("-ERR Unsupported authentication mechanism.");
        pop3.send("AUTH PLAIN !!!").expectLine("-ERR Invalid base64 data in initial response.");
        pop3.send("AUTH PLAIN").expect("+ ");
        pop3.send("not base64 !").expectLine("-ERR Invalid base64 data in authentication response.");
        pop3.send("CAPA").expect("+OK");
    }

    @Test
    void apopIsOffIByDefaultAndWorksWhenEnabled() throws Exception {
        Pop3Tester off = Pop3Tester.connect(protocol());
        off.expectLine("+OK mailcore ready.");
        off.send("APOP alice 0123456789abcdef0123456789abcdef").expectLine("-ERR APOP is not enabled.");

        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().apop(true).build()));
        String greeting = pop3.readLine();
        assertThat(greeting).matches("\\+OK mailcore ready\\. <[^>]+@pop\\.example\\.org>");
        String timestamp = greeting.substring(greeting.indexOf('<'));
        pop3.send("APOP alice " + md5(timestamp + "wrong")).expectLine("-ERR [AUTH] Authentication failed.");
        pop3.send("APOP alice nothex").expectLine("-ERR Syntax: APOP name digest");
        pop3.send("APOP alice " + md5(timestamp + "secret")).expectLine("+OK Logged in.");
    }

    @Test
    void failedLoginsAreDelayedAndFinallyBlockedByTheThrottle() {
        AuthThrottle throttle = AuthThrottle.builder().delayAfter(1).blockAfter(3)
                .baseDelay(java.time.Duration.ofSeconds(2)).maxDelay(java.time.Duration.ofSeconds(2)).build();
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().authThrottle(throttle).build()));
        pop3.expect("+OK");
        pop3.send("USER alice").send("PASS bad1");
        pop3.expect("+OK").expectLine("-ERR [AUTH] Authentication failed.");
        pop3.send("USER alice").send("PASS bad2");
        pop3.expectLine("+OK").expectNothing();
        pop3.send("NOOP").expectNothing(); // paused while the delay runs
        pop3.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        pop3.settle();
        pop3.expectLine("-ERR [AUTH] Authentication failed.").expectLine("-ERR Command not allowed before login: NOOP");
        pop3.send("USER alice").send("PASS bad3");
        pop3.expect("+OK").expectLine("-ERR [AUTH] Authentication failed.").expectClosed();

        Pop3Tester again = Pop3Tester.connect(new Pop3Protocol(config().authThrottle(throttle).build()));
        again.expect("+OK");
        again.send("USER alice").expect("+OK");
        again.send("PASS secret").expectLine("-ERR [AUTH] Too many authentication failures, try again later.")
                .expectClosed();
    }

    @Test
    void idleClientIsLoggedOutWithoutUpdate() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config()
                .idleTimeout(java.time.Duration.ofMinutes(10)).build())).login("alice", "secret");
        pop3.send("DELE 1").expect("+OK");
        pop3.channel.advanceTimeBy(9, TimeUnit.MINUTES);
        pop3.settle();
        pop3.send("NOOP").expect("+OK");
        pop3.channel.advanceTimeBy(9, TimeUnit.MINUTES);
        pop3.settle();
        pop3.expectNothing().expectOpen();
        pop3.channel.advanceTimeBy(2, TimeUnit.MINUTES);
        pop3.settle();
        pop3.expectLine("-ERR Disconnected for inactivity.").expectClosed();
        assertThat(inbox("alice")).hasSize(1);
        assertThat(MaildropLocks.isLocked(store, "alice")).isFalse();
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void idleCheckDuringAStalledTlsHandshakeWaitsInsteadOfSpinning() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(
                dev.mailcore.netty.TlsConfig.selfSigned());
        Pop3Tester pop3 = new Pop3Tester(new Pop3Protocol(config().idleTimeout(java.time.Duration.ofSeconds(3))
                .build()), dev.mailcore.netty.TlsMode.STARTTLS, tls, Pop3Tester.REMOTE, null);
        pop3.channel.freezeTime(); // a rescheduling with no delay would then be due again at once, forever
        pop3.expect("+OK");
        pop3.send("STLS").expectLine("+OK Begin TLS negotiation now.");
        // the idle timeout passes while the client never starts the handshake: the check must not re-run at once
        // forever (a zero delay would make runPendingTasks loop here), the handshake's own timeout ends it later
        pop3.channel.advanceTimeBy(4, TimeUnit.SECONDS);
        pop3.settle();
        pop3.expectOpen();
        pop3.channel.advanceTimeBy(60, TimeUnit.SECONDS);
        pop3.settle();
        pop3.expectClosed();
    }

    @Test
    void quitBeforeLoginJustCloses() {
        Pop3Tester pop3 = Pop3Tester.connect(protocol());
        pop3.expect("+OK");
        pop3.send("QUIT").expectLine("+OK Logging out.").expectClosed();
    }

    @Test
    void shutdownClosesAnIdleSessionWithoutDeleting() {
        deliver("alice", MSG1);
        Pop3Tester pop3 = Pop3Tester.connect(protocol()).login("alice", "secret");
        pop3.send("DELE 1").expect("+OK");
        pop3.channel.pipeline().fireUserEventTriggered(dev.mailcore.netty.ShutdownEvent.INSTANCE);
        pop3.expectLine("-ERR [SYS/TEMP] Server shutting down.").expectClosed();
        assertThat(inbox("alice")).hasSize(1);
    }

    @Test
    void stlsIsOfferedOnAStartTlsListenerAndDropsInputPipelinedBehindIt() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(
                dev.mailcore.netty.TlsConfig.selfSigned());
        Pop3Tester pop3 = new Pop3Tester(protocol(), dev.mailcore.netty.TlsMode.STARTTLS, tls, Pop3Tester.REMOTE,
                null);
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("STLS").doesNotContain("USER");
        pop3.send("STLS extra").expectLine("-ERR STLS takes no arguments.");
        pop3.sendRaw("STLS\r\nUSER alice\r\n");
        pop3.expectLine("+OK Begin TLS negotiation now.");
        assertThat(pop3.channel.pipeline().get(io.netty.handler.ssl.SslHandler.class)).isNotNull();
        // whatever follows is TLS records (the server hello is not readable text), never a plain-text USER reply
        pop3.channel.runPendingTasks();
        Object out;
        while ((out = pop3.channel.readOutbound()) != null) {
            String text = ((io.netty.buffer.ByteBuf) out).toString(StandardCharsets.ISO_8859_1);
            ((io.netty.buffer.ByteBuf) out).release();
            assertThat(text).doesNotContain("+OK").doesNotContain("-ERR");
        }
    }

    @Test
    void plaintextLoginOnARemoteConnectionIsRefusedBeforeStlsAndAcceptedAfterIt() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(
                dev.mailcore.netty.TlsConfig.selfSigned());
        Pop3Tester pop3 = new Pop3Tester(protocol(), dev.mailcore.netty.TlsMode.STARTTLS, tls, Pop3Tester.REMOTE,
                null);
        pop3.expect("+OK");
        pop3.send("USER alice").expectLine("-ERR [AUTH] Plaintext authentication disallowed on non-secure "
                + "(SSL/TLS) connections.");
        pop3.send("PASS secret").expectLine("-ERR [AUTH] Plaintext authentication disallowed on non-secure "
                + "(SSL/TLS) connections.");
        pop3.send("AUTH PLAIN " + b64("\0alice\0secret")).expectLine("-ERR [AUTH] Plaintext authentication "
                + "disallowed on non-secure (SSL/TLS) connections.");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).contains("STLS", "SASL CRAM-MD5").doesNotContain("USER")
                .noneMatch(line -> line.contains("PLAIN"));
        pop3.send("STLS").expectLine("+OK Begin TLS negotiation now.");

        TlsClient client = new TlsClient(pop3.channel, tls);
        assertThat(client.handshake()).as("TLS handshake").isTrue();
        assertThat(client.command("CAPA")).startsWith("+OK");
        assertThat(client.bodyLines()).doesNotContain("STLS").contains("USER", "SASL CRAM-MD5 PLAIN LOGIN");
        assertThat(client.command("USER alice")).isEqualTo("+OK");
        assertThat(client.command("PASS secret")).isEqualTo("+OK Logged in.");
        assertThat(client.command("STAT")).isEqualTo("+OK 0 0");
    }

    /** The client side of a TLS connection to the session's embedded channel, shuttling the records both ways. */
    private static final class TlsClient {
        private final io.netty.channel.embedded.EmbeddedChannel server;
        private final io.netty.channel.embedded.EmbeddedChannel client;
        private final io.netty.handler.ssl.SslHandler ssl;
        private final StringBuilder received = new StringBuilder();

        TlsClient(io.netty.channel.embedded.EmbeddedChannel server, dev.mailcore.netty.ServerTls tls) {
            this.server = server;
            javax.net.ssl.SSLEngine engine = tls.clientContext().createSSLEngine("localhost", 110);
            engine.setUseClientMode(true);
            ssl = new io.netty.handler.ssl.SslHandler(engine);
            client = new io.netty.channel.embedded.EmbeddedChannel(ssl,
                    new io.netty.channel.ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                            io.netty.buffer.ByteBuf buf = (io.netty.buffer.ByteBuf) msg;
                            received.append(buf.toString(StandardCharsets.ISO_8859_1));
                            buf.release();
                        }
                    });
            shuttle();
        }

        boolean handshake() {
            shuttle();
            return ssl.handshakeFuture().isSuccess();
        }

        String command(String line) {
            client.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
            return line();
        }

        String line() {
            shuttle();
            int end = received.indexOf("\r\n");
            assertThat(end).as("a complete line in " + received).isNotNegative();
            String line = received.substring(0, end);
            received.delete(0, end + 2);
            return line;
        }

        List<String> bodyLines() {
            List<String> lines = new java.util.ArrayList<>();
            for (String line = line(); !line.equals("."); line = line()) {
                lines.add(line);
            }
            return lines;
        }

        /** Moves bytes between the two channels until neither has anything more to say. */
        private void shuttle() {
            boolean moved = true;
            while (moved) {
                moved = false;
                server.runPendingTasks();
                client.runPendingTasks();
                Object out;
                while ((out = server.readOutbound()) != null) {
                    client.writeInbound(out);
                    moved = true;
                }
                while ((out = client.readOutbound()) != null) {
                    server.writeInbound(out);
                    moved = true;
                }
            }
        }
    }

    @Test
    void stlsIsRefusedWhenTlsIsAlreadyActive() {
        dev.mailcore.netty.ServerTls tls = dev.mailcore.netty.ServerTls.create(
                dev.mailcore.netty.TlsConfig.selfSigned());
        Pop3Tester pop3 = new Pop3Tester(protocol(), dev.mailcore.netty.TlsMode.IMPLICIT, tls, Pop3Tester.REMOTE,
                null);
        pop3.expect("+OK");
        pop3.send("CAPA").expect("+OK");
        assertThat(pop3.readBody()).doesNotContain("STLS").contains("USER", "SASL CRAM-MD5 PLAIN LOGIN");
        pop3.send("STLS").expectLine("-ERR TLS is already active.");
        pop3.login2("alice", "secret");
    }

    @Test
    void authCramMd5WorksOnAnInsecureConnection() throws Exception {
        Pop3Tester pop3 = Pop3Tester.connect(protocol(), Pop3Tester.REMOTE);
        pop3.expect("+OK");
        pop3.send("AUTH CRAM-MD5");
        String challengeLine = pop3.readLine();
        assertThat(challengeLine).startsWith("+ ");
        String challenge = new String(Base64.getDecoder().decode(challengeLine.substring(2)),
                StandardCharsets.US_ASCII);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacMD5"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(challenge.getBytes(StandardCharsets.US_ASCII))) {
            hex.append(String.format("%02x", b));
        }
        pop3.send(b64("alice " + hex)).expectLine("+OK Logged in.");
    }

    @Test
    void authProviderOutagesAreTemporaryErrorsNotFailures() {
        dev.mailcore.api.auth.AuthProvider down = (u, p) -> new dev.mailcore.api.auth.AuthResult.TemporaryFailure(
                "ldap down");
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config().authProvider(down).build()));
        pop3.expect("+OK");
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS secret").expectLine("-ERR [SYS/TEMP] Temporary authentication failure, try again later.");
        dev.mailcore.api.auth.AuthProvider throwing = (u, p) -> {
            throw new IllegalStateException("boom");
        };
        Pop3Tester other = Pop3Tester.connect(new Pop3Protocol(config().authProvider(throwing).build()));
        other.expect("+OK");
        other.send("AUTH PLAIN " + b64("\0alice\0secret"))
                .expectLine("-ERR [SYS/TEMP] Temporary authentication failure, try again later.");
        other.send("CAPA").expect("+OK").expectOpen();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5(String s) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
