package dev.mailcore.smtp.internal;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.smtp.SmtpConfig;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The asynchronous model: SPI calls wait on the executor while the decoder is paused. */
class SmtpAsyncTest {
    @TempDir
    Path spool;

    /** Runs tasks only when the test says so. */
    static final class ManualExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable command) {
            tasks.add(command);
        }

        void runOne(SmtpTester smtp) {
            assertThat(tasks).as("pending SPI calls").isNotEmpty();
            tasks.poll().run();
            smtp.channel.runPendingTasks();
        }
    }

    final ManualExecutor executor = new ManualExecutor();
    final FakeStore store = new FakeStore();

    SmtpConfig config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(executor).spoolDirectory(spool).memoryThreshold(8).build();
    }

    /** Resolver that promises not to block. */
    static final class InMemoryResolver implements dev.mailcore.api.RecipientResolver, dev.mailcore.api.NonBlocking {
        @Override
        public dev.mailcore.api.Resolution resolve(dev.mailcore.api.MailAddress address) {
            return SmtpSessionTest.resolve(address);
        }
    }

    @Test
    void nonBlockingSpisRunOnTheEventLoopWithoutTheExecutor() throws Exception {
        MemoryStore memory = new MemoryStore();
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(new InMemoryResolver())
                .store(memory).policy(dev.mailcore.api.DeliveryPolicy.allOf()).executor(executor)
                .spoolDirectory(spool).build();
        SmtpTester smtp = SmtpTester.connect(config);
        smtp.expect("220 ");
        smtp.sendRaw("EHLO client.example\r\nMAIL FROM:<a@client.example>\r\nRCPT TO:<alice@example.org>\r\n"
                + "DATA\r\n").expect("250 ");
        smtp.expect("250 2.1.0 ").expect("250 2.1.5 ").expect("354 ");
        smtp.sendRaw("Subject: inline\r\n\r\nhi\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(executor.tasks).as("no SPI call went to the executor").isEmpty();
        assertThat(memory.messages(dev.mailcore.api.store.MailboxRef.inbox("alice"))).hasSize(1);
    }

    @Test
    void pipelinedCommandsWaitForTheSpiCallBeforeThem() {
        SmtpTester smtp = SmtpTester.connect(config());
        smtp.expectNothing();
        executor.runOne(smtp); // onConnect
        smtp.expect("220 ");
        smtp.sendRaw("EHLO client.example\r\nMAIL FROM:<a@client.example>\r\nNOOP\r\n").expectNothing();
        executor.runOne(smtp); // onHelo
        executor.runOne(smtp); // onMailFrom
        assertThat(executor.tasks).isEmpty();
        smtp.nextReply();
        smtp.expect("250 2.1.0 ").expect("250 2.0.0 ");
    }

    @Test
    void aRejectingExecutorEndsTheConnectionCleanly() {
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve)
                .store(store).spoolDirectory(spool).executor(task -> {
                    throw new java.util.concurrent.RejectedExecutionException("saturated");
                }).build();
        SmtpTester.connect(config).expect("421 4.3.0 mx.example.org ").expectClosed();
    }

    @Test
    void closingDuringDeliveryStillReleasesTheSpool() throws Exception {
        SmtpTester smtp = SmtpTester.connect(config());
        executor.runOne(smtp);
        smtp.send("EHLO client.example");
        executor.runOne(smtp);
        smtp.send("MAIL FROM:<a@client.example>");
        executor.runOne(smtp);
        smtp.send("RCPT TO:<alice@example.org>");
        executor.runOne(smtp);
        smtp.send("DATA").sendRaw("Subject: x\r\n\r\n" + "long body line\r\n".repeat(100) + ".\r\n");
        assertThat(executor.tasks).hasSize(1); // the delivery
        smtp.channel.close();
        executor.runOne(smtp);
        assertThat(store.deliveries).hasSize(1);
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void deliversIntoTheMemoryStoreAndHonoursItsQuota() throws Exception {
        MemoryStore memory = new MemoryStore();
        memory.setQuota("bob", 200, QuotaUsage.UNLIMITED);
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve)
                .store(memory).executor(Runnable::run).spoolDirectory(spool).build();
        SmtpTester smtp = SmtpTester.connect(config).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("354 ")
                .sendRaw("Subject: one\r\n\r\nhello\r\n.\r\n").expect("250 2.0.0 ");
        List<MessageMeta> inbox = memory.messages(MailboxRef.inbox("alice"));
        assertThat(inbox).hasSize(1);
        MessageSource content = memory.content(MailboxRef.inbox("alice"), inbox.get(0).uid());
        try (InputStream in = content.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("Received: ")
                    .endsWith("\r\nSubject: one\r\n\r\nhello\r\n");
        }
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ").send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("354 ")
                .sendRaw("Subject: big\r\n\r\n" + "x".repeat(300) + "\r\n.\r\n")
                // larger than bob's whole quota: it can never fit, so the refusal is permanent (RFC 3463 5.2.2)
                .expect("552 5.2.2 Mailbox full");
        // all or nothing: alice got no copy of the refused message either
        assertThat(memory.messages(MailboxRef.inbox("alice"))).hasSize(1);
        assertThat(memory.messages(MailboxRef.inbox("bob"))).isEmpty();
    }

    @Test
    void aMessageThatWouldFitAnEmptierMailboxIsRefusedForNow() throws Exception {
        MemoryStore memory = new MemoryStore();
        memory.setQuota("bob", 900, QuotaUsage.UNLIMITED);
        SmtpConfig config = SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve)
                .store(memory).executor(Runnable::run).spoolDirectory(spool).build();
        SmtpTester smtp = SmtpTester.connect(config).expect("220 ");
        String message = "Subject: half\r\n\r\n" + "x".repeat(300) + "\r\n.\r\n";
        smtp.send("EHLO client.example").expect("250 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ").send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(message).expect("250 2.0.0 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ").send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(message).expect("452 4.2.2 Mailbox full");
        assertThat(memory.messages(MailboxRef.inbox("bob"))).hasSize(1);
    }
}
