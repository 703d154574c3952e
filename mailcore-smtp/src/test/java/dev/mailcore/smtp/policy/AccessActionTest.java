package dev.mailcore.smtp.policy;

import dev.mailcore.api.Decision;
import dev.mailcore.api.MailcoreException;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessActionTest {

    @Test
    void mapsEachSimpleActionToItsDecision() {
        assertThat(AccessAction.parse("ok").toDecision()).isEqualTo(Decision.ACCEPT);
        assertThat(AccessAction.parse("RELAY").toDecision()).isEqualTo(Decision.RELAY);
        assertThat(AccessAction.parse("Discard").toDecision()).isEqualTo(Decision.DISCARD);
        assertThat(AccessAction.parse("REJECT").toDecision())
                .isEqualTo(new Decision.Reject(SmtpReply.of(550, "5.7.1", "Access denied")));
        assertThat(AccessAction.parse("DEFER").toDecision()).isInstanceOfSatisfying(Decision.Defer.class,
                d -> assertThat(d.reply().toWire()).startsWith("451 4.7.1 "));
    }

    @Test
    void parsesErrorRepliesInQuotedAndSendmailForms() {
        assertThat(AccessAction.parse("ERROR:\"550 5.7.1 Go away\"").toDecision())
                .isEqualTo(new Decision.Reject(SmtpReply.of(550, "5.7.1", "Go away")));
        assertThat(AccessAction.parse("ERROR:5.7.0:553 No spam here").reply().orElseThrow())
                .isEqualTo(SmtpReply.of(553, "5.7.0", "No spam here"));
        assertThat(AccessAction.parse("error:\"554 Bad client\"").reply().orElseThrow())
                .isEqualTo(SmtpReply.of(554, "5.7.1", "Bad client"));
    }

    @Test
    void fourHundredErrorsDeferAndFourTwentyOneDisconnects() {
        assertThat(AccessAction.parse("ERROR:\"450 4.7.1 Later\"").toDecision())
                .isEqualTo(new Decision.Defer(SmtpReply.of(450, "4.7.1", "Later")));
        assertThat(AccessAction.parse("ERROR:\"421 4.3.2 Closing\"").toDecision())
                .isEqualTo(new Decision.Disconnect(SmtpReply.of(421, "4.3.2", "Closing")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"REJCT", "ERROR", "ERROR:\"250 2.0.0 fine\"", "ERROR:\"550 4.7.1 wrong class\"",
            "ERROR:\"550 5.7.1 unterminated", "ERROR:hello", "ERROR:5.7.1:550 5.7.2 two codes", ""})
    void rejectsInvalidActions(String text) {
        assertThatThrownBy(() -> AccessAction.parse(text)).isInstanceOf(MailcoreException.class);
    }

    @Test
    void printsActionsInFileSyntax() {
        AccessAction a = AccessAction.parse("ERROR:\"550 5.7.1 Go away\"");
        assertThat(a.toString()).isEqualTo("ERROR:\"550 5.7.1 Go away\"");
        assertThat(AccessAction.parse(a.toString())).isEqualTo(a);
        assertThat(AccessAction.RELAY.toString()).isEqualTo("RELAY");
    }
}
