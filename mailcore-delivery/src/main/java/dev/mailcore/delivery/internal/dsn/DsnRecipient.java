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
 */
public record DsnRecipient(MailAddress finalRecipient, String orcpt, SmtpReply reply, Instant lastAttempt,
                           Instant willRetryUntil) {
    public DsnRecipient {
        Objects.requireNonNull(finalRecipient, "finalRecipient");
    }
}
