package dev.mailcore.api;

/** Thrown by {@link MailAddress#parse(String)} and {@link ReversePath#parse(String)} for malformed input. */
public final class AddressException extends MailcoreException {
    private static final long serialVersionUID = 1L;

    public AddressException(String message) {
        super(message);
    }
}
