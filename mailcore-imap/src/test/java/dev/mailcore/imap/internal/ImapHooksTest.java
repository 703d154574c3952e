package dev.mailcore.imap.internal;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.imap.ImapAction;
import dev.mailcore.imap.ImapHooks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class ImapHooksTest extends ImapTestSupport {

    /** Writes down every event as a line. */
    static final class Recording implements ImapHooks {
        final List<String> events = new ArrayList<>();
        ImapAction answer = ImapAction.PROCEED;
        String answerFor = "";

        @Override
        public ImapAction before(SessionInfo session, String command, String argument) {
            events.add("before " + command + " " + argument);
            return command.equals(answerFor) ? answer : ImapAction.PROCEED;
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

    final Recording hooks = new Recording();

    ImapTester connect() {
        ImapTester imap = ImapTester.connect(configBuilder().hooks(hooks).build());
        assertThat(imap.nextLine()).startsWith("* OK ");
        return imap;
    }

    @Test
    void hooksSeeTheConnectEveryLoginAttemptAndTheClose() {
        ImapTester imap = connect();
        assertThat(imap.run("a1 LOGIN alice wrong")).last().asString().startsWith("a1 NO [AUTHENTICATIONFAILED]");
        String plain = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(UTF_8));
        assertThat(imap.run("a2 AUTHENTICATE plain " + plain)).last().asString().startsWith("a2 OK");
        imap.run("a3 LOGOUT");
        imap.settle();

        assertThat(hooks.events).containsExactly("connected I1", "before LOGIN alice", "loginFailed LOGIN",
                "before AUTHENTICATE PLAIN", "loggedIn alice AUTHENTICATE PLAIN", "before LOGOUT ", "closed alice");
    }

    @Test
    void aStallHoldsTheCommandBackUntilItsTimeHasPassedThenRunsIt() {
        hooks.answerFor = "NOOP";
        hooks.answer = new ImapAction.Stall(Duration.ofSeconds(5));
        ImapTester imap = connect();
        imap.send("a1 NOOP");
        imap.send("a2 CAPABILITY"); // pipelined: must wait behind the stalled command
        assertThat(imap.pending()).isEmpty();

        imap.channel.advanceTimeBy(4, TimeUnit.SECONDS);
        imap.settle();
        assertThat(imap.pending()).isEmpty();

        imap.channel.advanceTimeBy(1, TimeUnit.SECONDS);
        assertThat(imap.until("a1 ")).containsExactly("a1 OK NOOP completed.");
        assertThat(imap.until("a2 ")).last().asString().startsWith("a2 OK");
    }

    @Test
    void aConnectionClosedDuringAStallNeverRunsTheCommand() {
        hooks.answerFor = "LOGIN";
        hooks.answer = new ImapAction.Stall(Duration.ofSeconds(5));
        ImapTester imap = connect();
        imap.send("a1 LOGIN alice secret");
        imap.channel.close();
        imap.channel.advanceTimeBy(5, TimeUnit.SECONDS);
        imap.settle();

        assertThat(hooks.events).doesNotContain("loggedIn alice LOGIN").contains("closed null");
    }
}
