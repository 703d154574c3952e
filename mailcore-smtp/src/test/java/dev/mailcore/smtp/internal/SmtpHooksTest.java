package dev.mailcore.smtp.internal;

import dev.mailcore.api.Envelope;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.smtp.SmtpHooks;
import dev.mailcore.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link SmtpHooks} SPI: observation of phases, replies and accepted messages, and scripted faults. */
class SmtpHooksTest {
    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();

    /** Records everything and answers each phase with the action scripted for it (once). */
    static final class Recorder implements SmtpHooks {
        final List<String> events = new ArrayList<>();
        final List<SmtpReply> replies = new ArrayList<>();
        final List<String> accepted = new ArrayList<>();
        final Map<SmtpPhase, SmtpAction> script = new EnumMap<>(SmtpPhase.class);
        SessionInfo closed;

        @Override
        public SmtpAction before(SmtpPhase phase, SessionInfo session, String argument) {
            events.add(phase + " " + argument);
            SmtpAction action = script.remove(phase);
            return action == null ? SmtpAction.PROCEED : action;
        }

        @Override
        public void replied(SessionInfo session, SmtpReply reply) {
            replies.add(reply);
        }

        @Override
        public void accepted(SessionInfo session, Envelope envelope, byte[] content, String messageId) {
            accepted.add(envelope.sender() + " " + envelope.recipientAddresses() + " " + messageId + " "
                    + new String(content, StandardCharsets.UTF_8));
        }

        @Override
        public void closed(SessionInfo session) {
            closed = session;
        }
    }

    final Recorder hooks = new Recorder();

