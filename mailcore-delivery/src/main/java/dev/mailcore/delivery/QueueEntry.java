package dev.mailcore.delivery;

import dev.mailcore.api.ReversePath;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message in a {@link DeliveryQueue}, as the administration API lists it (the queue's {@code mailq}).
 *
 * @param id         the queue id
 * @param size       the message size in octets
 * @param arrival    when it was queued
 * @param sender     the envelope sender ({@code <>} for bounces)
 * @param recipients every recipient with its state, in RCPT order
 * @param held       whether it is on hold (never tried until released)
 */
public record QueueEntry(String id, long size, Instant arrival, ReversePath sender, List<RecipientState> recipients,
                         boolean held) {

    public QueueEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arrival, "arrival");
        Objects.requireNonNull(sender, "sender");
        recipients = List.copyOf(recipients);
    }

    /** The earliest next attempt of a recipient not yet done, or {@code null} when none is left. */
    public Instant nextAttempt() {
        Instant next = null;
        for (RecipientState r : recipients) {
            if (!r.state().isFinal() && r.nextAttempt() != null
                    && (next == null || r.nextAttempt().isBefore(next))) {
                next = r.nextAttempt();
            }
        }
        return next;
    }
}
