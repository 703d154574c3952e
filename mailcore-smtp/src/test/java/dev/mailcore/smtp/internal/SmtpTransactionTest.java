package dev.mailcore.smtp.internal;

import dev.mailcore.api.FilterResult;
import dev.mailcore.api.HeaderField;
import dev.mailcore.api.IncomingMessage;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.smtp.SmtpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SmtpTransactionTest {
    private static final String MESSAGE = "Subject: test\r\n\r\nHello\r\n";

    @TempDir
    Path spool;

    final FakeStore store = new FakeStore();

    SmtpConfig.Builder config() {
        return SmtpConfig.builder().hostname("mx.example.org").resolver(SmtpSessionTest::resolve).store(store)
                .executor(Runnable::run).spoolDirectory(spool).memoryThreshold(16)
                .clock(Clock.fixed(Instant.parse("2026-11-25T01:48:13Z"), ZoneOffset.UTC));
    }

    SmtpTester ready(SmtpConfig config, String... recipients) {
        SmtpTester smtp = SmtpTester.connect(config).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<sender@client.example>").expect("250 ");
        for (String r : recipients) {
            smtp.send("RCPT TO:<" + r + ">").expect("250 2.1.5 ");
        }
        return smtp;
    }

    @Test
    void deliversDataIntoTheInboxWithAReceivedHeader() {
        ready(config().build(), "alice@example.org").send("DATA").expect("354 End data with <CR><LF>.<CR><LF>")
                .sendRaw(MESSAGE + ".\r\n").expect("250 2.0.0 Ok: queued as S1M1");
        assertThat(store.deliveries.get(0).targets()).containsExactly(MailboxRef.inbox("alice"));
        assertThat(store.onlyContent()).isEqualTo(
                "Received: from client.example ([192.0.2.10]) by mx.example.org (mailcore)\r\n"
                        + "\twith ESMTP id S1M1 for <alice@example.org>; Wed, 25 Nov 2026 01:48:13 +0000\r\n"
                        + MESSAGE);
    }

    @Test
    void unstuffsDotsAndOmitsForWithSeveralRecipients() {
        ready(config().build(), "alice@example.org", "bob@example.org").send("DATA").expect("354 ")
                .sendRaw("Subject: x\r\n\r\n..leading dot\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.deliveries.get(0).targets())
                .containsExactly(MailboxRef.inbox("alice"), MailboxRef.inbox("bob"));
        assertThat(store.onlyContent()).doesNotContain("for <").endsWith("\r\n\r\n.leading dot\r\n");
    }

    @Test
    void runsSeveralTransactionsOnOneConnection() {
        SmtpTester smtp = ready(config().build(), "alice@example.org").send("DATA").expect("354 ")
                .sendRaw(MESSAGE + ".\r\n").expect("250 2.0.0 Ok: queued as S1M1");
        smtp.send("MAIL FROM:<>").expect("250 ").send("RCPT TO:<bob@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE + ".\r\n").expect("250 2.0.0 Ok: queued as S1M2");
        assertThat(store.deliveries).hasSize(2);
    }

    @Test
    void dataChecksSequence() {
        SmtpTester smtp = SmtpTester.connect(config().build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("DATA").expect("503 5.5.1 ")
                .send("MAIL FROM:<a@client.example>").expect("250 ")
                .send("DATA").expect("554 5.5.1 ")
                .send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA now").expect("501 5.5.4 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void dataIsRefusedForBinaryMime() {
        SmtpTester smtp = SmtpTester.connect(config().build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<a@client.example> BODY=BINARYMIME")
                .expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ").send("DATA").expect("503 5.5.1 ");
    }

    @Test
    void refusesOversizedMessagesAndResetsTheTransaction() {
        SmtpTester smtp = ready(config().maxMessageSize(20).build(), "alice@example.org");
        smtp.send("DATA").expect("354 ").sendRaw("Subject: x\r\n\r\n" + "y".repeat(100) + "\r\n.\r\n")
                .expect("552 5.3.4 Message size exceeds fixed limit")
                .send("RCPT TO:<alice@example.org>").expect("503 5.5.1 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void refusesBareLineFeedInsideData() {
        ready(config().build(), "alice@example.org").send("DATA").expect("354 ")
                .sendRaw("Subject: x\r\n\r\nsmuggled\n.\nMAIL FROM:<evil@x>\r\n.\r\n")
                .expect("554 5.6.0 Message contains bare CR or LF")
                .send("NOOP").expect("250 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void refusesOverlongLinesInsideData() {
        ready(config().build(), "alice@example.org").send("DATA").expect("354 ")
                .sendRaw("Subject: x\r\n\r\n" + "z".repeat(1200) + "\r\n.\r\n").expect("552 5.6.0 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void storeFailureIsTemporaryAndStoresNothing() {
        store.failWith = StoreError.FAILURE;
        ready(config().build(), "alice@example.org", "bob@example.org").send("DATA").expect("354 ")
                .sendRaw(MESSAGE + ".\r\n").expect("451 4.3.0 Error: queue file write error")
                .send("RCPT TO:<alice@example.org>").expect("503 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void quotaAndFullStorageAre452() {
        store.failWith = StoreError.OVER_QUOTA;
        SmtpTester smtp = ready(config().build(), "alice@example.org").send("DATA").expect("354 ")
                .sendRaw(MESSAGE + ".\r\n").expect("452 4.2.2 Mailbox full");
        store.failWith = StoreError.STORAGE_FULL;
        smtp.send("MAIL FROM:<>").expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw(MESSAGE + ".\r\n").expect("452 4.3.1 ");
    }

    @Test
    void filtersAddHeadersRejectDiscardAndFileInto() {
        List<IncomingMessage> seen = new ArrayList<>();
        SmtpConfig config = config().addFilter(m -> {
            seen.add(m);
            String subject = read(m);
            if (subject.contains("Subject: reject")) {
                return new FilterResult.Reject(SmtpReply.of(550, "5.7.1", "rejected by content"));
            }
            if (subject.contains("Subject: discard")) {
                return new FilterResult.Discard();
            }
            if (subject.contains("Subject: junk")) {
                return new FilterResult.FileInto("Junk", List.of(new HeaderField("X-Junk", "yes")));
            }
            return new FilterResult.Continue(List.of(new HeaderField("X-Scanned", "clean")));
        }).build();
        SmtpTester smtp = ready(config, "alice@example.org");
        smtp.send("DATA").expect("354 ").sendRaw("Subject: ok\r\n\r\nx\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.onlyContent()).startsWith("X-Scanned: clean\r\nReceived: from client.example");
        assertThat(seen.get(0).session().heloName()).isEqualTo("client.example");
        assertThat(seen.get(0).envelope().sender().toString()).isEqualTo("<sender@client.example>");

        smtp.send("MAIL FROM:<>").expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw("Subject: reject\r\n\r\nx\r\n.\r\n")
                .expect("550 5.7.1 rejected by content");
        smtp.send("MAIL FROM:<>").expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw("Subject: discard\r\n\r\nx\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.deliveries).hasSize(1);
        smtp.send("MAIL FROM:<>").expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw("Subject: junk\r\n\r\nx\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.deliveries).hasSize(2);
        assertThat(store.deliveries.get(1).targets()).containsExactly(new MailboxRef("alice", "Junk"));
        assertThat(store.deliveries.get(1).content()).startsWith("X-Junk: yes\r\nReceived: ");
    }

    @Test
    void smtpUtf8MessagesAreReceivedWithUtf8Smtp() {
        SmtpTester smtp = SmtpTester.connect(config().build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ").send("MAIL FROM:<δοκιμή@client.example> SMTPUTF8")
                .expect("250 ").send("RCPT TO:<δοκιμή@example.org>").expect("250 ")
                .send("DATA").expect("354 ").sendRaw("Subject: Grüße\r\n\r\nΓειά\r\n.\r\n").expect("250 2.0.0 ");
        assertThat(store.onlyContent()).contains("with UTF8SMTP id").contains("for <δοκιμή@example.org>;")
                .endsWith("Subject: Grüße\r\n\r\nΓειά\r\n");
    }

    @Test
    void bdatChunksAreJoinedAndDeliveredAtLast() {
        SmtpTester smtp = ready(config().build(), "alice@example.org");
        smtp.sendRaw("BDAT 14\r\nSubject: x\r\n\r\nBDAT 1\r\nA").expect("250 2.0.0 14 octets received")
                .expect("250 2.0.0 1 octets received");
        smtp.sendRaw("BDAT 0\r\n").expect("250 2.0.0 0 octets received");
        smtp.sendRaw("BDAT 3 LAST\r\nB\r\n").expect("250 2.0.0 Ok: queued as S1M1");
        assertThat(store.onlyContent()).endsWith("\r\nSubject: x\r\n\r\nAB\r\n");
        smtp.send("DATA").expect("503 5.5.1 ");
    }

    @Test
    void bdatZeroLastDeliversWhatWasSent() {
        SmtpTester smtp = ready(config().build(), "alice@example.org");
        smtp.sendRaw("BDAT 6\r\nab\r\n\r\nBDAT 0 LAST\r\n").expect("250 2.0.0 6 octets ").expect("250 2.0.0 Ok: ");
        assertThat(store.onlyContent()).endsWith(">; Wed, 25 Nov 2026 01:48:13 +0000\r\nab\r\n\r\n");
    }

    @Test
    void refusedBdatStillConsumesItsChunk() {
        SmtpTester smtp = SmtpTester.connect(config().build()).expect("220 ");
        smtp.send("EHLO client.example").expect("250 ");
        smtp.sendRaw("BDAT 12\r\nNOOP\r\nNOOP\r\n").expect("503 5.5.1 ").expectNothing();
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ");
        smtp.sendRaw("BDAT 6 LAST\r\nQUIT\r\n").expect("503 5.5.1 ").expectOpen();
        smtp.send("NOOP").expect("250 ");
        assertThat(store.deliveries).isEmpty();
    }

    @Test
    void bdatAfterAFailedChunkIsRefusedUntilNewMail() {
        SmtpTester smtp = ready(config().maxMessageSize(10).build(), "alice@example.org");
        smtp.sendRaw("BDAT 20\r\n" + "x".repeat(20)).expect("552 5.3.4 ");
        smtp.sendRaw("BDAT 2 LAST\r\nab").expect("503 5.5.1 ");
        smtp.send("RCPT TO:<alice@example.org>").expect("503 5.5.1 ");
        smtp.send("MAIL FROM:<a@client.example>").expect("250 ").send("RCPT TO:<alice@example.org>").expect("250 ")
                .sendRaw("BDAT 2 LAST\r\nab").expect("250 2.0.0 Ok");
        assertThat(store.onlyContent()).endsWith("\r\nab");
    }

    @Test
    void malformedBdatClosesTheConnection() {
        ready(config().build(), "alice@example.org").send("BDAT x LAST").expect("501 5.5.4 ").expectClosed();
        ready(config().build(), "alice@example.org").send("BDAT").expect("501 5.5.4 ").expectClosed();
        ready(config().build(), "alice@example.org").send("BDAT 1 FIRST").expect("501 5.5.4 ").expectClosed();
    }

    @Test
    void rsetDropsTheSpooledMessage() throws Exception {
        SmtpTester smtp = ready(config().build(), "alice@example.org");
        smtp.sendRaw("BDAT 100\r\n" + "x".repeat(100)).expect("250 2.0.0 100 octets");
        smtp.send("RSET").expect("250 ").sendRaw("BDAT 1 LAST\r\nx").expect("503 5.5.1 ");
        try (Stream<Path> files = Files.list(spool)) {
            assertThat(files).isEmpty();
        }
        assertThat(store.deliveries).isEmpty();
    }

    private static String read(IncomingMessage m) {
        try (var in = m.content().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
