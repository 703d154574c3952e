package dev.mailcore.pop3.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.netty.AuthThrottle;
import dev.mailcore.pop3.Pop3Action;
import dev.mailcore.pop3.Pop3Config;
import dev.mailcore.pop3.Pop3Hooks;
import dev.mailcore.pop3.Pop3Protocol;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class Pop3HooksTest {

    /** Writes down every event as a line. */
    static final class Recording implements Pop3Hooks {
        final List<String> events = new ArrayList<>();
        Pop3Action answer = Pop3Action.PROCEED;
        String answerFor = "";

        @Override
        public Pop3Action before(SessionInfo session, String command, String argument) {
            events.add("before " + command + " " + argument);
            return command.equals(answerFor) ? answer : Pop3Action.PROCEED;
        }

        @Override
        public void connected(SessionInfo session) {
            events.add("connected " + session.sessionId());
        }

        @Override
        public void loggedIn(SessionInfo session, String method) {
            events.add("loggedIn " + session.authenticated() + " " + method);
        }

        @Override
        public void loginFailed(SessionInfo session, String method) {
            events.add("loginFailed " + method);
        }

        @Override
        public void closed(SessionInfo session) {
            events.add("closed " + session.authenticated());
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final Recording hooks = new Recording();

    private Pop3Tester connect() {
        Pop3Config config = Pop3Config.builder().hostname("pop.example.org").store(store)
                .authProvider(new TestUsers().user("alice", "secret")).executor(Runnable::run).hooks(hooks)
                .authThrottle(AuthThrottle.builder().delayAfter(100).blockAfter(1000).build()).build();
        Pop3Tester pop3 = Pop3Tester.connect(new Pop3Protocol(config));
        pop3.expect("+OK mailcore ready.");
        return pop3;
    }

    @Test
    void hooksSeeTheConnectEveryLoginAttemptWithoutCredentialsAndTheClose() {
        Pop3Tester pop3 = connect();
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS wrong").expectLine("-ERR [AUTH] Authentication failed.");
        String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
        pop3.send("AUTH PLAIN " + plain).expectLine("+OK Logged in.");
        pop3.send("QUIT").expect("+OK").expectClosed();

        assertThat(hooks.events).containsExactly("connected P1", "before USER alice", "before PASS ",
                "loginFailed USER/PASS", "before AUTH PLAIN", "loggedIn alice AUTH PLAIN", "before QUIT ",
                "closed alice");
    }

    @Test
    void aStallHoldsTheCommandBackUntilItsTimeHasPassedThenRunsIt() {
        store.append(MailboxRef.inbox("alice"), MessageSource.of("Subject: one\r\n\r\nHello\r\n"
                .getBytes(StandardCharsets.US_ASCII)), Flags.NONE, Instant.now());
        hooks.answerFor = "STAT";
        hooks.answer = new Pop3Action.Stall(Duration.ofSeconds(5));
        Pop3Tester pop3 = connect();
        pop3.login2("alice", "secret");
        pop3.send("STAT").send("NOOP").expectNothing(); // NOOP is pipelined behind the stalled STAT

        pop3.channel.advanceTimeBy(4, TimeUnit.SECONDS);
        pop3.channel.runScheduledPendingTasks();
        pop3.settle().expectNothing();

        pop3.channel.advanceTimeBy(1, TimeUnit.SECONDS);
        pop3.channel.runScheduledPendingTasks();
        pop3.settle().expectLine("+OK 1 23").expectLine("+OK");
    }

    @Test
    void aConnectionClosedDuringAStallNeverRunsTheCommand() {
        hooks.answerFor = "PASS";
        hooks.answer = new Pop3Action.Stall(Duration.ofSeconds(5));
        Pop3Tester pop3 = connect();
        pop3.send("USER alice").expect("+OK");
        pop3.send("PASS secret").expectNothing();
        pop3.channel.close();
        pop3.channel.advanceTimeBy(5, TimeUnit.SECONDS);
        pop3.channel.runScheduledPendingTasks();
        pop3.settle();

        assertThat(hooks.events).noneMatch(e -> e.startsWith("loggedIn")).contains("closed null");
    }
}
