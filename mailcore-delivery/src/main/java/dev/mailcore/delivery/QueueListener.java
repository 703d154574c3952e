package dev.mailcore.delivery;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.SmtpReply;

import java.time.Instant;

/**
 * Hears what a {@link DeliveryQueue} does with each recipient, after the outcome is recorded on disk. Called on the
 * queue's worker threads: keep it quick and do not block. Useful in tests to await an outcome instead of sleeping.
 */
public interface QueueListener {

    /** A recipient was accepted by the next hop. */
    default void onDelivered(String queueId, MailAddress recipient, SmtpReply reply) {
    }

    /** An attempt for a recipient failed for now; it is retried at {@code nextAttempt}. */
    default void onDeferred(String queueId, MailAddress recipient, SmtpReply reply, Instant nextAttempt) {
    }

    /** A recipient failed for good (rejected or expired); {@code reply} is the last error. */
    default void onBounced(String queueId, MailAddress recipient, SmtpReply reply) {
    }

    /** A message left the queue (done, or deleted by the administrator). */
    default void onRemoved(String queueId) {
    }
}
