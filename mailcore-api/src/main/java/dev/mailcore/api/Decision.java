package dev.mailcore.api;

/**
 * What a {@link DeliveryPolicy} answers at each SMTP phase. The first non-{@link Accept} decision of a chain wins
 * ({@link Relay} and {@link Discard} included).
 */
public sealed interface Decision {

    /** Go on; later policies and the built-in checks still apply. */
    record Accept() implements Decision {
    }

    /** Refuse permanently with a 5xx reply. */
    record Reject(SmtpReply reply) implements Decision {
        public Reject {
            if (!reply.isPermanentFailure()) {
                throw new MailcoreException("Reject needs a 5xx reply, got " + reply);
            }
        }
    }

    /** Refuse for now with a 4xx reply (greylisting, rate limits, DNS trouble). */
    record Defer(SmtpReply reply) implements Decision {
        public Defer {
            if (!reply.isTransientFailure()) {
                throw new MailcoreException("Defer needs a 4xx reply, got " + reply);
            }
        }
    }

    /** Send the reply (typically 421) and close the connection. */
    record Disconnect(SmtpReply reply) implements Decision {
        public Disconnect {
            if (reply.isPositive()) {
                throw new MailcoreException("Disconnect needs a failure reply, got " + reply);
            }
        }
    }

    /**
     * Accept, but throw the message away: at connect, HELO or MAIL the whole transaction's message is accepted and
     * dropped; at RCPT only that recipient is (sendmail's access-db DISCARD). The client sees success.
     */
    record Discard() implements Decision {
    }

    /**
     * Accept this recipient and allow relaying it to a remote domain without authentication (a trusted client
     * network, a relay domain we are backup MX for, an access rule RELAY). Only meaningful at RCPT; at other phases
     * it counts as {@link Accept} for the rest of the session's relay checks (a trusted client).
     */
    record Relay() implements Decision {
    }

    /** The shared {@link Accept} instance. */
    Decision ACCEPT = new Accept();

    /** The shared {@link Discard} instance. */
    Decision DISCARD = new Discard();

    /** The shared {@link Relay} instance. */
    Decision RELAY = new Relay();

    static Decision reject(int code, String enhancedStatus, String text) {
        return new Reject(SmtpReply.of(code, enhancedStatus, text));
    }

    static Decision defer(int code, String enhancedStatus, String text) {
        return new Defer(SmtpReply.of(code, enhancedStatus, text));
    }
}
