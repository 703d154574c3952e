package dev.mailcore.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.QuotaUsage;
import dev.mailcore.api.store.Registration;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreEvent;
import dev.mailcore.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The JDBC store itself; {@link dev.mailcore.store.jdbc.JdbcStore} is its public face.
 *
 * <p>Every change runs in one transaction. Changes of one user are ordered twice: on this node by the user's {@link
 * UserEvents} lock, across nodes by {@code SELECT ... FOR UPDATE} on the user's {@code mc_user} row; both are taken
 * in user-name order when a change involves several users. Message bytes are written (in chunks) before any lock is
 * taken, so a big message does not hold up the user's other sessions while it streams in. Events go to local
 * listeners after the commit; on PostgreSQL each is also sent with {@code pg_notify} inside the transaction, so other
 * nodes hear of it exactly when it commits.
 */
public final class JdbcEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcEngine.class);
    /** The size of one {@code mc_content_chunk} row. */
    public static final int CHUNK_SIZE = 256 * 1024;
    /** The largest UID IMAP can express. */
    static final long MAX_UID = 0xFFFF_FFFFL;
    private static final int MAX_RETRIES = 5;
    static final String CHANNEL = "mailcore_events";

    /** What the builder collected. */
    public record Settings(String url, String username, String password, int poolSize, long bytesPerUser,
                           long messagesPerUser, Map<String, Set<String>> defaultFolders, Clock clock) {
    }

    private final Settings settings;
    private final HikariDataSource pool;
    private final Dialect dialect;
    private final String node = UUID.randomUUID().toString();
    private final ConcurrentHashMap<String, UserEvents> locals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> userIds = new ConcurrentHashMap<>();
    private final PgEventBridge bridge;
    private final String scope;

    public JdbcEngine(Settings settings) {
        this.settings = settings;
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(settings.url());
        if (settings.username() != null) {
            cfg.setUsername(settings.username());
        }
        if (settings.password() != null) {
            cfg.setPassword(settings.password());
        }
        cfg.setMaximumPoolSize(settings.poolSize());
        cfg.setMinimumIdle(1);
        cfg.setPoolName("mailcore-jdbc");
        cfg.setAutoCommit(true);
        cfg.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        Dialect fromUrl = Dialect.fromUrl(settings.url());
        if (fromUrl == Dialect.H2) {
            cfg.setConnectionInitSql("SET LOCK_TIMEOUT 20000");
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(cfg);
        } catch (RuntimeException e) {
            throw new StoreException(StoreError.FAILURE, "cannot open " + redact(settings.url()) + ": "
                    + e.getMessage(), e);
        }
        this.pool = ds;
        try (Connection c = pool.getConnection()) {
            this.dialect = fromUrl != null ? fromUrl : Dialect.fromConnection(c);
            int version = Migrations.migrate(c, dialect);
            if (dialect == Dialect.H2) {
                // H2 writes committed changes to its file in the background, up to a second later, unless told
                // otherwise; the store promises them on disk when a call returns. (A persistent database setting.)
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
            }
            this.scope = dialect == Dialect.POSTGRESQL ? currentSchema(c) : "";
            LOG.debug("JDBC store on {} ({}), schema version {}", redact(settings.url()), dialect, version);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e instanceof StoreException se ? se : new StoreException(StoreError.FAILURE,
                    "cannot open the store at " + redact(settings.url()) + ": " + e.getMessage(), e);
        }
        PgEventBridge b = null;
        if (dialect == Dialect.POSTGRESQL) {
            try {
                b = new PgEventBridge(settings, scope, node, this);
                b.start();
            } catch (SQLException | RuntimeException e) {
                pool.close();
                throw new StoreException(StoreError.FAILURE, "cannot listen for events of other nodes: "
                        + e.getMessage(), e);
            }
        }
        this.bridge = b;
    }

    /** The database kind in use. */
    public Dialect dialect() {
        return dialect;
    }

    /** The connection pool (tests and tools). */
    public DataSource dataSource() {
        return pool;
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            return rs.next() && rs.getString(1) != null ? rs.getString(1) : "";
        }
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    // =====================================================================================================
    // mailboxes

    public List<MailboxInfo> mailboxes(String user) {
        Objects.requireNonNull(user, "user");
        long uid = userId(user);
        return read(c -> {
            List<MailboxInfo> out = infos(c, user, uid, null);
            out.sort((a, b) -> a.ref().name().compareTo(b.ref().name()));
            return Collections.unmodifiableList(out);
        });
    }

    public Optional<MailboxInfo> mailbox(MailboxRef ref) {
        long uid = userId(ref.user());
        return read(c -> infos(c, ref.user(), uid, ref.name()).stream().findFirst());
    }

    private static final String INFO_SQL = "SELECT b.name, b.uidvalidity, b.uidnext, b.highest_modseq, b.special_use, "
            + "COUNT(m.uid), COALESCE(SUM(CASE WHEN MOD(m.flags / 8, 2) = 0 THEN 1 ELSE 0 END), 0), "
            + "COALESCE(SUM(CASE WHEN MOD(m.flags / 4, 2) = 1 THEN 1 ELSE 0 END), 0), COALESCE(SUM(m.size), 0) "
            + "FROM mc_mailbox b LEFT JOIN mc_message m ON m.mailbox_id = b.id WHERE b.user_id = ? ";
    private static final String INFO_GROUP = " GROUP BY b.id, b.name, b.uidvalidity, b.uidnext, b.highest_modseq, "
            + "b.special_use";

    private static List<MailboxInfo> infos(Connection c, String user, long userId, String name) throws SQLException {
        String sql = INFO_SQL + (name == null ? "" : "AND b.name = ?") + INFO_GROUP;
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, userId);
            if (name != null) {
                p.setString(2, name);
            }
            List<MailboxInfo> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new MailboxInfo(new MailboxRef(user, rs.getString(1)), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4), rs.getInt(6), rs.getInt(7), rs.getInt(8), rs.getLong(9),
                            specialUse(rs.getString(5))));
                }
            }
            return out;
        }
    }

    private static Set<String> specialUse(String s) {
        return s == null || s.isEmpty() ? Set.of() : Set.of(s.split(" "));
    }

    public MailboxInfo createMailbox(MailboxRef ref) {
        Names.validate(ref.name());
        long id = userId(ref.user());
        write(List.of(ref.user()), tx -> {
            tx.lockUsers();
            if (findMailbox(tx.c, id, ref.name(), false) != null) {
                throw exists(ref.name());
            }
            createWithParents(tx, ref, Set.of());
            return null;
        });
        return mailbox(ref).orElseThrow(() -> new StoreException(StoreError.FAILURE,
                "mailbox " + ref.name() + " vanished right after it was created"));
    }

    public void deleteMailbox(MailboxRef ref) {
        if (ref.isInbox()) {
            throw new StoreException(StoreError.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        long id = userId(ref.user());
        write(List.of(ref.user()), tx -> {
            tx.lockUsers();
            MailboxRow box = findMailbox(tx.c, id, ref.name(), true);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            Map<Long, Integer> refs = new TreeMap<>();
            long count = 0;
            long bytes = 0;
            try (PreparedStatement p = tx.c.prepareStatement("SELECT content_id, COUNT(*), SUM(size) FROM mc_message "
                    + "WHERE mailbox_id = ? GROUP BY content_id")) {
                p.setLong(1, box.id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        refs.put(rs.getLong(1), rs.getInt(2));
                        count += rs.getLong(2);
                        bytes += rs.getLong(3);
                    }
                }
            }
            update(tx.c, "DELETE FROM mc_message WHERE mailbox_id = ?", box.id);
            update(tx.c, "DELETE FROM mc_expunged WHERE mailbox_id = ?", box.id);
            update(tx.c, "DELETE FROM mc_mailbox WHERE id = ?", box.id);
            release(tx.c, refs);
            account(tx.c, id, -count, -bytes);
            tx.event(new StoreEvent.MailboxDeleted(ref));
            return null;
        });
    }

    public void renameMailbox(MailboxRef from, MailboxRef to) {
        if (!from.userKey().equals(to.userKey())) {
            throw new StoreException(StoreError.NOT_ALLOWED, "a mailbox cannot be renamed to another user");
        }
        Names.validate(to.name());
        long id = userId(from.user());
        write(List.of(from.user()), tx -> {
            tx.lockUsers();
            TreeMap<String, Long> boxes = new TreeMap<>();
            try (PreparedStatement p = tx.c.prepareStatement("SELECT name, id FROM mc_mailbox WHERE user_id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        boxes.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            Long source = boxes.get(from.name());
            String prefix = from.name() + Store.HIERARCHY_DELIMITER;
            String firstChild = boxes.ceilingKey(prefix);
            boolean hasChildren = firstChild != null && firstChild.startsWith(prefix);
            if (source == null && (from.isInbox() || !hasChildren)) {
                throw noSuchMailbox(from);
            }
            if (boxes.containsKey(to.name())) {
                throw exists(to.name());
            }
            if (from.isInbox()) {
                renameInbox(tx, source, from, to);
                return null;
            }
            if (MailboxNames.isDescendant(to.name(), from.name())) {
                throw new StoreException(StoreError.NOT_ALLOWED,
                        "cannot rename " + from.name() + " to its own child " + to.name());
            }
            Map<String, String> moves = new LinkedHashMap<>();
            if (source != null) {
                moves.put(from.name(), to.name());
            }
            for (String name : boxes.tailMap(prefix, true).keySet()) {
                if (!name.startsWith(prefix)) {
                    break;
                }
                moves.put(name, to.name() + name.substring(from.name().length()));
            }
            Map<String, Long> moveIds = new HashMap<>();
            for (Map.Entry<String, String> e : moves.entrySet()) {
                Names.validate(e.getValue());
                if (boxes.containsKey(e.getValue()) && !moves.containsKey(e.getValue())) {
                    throw exists(e.getValue());
                }
                moveIds.put(e.getKey(), boxes.get(e.getKey()));
            }
            // two steps, so that a new name may be the old name of a mailbox moved in the same rename
            try (PreparedStatement p = tx.c.prepareStatement("UPDATE mc_mailbox SET name = ? WHERE id = ?")) {
                for (long boxId : moveIds.values()) {
                    p.setString(1, "\u0001rename\u0001" + boxId);
                    p.setLong(2, boxId);
                    p.addBatch();
                }
                p.executeBatch();
            }
            for (String name : moves.keySet()) {
                boxes.remove(name);
            }
            for (String parent : MailboxNames.parents(to.name())) {
                if (!boxes.containsKey(parent)) {
                    boxes.put(parent, newMailbox(tx, id, parent, Set.of()));
                    tx.event(new StoreEvent.MailboxCreated(new MailboxRef(to.user(), parent)));
                }
            }
            try (PreparedStatement p = tx.c.prepareStatement("UPDATE mc_mailbox SET name = ? WHERE id = ?")) {
                for (Map.Entry<String, String> e : moves.entrySet()) {
                    p.setString(1, e.getValue());
                    p.setLong(2, moveIds.get(e.getKey()));
                    p.addBatch();
                }
                p.executeBatch();
            }
            for (Map.Entry<String, String> e : moves.entrySet()) {
                tx.event(new StoreEvent.MailboxRenamed(new MailboxRef(from.user(), e.getKey()),
                        new MailboxRef(to.user(), e.getValue())));
            }
            return null;
        });
    }

    /** RFC 9051 §6.3.6: the messages move to a new mailbox; INBOX keeps its UIDVALIDITY and its UIDNEXT. */
    private void renameInbox(Tx tx, long inboxId, MailboxRef from, MailboxRef to) throws SQLException {
        long targetId = createWithParents(tx, to, Set.of());
        MailboxRow inbox = lockMailbox(tx.c, inboxId);
        List<Row> rows = loadAll(tx.c, inboxId);
        if (rows.isEmpty()) {
            return;
        }
        MailboxRow target = lockMailbox(tx.c, targetId);
        long first = allocate(tx.c, target, rows.size());
        List<MessageMeta> added = new ArrayList<>(rows.size());
        try (PreparedStatement p = tx.c.prepareStatement(
                "UPDATE mc_message SET mailbox_id = ?, uid = ?, modseq = ? WHERE mailbox_id = ? AND uid = ?")) {
            long uid = first;
            for (Row r : rows) {
                p.setLong(1, targetId);
                p.setLong(2, uid);
                p.setLong(3, target.modSeq);
                p.setLong(4, inboxId);
                p.setLong(5, r.uid);
                p.addBatch();
                added.add(new MessageMeta(uid, target.modSeq, r.size, r.date, r.flags));
                uid++;
            }
            p.executeBatch();
        }
        allocate(tx.c, inbox, 0);
        List<Long> removed = tombstones(tx.c, inbox, rows);
        tx.event(new StoreEvent.MessagesAdded(to, target.uidValidity, added));
        tx.event(new StoreEvent.MessagesExpunged(from, inbox.uidValidity, removed, inbox.modSeq));
    }

    public Set<String> subscriptions(String user) {
        Objects.requireNonNull(user, "user");
        long id = userId(user);
        return read(c -> {
            TreeSet<String> out = new TreeSet<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name FROM mc_subscription WHERE user_id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return Collections.unmodifiableSet(out);
        });
    }

    public void setSubscribed(MailboxRef ref, boolean subscribed) {
        Names.validate(ref.name());
        long id = userId(ref.user());
        write(List.of(ref.user()), tx -> {
            tx.lockUsers();
            boolean present;
            try (PreparedStatement p = tx.c.prepareStatement(
                    "SELECT 1 FROM mc_subscription WHERE user_id = ? AND name = ?")) {
                p.setLong(1, id);
                p.setString(2, ref.name());
                try (ResultSet rs = p.executeQuery()) {
                    present = rs.next();
                }
            }
            if (subscribed && !present) {
                update(tx.c, "INSERT INTO mc_subscription (user_id, name) VALUES (?, ?)", id, ref.name());
            } else if (!subscribed && present) {
                update(tx.c, "DELETE FROM mc_subscription WHERE user_id = ? AND name = ?", id, ref.name());
            }
            return null;
        });
    }

    // =====================================================================================================
    // messages

    public AppendResult append(MailboxRef ref, MessageSource content, Flags flags, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        Flags initial = flags == null ? Flags.NONE : flags;
        Instant date = internalDate == null ? settings.clock().instant() : internalDate;
        long id = userId(ref.user());
        long declared = content.size();
        if (declared > CHUNK_SIZE) { // fail fast, before a big message is read; checked again under the lock
            read(c -> {
                if (findMailbox(c, id, ref.name(), false) == null) {
                    throw noSuchMailbox(ref);
                }
                checkQuota(userRow(c, id, false), 1, declared);
                return null;
            });
        }
        return write(List.of(ref.user()), tx -> {
            Content stored = writeContent(tx.c, content, 1);
            tx.lockUsers();
            MailboxRow box = findMailbox(tx.c, id, ref.name(), true);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            checkQuota(tx.userRows.get(id), 1, stored.size);
            long uid = allocate(tx.c, box, 1);
            insertMessage(tx.c, box.id, uid, box.modSeq, stored.size, date, initial, stored.id);
            account(tx.c, id, 1, stored.size);
            tx.event(new StoreEvent.MessagesAdded(ref, box.uidValidity,
                    List.of(new MessageMeta(uid, box.modSeq, stored.size, date, initial))));
            return new AppendResult(ref, box.uidValidity, uid, box.modSeq);
        });
    }

    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        List<MailboxRef> list = List.copyOf(targets);
        if (list.isEmpty()) {
            return List.of();
        }
        Instant date = internalDate == null ? settings.clock().instant() : internalDate;
        Map<String, Long> ids = new TreeMap<>();
        Map<String, Integer> copies = new HashMap<>();
        List<String> users = new ArrayList<>();
        for (MailboxRef t : list) {
            Names.validate(t.name());
            users.add(t.user());
            copies.merge(t.userKey(), 1, Integer::sum);
        }
        for (MailboxRef t : list) {
            ids.put(t.userKey(), userId(t.user()));
        }
        long declared = content.size();
        if (declared > CHUNK_SIZE) { // fail fast, before a big message is read; checked again under the lock
            read(c -> {
                for (Map.Entry<String, Long> e : ids.entrySet()) {
                    int n = copies.get(e.getKey());
                    checkQuota(userRow(c, e.getValue(), false), n, n * declared);
                }
                return null;
            });
        }
        return write(users, tx -> {
            Content stored = writeContent(tx.c, content, list.size());
            tx.lockUsers();
            for (Map.Entry<String, Long> e : ids.entrySet()) {
                int n = copies.get(e.getKey());
                checkQuota(tx.userRows.get(e.getValue()), n, n * stored.size);
            }
            Map<String, MailboxRow> boxes = new HashMap<>();
            List<AppendResult> results = new ArrayList<>(list.size());
            for (MailboxRef t : list) {
                long userId = ids.get(t.userKey());
                String key = t.userKey() + '\u0000' + t.name();
                MailboxRow box = boxes.get(key);
                if (box == null) {
                    box = findMailbox(tx.c, userId, t.name(), true);
                    if (box == null) {
                        box = lockMailbox(tx.c, createWithParents(tx, t, Set.of()));
                    }
                    boxes.put(key, box);
                }
                long uid = allocate(tx.c, box, 1);
                insertMessage(tx.c, box.id, uid, box.modSeq, stored.size, date, Flags.NONE, stored.id);
                account(tx.c, userId, 1, stored.size);
                tx.event(new StoreEvent.MessagesAdded(t, box.uidValidity,
                        List.of(new MessageMeta(uid, box.modSeq, stored.size, date, Flags.NONE))));
                results.add(new AppendResult(t, box.uidValidity, uid, box.modSeq));
            }
            return Collections.unmodifiableList(results);
        });
    }

    public List<MessageMeta> messages(MailboxRef ref) {
        long id = userId(ref.user());
        return read(c -> {
            MailboxRow box = findMailbox(c, id, ref.name(), false);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            List<MessageMeta> out = new ArrayList<>();
            for (Row r : loadAll(c, box.id)) {
                out.add(r.meta());
            }
            return Collections.unmodifiableList(out);
        });
    }

    public MessageSource content(MailboxRef ref, long uid) {
        long id = userId(ref.user());
        return read(c -> {
            MailboxRow box = findMailbox(c, id, ref.name(), false);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            long size;
            long contentId;
            int chunks;
            try (PreparedStatement p = c.prepareStatement("SELECT m.size, m.content_id, k.chunks FROM mc_message m "
                    + "JOIN mc_content k ON k.id = m.content_id WHERE m.mailbox_id = ? AND m.uid = ?")) {
                p.setLong(1, box.id);
                p.setLong(2, uid);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(StoreError.NO_SUCH_MESSAGE,
                                "no message with UID " + uid + " in " + ref.name());
                    }
                    size = rs.getLong(1);
                    contentId = rs.getLong(2);
                    chunks = rs.getInt(3);
                }
            }
            if (chunks == 0) {
                return MessageSource.of(new byte[0]);
            }
            if (chunks == 1) { // small: fetch now, one query fewer and no surprise if it is expunged later
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT data FROM mc_content_chunk WHERE content_id = ? AND seq = 0")) {
                    p.setLong(1, contentId);
                    try (ResultSet rs = p.executeQuery()) {
                        if (rs.next()) {
                            return MessageSource.of(rs.getBytes(1));
                        }
                    }
                }
                throw new StoreException(StoreError.FAILURE, "content of UID " + uid + " is missing");
            }
            return new ChunkedSource(pool, contentId, size, chunks);
        });
    }

    public List<MessageMeta> updateFlags(MailboxRef ref, Collection<Long> uids, FlagOperation operation, Flags flags,
                                         long unchangedSince) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(flags, "flags");
        TreeSet<Long> wanted = new TreeSet<>(uids);
        long id = userId(ref.user());
        return write(List.of(ref.user()), tx -> {
            tx.lockUsers();
            MailboxRow box = findMailbox(tx.c, id, ref.name(), true);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            List<MessageMeta> result = new ArrayList<>();
            List<MessageMeta> changed = new ArrayList<>();
            boolean allocated = false;
            try (PreparedStatement p = tx.c.prepareStatement("UPDATE mc_message SET flags = ?, keywords = ?, "
                    + "modseq = ? WHERE mailbox_id = ? AND uid = ?")) {
                for (Row r : load(tx.c, box.id, wanted)) {
                    if (r.modSeq > unchangedSince) {
                        continue;
                    }
                    Flags next = switch (operation) {
                        case REPLACE -> flags;
                        case ADD -> r.flags.plus(flags);
                        case REMOVE -> r.flags.minus(flags);
                    };
                    if (next.equals(r.flags)) {
                        result.add(r.meta());
                        continue;
                    }
                    if (!allocated) {
                        allocate(tx.c, box, 0);
                        allocated = true;
                    }
                    p.setInt(1, FlagCodec.mask(next));
                    p.setString(2, FlagCodec.keywords(next));
                    p.setLong(3, box.modSeq);
                    p.setLong(4, box.id);
                    p.setLong(5, r.uid);
                    p.addBatch();
                    MessageMeta meta = new MessageMeta(r.uid, box.modSeq, r.size, r.date, next);
                    result.add(meta);
                    changed.add(meta);
                }
                if (!changed.isEmpty()) {
                    p.executeBatch();
                }
            }
            if (!changed.isEmpty()) {
                tx.event(new StoreEvent.FlagsChanged(ref, box.uidValidity, changed));
            }
            return Collections.unmodifiableList(result);
        });
    }

    public CopyResult transfer(MailboxRef from, Collection<Long> uids, MailboxRef to, boolean move) {
        TreeSet<Long> wanted = new TreeSet<>(uids);
        long srcUser = userId(from.user());
        long dstUser = userId(to.user());
        boolean sameUser = srcUser == dstUser;
        return write(List.of(from.user(), to.user()), tx -> {
            tx.lockUsers();
            MailboxRow source = findMailbox(tx.c, srcUser, from.name(), true);
            if (source == null) {
                throw noSuchMailbox(from);
            }
            MailboxRow target = sameUser && from.name().equals(to.name()) ? source
                    : findMailbox(tx.c, dstUser, to.name(), true);
            if (target == null) {
                throw noSuchMailbox(to);
            }
            List<Row> picked = load(tx.c, source.id, wanted);
            if (picked.isEmpty()) {
                return new CopyResult(target.uidValidity, List.of(), List.of());
            }
            long bytes = 0;
            for (Row r : picked) {
                bytes += r.size;
            }
            if (!(move && sameUser)) {
                checkQuota(tx.userRows.get(dstUser), picked.size(), bytes);
            }
            long first = allocate(tx.c, target, picked.size());
            List<Long> sourceUids = new ArrayList<>(picked.size());
            List<Long> targetUids = new ArrayList<>(picked.size());
            List<MessageMeta> added = new ArrayList<>(picked.size());
            Map<Long, Integer> refs = new TreeMap<>();
            try (PreparedStatement p = insertStatement(tx.c)) {
                long uid = first;
                for (Row r : picked) {
                    bindMessage(p, target.id, uid, target.modSeq, r.size, r.date, r.flags, r.contentId);
                    p.addBatch();
                    sourceUids.add(r.uid);
                    targetUids.add(uid);
                    added.add(new MessageMeta(uid, target.modSeq, r.size, r.date, r.flags));
                    refs.merge(r.contentId, 1, Integer::sum);
                    uid++;
                }
                p.executeBatch();
            }
            account(tx.c, dstUser, picked.size(), bytes);
            tx.event(new StoreEvent.MessagesAdded(to, target.uidValidity, added));
            if (move) {
                allocate(tx.c, source, 0);
                deleteRows(tx.c, source.id, picked);
                tombstones(tx.c, source, picked);
                account(tx.c, srcUser, -picked.size(), -bytes);
                tx.event(new StoreEvent.MessagesExpunged(from, source.uidValidity, sourceUids, source.modSeq));
            } else {
                retain(tx.c, refs);
            }
            return new CopyResult(target.uidValidity, sourceUids, targetUids);
        });
    }

    public List<Long> expunge(MailboxRef ref, Collection<Long> uids) {
        TreeSet<Long> wanted = new TreeSet<>(uids);
        long id = userId(ref.user());
        return write(List.of(ref.user()), tx -> {
            tx.lockUsers();
            MailboxRow box = findMailbox(tx.c, id, ref.name(), true);
            if (box == null) {
                throw noSuchMailbox(ref);
            }
            List<Row> gone = load(tx.c, box.id, wanted);
            if (gone.isEmpty()) {
                return List.of();
            }
            allocate(tx.c, box, 0);
            deleteRows(tx.c, box.id, gone);
            List<Long> removed = tombstones(tx.c, box, gone);
            Map<Long, Integer> refs = new TreeMap<>();
            long bytes = 0;
            for (Row r : gone) {
                refs.merge(r.contentId, 1, Integer::sum);
                bytes += r.size;
            }
            release(tx.c, refs);
            account(tx.c, id, -gone.size(), -bytes);
            tx.event(new StoreEvent.MessagesExpunged(ref, box.uidValidity, removed, box.modSeq));
            return List.copyOf(removed);
        });
    }

    // =====================================================================================================
    // quota and events

    public QuotaUsage quota(String user) {
        Objects.requireNonNull(user, "user");
        long id = userId(user);
        return read(c -> userRow(c, id, false).usage());
    }

    /** Sets one user's limits; {@code null} falls back to the store's default. */
    public void setQuota(String user, Long bytesLimit, Long messagesLimit) {
        long id = userId(user);
        write(List.of(user), tx -> {
            tx.lockUsers();
            try (PreparedStatement p = tx.c.prepareStatement(
                    "UPDATE mc_user SET bytes_limit = ?, messages_limit = ? WHERE id = ?")) {
                p.setObject(1, bytesLimit);
                p.setObject(2, messagesLimit);
                p.setLong(3, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        Objects.requireNonNull(user, "user");
        return local(user).subscribe(listener);
    }

    /** Number of {@code mc_content} rows (distinct stored message bodies). */
    public long contentCount() {
        return read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM mc_content")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        if (bridge != null) {
            bridge.close();
        }
        for (UserEvents u : locals.values()) {
            u.clear();
        }
        pool.close();
    }

    // =====================================================================================================
    // events from other nodes

    /** Whether anyone on this node listens to the user's events. */
    boolean hasListeners(String user) {
        UserEvents u = locals.get(user.toLowerCase(Locale.ROOT));
        return u != null && u.hasListeners();
    }

    /** Hands events made on another node to local listeners, in order. */
    void publishRemote(String user, List<StoreEvent> events) {
        UserEvents u = local(user);
        u.lock();
        try {
            for (StoreEvent e : events) {
                u.emit(e);
            }
        } finally {
            u.unlock();
            u.drain();
        }
    }

    /** Reads what a notice from another node stands for; empty when the mailbox is gone or was recreated. */
    List<StoreEvent> resolve(EventCodec.Notice n) {
        MailboxRef ref = EventCodec.ref(n);
        switch (n.kind()) {
            case 'C':
                return List.of(new StoreEvent.MailboxCreated(ref));
            case 'D':
                return List.of(new StoreEvent.MailboxDeleted(ref));
            case 'N':
                return List.of(new StoreEvent.MailboxRenamed(new MailboxRef(n.user(), n.oldName()), ref));
            case 'X':
                return List.of(new StoreEvent.MessagesExpunged(ref, n.uidValidity(), n.uids(), n.toModSeq()));
            case 'A':
                return List.of(new StoreEvent.MessagesAdded(ref, n.uidValidity(), n.metas()));
            case 'F':
                return List.of(new StoreEvent.FlagsChanged(ref, n.uidValidity(), n.metas()));
            default:
                break;
        }
        long userId = userId(n.user());
        return read(c -> {
            MailboxRow box = findMailbox(c, userId, n.mailbox(), false);
            if (box == null || box.uidValidity != n.uidValidity()) {
                return List.<StoreEvent>of();
            }
            if (n.kind() == 'x') {
                List<Long> uids = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("SELECT uid FROM mc_expunged WHERE mailbox_id = ? "
                        + "AND modseq > ? AND modseq <= ? ORDER BY uid")) {
                    p.setLong(1, box.id);
                    p.setLong(2, n.fromModSeq());
                    p.setLong(3, n.toModSeq());
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            uids.add(rs.getLong(1));
                        }
                    }
                }
                return uids.isEmpty() ? List.<StoreEvent>of()
                        : List.<StoreEvent>of(new StoreEvent.MessagesExpunged(ref, n.uidValidity(), uids,
                        n.toModSeq()));
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(ROW_SQL + " AND modseq > ? AND modseq <= ? ORDER BY uid")) {
                p.setLong(1, box.id);
                p.setLong(2, n.fromModSeq());
                p.setLong(3, n.toModSeq());
                readRows(p, rows);
            }
            if (rows.isEmpty()) {
                return List.<StoreEvent>of();
            }
            List<MessageMeta> metas = new ArrayList<>(rows.size());
            for (Row r : rows) {
                metas.add(r.meta());
            }
            return List.<StoreEvent>of(Character.toUpperCase(n.kind()) == 'A'
                    ? new StoreEvent.MessagesAdded(ref, n.uidValidity(), metas)
                    : new StoreEvent.FlagsChanged(ref, n.uidValidity(), metas));
        });
    }

    // =====================================================================================================
    // users

    private UserEvents local(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        UserEvents u = locals.get(key);
        return u != null ? u : locals.computeIfAbsent(key, UserEvents::new);
    }

    /** The user's row id; the first use creates the user with INBOX and the default folders. */
    long userId(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        Long id = userIds.get(key);
        if (id != null) {
            return id;
        }
        if (key.length() > 320) {
            throw new StoreException(StoreError.NOT_ALLOWED, "user name longer than 320 characters");
        }
        for (int attempt = 0; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                Long found = findUser(c, key);
                if (found == null) {
                    found = provision(c, key);
                }
                userIds.put(key, found);
                return found;
            } catch (SQLException e) {
                if (Dialect.isUniqueViolation(e) && attempt < 3) {
                    continue; // another node or thread created the user at the same moment
                }
                throw failure(e);
            }
        }
    }

    private static Long findUser(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM mc_user WHERE name = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private long provision(Connection c, String key) throws SQLException {
        c.setAutoCommit(false);
        try {
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO mc_user (name) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, key);
                p.executeUpdate();
                id = generatedId(p);
            }
            Tx tx = new Tx(c, List.of());
            tx.userRows.put(id, new UserRow(id, 0, 0, null, null, 0));
            newMailbox(tx, id, MailboxRef.INBOX, Set.of());
            for (Map.Entry<String, Set<String>> e : settings.defaultFolders().entrySet()) {
                for (String parent : MailboxNames.parents(e.getKey())) {
                    if (findMailbox(c, id, parent, false) == null) {
                        newMailbox(tx, id, parent, Set.of());
                    }
                }
                newMailbox(tx, id, e.getKey(), e.getValue());
                update(c, "INSERT INTO mc_subscription (user_id, name) VALUES (?, ?)", id, e.getKey());
            }
            c.commit();
            return id;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static long generatedId(PreparedStatement p) throws SQLException {
        try (ResultSet rs = p.getGeneratedKeys()) {
            if (!rs.next()) {
                throw new SQLException("no generated key");
            }
            return rs.getLong(1);
        }
    }

    /** The user's row: locked when the transaction has locked it, or as last committed otherwise. */
    private UserRow userRow(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT bytes_used, messages_used, bytes_limit, "
                + "messages_limit, last_uidvalidity FROM mc_user WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("user row " + id + " is missing");
                }
                long bl = rs.getLong(3);
                Long bytesLimit = rs.wasNull() ? null : bl;
                long ml = rs.getLong(4);
                Long messagesLimit = rs.wasNull() ? null : ml;
                return new UserRow(id, rs.getLong(1), rs.getLong(2), bytesLimit, messagesLimit, rs.getLong(5));
            }
        }
    }

    /** A user's quota state and UIDVALIDITY counter. */
    private final class UserRow {
        final long id;
        final long bytes;
        final long messages;
        final Long bytesLimit;
        final Long messagesLimit;
        long lastUidValidity;

        UserRow(long id, long bytes, long messages, Long bytesLimit, Long messagesLimit, long lastUidValidity) {
            this.id = id;
            this.bytes = bytes;
            this.messages = messages;
            this.bytesLimit = bytesLimit;
            this.messagesLimit = messagesLimit;
            this.lastUidValidity = lastUidValidity;
        }

        QuotaUsage usage() {
            return new QuotaUsage(bytes, bytesLimit != null ? bytesLimit : settings.bytesPerUser(), messages,
                    messagesLimit != null ? messagesLimit : settings.messagesPerUser());
        }
    }

    private static void checkQuota(UserRow u, long count, long totalBytes) {
        QuotaUsage q = u.usage();
        if (q.bytesLimit() != QuotaUsage.UNLIMITED && totalBytes > q.bytesLimit() - q.bytes()) {
            throw new StoreException(StoreError.OVER_QUOTA, "quota exceeded: " + q.bytes() + " of " + q.bytesLimit()
                    + " bytes used, " + totalBytes + " more needed");
        }
        if (q.messagesLimit() != QuotaUsage.UNLIMITED && count > q.messagesLimit() - q.messages()) {
            throw new StoreException(StoreError.OVER_QUOTA, "quota exceeded: " + q.messages() + " of "
                    + q.messagesLimit() + " messages stored");
        }
    }

    private static void account(Connection c, long userId, long count, long bytes) throws SQLException {
        if (count == 0 && bytes == 0) {
            return;
        }
        update(c, "UPDATE mc_user SET messages_used = messages_used + ?, bytes_used = bytes_used + ? WHERE id = ?",
                count, bytes, userId);
    }

    // =====================================================================================================
    // mailbox rows

    /** A locked (or just read) mailbox row; {@link #allocate} keeps it current. */
    private static final class MailboxRow {
        final long id;
        final long uidValidity;
        long uidNext;
        long modSeq;

        MailboxRow(long id, long uidValidity, long uidNext, long modSeq) {
            this.id = id;
            this.uidValidity = uidValidity;
            this.uidNext = uidNext;
            this.modSeq = modSeq;
        }
    }

    private static MailboxRow findMailbox(Connection c, long userId, String name, boolean forUpdate)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, uidvalidity, uidnext, highest_modseq FROM mc_mailbox "
                + "WHERE user_id = ? AND name = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            p.setLong(1, userId);
            p.setString(2, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new MailboxRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)) : null;
            }
        }
    }

    private static MailboxRow lockMailbox(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id, uidvalidity, uidnext, highest_modseq FROM mc_mailbox "
                + "WHERE id = ? FOR UPDATE")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("mailbox row " + id + " is missing");
                }
                return new MailboxRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        }
    }

    /**
     * Takes {@code n} UIDs and one new MODSEQ in a locked mailbox; {@code n} may be 0 (a change without new
     * messages). Returns the first UID; {@code box.modSeq} is the new MODSEQ afterwards.
     */
    private static long allocate(Connection c, MailboxRow box, int n) throws SQLException {
        if (box.uidNext + n - 1 > MAX_UID) {
            throw new StoreException(StoreError.FAILURE, "mailbox has run out of UIDs");
        }
        long first = box.uidNext;
        update(c, "UPDATE mc_mailbox SET uidnext = ?, highest_modseq = ? WHERE id = ?", box.uidNext + n,
                box.modSeq + 1, box.id);
        box.uidNext += n;
        box.modSeq += 1;
        return first;
    }

    /** Creates the mailbox and its missing parents, announcing each; returns the mailbox's id. */
    private long createWithParents(Tx tx, MailboxRef ref, Set<String> specialUse) throws SQLException {
        long userId = userIdLocked(tx, ref.user());
        for (String parent : MailboxNames.parents(ref.name())) {
            if (findMailbox(tx.c, userId, parent, false) == null) {
                newMailbox(tx, userId, parent, Set.of());
                tx.event(new StoreEvent.MailboxCreated(new MailboxRef(ref.user(), parent)));
            }
        }
        long id = newMailbox(tx, userId, ref.name(), specialUse);
        tx.event(new StoreEvent.MailboxCreated(ref));
        return id;
    }

    private long userIdLocked(Tx tx, String user) {
        Long id = userIds.get(user.toLowerCase(Locale.ROOT));
        if (id == null) {
            throw new IllegalStateException("user " + user + " not provisioned");
        }
        return id;
    }

    /**
     * Inserts a mailbox row. UIDVALIDITY comes from the clock's epoch seconds, raised above every value the user's
     * mailboxes had before, so a mailbox created again under an old name gets a new one.
     */
    private long newMailbox(Tx tx, long userId, String name, Set<String> specialUse) throws SQLException {
        UserRow u = tx.userRows.get(userId);
        if (u == null) {
            u = userRow(tx.c, userId, true);
            tx.userRows.put(userId, u);
        }
        long now = Math.max(1, settings.clock().instant().getEpochSecond());
        long v = Math.max(u.lastUidValidity + 1, now);
        if (v > MAX_UID) { // after the year 2106, or after four billion mailboxes: wrap around
            v = 1;
        }
        u.lastUidValidity = v;
        update(tx.c, "UPDATE mc_user SET last_uidvalidity = ? WHERE id = ?", v, userId);
        try (PreparedStatement p = tx.c.prepareStatement("INSERT INTO mc_mailbox (user_id, name, uidvalidity, uidnext, "
                + "highest_modseq, special_use) VALUES (?, ?, ?, 1, 1, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, userId);
            p.setString(2, name);
            p.setLong(3, v);
            p.setString(4, String.join(" ", new TreeSet<>(specialUse)));
            p.executeUpdate();
            return generatedId(p);
        }
    }

    // =====================================================================================================
    // message rows

    /** One message row. */
    private record Row(long uid, long modSeq, long size, Instant date, Flags flags, long contentId) {
        MessageMeta meta() {
            return new MessageMeta(uid, modSeq, size, date, flags);
        }
    }

    private static final String ROW_SQL = "SELECT uid, modseq, size, internal_date, internal_nanos, flags, keywords, "
            + "content_id FROM mc_message WHERE mailbox_id = ?";

    private static List<Row> loadAll(Connection c, long mailboxId) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(ROW_SQL + " ORDER BY uid")) {
            p.setLong(1, mailboxId);
            readRows(p, out);
        }
        return out;
    }

    /** The existing messages among {@code uids}, ascending. */
    private static List<Row> load(Connection c, long mailboxId, SortedSet<Long> uids) throws SQLException {
        List<Row> out = new ArrayList<>();
        if (uids.isEmpty()) {
            return out;
        }
        if (uids.size() <= 100) {
            String marks = String.join(",", Collections.nCopies(uids.size(), "?"));
            try (PreparedStatement p = c.prepareStatement(ROW_SQL + " AND uid IN (" + marks + ") ORDER BY uid")) {
                p.setLong(1, mailboxId);
                int i = 2;
                for (long u : uids) {
                    p.setLong(i++, u);
                }
                readRows(p, out);
            }
            return out;
        }
        try (PreparedStatement p = c.prepareStatement(ROW_SQL + " AND uid >= ? AND uid <= ? ORDER BY uid")) {
            p.setLong(1, mailboxId);
            p.setLong(2, uids.first());
            p.setLong(3, uids.last());
            readRows(p, out);
        }
        out.removeIf(r -> !uids.contains(r.uid));
        return out;
    }

    private static void readRows(PreparedStatement p, List<Row> out) throws SQLException {
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3),
                        Instant.ofEpochSecond(rs.getLong(4), rs.getInt(5)),
                        FlagCodec.decode(rs.getInt(6), rs.getString(7)), rs.getLong(8)));
            }
        }
    }

    private static PreparedStatement insertStatement(Connection c) throws SQLException {
        return c.prepareStatement("INSERT INTO mc_message (mailbox_id, uid, modseq, size, internal_date, "
                + "internal_nanos, flags, keywords, content_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    private static void bindMessage(PreparedStatement p, long mailboxId, long uid, long modSeq, long size,
                                    Instant date, Flags flags, long contentId) throws SQLException {
        p.setLong(1, mailboxId);
        p.setLong(2, uid);
        p.setLong(3, modSeq);
        p.setLong(4, size);
        p.setLong(5, date.getEpochSecond());
        p.setInt(6, date.getNano());
        p.setInt(7, FlagCodec.mask(flags));
        p.setString(8, FlagCodec.keywords(flags));
        p.setLong(9, contentId);
    }

    private static void insertMessage(Connection c, long mailboxId, long uid, long modSeq, long size, Instant date,
                                      Flags flags, long contentId) throws SQLException {
        try (PreparedStatement p = insertStatement(c)) {
            bindMessage(p, mailboxId, uid, modSeq, size, date, flags, contentId);
            p.executeUpdate();
        }
    }

    private static void deleteRows(Connection c, long mailboxId, List<Row> rows) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM mc_message WHERE mailbox_id = ? AND uid = ?")) {
            for (Row r : rows) {
                p.setLong(1, mailboxId);
                p.setLong(2, r.uid);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Records the removal of these rows at the mailbox's current MODSEQ; returns their UIDs. */
    private static List<Long> tombstones(Connection c, MailboxRow box, List<Row> rows) throws SQLException {
        List<Long> uids = new ArrayList<>(rows.size());
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO mc_expunged (mailbox_id, uid, modseq) VALUES (?, ?, ?)")) {
            for (Row r : rows) {
                p.setLong(1, box.id);
                p.setLong(2, r.uid);
                p.setLong(3, box.modSeq);
                p.addBatch();
                uids.add(r.uid);
            }
            p.executeBatch();
        }
        return uids;
    }

    // =====================================================================================================
    // content

    /** A stored body. */
    private record Content(long id, long size) {
    }

    /**
     * Streams the source into {@code mc_content_chunk} rows of {@link #CHUNK_SIZE} bytes: at most one chunk is in
     * heap at a time.
     */
    private static Content writeContent(Connection c, MessageSource source, int refs) throws SQLException,
            IOException {
        try (InputStream in = source.openStream()) {
            // one byte more than announced, so that a message of the announced size is seen to end without a read
            byte[] buf = new byte[(int) Math.min(CHUNK_SIZE, Math.max(0, source.size()) + 1)];
            int n = in.readNBytes(buf, 0, buf.length);
            if (n < buf.length) { // the whole message is in hand: one content row, at most one chunk
                long id = insertContent(c, n, n == 0 ? 0 : 1, refs);
                if (n > 0) {
                    insertChunk(c, id, 0, Arrays.copyOf(buf, n));
                }
                return new Content(id, n);
            }
            long id = insertContent(c, 0, 0, refs);
            long total = 0;
            int seq = 0;
            while (n > 0) {
                insertChunk(c, id, seq++, n == buf.length ? buf : Arrays.copyOf(buf, n));
                total += n;
                if (buf.length < CHUNK_SIZE) {
                    buf = new byte[CHUNK_SIZE];
                }
                n = in.readNBytes(buf, 0, buf.length);
            }
            update(c, "UPDATE mc_content SET size = ?, chunks = ? WHERE id = ?", total, seq, id);
            return new Content(id, total);
        }
    }

    private static long insertContent(Connection c, long size, int chunks, int refs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO mc_content (size, chunks, refs) VALUES (?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            p.setLong(1, size);
            p.setInt(2, chunks);
            p.setInt(3, refs);
            p.executeUpdate();
            return generatedId(p);
        }
    }

    private static void insertChunk(Connection c, long contentId, int seq, byte[] data) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO mc_content_chunk (content_id, seq, data) VALUES (?, ?, ?)")) {
            p.setLong(1, contentId);
            p.setInt(2, seq);
            p.setBytes(3, data);
            p.executeUpdate();
        }
    }

    /** Adds references to content rows (in id order, so concurrent transactions lock them in one order). */
    private static void retain(Connection c, Map<Long, Integer> refs) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE mc_content SET refs = refs + ? WHERE id = ?")) {
            for (Map.Entry<Long, Integer> e : refs.entrySet()) {
                p.setInt(1, e.getValue());
                p.setLong(2, e.getKey());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** Drops references (id order) and deletes content no message refers to any more, with its chunks. */
    private static void release(Connection c, Map<Long, Integer> refs) throws SQLException {
        if (refs.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE mc_content SET refs = refs - ? WHERE id = ?")) {
            for (Map.Entry<Long, Integer> e : refs.entrySet()) {
                p.setInt(1, e.getValue());
                p.setLong(2, e.getKey());
                p.addBatch();
            }
            p.executeBatch();
        }
        try (PreparedStatement p = c.prepareStatement("DELETE FROM mc_content WHERE id = ? AND refs <= 0")) {
            for (Long id : refs.keySet()) {
                p.setLong(1, id);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    // =====================================================================================================
    // transactions

    @FunctionalInterface
    private interface ReadWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface WriteWork<T> {
        T run(Tx tx) throws SQLException, IOException;
    }

    /** One write transaction: its connection, the users it locks, and the events it will publish. */
    private final class Tx {
        final Connection c;
        final List<String> users;
        final List<UserEvents> locked = new ArrayList<>();
        final List<StoreEvent> events = new ArrayList<>();
        final Map<Long, UserRow> userRows = new HashMap<>();

        Tx(Connection c, List<String> users) {
            this.c = c;
            this.users = users;
        }

        /** Locks the users, here and in the database, in name order. Call once, after the content is written. */
        void lockUsers() throws SQLException {
            TreeMap<String, String> keys = new TreeMap<>();
            for (String u : users) {
                keys.put(u.toLowerCase(Locale.ROOT), u);
            }
            for (String key : keys.keySet()) {
                UserEvents u = local(key);
                u.lock();
                locked.add(u);
            }
            for (String key : keys.keySet()) {
                long id = userIds.get(key);
                userRows.put(id, userRow(c, id, true));
            }
        }

        void event(StoreEvent e) throws SQLException {
            events.add(e);
            if (bridge != null) {
                try (PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                    p.setString(1, CHANNEL);
                    p.setString(2, EventCodec.encode(scope, node, e));
                    p.execute();
                }
            }
        }
    }

    private <T> T read(ReadWork<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Runs a change in a transaction, retried a few times after a deadlock or serialization failure. After the
     * commit the events go to local listeners (queued while the users are still locked, delivered after).
     */
    private <T> T write(List<String> users, WriteWork<T> work) {
        for (int attempt = 1; ; attempt++) {
            Tx tx = null;
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                tx = new Tx(c, users);
                T result;
                try {
                    result = work.run(tx);
                    c.commit();
                } catch (Throwable t) {
                    try {
                        c.rollback();
                    } catch (SQLException suppressed) {
                        t.addSuppressed(suppressed);
                    }
                    throw t;
                } finally {
                    c.setAutoCommit(true);
                }
                for (StoreEvent e : tx.events) {
                    local(e.mailbox().user()).emit(e);
                }
                return result;
            } catch (SQLException e) {
                if (attempt < MAX_RETRIES && retryable(e)) {
                    LOG.debug("retrying after {}", e.toString());
                    continue;
                }
                throw failure(e);
            } catch (IOException e) {
                throw new StoreException(StoreError.FAILURE, "cannot read the message: " + e.getMessage(), e);
            } finally {
                if (tx != null) {
                    for (int i = tx.locked.size() - 1; i >= 0; i--) {
                        tx.locked.get(i).unlock();
                    }
                    for (UserEvents u : tx.locked) {
                        u.drain();
                    }
                }
            }
        }
    }

    private static boolean retryable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                // 40001 serialization failure, 40P01 deadlock (PostgreSQL); H2: 40001 deadlock, HYT00 lock timeout
                if (state.equals("40001") || state.equals("40P01") || state.equals("HYT00")) {
                    return true;
                }
            }
        }
        return false;
    }

    static StoreException failure(SQLException e) {
        if (Dialect.isUniqueViolation(e)) {
            return new StoreException(StoreError.MAILBOX_EXISTS, "already exists: " + e.getMessage(), e);
        }
        String state = e.getSQLState();
        if ("53100".equals(state) || "90100".equals(e.getErrorCode() + "")) { // disk full (PostgreSQL, H2)
            return new StoreException(StoreError.STORAGE_FULL, "the database is full: " + e.getMessage(), e);
        }
        return new StoreException(StoreError.FAILURE, "database failure: " + e.getMessage(), e);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            p.executeUpdate();
        }
    }

    private static StoreException noSuchMailbox(MailboxRef ref) {
        return new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox: " + ref.name());
    }

    private static StoreException exists(String name) {
        return new StoreException(StoreError.MAILBOX_EXISTS, "mailbox already exists: " + name);
    }
}
