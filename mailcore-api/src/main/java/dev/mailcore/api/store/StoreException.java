package dev.mailcore.api.store;

import dev.mailcore.api.MailcoreException;

/** A store operation failed for the {@link #error() reason} given; nothing of the operation took effect. */
public class StoreException extends MailcoreException {
    private static final long serialVersionUID = 1L;
    private final StoreError error;

    public StoreException(StoreError error, String message) {
        super(message);
        this.error = error;
    }

    public StoreException(StoreError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public StoreError error() {
        return error;
    }
}
