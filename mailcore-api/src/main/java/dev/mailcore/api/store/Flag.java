package dev.mailcore.api.store;

/** The system flags a store keeps (IMAP {@code \Recent} is session state and not stored). */
public enum Flag {
    ANSWERED("\\Answered"), FLAGGED("\\Flagged"), DELETED("\\Deleted"), SEEN("\\Seen"), DRAFT("\\Draft");

    private final String imapName;

    Flag(String imapName) {
        this.imapName = imapName;
    }

    /** The flag as IMAP writes it, such as {@code \Seen}. */
    public String imapName() {
        return imapName;
    }

    /** Case-insensitive lookup of an IMAP system flag name; {@code null} when it is not one. */
    public static Flag fromImapName(String name) {
        for (Flag f : values()) {
            if (f.imapName.equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }
}
