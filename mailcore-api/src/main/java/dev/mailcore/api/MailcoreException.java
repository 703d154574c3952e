package dev.mailcore.api;

/**
 * Root of mailcore's unchecked exceptions: programming errors, invalid configuration and failures of a pluggable
 * component. Protocol outcomes (a rejected recipient, a failed login) are values, never exceptions.
 */
public class MailcoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MailcoreException(String message) {
        super(message);
    }

    public MailcoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
