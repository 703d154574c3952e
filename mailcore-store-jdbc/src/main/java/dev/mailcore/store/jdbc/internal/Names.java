package dev.mailcore.store.jdbc.internal;

import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;

/** The SPI's mailbox name rules ({@link MailboxNames}) plus the length the schema can hold. */
public final class Names {
    /** The longest name the schema holds. */
    static final int MAX_LENGTH = 1000;

    private Names() {
    }

    /** Fails with {@link StoreError#NOT_ALLOWED} for a name the SPI refuses or one longer than the schema holds. */
    public static void validate(String name) {
        if (name.length() > MAX_LENGTH) {
            throw new StoreException(StoreError.NOT_ALLOWED,
                    "invalid mailbox name \"" + name.substring(0, 40) + "...\": it is longer than " + MAX_LENGTH
                            + " characters");
        }
        MailboxNames.validate(name);
    }

    /** Whether {@link #validate} accepts the name. */
    public static boolean isValid(String name) {
        return name.length() <= MAX_LENGTH && MailboxNames.isValid(name);
    }
}
