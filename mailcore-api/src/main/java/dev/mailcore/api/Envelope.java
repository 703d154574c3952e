package dev.mailcore.api;

import java.util.List;
import java.util.Objects;

/**
 * The SMTP envelope of one message: reverse path, recipients and MAIL FROM parameters.
 *
 * @param sender     the reverse path ({@code <>} for bounces)
 * @param recipients the accepted recipients, in RCPT order, at least one
 * @param parameters the MAIL FROM parameters
 */
public record Envelope(ReversePath sender, List<EnvelopeRecipient> recipients, MailParameters parameters) {

    public Envelope {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(parameters, "parameters");
        recipients = List.copyOf(recipients);
    }

    /** The recipients' addresses. */
    public List<MailAddress> recipientAddresses() {
        return recipients.stream().map(EnvelopeRecipient::address).toList();
    }
}
