package dev.mailcore.smtp.internal;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.MailParameters;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EsmtpParametersTest {

    private static String replyOf(Runnable r) {
        try {
            r.run();
        } catch (ReplyException e) {
            return e.reply().toWire();
        }
        throw new AssertionError("no reply");
    }

    @Test
    void parsesAllMailParameters() {
        MailParameters p = EsmtpParameters.parseMail(
                List.of("SIZE=1000", "body=8bitmime", "SMTPUTF8", "RET=HDRS", "ENVID=QQ+2Bx", "AUTH=a+40b.c"), 2000);
        assertThat(p.declaredSize()).hasValue(1000);
        assertThat(p.body()).isEqualTo(BodyType.EIGHT_BIT_MIME);
        assertThat(p.smtpUtf8()).isTrue();
        assertThat(p.dsnReturn()).isEqualTo(DsnReturn.HDRS);
        assertThat(p.envelopeId()).isEqualTo("QQ+x");
        assertThat(p.authSender()).isEqualTo("a@b.c");
    }

    @Test
    void nullAuthSenderIsAccepted() {
        assertThat(EsmtpParameters.parseMail(List.of("AUTH=<>"), 10).authSender()).isNull();
    }

    @Test
    void rejectsTooLargeDeclaredSize() {
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("SIZE=2001"), 2000)))
                .startsWith("552 5.3.4 ");
    }

    @Test
    void rejectsUnknownAndDuplicateParameters() {
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("FOO=1"), 10))).startsWith("555 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("SIZE=1", "size=2"), 10)))
                .startsWith("555 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseRcpt(List.of("XYZ")))).startsWith("555 5.5.4 ");
    }

    @Test
    void rejectsBadValues() {
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("SIZE=abc"), 10))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("BODY=9BIT"), 10))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("RET=ALL"), 10))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("ENVID=a+zz"), 10))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("SMTPUTF8=yes"), 10))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseMail(List.of("SIZE="), 10))).startsWith("501 5.5.4 ");
    }

    @Test
    void parsesNotifyAndOrcpt() {
        EsmtpParameters.RcptParameters p =
                EsmtpParameters.parseRcpt(List.of("NOTIFY=SUCCESS,failure", "ORCPT=rfc822;a+40b.example"));
        assertThat(p.notifyOn()).isEqualTo(Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE));
        assertThat(p.orcpt()).isEqualTo("rfc822;a+40b.example");
    }

    @Test
    void rejectsNeverCombinedWithOtherNotifyValues() {
        assertThat(replyOf(() -> EsmtpParameters.parseRcpt(List.of("NOTIFY=NEVER,DELAY")))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseRcpt(List.of("NOTIFY=SOMETIMES")))).startsWith("501 5.5.4 ");
        assertThat(replyOf(() -> EsmtpParameters.parseRcpt(List.of("ORCPT=rfc822")))).startsWith("501 5.5.4 ");
    }

    @Test
    void decodesXtext() {
        assertThat(Xtext.decode("a+2Bb+3D")).isEqualTo("a+b=");
        assertThat(Xtext.decode("a+2")).isNull();
        assertThat(Xtext.decode("a=b")).isNull();
        assertThatThrownBy(() -> {
            throw new ReplyException(500, "5.5.2", "x");
        }).isInstanceOf(ReplyException.class);
    }
}
