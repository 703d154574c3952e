package dev.mailcore.netty.sasl;

/** The server's answer to one client message of a SASL exchange. */
public sealed interface SaslStep {

    /** Send this challenge (raw bytes; the protocol base64-encodes them; may be empty) and wait for a response. */
    record Challenge(byte[] data) implements SaslStep {
    }

    /**
     * Authenticated.
     *
     * @param user              the canonical user name
     * @param additionalData    server data to send with success (SCRAM's server-final-message), or {@code null}
     */
    record Success(String user, byte[] additionalData) implements SaslStep {
    }

    /**
     * Failed.
     *
     * @param reason  why
     * @param message a short text for logs (never tells whether the user exists)
     */
    record Failure(Reason reason, String message) implements SaslStep {
    }

    enum Reason {
        /** Wrong user or password: SMTP 535 5.7.8, IMAP NO [AUTHENTICATIONFAILED], POP3 -ERR [AUTH]. */
        BAD_CREDENTIALS,
        /** The client's message was not valid for the mechanism: SMTP 501 5.5.2. */
        MALFORMED,
        /** The auth provider could not answer now: SMTP 454 4.7.0, IMAP NO [UNAVAILABLE]. */
        TEMPORARY
    }
}
