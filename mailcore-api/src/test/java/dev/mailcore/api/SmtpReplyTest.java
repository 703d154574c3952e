package dev.mailcore.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpReplyTest {

    @Test
    void writesMultiLineReplyWithEnhancedCodeOnEveryLine() {
        SmtpReply r = new SmtpReply(250, "2.0.0", List.of("a", "b"));
        assertThat(r.toWire()).isEqualTo("250-2.0.0 a\r\n250 2.0.0 b\r\n");
    }

    @Test
    void writesMultiLineReplyWithoutEnhancedCode() {
        SmtpReply r = new SmtpReply(250, null, List.of("mx.example", "PIPELINING", "8BITMIME"));
        assertThat(r.toWire()).isEqualTo("250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
    }

    @Test
    void writesOneLineReplies() {
        assertThat(SmtpReply.of(550, "5.1.1", "no such user").toWire()).isEqualTo("550 5.1.1 no such user\r\n");
        assertThat(SmtpReply.of(220, "mx.example ESMTP").toWire()).isEqualTo("220 mx.example ESMTP\r\n");
        assertThat(SmtpReply.of(250, "2.0.0", "").toWire()).isEqualTo("250 2.0.0\r\n");
    }

    @Test
    void toStringIsOneLine() {
        assertThat(new SmtpReply(451, "4.3.0", List.of("a", "b")).toString()).isEqualTo("451 4.3.0 a / b");
        assertThat(SmtpReply.of(221, "bye").toString()).isEqualTo("221 bye");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 199, 600, 999, 1000})
    void rejectsCodesOutOfRange(int code) {
        assertThatThrownBy(() -> SmtpReply.of(code, "x")).isInstanceOf(MailcoreException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 354, 421, 599})
    void acceptsCodesInRange(int code) {
        assertThat(SmtpReply.of(code, "x").code()).isEqualTo(code);
    }

    @Test
    void rejectsEnhancedClassThatDoesNotMatchTheCode() {
        assertThatThrownBy(() -> SmtpReply.of(250, "5.0.0", "x")).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> SmtpReply.of(550, "4.0.0", "x")).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> SmtpReply.of(451, "2.0.0", "x")).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> SmtpReply.of(354, "2.0.0", "x")).isInstanceOf(MailcoreException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "2.0", "2.0.0.0", "3.0.0", "2.1000.0", "2.0.1000", "2..0", "2.a.0", "2.0.0 ",
        "\u0662.0.0", "2.\u0660.0"})
    void rejectsMalformedEnhancedCodes(String enhanced) {
        assertThatThrownBy(() -> SmtpReply.of(250, enhanced, "x")).as(enhanced).isInstanceOf(MailcoreException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\r\n", "\r\n250 injected"})
    void rejectsCrOrLfInText(String text) {
        assertThatThrownBy(() -> SmtpReply.of(250, "2.0.0", text)).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> new SmtpReply(250, null, List.of("ok", text))).isInstanceOf(MailcoreException.class);
    }

    @Test
    void requiresAtLeastOneLine() {
        assertThatThrownBy(() -> new SmtpReply(250, null, List.of())).isInstanceOf(MailcoreException.class);
        assertThatThrownBy(() -> new SmtpReply(250, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void copiesTheLines() {
        List<String> lines = new ArrayList<>(List.of("a"));
        SmtpReply r = new SmtpReply(250, null, lines);
        lines.add("b");
        assertThat(r.lines()).containsExactly("a");
        assertThatThrownBy(() -> r.lines().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void classifiesReplies() {
        assertThat(SmtpReply.of(250, "ok").isPositive()).isTrue();
        assertThat(SmtpReply.of(354, "go").isPositive()).isTrue();
        assertThat(SmtpReply.of(421, "bye").isTransientFailure()).isTrue();
        assertThat(SmtpReply.of(421, "bye").isPositive()).isFalse();
        assertThat(SmtpReply.of(421, "bye").isPermanentFailure()).isFalse();
        assertThat(SmtpReply.of(554, "no").isPermanentFailure()).isTrue();
        assertThat(SmtpReply.of(554, "no").isTransientFailure()).isFalse();
    }
}
