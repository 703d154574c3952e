package dev.mailcore.api.store;

/**
 * A user's storage use and limits (RFC 9208 STORAGE and MESSAGE resources). {@link #UNLIMITED} means no limit.
 *
 * @param bytes         octets used by all the user's messages
 * @param bytesLimit    the octet limit
 * @param messages      number of messages in all mailboxes
 * @param messagesLimit the message count limit
 */
public record QuotaUsage(long bytes, long bytesLimit, long messages, long messagesLimit) {
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** Whether adding a message of {@code size} octets would stay within both limits. */
    public boolean allows(long size) {
        // written as differences so that sizes near Long.MAX_VALUE cannot overflow into "allowed"
        return (bytesLimit == UNLIMITED || bytes <= bytesLimit && size <= bytesLimit - bytes)
                && (messagesLimit == UNLIMITED || messages < messagesLimit);
    }
}
