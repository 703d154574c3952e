package dev.mailcore.api.store;

/** How {@link Store#updateFlags} combines the given flags with a message's flags. */
public enum FlagOperation {
    /** Set exactly these flags. */
    REPLACE,
    /** Add these flags. */
    ADD,
    /** Remove these flags. */
    REMOVE
}
