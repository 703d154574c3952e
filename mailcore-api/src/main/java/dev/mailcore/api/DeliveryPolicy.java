package dev.mailcore.api;

import java.util.List;

/**
 * Decides at each SMTP phase whether to go on: relay control, access rules, rate limits, DNSBL checks and the like.
 * Every method defaults to {@link Decision#ACCEPT}, so an implementation overrides only the phases it cares about.
 * Methods may block (a DNS or database lookup); the server calls them off its I/O threads.
 */
public interface DeliveryPolicy {

    /** After the TCP connection (and the PROXY header, if any), before the greeting. */
    default Decision onConnect(SessionInfo session) {
        return Decision.ACCEPT;
    }

    /** At EHLO or HELO; {@code session.heloName()} holds the argument. */
    default Decision onHelo(SessionInfo session) {
        return Decision.ACCEPT;
    }

    /** At MAIL FROM, after syntax and size checks. */
    default Decision onMailFrom(SessionInfo session, ReversePath from, MailParameters parameters) {
        return Decision.ACCEPT;
    }

    /**
     * At RCPT TO, after syntax checks and before the built-in relay and mailbox checks.
     *
     * @param from      the transaction's reverse path
     * @param recipient the recipient being checked
     */
    default Decision onRecipient(SessionInfo session, ReversePath from, EnvelopeRecipient recipient) {
        return Decision.ACCEPT;
    }

    /** A policy that asks each of {@code chain} in order; the first non-accept decision wins. */
    static DeliveryPolicy allOf(DeliveryPolicy... chain) {
        return new PolicyChain(List.of(chain));
    }

    /** {@link #allOf(DeliveryPolicy...)} for a list. */
    static DeliveryPolicy allOf(List<? extends DeliveryPolicy> chain) {
        return new PolicyChain(List.copyOf(chain));
    }
}
