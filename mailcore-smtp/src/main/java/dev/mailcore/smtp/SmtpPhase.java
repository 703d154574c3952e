package dev.mailcore.smtp;

/**
 * The points of an SMTP session at which {@link SmtpHooks#before} is consulted, in the order a client meets them.
 */
public enum SmtpPhase {
    /** A client connected; the server is about to greet it. The argument is empty. */
    CONNECT,
    /** EHLO or HELO; the argument is the name the client gave. */
    HELO,
    /** STARTTLS; the argument is empty. */
    STARTTLS,
    /** AUTH; the argument is the mechanism name only (never the client's credentials). */
    AUTH,
    /** MAIL; the argument is the command's argument as sent, e.g. {@code FROM:<a@example.org> SIZE=100}. */
    MAIL,
    /** RCPT; the argument is the command's argument as sent, e.g. {@code TO:<b@example.org>}. */
    RCPT,
    /** The DATA command, or the first BDAT chunk of a message; the argument is empty. */
    DATA,
    /** The whole message arrived (after the final dot or BDAT LAST); the argument is empty. */
    END_OF_DATA
}
