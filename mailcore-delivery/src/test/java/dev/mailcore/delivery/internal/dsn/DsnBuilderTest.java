package dev.mailcore.delivery.internal.dsn;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.ParsedDsn;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DsnBuilderTest {
    private static final Instant ARRIVAL = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T10:05:00Z");
    private static final byte[] ORIGINAL = ("From: alice@example.org\r\nTo: bob@remote.test\r\n"
            + "Subject: hello\r\nMessage-ID: <m1@example.org>\r\n\r\nBody line one\r\nBody line two\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final DsnBuilder builder = new DsnBuilder("mx.example.org");

    private byte[] failure(DsnReturn ret, String envid, String orcpt) throws Exception {
        return builder.build(DsnKind.FAILURE, "alice@example.org", "ABC123",
                ReversePath.of(MailAddress.parse("alice@example.org")), envid, ARRIVAL, NOW,
                List.of(new DsnRecipient(MailAddress.parse("bob@remote.test"), orcpt,
                        SmtpReply.of(550, "5.1.1", "User unknown"), NOW, null)),
                ret, BodyType.SEVEN_BIT, MessageSource.of(ORIGINAL));
    }

    @Test
    void failureIsAMultipartReportWithThreeParts() throws Exception {
        ParsedDsn dsn = ParsedDsn.parse(failure(null, null, null));

        assertThat(dsn.contentType.getBaseType()).isEqualTo("multipart/report");
        assertThat(dsn.contentType.getParameter("report-type")).isEqualTo("delivery-status");
        assertThat(dsn.parts).isEqualTo(3);
        assertThat(dsn.message.getHeader("From")[0]).startsWith("MAILER-DAEMON@mx.example.org");
        assertThat(dsn.message.getHeader("To")[0]).isEqualTo("alice@example.org");
        assertThat(dsn.message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.message.getHeader("Auto-Submitted")[0]).isEqualTo("auto-replied");
        assertThat(dsn.message.getSentDate()).isNotNull();
        assertThat(dsn.humanText).contains("mx.example.org").contains("<bob@remote.test>: 550 5.1.1 User unknown");
    }

    @Test
    void deliveryStatusPartCarriesTheRfc3464Fields() throws Exception {
        ParsedDsn dsn = ParsedDsn.parse(failure(null, null, null));

        assertThat(dsn.messageField("Reporting-MTA")).isEqualTo("dns; mx.example.org");
        assertThat(dsn.messageField("Arrival-Date")).isEqualTo("Sun, 1 Mar 2026 10:00:00 +0000");
        assertThat(dsn.messageField("Original-Envelope-Id")).isNull();
        assertThat(dsn.perRecipient).hasSize(1);
        assertThat(dsn.field(0, "Final-Recipient")).isEqualTo("rfc822; bob@remote.test");
        assertThat(dsn.field(0, "Original-Recipient")).isNull();
        assertThat(dsn.field(0, "Action")).isEqualTo("failed");
        assertThat(dsn.field(0, "Status")).isEqualTo("5.1.1");
        assertThat(dsn.field(0, "Diagnostic-Code")).isEqualTo("smtp; 550 5.1.1 User unknown");
        assertThat(dsn.field(0, "Last-Attempt-Date")).isEqualTo("Sun, 1 Mar 2026 10:05:00 +0000");
    }

    @Test
    void fullReturnAttachesTheOriginalAsMessageRfc822() throws Exception {
        ParsedDsn dsn = ParsedDsn.parse(failure(DsnReturn.FULL, null, null));

        assertThat(dsn.originalType).isEqualTo("message/rfc822");
        MimeMessage original = new MimeMessage(null, new ByteArrayInputStream(dsn.original));
        assertThat(original.getSubject()).isEqualTo("hello");
        assertThat(new String(dsn.original, StandardCharsets.US_ASCII)).contains("Body line two");
    }

    @Test
    void headersOnlyReturnAttachesTextRfc822HeadersWithoutTheBody() throws Exception {
        ParsedDsn dsn = ParsedDsn.parse(failure(DsnReturn.HDRS, null, null));

        assertThat(dsn.originalType).isEqualTo("text/rfc822-headers");
        String headers = new String(dsn.original, StandardCharsets.US_ASCII);
        assertThat(headers).contains("Subject: hello").contains("Message-ID: <m1@example.org>")
                .doesNotContain("Body line");
    }

    @Test
    void envelopeIdAndDecodedOriginalRecipientAreEchoed() throws Exception {
        ParsedDsn dsn = ParsedDsn.parse(failure(null, "QQ314159", "rfc822;bob+2Bextra@remote.test"));

        assertThat(dsn.messageField("Original-Envelope-Id")).isEqualTo("QQ314159");
        assertThat(dsn.field(0, "Original-Recipient")).isEqualTo("rfc822; bob+extra@remote.test");
    }

    @Test
    void delayNoticeSaysDelayedAndWhenRetriesEnd() throws Exception {
        Instant until = ARRIVAL.plusSeconds(5 * 86400);
        byte[] bytes = builder.build(DsnKind.DELAY, "alice@example.org", "ABC123",
                ReversePath.of(MailAddress.parse("alice@example.org")), null, ARRIVAL, NOW,
                List.of(new DsnRecipient(MailAddress.parse("bob@remote.test"), null,
                        SmtpReply.of(451, "4.4.1", "Connection timed out"), NOW, until)),
                null, BodyType.SEVEN_BIT, MessageSource.of(ORIGINAL));
        ParsedDsn dsn = ParsedDsn.parse(bytes);

        assertThat(dsn.message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat(dsn.field(0, "Action")).isEqualTo("delayed");
        assertThat(dsn.field(0, "Status")).isEqualTo("4.4.1");
        assertThat(dsn.field(0, "Will-Retry-Until")).isEqualTo("Fri, 6 Mar 2026 10:00:00 +0000");
        assertThat(dsn.originalType).isEqualTo("text/rfc822-headers");
    }

    @Test
    void successNoticeSaysRelayed() throws Exception {
        byte[] bytes = builder.build(DsnKind.SUCCESS, "alice@example.org", "ABC123",
                ReversePath.of(MailAddress.parse("alice@example.org")), "E1", ARRIVAL, NOW,
                List.of(new DsnRecipient(MailAddress.parse("bob@remote.test"), null,
                        SmtpReply.of(250, "2.0.0", "Ok"), NOW, null)),
                null, BodyType.SEVEN_BIT, MessageSource.of(ORIGINAL));
        ParsedDsn dsn = ParsedDsn.parse(bytes);

        assertThat(dsn.message.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(dsn.field(0, "Action")).isEqualTo("relayed");
        assertThat(dsn.field(0, "Status")).isEqualTo("2.0.0");
    }

    @Test
    void successNoticeOfAFinalDeliverySaysDelivered() throws Exception {
        byte[] bytes = builder.build(DsnKind.SUCCESS, "alice@example.org", "ABC123",
                ReversePath.of(MailAddress.parse("alice@example.org")), "E1", ARRIVAL, NOW,
                List.of(new DsnRecipient(MailAddress.parse("bob@example.org"), null,
                                SmtpReply.of(250, "2.0.0", "Ok"), NOW, null, true),
                        new DsnRecipient(MailAddress.parse("carol@remote.test"), null,
                                SmtpReply.of(250, "2.0.0", "Ok"), NOW, null, false)),
                null, BodyType.SEVEN_BIT, MessageSource.of(ORIGINAL));
        ParsedDsn dsn = ParsedDsn.parse(bytes);

        assertThat(dsn.field(0, "Action")).isEqualTo("delivered");
        assertThat(dsn.field(1, "Action")).isEqualTo("relayed");
    }

    @Test
    void everyLineEndsInCrlf() throws Exception {
        String text = new String(failure(null, "E", "rfc822;x@y.test"), StandardCharsets.US_ASCII);
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
    }

    @Test
    void statusFallsBackToTheReplyCodeClass() {
        assertThat(DsnBuilder.status(DsnKind.FAILURE, SmtpReply.of(554, "Rejected"))).isEqualTo("5.0.0");
        assertThat(DsnBuilder.status(DsnKind.FAILURE, SmtpReply.of(421, "Later"))).isEqualTo("4.0.0");
        assertThat(DsnBuilder.status(DsnKind.FAILURE, null)).isEqualTo("5.0.0");
    }

    @Test
    void headerSectionStopsAtTheEmptyLine() throws Exception {
        byte[] h = DsnBuilder.headers(MessageSource.of(ORIGINAL));
        assertThat(new String(h, StandardCharsets.US_ASCII)).endsWith("<m1@example.org>\r\n\r\n");
    }
}
