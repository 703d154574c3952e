package dev.mailcore.api.store;

/** Why a store operation failed; protocols map each to their reply (SMTP 452/552, IMAP NO [OVERQUOTA] …). */
public enum StoreError {
    /** The mailbox does not exist (IMAP [TRYCREATE] / [NONEXISTENT]). */
    NO_SUCH_MAILBOX,
    /** A mailbox with that name exists already ([ALREADYEXISTS]). */
    MAILBOX_EXISTS,
    /** The operation is not allowed on that mailbox (deleting INBOX, a name with an invalid part). */
    NOT_ALLOWED,
    /** The message with that UID does not exist (any more). */
    NO_SUCH_MESSAGE,
    /** The user's quota would be exceeded. */
    OVER_QUOTA,
    /** The store as a whole is full (its configured byte limit, or the disk). */
    STORAGE_FULL,
    /** Any other failure: I/O, database, corrupt data. Temporary from the client's point of view. */
    FAILURE
}
