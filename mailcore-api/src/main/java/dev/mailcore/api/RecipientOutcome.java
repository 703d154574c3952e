package dev.mailcore.api;

import java.util.Objects;

/**
 * What happened to one recipient in one delivery attempt.
 *
 * @param recipient the recipient
 * @param status    delivered, deferred or failed
 * @param reply     the reply that decided it (from the remote server or made up locally)
 * @param handoff   for a {@link DeliveryStatus#DELIVERED} recipient, who reports on it from now on (decides whether
 *                  the queue owes the sender a success notification, and its Action); ignored otherwise
 */
public record RecipientOutcome(MailAddress recipient, DeliveryStatus status, SmtpReply reply, Handoff handoff) {

    /**
     * What the acceptance of a recipient means for delivery status notifications (RFC 3461 §5.2.2, RFC 3464
     * §2.3.3).
     */
    public enum Handoff {
        /**
         * Accepted by a next hop that will not report on it (it offers no DSN, or the transport cannot tell): a
         * success notification the sender asked for is ours to send, with {@code Action: relayed}.
         */
        RELAYED,
        /**
         * Accepted by a next hop that offers DSN, with the recipient's NOTIFY passed on: notifications are the next
         * hop's job now, and the queue sends none of its own.
         */
        RELAYED_WITH_DSN,
        /**
         * Final delivery (into a mailbox, by LMTP or a local store): a success notification the sender asked for
         * says {@code Action: delivered}.
         */
        DELIVERED
    }

    public RecipientOutcome {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(handoff, "handoff");
    }

    /** An outcome with {@link Handoff#RELAYED}: what a transport that knows nothing of its next hop reports. */
    public RecipientOutcome(MailAddress recipient, DeliveryStatus status, SmtpReply reply) {
        this(recipient, status, reply, Handoff.RELAYED);
    }
}