    SmtpConfig config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool).hooks(hooks).build();
    }

    SmtpTester transactionUpToData() {
        return SmtpTester.connect(config()).expect("220 ").send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ");
    }

    @Test
    void reportsEveryPhaseAndTheAcceptedMessage() {
        SmtpTester smtp = transactionUpToData().send("DATA").expect("354 ")
                .sendRaw("Subject: hi\r\n\r\nbody\r\n.\r\n").expect("250 2.0.0 Ok: queued as S1M1");
        assertThat(hooks.events).containsExactly("CONNECT ", "HELO client.example", "MAIL FROM:<a@client.example>",
                "RCPT TO:<alice@example.org>", "DATA ", "END_OF_DATA ");
        assertThat(hooks.accepted).containsExactly(
                "<a@client.example> [alice@example.org] S1M1 Subject: hi\r\n\r\nbody\r\n");
        assertThat(hooks.replies).extracting(SmtpReply::code).containsExactly(220, 250, 250, 250, 354, 250);
        smtp.send("QUIT").expect("221 ");
        smtp.channel.close();
        assertThat(hooks.closed).isNotNull();
        assertThat(hooks.closed.heloName()).isEqualTo("client.example");
    }

    @Test
    void reportsTheMessageOnlyOnceItsReplyIsWritten() {
        SmtpTester smtp = transactionUpToData();
        hooks.script.put(SmtpPhase.END_OF_DATA, SmtpAction.stall(Duration.ofSeconds(5)));
        smtp.channel.freezeTime();
        smtp.send("DATA").expect("354 ").sendRaw("Subject: x\r\n\r\n.\r\n");
        assertThat(store.deliveries).hasSize(1);
        assertThat(hooks.accepted).as("stored, but the client has not been told").isEmpty();
        smtp.expectNothing();
        smtp.channel.advanceTimeBy(5, TimeUnit.SECONDS);
        smtp.channel.runScheduledPendingTasks();
        smtp.channel.runPendingTasks();
        smtp.expect("250 2.0.0 Ok: queued");
        assertThat(hooks.accepted).hasSize(1);
    }

    @Test
    void scriptedRepliesReplaceTheCommand() {
        hooks.script.put(SmtpPhase.RCPT, SmtpAction.reply(450, "4.2.0", "try later"));
        SmtpTester smtp = SmtpTester.connect(config()).expect("220 ").send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("450 4.2.0 try later")
                .send("RCPT TO:<alice@example.org>").expect("250 2.1.5 ");
        hooks.script.put(SmtpPhase.END_OF_DATA, SmtpAction.reply(554, "5.7.1", "no thanks"));
        smtp.send("DATA").expect("354 ").sendRaw("Subject: x\r\n\r\n.\r\n").expect("554 5.7.1 no thanks");
        assertThat(store.deliveries).isEmpty();
        assertThat(hooks.accepted).isEmpty();
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ");
    }

    @Test
    void aScriptedReplyToTheFirstChunkDropsTheChunk() {
        SmtpTester smtp = transactionUpToData();
        hooks.script.put(SmtpPhase.DATA, SmtpAction.reply(452, "4.3.1", "full"));
        smtp.sendRaw("BDAT 4 LAST\r\nNOOP").expect("452 4.3.1 full").expectNothing();
        smtp.send("NOOP").expect("250 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void aReplyAtConnectReplacesTheGreeting() {
        hooks.script.put(SmtpPhase.CONNECT, SmtpAction.reply(554, "5.3.2", "not now"));
        SmtpTester.connect(config()).expect("554 5.3.2 not now").send("EHLO client.example").expect("503 ");
        hooks.script.put(SmtpPhase.CONNECT, SmtpAction.reply(421, "4.3.2", "busy"));
        SmtpTester.connect(config()).expect("421 4.3.2 busy").expectClosed();
    }

    @Test
    void disconnectClosesAfterTheOptionalReply() {
        hooks.script.put(SmtpPhase.MAIL, SmtpAction.disconnect());
        SmtpTester.connect(config()).expect("220 ").send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expectNothing().expectClosed();
        hooks.script.put(SmtpPhase.HELO, new SmtpAction.Disconnect(SmtpReply.of(421, "4.4.2", "bye")));
        SmtpTester.connect(config()).expect("220 ").send("EHLO client.example").expect("421 4.4.2 bye")
                .expectClosed();
    }

    @Test
    void aStallDelaysTheCommandAndKeepsOrder() {
        hooks.script.put(SmtpPhase.HELO, SmtpAction.stall(Duration.ofSeconds(3)));
        SmtpTester smtp = SmtpTester.connect(config()).expect("220 ");
        smtp.channel.freezeTime();
        smtp.sendRaw("EHLO client.example\r\nNOOP\r\n").expectNothing();
        smtp.channel.advanceTimeBy(3, TimeUnit.SECONDS);
        smtp.channel.runScheduledPendingTasks();
        smtp.channel.runPendingTasks();
        smtp.expect("250 ").expect("250 2.0.0 Ok");
    }

    @Test
    void authPhaseSeesTheMechanismButNeverTheCredentials() {
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve)
                .store(store).executor(Runnable::run).spoolDirectory(spool).hooks(hooks)
                .authProvider(SmtpAuthTest.USERS).build();
        hooks.script.put(SmtpPhase.AUTH, SmtpAction.reply(454, "4.7.0", "temporary"));
        SmtpTester.connect(config, dev.mailcore.smtp.SmtpRole.MX, dev.mailcore.netty.TlsMode.NONE,
                        SmtpTester.LOOPBACK).expect("220 ").send("EHLO client.example").expect("250 ")
                .send("auth plain " + SmtpAuthTest.plain("alice", "secret")).expect("454 4.7.0 temporary")
                .send("AUTH PLAIN " + SmtpAuthTest.plain("alice", "secret")).expect("235 ");
        assertThat(hooks.events).contains("AUTH PLAIN").noneMatch(e -> e.contains(SmtpAuthTest.plain("alice",
                "secret")));
    }

    @Test
    void withoutHooksNothingChanges() {
        SmtpConfig config = SmtpConfig.builder().resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool).build();
        assertThat(config.hooks()).isSameAs(SmtpHooks.NONE);
    }
}
