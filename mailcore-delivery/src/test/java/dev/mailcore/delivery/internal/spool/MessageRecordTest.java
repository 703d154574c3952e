package dev.mailcore.delivery.internal.spool;

import dev.mailcore.api.BodyType;
import dev.mailcore.api.DsnNotify;
import dev.mailcore.api.DsnReturn;
import dev.mailcore.api.Envelope;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.MailAddress;
import dev.mailcore.api.MailParameters;
import dev.mailcore.api.ReversePath;
import dev.mailcore.api.SmtpReply;
import dev.mailcore.delivery.RecipientState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageRecordTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void everyFieldSurvivesSerialisation() throws IOException {
        MailParameters params = new MailParameters(OptionalLong.of(1234), BodyType.EIGHT_BIT_MIME, true,
                DsnReturn.HDRS, "env id=1", "alice@example.org", Map.of("MT-PRIORITY", "3"));
        Envelope envelope = new Envelope(ReversePath.of(MailAddress.parse("alice@example.org")), List.of(
                new EnvelopeRecipient(MailAddress.parse("\"odd user\"@remote.test"),
                        Set.of(DsnNotify.SUCCESS, DsnNotify.FAILURE), "rfc822;odd+20user@remote.test"),
                EnvelopeRecipient.of(MailAddress.parse("bob@other.test"))), params);
        MessageRecord record = MessageRecord.create("ABC", T, 999, envelope, MessageRecord.Kind.BOUNCE);
        record.held(true);
        RecipientRecord r = record.recipients().get(1);
        r.state(RecipientState.State.DEFERRED);
        r.attempts(3);
        r.nextAttempt(T.plusSeconds(600));
        r.lastAttempt(T.plusSeconds(10));
        r.lastReply(new SmtpReply(451, "4.3.0", List.of("line one", "line two")));
        r.delayNotified(true);
        r.notice(RecipientRecord.Notice.DELAY);

        MessageRecord back = MessageRecord.parse(record.serialize());

        assertThat(back.id()).isEqualTo("ABC");
        assertThat(back.arrival()).isEqualTo(T);
        assertThat(back.size()).isEqualTo(999);
        assertThat(back.sender()).isEqualTo(envelope.sender());
        assertThat(back.parameters()).isEqualTo(params);
        assertThat(back.kind()).isEqualTo(MessageRecord.Kind.BOUNCE);
        assertThat(back.held()).isTrue();
        assertThat(back.recipients().get(0).recipient()).isEqualTo(envelope.recipients().get(0));
        RecipientRecord b = back.recipients().get(1);
        assertThat(b.state()).isEqualTo(RecipientState.State.DEFERRED);
        assertThat(b.attempts()).isEqualTo(3);
        assertThat(b.nextAttempt()).isEqualTo(T.plusSeconds(600));
        assertThat(b.lastAttempt()).isEqualTo(T.plusSeconds(10));
        assertThat(b.lastReply()).isEqualTo(r.lastReply());
        assertThat(b.delayNotified()).isTrue();
        assertThat(b.notice()).isEqualTo(RecipientRecord.Notice.DELAY);
        assertThat(back.snapshot()).isEqualTo(record.snapshot());
    }

    @Test
    void nullSenderSurvivesSerialisation() throws IOException {
        Envelope envelope = new Envelope(ReversePath.nullPath(),
                List.of(EnvelopeRecipient.of(MailAddress.parse("x@y.test"))), MailParameters.NONE);
        MessageRecord back = MessageRecord.parse(
                MessageRecord.create("A1", T, 1, envelope, MessageRecord.Kind.NORMAL).serialize());
        assertThat(back.sender().isNull()).isTrue();
        assertThat(back.parameters()).isEqualTo(MailParameters.NONE);
    }

    @Test
    void truncatedFileIsRejected() {
        assertThatThrownBy(() -> MessageRecord.parse("version=1\nid=A\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
