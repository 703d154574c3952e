package dev.mailcore.testing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.mailcore.testing.MailAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The message assertions pass on what is there and fail with useful messages on what is not. */
class ReceivedMessageAssertTest {

    static final String RAW = String.join("\r\n",
            "From: Shop <noreply@shop.example>",
            "To: alice@example.com",
            "Subject: =?UTF-8?Q?Passwort_zur=C3=BCcksetzen?=",
            "Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=shop.example; dkim=fail",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=b1",
            "",
            "--b1",
            "Content-Type: multipart/alternative; boundary=b2",
            "",
            "--b2",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Hallo, klicke hier: https://shop.example/reset?t=3Dabc =C3=BC",
            "--b2",
            "Content-Type: text/html; charset=UTF-8",
            "",
            "<a href=\"https://shop.example/reset?t=abc\">reset</a>",
            "--b2--",
            "--b1",
            "Content-Type: application/pdf; name=invoice.pdf",
            "Content-Disposition: attachment; filename=invoice.pdf",
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQK",
            "--b1--",
            "");

    static ReceivedMessage message() {
        return new ReceivedMessage(1, "Q1", "bounce@shop.example", List.of("alice@example.com"),
                RAW.getBytes(StandardCharsets.UTF_8), "S1", MailListener.SMTP, "TLSv1.3", null);
    }

    @Test
    void passesOnWhatTheMessageHas() {
        assertThat(message()).hasSender("bounce@shop.example").hasRecipients("ALICE@example.com")
                .hasSubject("Passwort zurücksetzen").hasSubjectContaining("zurück")
                .hasFrom("noreply@shop.example").hasTo("alice@example.com").hasHeader("MIME-Version", "1.0")
                .hasTextBodyContaining("https://shop.example/reset?t=abc", "ü")
                .hasHtmlBodyContaining("href=\"https://shop.example/reset?t=abc\"")
                .hasAttachments(1).hasAttachment("invoice.pdf", "application/pdf", "%PDF-1.4\n")
                .hasAttachmentEncodedWith("invoice.pdf", "base64")
                .hasAuthenticationResult("spf", "pass").hasAuthenticationResult("dkim", "fail")
                .doesNotHaveHeader("X-Spam").isSevenBitClean().wasSentOverTls();
        assertThat(message().queueId()).isEqualTo("Q1");
        assertThat(message().transferEncoding()).isEqualTo("7bit");
    }

    @Test
    void failsWithMessagesThatSayWhatWasThere() {
        assertThatThrownBy(() -> assertThat(message()).hasSubject("Welcome"))
                .hasMessageContaining("Expected subject \"Welcome\" but was \"Passwort zurücksetzen\"");
        assertThatThrownBy(() -> assertThat(message()).hasRecipients("bob@example.com"))
                .hasMessageContaining("[alice@example.com]");
        assertThatThrownBy(() -> assertThat(message()).hasAttachment("other.pdf"))
                .hasMessageContaining("invoice.pdf");
        assertThatThrownBy(() -> assertThat(message()).hasAttachment("invoice.pdf", "image/png"))
                .hasMessageContaining("application/pdf");
        assertThatThrownBy(() -> assertThat(message()).hasTextBodyContaining("missing"))
                .hasMessageContaining("Hallo");
        assertThatThrownBy(() -> assertThat(message()).hasAuthenticationResult("dkim", "pass"))
                .hasMessageContaining("dkim=pass");
        assertThatThrownBy(() -> assertThat(message()).wasSentBy("alice"))
                .hasMessageContaining("not authenticated");
        assertThatThrownBy(() -> assertThat(message()).hasHeader("X-Missing"))
                .hasMessageContaining("Subject:");
        assertThatThrownBy(() -> assertThat(message()).isEncodedWith("base64")).hasMessageContaining("7bit");
    }
}
