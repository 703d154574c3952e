package dev.mailcore.api.store;

import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every {@link Store} implementation offers in its builder: per-user quota, default folders and the
 * clock. A store's builder extends this class and adds its own settings.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class StoreBuilder<B extends StoreBuilder<B>> {
    private long bytesPerUser = QuotaUsage.UNLIMITED;
    private long messagesPerUser = QuotaUsage.UNLIMITED;
    private final Map<String, Set<String>> defaultFolders = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();

    protected StoreBuilder() {
    }

    /** This builder as its concrete type. */
    protected abstract B self();

    /**
     * The quota of every user, over all mailboxes; beyond it appends, deliveries and copies fail with {@link
     * StoreError#OVER_QUOTA}. Either may be {@link QuotaUsage#UNLIMITED} (the default).
     *
     * @param bytesPerUser    octets per user, not negative
     * @param messagesPerUser messages per user, not negative
     * @return this builder
     */
    public B quota(long bytesPerUser, long messagesPerUser) {
        checkNotNegative(bytesPerUser, "bytesPerUser");
        checkNotNegative(messagesPerUser, "messagesPerUser");
        this.bytesPerUser = bytesPerUser;
        this.messagesPerUser = messagesPerUser;
        return self();
    }

    /**
     * A folder every user gets, with INBOX, on first use, subscribed; for example {@code defaultFolder("Sent",
     * "\\Sent")}. Missing parents are created too.
     *
     * @param name       the mailbox name
     * @param specialUse RFC 6154 attributes such as {@code \Sent}, none for an ordinary folder
     * @return this builder
     * @throws IllegalArgumentException for an invalid name, INBOX, or an attribute without a backslash
     */
    public B defaultFolder(String name, String... specialUse) {
        if (!MailboxNames.isValid(name)) {
            throw new IllegalArgumentException("invalid mailbox name: \"" + name + "\"");
        }
        MailboxRef ref = new MailboxRef("x", name);
        if (ref.isInbox()) {
            throw new IllegalArgumentException("INBOX is always there; it is no default folder");
        }
        for (String s : specialUse) {
            if (s == null || s.length() < 2 || s.charAt(0) != '\\') {
                throw new IllegalArgumentException("special-use attribute must start with a backslash: " + s);
            }
        }
        defaultFolders.put(ref.name(), Set.of(specialUse));
        return self();
    }

    /**
     * The usual RFC 6154 folders: {@code Drafts} (\Drafts), {@code Sent} (\Sent), {@code Junk} (\Junk), {@code
     * Trash} (\Trash) and {@code Archive} (\Archive).
     *
     * @return this builder
     */
    public B standardFolders() {
        defaultFolder("Drafts", "\\Drafts");
        defaultFolder("Sent", "\\Sent");
        defaultFolder("Junk", "\\Junk");
        defaultFolder("Trash", "\\Trash");
        return defaultFolder("Archive", "\\Archive");
    }

    /**
     * The clock for UIDVALIDITY values and for internal dates not given by the caller.
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The per-user quota in octets set by {@link #quota}. */
    public long quotaBytes() {
        return bytesPerUser;
    }

    /** The per-user quota in messages set by {@link #quota}. */
    public long quotaMessages() {
        return messagesPerUser;
    }

    /** The default folders, in the order added, with their special-use attributes (an unmodifiable copy). */
    public Map<String, Set<String>> defaultFolders() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(defaultFolders));
    }

    public Clock clock() {
        return clock;
    }

    /** Fails with {@link IllegalArgumentException} when {@code limit} is negative. */
    protected static void checkNotNegative(long limit, String what) {
        if (limit < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + limit);
        }
    }
}
