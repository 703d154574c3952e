package dev.mailcore.store.jdbc;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreBuilder;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.store.jdbc.internal.JdbcEngine;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A durable {@link Store} in a relational database: H2 (embedded, one process) or PostgreSQL (shared by any number
 * of mailcore nodes).
 *
 * <pre>{@code
 * Store store = JdbcStore.open("jdbc:h2:file:/var/lib/mailcore/mail");
 * Store shared = JdbcStore.builder("jdbc:postgresql://db.example/mail")
 *         .username("mailcore").password(secret)
 *         .poolSize(20)
 *         .quota(1L << 30, 100_000)
 *         .standardFolders()
 *         .build();
 * }</pre>
 *
 * <p>Opening a store creates or upgrades its schema (versioned SQL scripts, recorded in {@code mc_schema_version};
 * nodes starting at the same time take turns). A change returns after its transaction committed, so it is on stable
 * storage as far as the database's commit is durable (the default of both). Message bytes are stored once however
 * many mailboxes hold the message (delivery to several recipients, COPY, MOVE), in chunks of 256 KiB that are
 * written and read one at a time, so big messages never sit whole in the heap.
 *
 * <p>Changes of one user are serialised across nodes by a row lock on the user, so UIDs and MODSEQs stay strictly
 * ascending however many nodes append at once. Listeners get the events of changes made through this store after
 * they commit; on PostgreSQL they also get, within moments, the events of changes made by other nodes (LISTEN/NOTIFY
 * on channel {@code mailcore_events}, over one extra connection per store).
 *
 * <p>{@link #deliver} gives a target listed twice two copies. {@link #close()} closes the connection pool; an
 * embedded H2 database closes with its last connection.
 */
public final class JdbcStore implements Store {

    private final JdbcEngine engine;

    private JdbcStore(JdbcEngine engine) {
        this.engine = engine;
    }

    /**
     * Opens (and creates or upgrades, when needed) the store at a JDBC URL with default settings: user and password
     * as the URL gives them, a pool of 10 connections, no quota, no default folders, the UTC system clock.
     *
     * @param jdbcUrl such as {@code jdbc:h2:file:/data/mail} or {@code jdbc:postgresql://host/db?user=u&password=p}
     * @return the open store
     * @throws dev.mailcore.api.store.StoreException {@link StoreError#FAILURE} when the database cannot be reached
     *                                               or its schema cannot be brought up to date
     */
    public static JdbcStore open(String jdbcUrl) {
        return builder(jdbcUrl).build();
    }

    /**
     * A builder for a store with credentials, pool size, quota, default folders or a clock of its own.
     *
     * @param jdbcUrl the JDBC URL of an H2 or PostgreSQL database
     * @return a builder with the defaults of {@link #open}
     */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    // ---- extras beyond the SPI ----

    /**
     * Sets one user's quota limits, replacing the store's default for that user. Messages stored already stay.
     *
     * @param user          the user name (case-insensitive)
     * @param bytesLimit    octets, or {@link QuotaUsage#UNLIMITED}
     * @param messagesLimit messages, or {@link QuotaUsage#UNLIMITED}
     */
    public void setQuota(String user, long bytesLimit, long messagesLimit) {
        checkLimit(bytesLimit, "bytesLimit");
        checkLimit(messagesLimit, "messagesLimit");
        engine.setQuota(user, bytesLimit, messagesLimit);
    }

    /**
     * The number of distinct message bodies stored: a message delivered to many mailboxes, or copied, counts once.
     *
     * @return the number of rows in the content table
     */
    public long storedBodies() {
        return engine.contentCount();
    }

    // ---- the SPI ----

    @Override
    public List<MailboxInfo> mailboxes(String user) {
        return engine.mailboxes(user);
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxRef mailbox) {
        return engine.mailbox(mailbox);
    }

    @Override
    public MailboxInfo createMailbox(MailboxRef mailbox) {
        return engine.createMailbox(mailbox);
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        engine.deleteMailbox(mailbox);
    }

    @Override
    public void renameMailbox(MailboxRef from, MailboxRef to) {
        engine.renameMailbox(from, to);
    }

    @Override
    public Set<String> subscriptions(String user) {
        return engine.subscriptions(user);
    }

    @Override
    public void setSubscribed(MailboxRef mailbox, boolean subscribed) {
        engine.setSubscribed(mailbox, subscribed);
    }

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        return engine.append(mailbox, content, flags, internalDate);
    }

    @Override
    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        return engine.deliver(targets, content, internalDate);
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        return engine.messages(mailbox);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A message of more than one chunk (256 KiB) is read from the database chunk by chunk as the stream is
     * consumed; if it is expunged meanwhile, reading fails with an {@link java.io.IOException}.
     */
    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        return engine.content(mailbox, uid);
    }

    @Override
    public List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation,
                                         Flags flags, long unchangedSince) {
        return engine.updateFlags(mailbox, uids, operation, flags, unchangedSince);
    }

    @Override
    public CopyResult copy(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return engine.transfer(from, uids, to, false);
    }

    @Override
    public CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return engine.transfer(from, uids, to, true);
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        return engine.expunge(mailbox, uids);
    }

    @Override
    public QuotaUsage quota(String user) {
        return engine.quota(user);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the listener also gets events of changes other nodes make, on this store's event thread.
     */
    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        return engine.subscribe(user, listener);
    }

    /** Stops listening for other nodes' events, drops the listeners and closes the connection pool. */
    @Override
    public void close() {
        engine.close();
    }

    private static void checkLimit(long limit, String what) {
        if (limit < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + limit);
        }
    }

    /** Settings of a {@link JdbcStore}; every one but the URL is optional. */
    public static final class Builder extends StoreBuilder<Builder> {
        private final String jdbcUrl;
        private String username;
        private String password;
        private int poolSize = 10;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The database user, when the URL does not name it.
         *
         * @param username the user name
         * @return this builder
         */
        public Builder username(String username) {
            this.username = Objects.requireNonNull(username, "username");
            return this;
        }

        /**
         * The database password, when the URL does not hold it.
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * The most connections the pool opens (PostgreSQL: one more for listening to other nodes). Default 10.
         *
         * @param poolSize at least 1
         * @return this builder
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1) {
                throw new IllegalArgumentException("poolSize must be at least 1: " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Opens the store: connects, brings the schema up to date and, on PostgreSQL, starts listening for other
         * nodes' events.
         *
         * @return the open store
         * @throws dev.mailcore.api.store.StoreException {@link StoreError#FAILURE} when that fails
         */
        public JdbcStore build() {
            return new JdbcStore(new JdbcEngine(new JdbcEngine.Settings(jdbcUrl, username, password, poolSize,
                    quotaBytes(), quotaMessages(), defaultFolders(), clock())));
        }
    }
}
