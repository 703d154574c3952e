package dev.mailcore.delivery.smtp.internal;

import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RemoteReplyTest {

    @Test
    void prefixesTheOutcomeTextLikePostfix() {
        SmtpReply reply = new RemoteReply(550, List.of("5.1.1 <bob@example.org>: Recipient address rejected",
                "5.1.1 see the docs")).toOutcome("mx.example[192.0.2.1]", "RCPT TO");

        assertThat(reply.code()).isEqualTo(550);
        assertThat(reply.enhancedStatus()).isEqualTo("5.1.1");
        assertThat(reply.lines()).containsExactly("host mx.example[192.0.2.1] said: 550 5.1.1 <bob@example.org>: "
                + "Recipient address rejected see the docs (in reply to RCPT TO command)");
    }

    @Test
    void derivesAnEnhancedStatusWhenTheServerGaveNone() {
        SmtpReply reply = new RemoteReply(451, List.of("try later")).toOutcome("h[1.2.3.4]", "MAIL FROM");

        assertThat(reply.enhancedStatus()).isEqualTo("4.0.0");
        assertThat(reply.lines().get(0)).isEqualTo("host h[1.2.3.4] said: 451 try later (in reply to MAIL FROM command)");
    }

    @Test
    void ignoresAnEnhancedStatusOfTheWrongClass() {
        assertThat(new RemoteReply(550, List.of("2.0.0 odd")).enhancedStatus()).isNull();
        assertThat(new RemoteReply(250, List.of("2.1.5 ok")).enhancedStatus()).isEqualTo("2.1.5");
        assertThat(new RemoteReply(250, List.of("2.1.50ok")).enhancedStatus()).isNull();
    }

    @Test
    void onlyTwoHundredsArePositive() {
        assertThat(new RemoteReply(250, List.of()).isPositive()).isTrue();
        assertThat(new RemoteReply(354, List.of()).isPositive()).isFalse();
        assertThat(new RemoteReply(421, List.of()).isTransient()).isTrue();
        assertThat(new RemoteReply(554, List.of()).isPermanent()).isTrue();
    }
}
