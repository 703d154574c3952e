package dev.mailcore.api.store;

import java.util.Locale;
import java.util.Objects;

/**
 * Names one user's mailbox. Hierarchy levels are separated by {@link Store#HIERARCHY_DELIMITER}. The name {@code
 * INBOX} is case-insensitive (RFC 9051 §5.1) and is always normalised to upper case here.
 *
 * @param user the canonical user name
 * @param name the mailbox name, such as {@code INBOX} or {@code Archive/2026}
 */
public record MailboxRef(String user, String name) {
    public static final String INBOX = "INBOX";

    public MailboxRef {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty mailbox name");
        }
        if (name.equalsIgnoreCase(INBOX)) {
            name = INBOX;
        } else if (name.regionMatches(true, 0, INBOX + Store.HIERARCHY_DELIMITER, 0, INBOX.length() + 1)) {
            name = INBOX + name.substring(INBOX.length());
        }
    }

    public static MailboxRef inbox(String user) {
        return new MailboxRef(user, INBOX);
    }

    public boolean isInbox() {
        return INBOX.equals(name);
    }

    /** The user name in lower case, for stores that key on it. */
    public String userKey() {
        return user.toLowerCase(Locale.ROOT);
    }
}
