package dev.mailcore.delivery.internal.dsn;

import dev.mailcore.api.MailAddress;
import dev.mailcore.api.SmtpReply;

import java.time.Instant;
import java.util.Objects;

/**
 * One per-recipient block of a delivery status report (RFC 3464 §2.3).
 *
 * @param finalRecipient the recipient the queue tried
 * @param orcpt          the {@code ORCPT=} parameter as given at RCPT (addr-type ";" xtext), or {@code null}
 * @param reply          the reply that decided it (becomes Status and Diagnostic-Code), or {@code null}
 * @param lastAttempt    when it was last tried, or {@code null}
 * @param willRetryUntil for a delay notice, when the queue gives up; otherwise {@code null}
 * @param finalDelivery  for a success notice, whether it was a final delivery ({@code Action: delivered}) rather than
 *                       a relay to a next hop without DSN ({@code Action: relayed})
 */
public record DsnRecipient(MailAddress finalRecipient, String orcpt, SmtpReply reply, Instant lastAttempt,
                           Instant willRetryUntil, boolean finalDelivery) {
    public DsnRecipient {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
    }

    /** A recipient that was not finally delivered (a failure, delay, or relay). */
    public DsnRecipient(MailAddress finalRecipient, String orcpt, SmtpReply reply, Instant lastAttempt,
                        Instant willRetryUntil) {
        this(finalRecipient, orcpt, reply, lastAttempt, willRetryUntil, false);
    }
}
