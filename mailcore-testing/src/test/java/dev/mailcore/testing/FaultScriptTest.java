package dev.mailcore.testing;

import dev.mailcore.api.SessionInfo;
import dev.mailcore.smtp.SmtpAction;
import dev.mailcore.smtp.SmtpPhase;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultScriptTest {
    final FaultScript script = new FaultScript();

    static SessionInfo session(String listener) {
        return new SessionInfo("s1", listener, new InetSocketAddress("127.0.0.1", 40000),
                new InetSocketAddress("127.0.0.1", 25), null, null, null);
    }

    SmtpAction decide(SmtpPhase phase, String argument) {
        return script.decide(phase, session("smtp"), argument);
    }

    @Test
    void aRecipientFaultMatchesOnlyThatAddressCaseInsensitively() {
        script.onRcpt("Bob@Example.com").reply(450, "4.2.0 try later");
        assertThat(decide(SmtpPhase.RCPT, "TO:<alice@example.com>")).isEqualTo(SmtpAction.PROCEED);
        assertThat(decide(SmtpPhase.RCPT, "TO:<bob@example.COM> NOTIFY=NEVER"))
                .isInstanceOfSatisfying(SmtpAction.Reply.class, r -> {
                    assertThat(r.reply().code()).isEqualTo(450);
                    assertThat(r.reply().toWire()).isEqualTo("450 4.2.0 try later\r\n");
                });
        assertThat(decide(SmtpPhase.MAIL, "FROM:<bob@example.com>")).isEqualTo(SmtpAction.PROCEED);
    }

    @Test
    void timesLimitsTheFiresThenCommandsGoThrough() {
        Fault fault = script.onMail().times(2).close();
        assertThat(decide(SmtpPhase.MAIL, "FROM:<a@b.example>")).isInstanceOf(SmtpAction.Disconnect.class);
        assertThat(decide(SmtpPhase.MAIL, "FROM:<a@b.example>")).isInstanceOf(SmtpAction.Disconnect.class);
        assertThat(decide(SmtpPhase.MAIL, "FROM:<a@b.example>")).isEqualTo(SmtpAction.PROCEED);
        assertThat(fault.triggered()).isEqualTo(2);
        assertThat(fault.isActive()).isFalse();
        assertThat(fault.toString()).contains("MAIL", "close", "fired 2", "0 left");
    }

    @Test
    void aFaultPointIsNotLiveUntilItsActionIsCalled() {
        FaultPoint point = script.onMail().times(2);
        assertThat(script.faults()).isEmpty();
        assertThat(decide(SmtpPhase.MAIL, "FROM:<a@b.example>")).isEqualTo(SmtpAction.PROCEED);
        Fault fault = point.close();
        assertThat(fault.remaining()).isEqualTo(2);
        assertThat(script.faults()).containsExactly(fault);
    }

    @Test
    void aFaultLimitedToOneFireNeverFiresTwiceWhileConnectionsRaceItsCreation() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean adding = new java.util.concurrent.atomic.AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Fault> made = new ArrayList<>();
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                racers.add(pool.submit(() -> {
                    while (adding.get()) {
                        if (decide(SmtpPhase.CONNECT, "") instanceof SmtpAction.Disconnect) {
                            fired.incrementAndGet();
                        }
                    }
                }));
            }
            for (int i = 0; i < 2000; i++) {
                made.add(script.onConnect().once().close());
            }
            adding.set(false);
            for (Future<?> f : racers) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(made).allSatisfy(f -> assertThat(f.triggered()).isLessThanOrEqualTo(1));
        assertThat(fired.get()).isLessThanOrEqualTo(made.size());
    }

    @Test
    void theFirstMatchingFaultWithFiresLeftDecides() {
        script.onRcpt().once().reply(451, "4.3.0 first");
        script.onRcpt().reply(452, "4.3.1 second");
        assertThat(((SmtpAction.Reply) decide(SmtpPhase.RCPT, "TO:<x@y.example>")).reply().code()).isEqualTo(451);
        assertThat(((SmtpAction.Reply) decide(SmtpPhase.RCPT, "TO:<x@y.example>")).reply().code()).isEqualTo(452);
        assertThat(((SmtpAction.Reply) decide(SmtpPhase.RCPT, "TO:<x@y.example>")).reply().code()).isEqualTo(452);
    }

    @Test
    void listenerFiltersAndRemovalWork() {
        Fault fault = script.onHelo().on(MailListener.SUBMISSION).stall(Duration.ofSeconds(1));
        assertThat(script.decide(SmtpPhase.HELO, session("smtp"), "c")).isEqualTo(SmtpAction.PROCEED);
        assertThat(script.decide(SmtpPhase.HELO, session("submission"), "c")).isInstanceOf(SmtpAction.Stall.class);
        fault.remove();
        assertThat(script.decide(SmtpPhase.HELO, session("submission"), "c")).isEqualTo(SmtpAction.PROCEED);
        assertThat(script.faults()).isEmpty();
    }

    @Test
    void everyCommandFaultsSkipTheGreetingAndAuthFaultsMatchTheMechanism() {
        script.onEveryCommand().reply(421, "4.3.2 bye");
        assertThat(decide(SmtpPhase.CONNECT, "")).isEqualTo(SmtpAction.PROCEED);
        assertThat(decide(SmtpPhase.DATA, "")).isInstanceOf(SmtpAction.Reply.class);
        script.clear();
        script.onAuth("login").reply(454, "4.7.0 temporary");
        assertThat(decide(SmtpPhase.AUTH, "PLAIN")).isEqualTo(SmtpAction.PROCEED);
        assertThat(decide(SmtpPhase.AUTH, "LOGIN")).isInstanceOf(SmtpAction.Reply.class);
    }

    @Test
    void imapAndPop3FaultsMatchTheirLoginCommandsAndNamedCommandsOnly() {
        Fault login = script.onImapLogin().once().reply("NO [UNAVAILABLE] later");
        script.onPop3Command("retr").on(MailListener.POP3S).closeWith("-ERR bye");
        assertThat(script.decideImap(session("imap"), "SELECT")).isEqualTo(dev.mailcore.imap.ImapAction.PROCEED);
        assertThat(script.decideImap(session("imaps"), "AUTHENTICATE"))
                .isEqualTo(new dev.mailcore.imap.ImapAction.Reply("NO [UNAVAILABLE] later"));
        assertThat(script.decideImap(session("imap"), "LOGIN")).isEqualTo(dev.mailcore.imap.ImapAction.PROCEED);
        assertThat(login.triggered()).isEqualTo(1);
        assertThat(script.decidePop3(session("pop3"), "RETR")).isEqualTo(dev.mailcore.pop3.Pop3Action.PROCEED);
        assertThat(script.decidePop3(session("pop3s"), "RETR"))
                .isEqualTo(new dev.mailcore.pop3.Pop3Action.Disconnect("-ERR bye"));
        assertThat(decide(SmtpPhase.AUTH, "PLAIN")).as("not an SMTP fault").isEqualTo(SmtpAction.PROCEED);
        script.onEveryCommand().reply(421, "4.3.2 bye");
        assertThat(script.decidePop3(session("pop3s"), "STAT")).as("SMTP faults stay SMTP's")
                .isEqualTo(dev.mailcore.pop3.Pop3Action.PROCEED);
    }

    @Test
    void failHandshakeIsOnlyForStartTls() {
        assertThatThrownBy(() -> script.onMail().failHandshake()).isInstanceOf(IllegalStateException.class);
        script.onStartTls().failHandshake();
        assertThat(decide(SmtpPhase.STARTTLS, "")).isInstanceOfSatisfying(SmtpAction.Disconnect.class,
                d -> assertThat(d.reply().code()).isEqualTo(220));
        assertThatThrownBy(() -> script.onMail().reply(99, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentConnectionsNeverFireMoreThanTheLimit() throws Exception {
        Fault fault = script.onConnect().times(100).close();
        AtomicInteger fired = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    for (int j = 0; j < 1000; j++) {
                        if (decide(SmtpPhase.CONNECT, "") instanceof SmtpAction.Disconnect) {
                            fired.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(fired.get()).isEqualTo(100);
        assertThat(fault.triggered()).isEqualTo(100);
    }
}
