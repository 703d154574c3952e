package dev.mailcore.smtp.internal;

import dev.mailcore.smtp.SmtpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-phase read timeouts (RFC 5321 §4.5.3.2) on the channel's event loop, driven by a frozen embedded clock. */
class SmtpTimeoutTest {
    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool);
    }

    SmtpTester connect(SmtpConfig config) {
        SmtpTester smtp = SmtpTester.connect(config).expect("220 ");
        smtp.channel.freezeTime();
        return smtp;
    }

    static void advance(SmtpTester smtp, Duration by) {
        smtp.channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        smtp.channel.runScheduledPendingTasks();
        smtp.channel.runPendingTasks();
    }

    @Test
    void defaultsFollowRfc5321() {
        SmtpConfig config = config().build();
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.dataTimeout()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void silentClientIsToldAndDisconnectedAfterTheCommandTimeout() {
        SmtpTester smtp = connect(config().build());
        advance(smtp, Duration.ofMinutes(5).minusMillis(1));
        smtp.expectNothing().expectOpen();
        advance(smtp, Duration.ofMillis(1));
        smtp.expect("421 4.4.2 mx.example.org Error: timeout exceeded").expectClosed();
    }

    @Test
    void everyCommandRestartsTheWait() {
        SmtpTester smtp = connect(config().commandTimeout(Duration.ofSeconds(60)).build());
        advance(smtp, Duration.ofSeconds(50));
        smtp.send("EHLO client.example").expect("250 ");
        advance(smtp, Duration.ofSeconds(50));
        smtp.send("NOOP").expect("250 ");
        advance(smtp, Duration.ofSeconds(59));
        smtp.expectNothing().expectOpen();
        advance(smtp, Duration.ofSeconds(1));
        smtp.expect("421 4.4.2 ").expectClosed();
    }

    @Test
    void partOfACommandLineAlsoCountsAsActivity() {
        SmtpTester smtp = connect(config().commandTimeout(Duration.ofSeconds(60)).build());
        advance(smtp, Duration.ofSeconds(50));
        smtp.sendRaw("NO");
        advance(smtp, Duration.ofSeconds(50));
        smtp.sendRaw("OP\r\n").expect("250 ");
        advance(smtp, Duration.ofSeconds(60));
        smtp.expect("421 4.4.2 ").expectClosed();
    }

    @Test
    void dataUsesItsOwnTimeoutBetweenBlocks() {
        SmtpTester smtp = connect(config().commandTimeout(Duration.ofSeconds(300))
                .dataTimeout(Duration.ofSeconds(180)).build());
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("354 ");
        advance(smtp, Duration.ofSeconds(170));
        smtp.sendRaw("Subject: slow\r\n\r\n");
        advance(smtp, Duration.ofSeconds(170));
        smtp.sendRaw("still coming\r\n").expectNothing();
        advance(smtp, Duration.ofSeconds(179));
        smtp.expectNothing().expectOpen();
        advance(smtp, Duration.ofSeconds(1));
        smtp.expect("421 4.4.2 mx.example.org Error: timeout exceeded").expectClosed();
        assertThat(store.deliveries).isEmpty();
        assertThat(spool.toFile().list()).isEmpty();
    }

    @Test
    void afterTheMessageTheCommandTimeoutAppliesAgain() {
        SmtpTester smtp = connect(config().commandTimeout(Duration.ofSeconds(300))
                .dataTimeout(Duration.ofSeconds(10)).build());
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("354 ")
                .sendRaw("Subject: x\r\n\r\nx\r\n.\r\n").expect("250 ");
        advance(smtp, Duration.ofSeconds(299));
        smtp.expectNothing().expectOpen();
        advance(smtp, Duration.ofSeconds(1));
        smtp.expect("421 4.4.2 ").expectClosed();
    }

    @Test
    void bdatChunksUseTheDataTimeout() {
        SmtpTester smtp = connect(config().dataTimeout(Duration.ofSeconds(30)).build());
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").sendRaw("BDAT 100 LAST\r\nhalf a chunk");
        advance(smtp, Duration.ofSeconds(30));
        smtp.expect("421 4.4.2 ").expectClosed();
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void noTimeoutRunsWhileTheServerIsWorking() {
        SmtpAsyncTest.ManualExecutor executor = new SmtpAsyncTest.ManualExecutor();
        SmtpTester smtp = SmtpTester.connect(config().executor(executor).commandTimeout(Duration.ofSeconds(10))
                .build());
        smtp.channel.freezeTime();
        executor.runOne(smtp);
        smtp.expect("220 ");
        smtp.send("EHLO client.example").expectNothing(); // the HELO policy call is pending
        advance(smtp, Duration.ofSeconds(60));
        smtp.expectNothing().expectOpen();
        executor.runOne(smtp);
        smtp.expect("250 ");
        advance(smtp, Duration.ofSeconds(10));
        smtp.expect("421 4.4.2 ").expectClosed();
    }

    @Test
    void zeroDisablesTheTimeouts() {
        SmtpTester smtp = connect(config().commandTimeout(Duration.ZERO).build());
        advance(smtp, Duration.ofDays(1));
        smtp.expectNothing().expectOpen();
    }
}
