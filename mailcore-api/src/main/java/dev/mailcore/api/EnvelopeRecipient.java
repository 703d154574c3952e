package dev.mailcore.api;

import java.util.Objects;
import java.util.Set;

/**
 * One RCPT TO of a transaction, with its DSN parameters (RFC 3461).
 *
 * @param address  the forward path's mailbox
 * @param notifyOn {@code NOTIFY=} values; empty when not given
 * @param original {@code ORCPT=} as given (addr-type ";" xtext), or {@code null}
 */
public record EnvelopeRecipient(MailAddress address, Set<DsnNotify> notifyOn, String original) {

    public EnvelopeRecipient {
        Objects.requireNonNull(address, "address");
        notifyOn = Set.copyOf(notifyOn);
    }

    /** A recipient without DSN parameters. */
    public static EnvelopeRecipient of(MailAddress address) {
        return new EnvelopeRecipient(address, Set.of(), null);
    }
}
