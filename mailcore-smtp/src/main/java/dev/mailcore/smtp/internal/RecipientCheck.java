package dev.mailcore.smtp.internal;

import dev.mailcore.api.Decision;
import dev.mailcore.api.EnvelopeRecipient;
import dev.mailcore.api.Resolution;
import dev.mailcore.api.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in RCPT TO checks that follow the policy and the resolver: relay control (a remote recipient needs an
 * authenticated or trusted client, or a policy's {@link Decision.Relay}, and a transport), unknown users, forwards
 * that cannot leave without a transport, and the policy's own refusals and discards. Pure logic, no I/O.
 */
final class RecipientCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RecipientCheck.class);

    /** What becomes of one RCPT TO. */
    sealed interface Outcome {
    }

    /** Accepted (250) and routed. */
    record Accepted(DeliveryPipeline.Route route) implements Outcome {
    }

    /** Accepted (250) but given no copy (a policy's {@link Decision.Discard}). */
    record Discarded() implements Outcome {
    }

    /**
     * Refused with {@code reply}.
     *
     * @param disconnect whether the connection is closed after the reply (a policy's {@link Decision.Disconnect})
     */
    record Refused(SmtpReply reply, boolean disconnect) implements Outcome {
    }

    private RecipientCheck() {
    }

    /**
     * @param policy          the policy's decision for this recipient
     * @param resolution      the resolver's answer, or {@code null} when the policy refused or discarded
     * @param recipient       the RCPT TO
     * @param relayAuthorised whether the client may relay: authenticated, or trusted by a policy earlier in the session
     * @param hasTransport    whether a transport is configured
     */
    static Outcome decide(Decision policy, Resolution resolution, EnvelopeRecipient recipient,
                          boolean relayAuthorised, boolean hasTransport) {
        if (policy instanceof Decision.Reject) {
            return new Refused(((Decision.Reject) policy).reply(), false);
        }
        if (policy instanceof Decision.Defer) {
            return new Refused(((Decision.Defer) policy).reply(), false);
        }
        if (policy instanceof Decision.Disconnect) {
            return new Refused(((Decision.Disconnect) policy).reply(), true);
        }
        if (policy instanceof Decision.Discard) {
            return new Discarded();
        }
        String address = "<" + recipient.address() + ">";
        if (resolution instanceof Resolution.Local) {
            return new Accepted(new DeliveryPipeline.Route(recipient, resolution));
        }
        if (resolution instanceof Resolution.Expanded) {
            if (!((Resolution.Expanded) resolution).forwards().isEmpty() && !hasTransport) {
                LOG.warn("{} forwards to {} but no transport is configured: refused",
                        recipient.address(), ((Resolution.Expanded) resolution).forwards());
                return new Refused(SmtpReply.of(550, "5.7.1",
                        address + ": Recipient address rejected: cannot forward (no transport)"), false);
            }
            return new Accepted(new DeliveryPipeline.Route(recipient, resolution));
        }
        if (resolution instanceof Resolution.Remote) {
            boolean mayRelay = relayAuthorised || policy instanceof Decision.Relay;
            if (mayRelay && hasTransport) {
                return new Accepted(new DeliveryPipeline.Route(recipient, resolution));
            }
            return new Refused(SmtpReply.of(554, "5.7.1", address + ": Relay access denied"), false);
        }
        return new Refused(SmtpReply.of(550, "5.1.1", address + ": Recipient address rejected: User unknown"),
                false);
    }
}
