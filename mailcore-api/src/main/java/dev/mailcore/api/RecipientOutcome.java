package dev.mailcore.api;

import java.util.Objects;

/**
 * What happened to one recipient in one delivery attempt.
 *
 * @param recipient the recipient
 * @param status    delivered, deferred or failed
 * @param reply     the reply that decided it (from the remote server or made up locally)
 */
public record RecipientOutcome(MailAddress recipient, DeliveryStatus status, SmtpReply reply) {
    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reply, "reply");
    }
}
