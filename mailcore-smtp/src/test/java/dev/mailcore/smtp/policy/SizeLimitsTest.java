package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.FilterResult;
import dev.mailcore.api.IncomingMessage;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.SessionInfo;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mailcore.smtp.policy.Sessions.rcpt;
import static dev.mailcore.smtp.policy.Sessions.sender;
import static dev.mailcore.smtp.policy.Sessions.size;
import static org.assertj.core.api.Assertions.assertThat;

class SizeLimitsTest {
    final SizeLimits limits = SizeLimits.builder().limit("small.example", 1_000).limit("big.small.example", 5_000)
            .limit("example.org", 2_000).build();
    final SessionInfo session = Sessions.from("192.0.2.1");

    @Test
    void mostSpecificDomainLimitWins() {
        assertThat(limits.limitFor("small.example")).hasValue(1_000);
        assertThat(limits.limitFor("mx.small.example")).hasValue(1_000);
        assertThat(limits.limitFor("a.big.small.example")).hasValue(5_000);
        assertThat(limits.limitFor("other.example")).isEmpty();
        assertThat(SizeLimits.builder().defaultLimit(10).build().limitFor("other.example")).hasValue(10);
    }

    @Test
    void refusesRecipientsWhoseDomainCannotTakeTheDeclaredSize() {
        assertThat(limits.onMailFrom(session, sender("a@b.example"), size(1_500))).isEqualTo(Decision.ACCEPT);
        assertThat(limits.onRecipient(session, sender("a@b.example"), rcpt("x@small.example"))).isEqualTo(
                new Decision.Reject(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit for small.example")));
        assertThat(limits.onRecipient(session, sender("a@b.example"), rcpt("x@example.org")))
                .isEqualTo(Decision.ACCEPT);
        assertThat(limits.onRecipient(session, sender("a@b.example"), rcpt("x@elsewhere.example")))
                .isEqualTo(Decision.ACCEPT);
    }

    @Test
    void acceptsEveryRecipientWhenNoSizeWasDeclared() {
        limits.onMailFrom(session, sender("a@b.example"), size(99_999));
        limits.onMailFrom(session, sender("a@b.example"), MailParameters.NONE); // next transaction: no SIZE=
        assertThat(limits.onRecipient(session, sender("a@b.example"), rcpt("x@small.example")))
                .isEqualTo(Decision.ACCEPT);
    }

    @Test
    void ignoresADeclaredSizeOfAnotherSessionOrSender() {
        limits.onMailFrom(session, sender("a@b.example"), size(99_999));
        assertThat(limits.onRecipient(Sessions.from("192.0.2.2"), sender("a@b.example"), rcpt("x@small.example")))
                .isEqualTo(Decision.ACCEPT);
        assertThat(limits.onRecipient(session, sender("other@b.example"), rcpt("x@small.example")))
                .isEqualTo(Decision.ACCEPT);
    }

    @Test
    void refusesAtMailFromWhatNoDomainCouldTake() {
        SizeLimits withDefault = SizeLimits.builder().defaultLimit(1_000).limit("big.example", 3_000).build();
        assertThat(withDefault.onMailFrom(session, sender("a@b.example"), size(3_000))).isEqualTo(Decision.ACCEPT);
        assertThat(withDefault.onMailFrom(session, sender("a@b.example"), size(3_001)))
                .isEqualTo(new Decision.Reject(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit")));
        assertThat(limits.onMailFrom(session, sender("a@b.example"), size(1_000_000))).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void filterRefusesMessagesLargerThanTheSmallestRecipientLimit() {
        IncomingMessage msg = message(1_500, "x@example.org", "y@small.example");
        assertThat(limits.apply(msg)).isEqualTo(
                new FilterResult.Reject(SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit")));
        assertThat(limits.apply(message(1_500, "x@example.org", "y@elsewhere.example")))
                .isEqualTo(FilterResult.CONTINUE);
        assertThat(limits.apply(message(1_000, "y@small.example"))).isEqualTo(FilterResult.CONTINUE);
        assertThat(limits.apply(message(1_001, "y@small.example"))).isInstanceOf(FilterResult.Reject.class);
        assertThat(limits.apply(message(1_000_000, "y@elsewhere.example"))).isEqualTo(FilterResult.CONTINUE);
    }

    IncomingMessage message(int bytes, String... recipients) {
        Envelope env = new Envelope(sender("a@b.example"),
                List.of(recipients).stream().map(Sessions::rcpt).toList(), MailParameters.NONE);
        return new IncomingMessage(session, env, MessageSource.of(new byte[bytes]));
    }
}
