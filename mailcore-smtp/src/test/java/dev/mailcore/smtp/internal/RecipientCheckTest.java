package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.SmtpReply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecipientCheckTest {
    static final EnvelopeRecipient RCPT = EnvelopeRecipient.of(MailAddress.parse("x@remote.example"));
    static final Resolution FORWARD = new Resolution.Expanded(List.of(),
            List.of(MailAddress.parse("y@elsewhere.example")));

    static String reply(RecipientCheck.Outcome outcome) {
        assertThat(outcome).isInstanceOf(RecipientCheck.Refused.class);
        return ((RecipientCheck.Refused) outcome).reply().toWire();
    }

    @Test
    void remoteRecipientNeedsAuthorisationAndATransport() {
        assertThat(reply(RecipientCheck.decide(Decision.ACCEPT, Resolution.REMOTE, RCPT, false, true)))
                .isEqualTo("554 5.7.1 <x@remote.example>: Relay access denied\r\n");
        assertThat(reply(RecipientCheck.decide(Decision.ACCEPT, Resolution.REMOTE, RCPT, true, false)))
                .startsWith("554 5.7.1 ");
        assertThat(RecipientCheck.decide(Decision.ACCEPT, Resolution.REMOTE, RCPT, true, true))
                .isInstanceOf(RecipientCheck.Accepted.class);
        assertThat(RecipientCheck.decide(Decision.RELAY, Resolution.REMOTE, RCPT, false, true))
                .isInstanceOf(RecipientCheck.Accepted.class);
        assertThat(reply(RecipientCheck.decide(Decision.RELAY, Resolution.REMOTE, RCPT, false, false)))
                .startsWith("554 5.7.1 ");
    }

    @Test
    void forwardsNeedOnlyATransport() {
        assertThat(RecipientCheck.decide(Decision.ACCEPT, FORWARD, RCPT, false, true))
                .isInstanceOf(RecipientCheck.Accepted.class);
        assertThat(reply(RecipientCheck.decide(Decision.ACCEPT, FORWARD, RCPT, true, false)))
                .startsWith("550 5.7.1 <x@remote.example>: ").contains("cannot forward");
        assertThat(RecipientCheck.decide(Decision.ACCEPT,
                new Resolution.Expanded(List.of("alice"), List.of()), RCPT, false, false))
                .isInstanceOf(RecipientCheck.Accepted.class);
    }

    @Test
    void policyRefusalsAndDiscardsComeFirst() {
        SmtpReply busy = SmtpReply.of(421, "4.7.0", "busy");
        RecipientCheck.Outcome disconnect = RecipientCheck.decide(new Decision.Disconnect(busy), null, RCPT, true,
                true);
        assertThat(disconnect).isEqualTo(new RecipientCheck.Refused(busy, true));
        assertThat(reply(RecipientCheck.decide(Decision.defer(450, "4.2.0", "greylisted"), null, RCPT, true, true)))
                .isEqualTo("450 4.2.0 greylisted\r\n");
        assertThat(RecipientCheck.decide(Decision.DISCARD, null, RCPT, false, false))
                .isInstanceOf(RecipientCheck.Discarded.class);
    }

    @Test
    void unknownLocalUsersAreRefusedWhateverTheTrust() {
        assertThat(reply(RecipientCheck.decide(Decision.RELAY, Resolution.UNKNOWN, RCPT, true, true)))
                .startsWith("550 5.1.1 <x@remote.example>: ");
    }
}
