package dev.mailcore.smtp;

/**
 * What an SMTP listener is for; decides whether AUTH is required before MAIL.
 *
 * <pre>{@code
 * new SmtpProtocol(config, SmtpRole.SUBMISSION); // port 587: STARTTLS, then AUTH, then MAIL
 * }</pre>
 */
public enum SmtpRole {
    /** Mail exchanger (port 25): accepts mail for local recipients from anyone; relaying needs AUTH. */
    MX,
    /** Message submission (port 587, RFC 6409): AUTH is required before MAIL. */
    SUBMISSION,
    /** Submission over implicit TLS (port 465, RFC 8314): AUTH is required before MAIL. */
    SUBMISSIONS;

    /** Whether a client must authenticate before MAIL FROM. */
    public boolean requiresAuth() {
        return this != MX;
    }
}
