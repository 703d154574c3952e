package dev.mailcore.delivery;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.SmtpReply;

import java.time.Instant;
import java.util.Objects;

/**
 * Where one recipient of a queued message stands.
 *
 * @param address     the recipient
 * @param state       pending, deferred, delivered or bounced
 * @param attempts    how many delivery attempts were made for it
 * @param lastReply   the reply of the last attempt, or {@code null} before the first
 * @param nextAttempt when it is tried next, or {@code null} once it is delivered or bounced
 */
public record RecipientState(MailAddress address, State state, int attempts, SmtpReply lastReply,
                             Instant nextAttempt) {

    public RecipientState {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(state, "state");
    }

    /** The delivery state of one recipient. */
    public enum State {
        /** Not tried yet. */
        PENDING,
        /** Tried and failed for now; retried later. */
        DEFERRED,
        /** Accepted by the next hop. */
        DELIVERED,
        /** Failed for good (rejected, or expired): the sender was sent a bounce. */
        BOUNCED;

        /** Whether the queue is done with a recipient in this state. */
        public boolean isFinal() {
            return this == DELIVERED || this == BOUNCED;
        }
    }
}
