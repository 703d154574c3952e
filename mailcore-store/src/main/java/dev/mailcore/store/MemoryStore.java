package dev.mailcore.store;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.NonBlocking;
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
import dev.mailcore.api.store.StoreException;
import dev.mailcore.store.internal.Blob;
import dev.mailcore.store.internal.ByteBudget;
import dev.mailcore.store.internal.ContentReader;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.store.internal.MailboxState;
import dev.mailcore.store.internal.StoredMessage;
import dev.mailcore.store.internal.UserState;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Store} that keeps everything in the heap: for tests, demos and embedded servers whose mail need not
 * survive a restart.
 *
 * <p>Each user has a lock of its own, so sessions of different users never wait for each other; an operation that
 * spans users (a delivery to several recipients, a copy between users) locks them in a fixed order. Message bytes are
 * read once from the {@link MessageSource} and kept in one array shared by every copy: a delivery to ten mailboxes,
 * a COPY or a MOVE does not duplicate them, and the store-wide {@link Builder#maxBytes byte limit} counts them once.
 * Per-user {@link Builder#quota quota} counts every copy, as IMAP QUOTA users expect.
 *
 * <p>UIDVALIDITY values come from the clock's epoch seconds, raised so that no two mailboxes of this store ever get
 * the same one: a mailbox deleted and created again gets a new UIDVALIDITY. MODSEQ is kept per mailbox; each
 * operation that changes a mailbox takes one new MODSEQ for everything it changed there.
 *
 * <p>{@link #deliver} gives a target listed twice two copies. {@link #close()} only drops the event listeners.
 *
 * <p>Events are queued while the user's lock is held (so they are in MODSEQ order) and handed to listeners after it
 * is released; a listener that throws is logged and skipped.
 *
 * <pre>{@code
 * MemoryStore store = MemoryStore.builder()
 *         .maxBytes(512L << 20)
 *         .quota(50L << 20, 10_000)
 *         .standardFolders()
 *         .build();
 * }</pre>
 */
public final class MemoryStore implements Store, NonBlocking {

    private final ConcurrentHashMap<String, UserState> users = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final long bytesPerUser;
    private final long messagesPerUser;
    private final Map<String, Set<String>> defaultFolders;
    private final Clock clock;
    private final AtomicLong lastUidValidity = new AtomicLong();

    /** A store without any limit or default folder. */
    public MemoryStore() {
        this(builder());
    }

    private MemoryStore(Builder b) {
        this.budget = new ByteBudget(b.maxBytes);
        this.bytesPerUser = b.quotaBytes();
        this.messagesPerUser = b.quotaMessages();
        this.defaultFolders = b.defaultFolders();
        this.clock = b.clock();
    }

    /**
     * A builder for a store with limits, default folders or a clock of its own.
     *
     * @return a builder with no limit, no default folder and the UTC system clock
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- extras beyond the SPI ----

    /**
     * Bytes of message content held right now.
     *
     * @return the sum of the sizes of all distinct messages; a message shared by several mailboxes counts once
     */
    public long usedBytes() {
        return budget.used();
    }

    /**
     * Sets one user's quota limits, replacing the default of the builder. Messages stored already stay.
     *
     * @param user          the user name (case-insensitive)
     * @param bytesLimit    octets, or {@link QuotaUsage#UNLIMITED}
     * @param messagesLimit messages, or {@link QuotaUsage#UNLIMITED}
     */
    public void setQuota(String user, long bytesLimit, long messagesLimit) {
        checkLimit(bytesLimit, "bytesLimit");
        checkLimit(messagesLimit, "messagesLimit");
        user(user).setLimits(bytesLimit, messagesLimit);
    }

    // ---- mailboxes ----

    @Override
    public List<MailboxInfo> mailboxes(String user) {
        Objects.requireNonNull(user, "user");
        UserState u = user(user);
        u.lock();
        try {
            List<MailboxInfo> out = new ArrayList<>(u.mailboxes().size());
            for (Map.Entry<String, MailboxState> e : u.mailboxes().entrySet()) {
                out.add(e.getValue().info(new MailboxRef(user, e.getKey())));
            }
            return Collections.unmodifiableList(out);
        } finally {
            u.unlock();
        }
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxRef mailbox) {
        UserState u = user(mailbox.user());
        u.lock();
        try {
            MailboxState m = u.mailboxes().get(mailbox.name());
            return m == null ? Optional.empty() : Optional.of(m.info(mailbox));
        } finally {
            u.unlock();
        }
    }

    @Override
    public MailboxInfo createMailbox(MailboxRef mailbox) {
        MailboxNames.validate(mailbox.name());
        UserState u = user(mailbox.user());
        u.lock();
        try {
            if (u.mailboxes().containsKey(mailbox.name())) {
                throw exists(mailbox.name());
            }
            return createWithParents(u, mailbox, Set.of()).info(mailbox);
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        if (mailbox.isInbox()) {
            throw new StoreException(StoreError.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        UserState u = user(mailbox.user());
        u.lock();
        try {
            MailboxState m = u.mailboxes().get(mailbox.name());
            if (m == null) {
                throw noSuchMailbox(mailbox);
            }
            u.mailboxes().remove(mailbox.name());
            u.account(-m.size(), -m.totalSize());
            for (StoredMessage s : m.all()) {
                s.blob().release();
            }
            u.emit(new StoreEvent.MailboxDeleted(mailbox));
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    @Override
    public void renameMailbox(MailboxRef from, MailboxRef to) {
        if (!from.userKey().equals(to.userKey())) {
            throw new StoreException(StoreError.NOT_ALLOWED, "a mailbox cannot be renamed to another user");
        }
        MailboxNames.validate(to.name());
        UserState u = user(from.user());
        u.lock();
        try {
            TreeMap<String, MailboxState> boxes = u.mailboxes();
            MailboxState source = boxes.get(from.name());
            String prefix = from.name() + HIERARCHY_DELIMITER;
            String firstChild = boxes.ceilingKey(prefix);
            boolean hasChildren = firstChild != null && firstChild.startsWith(prefix);
            // a deleted parent whose children remain (IMAP \Noselect) can be renamed too, as RFC 9051 shows
            if (source == null && (from.isInbox() || !hasChildren)) {
                throw noSuchMailbox(from);
            }
            if (boxes.containsKey(to.name())) {
                throw exists(to.name());
            }
            if (from.isInbox()) {
                renameInbox(u, source, from, to);
                return;
            }
            if (MailboxNames.isDescendant(to.name(), from.name())) {
                throw new StoreException(StoreError.NOT_ALLOWED,
                        "cannot rename " + from.name() + " to its own child " + to.name());
            }
            // the mailbox and its children, old name -> new name, parents first
            Map<String, String> moves = new LinkedHashMap<>();
            if (source != null) {
                moves.put(from.name(), to.name());
            }
            for (String name : boxes.tailMap(prefix, true).keySet()) {
                if (!name.startsWith(prefix)) {
                    break;
                }
                String target = to.name() + name.substring(from.name().length());
                if (boxes.containsKey(target)) {
                    throw exists(target);
                }
                moves.put(name, target);
            }
            Map<String, MailboxState> moved = new LinkedHashMap<>();
            for (String name : moves.keySet()) {
                moved.put(name, boxes.remove(name));
            }
            // parents of the new name that do not exist yet (and are not being moved there)
            for (String parent : MailboxNames.parents(to.name())) {
                if (!boxes.containsKey(parent)) {
                    boxes.put(parent, newMailbox(Set.of()));
                    u.emit(new StoreEvent.MailboxCreated(new MailboxRef(to.user(), parent)));
                }
            }
            for (Map.Entry<String, String> e : moves.entrySet()) {
                boxes.put(e.getValue(), moved.get(e.getKey()));
                u.emit(new StoreEvent.MailboxRenamed(new MailboxRef(from.user(), e.getKey()),
                        new MailboxRef(to.user(), e.getValue())));
            }
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    /** RFC 9051 §6.3.6: INBOX keeps its UIDVALIDITY and loses its messages; its children stay where they are. */
    private void renameInbox(UserState u, MailboxState inbox, MailboxRef from, MailboxRef to) {
        List<StoredMessage> messages = new ArrayList<>(inbox.all());
        MailboxState target = createWithParents(u, to, Set.of());
        if (messages.isEmpty()) {
            return;
        }
        target.checkUidSpace(messages.size());
        long addSeq = target.nextModSeq();
        List<MessageMeta> added = new ArrayList<>(messages.size());
        List<Long> removed = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            // the reference moves from INBOX to the target: no retain/release, quota unchanged
            added.add(target.add(m.blob(), m.meta().flags(), m.meta().internalDate(), addSeq).meta());
        }
        long expungeSeq = inbox.nextModSeq();
        for (StoredMessage m : messages) {
            inbox.remove(m.uid());
            removed.add(m.uid());
        }
        u.emit(new StoreEvent.MessagesAdded(to, target.uidValidity(), added));
        u.emit(new StoreEvent.MessagesExpunged(from, inbox.uidValidity(), removed, expungeSeq));
    }

    @Override
    public Set<String> subscriptions(String user) {
        Objects.requireNonNull(user, "user");
        UserState u = user(user);
        u.lock();
        try {
            return Collections.unmodifiableSet(new TreeSet<>(u.subscriptions()));
        } finally {
            u.unlock();
        }
    }

    @Override
    public void setSubscribed(MailboxRef mailbox, boolean subscribed) {
        MailboxNames.validate(mailbox.name());
        UserState u = user(mailbox.user());
        u.lock();
        try {
            if (subscribed) {
                u.subscriptions().add(mailbox.name());
            } else {
                u.subscriptions().remove(mailbox.name());
            }
        } finally {
            u.unlock();
        }
    }

    // ---- messages ----

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        Flags initial = flags == null ? Flags.NONE : flags;
        Instant date = internalDate == null ? clock.instant() : internalDate;
        UserState u = user(mailbox.user());
        // fail fast before reading the content; everything is checked again under the lock
        long declared = content.size();
        ContentReader.checkSize(declared);
        u.lock();
        try {
            mailboxOf(u, mailbox);
            u.checkQuota(1, declared);
        } finally {
            u.unlock();
        }
        budget.precheck(declared);
        byte[] bytes = ContentReader.read(content);

        u.lock();
        try {
            MailboxState m = mailboxOf(u, mailbox);
            m.checkUidSpace(1);
            u.checkQuota(1, bytes.length);
            Blob blob = budget.allocate(bytes, 1);
            long modSeq = m.nextModSeq();
            StoredMessage s = m.add(blob, initial, date, modSeq);
            u.account(1, bytes.length);
            u.emit(new StoreEvent.MessagesAdded(mailbox, m.uidValidity(), List.of(s.meta())));
            return new AppendResult(mailbox, m.uidValidity(), s.uid(), modSeq);
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    @Override
    public List<AppendResult> deliver(List<MailboxRef> targets, MessageSource content, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        List<MailboxRef> list = List.copyOf(targets);
        if (list.isEmpty()) {
            return List.of();
        }
        Instant date = internalDate == null ? clock.instant() : internalDate;
        Map<String, UserState> involved = new TreeMap<>();
        Map<String, Integer> copiesPerUser = new HashMap<>();
        for (MailboxRef t : list) {
            MailboxNames.validate(t.name());
            UserState u = user(t.user());
            involved.put(u.key(), u);
            copiesPerUser.merge(u.key(), 1, Integer::sum);
        }
        long declared = content.size();
        ContentReader.checkSize(declared);
        for (UserState u : involved.values()) { // fail fast before reading; checked again below
            int n = copiesPerUser.get(u.key());
            u.lock();
            try {
                u.checkQuota(n, n * declared);
            } finally {
                u.unlock();
            }
        }
        budget.precheck(declared);
        byte[] bytes = ContentReader.read(content);

        List<UserState> locked = new ArrayList<>(involved.values()); // sorted by key: a global lock order
        for (UserState u : locked) {
            u.lock();
        }
        try {
            // check everything before changing anything
            for (UserState u : locked) {
                int n = copiesPerUser.get(u.key());
                u.checkQuota(n, (long) n * bytes.length);
            }
            Map<MailboxState, Integer> perMailbox = new HashMap<>();
            for (MailboxRef t : list) {
                MailboxState m = involved.get(t.userKey()).mailboxes().get(t.name());
                if (m != null) {
                    perMailbox.merge(m, 1, Integer::sum);
                }
            }
            for (Map.Entry<MailboxState, Integer> e : perMailbox.entrySet()) {
                e.getKey().checkUidSpace(e.getValue());
            }
            Blob blob = budget.allocate(bytes, list.size());

            List<AppendResult> results = new ArrayList<>(list.size());
            for (MailboxRef t : list) {
                UserState u = involved.get(t.userKey());
                MailboxState m = u.mailboxes().get(t.name());
                if (m == null) {
                    m = createWithParents(u, t, Set.of());
                }
                long modSeq = m.nextModSeq();
                StoredMessage s = m.add(blob, Flags.NONE, date, modSeq);
                u.account(1, bytes.length);
                u.emit(new StoreEvent.MessagesAdded(t, m.uidValidity(), List.of(s.meta())));
                results.add(new AppendResult(t, m.uidValidity(), s.uid(), modSeq));
            }
            return Collections.unmodifiableList(results);
        } finally {
            for (int i = locked.size() - 1; i >= 0; i--) {
                locked.get(i).unlock();
            }
            for (UserState u : locked) {
                u.drainEvents();
            }
        }
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        UserState u = user(mailbox.user());
        u.lock();
        try {
            return Collections.unmodifiableList(mailboxOf(u, mailbox).metas());
        } finally {
            u.unlock();
        }
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        UserState u = user(mailbox.user());
        u.lock();
        try {
            StoredMessage s = mailboxOf(u, mailbox).get(uid);
            if (s == null) {
                throw new StoreException(StoreError.NO_SUCH_MESSAGE,
                        "no message with UID " + uid + " in " + mailbox.name());
            }
            return MessageSource.of(s.blob().bytes()); // the array is never changed: no copy needed
        } finally {
            u.unlock();
        }
    }

    @Override
    public List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation,
                                         Flags flags, long unchangedSince) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(flags, "flags");
        TreeSet<Long> wanted = new TreeSet<>(uids);
        UserState u = user(mailbox.user());
        u.lock();
        try {
            MailboxState m = mailboxOf(u, mailbox);
            List<MessageMeta> result = new ArrayList<>();
            List<MessageMeta> changed = new ArrayList<>();
            long modSeq = 0;
            for (Long uid : wanted) {
                StoredMessage s = m.get(uid);
                if (s == null || s.meta().modSeq() > unchangedSince) {
                    continue;
                }
                Flags old = s.meta().flags();
                Flags next = switch (operation) {
                    case REPLACE -> flags;
                    case ADD -> old.plus(flags);
                    case REMOVE -> old.minus(flags);
                };
                if (old.equals(next)) { // keywords compare case-insensitively: the first spelling stays
                    result.add(s.meta());
                    continue;
                }
                if (modSeq == 0) {
                    modSeq = m.nextModSeq();
                }
                MessageMeta meta = m.setFlags(s, next, modSeq).meta();
                result.add(meta);
                changed.add(meta);
            }
            if (!changed.isEmpty()) {
                u.emit(new StoreEvent.FlagsChanged(mailbox, m.uidValidity(), changed));
            }
            return Collections.unmodifiableList(result);
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    @Override
    public CopyResult copy(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return transfer(from, uids, to, false);
    }

    @Override
    public CopyResult move(MailboxRef from, Collection<Long> uids, MailboxRef to) {
        return transfer(from, uids, to, true);
    }

    private CopyResult transfer(MailboxRef from, Collection<Long> uids, MailboxRef to, boolean move) {
        TreeSet<Long> wanted = new TreeSet<>(uids);
        UserState src = user(from.user());
        UserState dst = user(to.user());
        boolean sameUser = src == dst;
        UserState first = sameUser || src.key().compareTo(dst.key()) < 0 ? src : dst;
        UserState second = first == src ? dst : src;
        first.lock();
        if (!sameUser) {
            second.lock();
        }
        try {
            MailboxState source = mailboxOf(src, from);
            MailboxState target = mailboxOf(dst, to);
            List<StoredMessage> picked = new ArrayList<>();
            long bytes = 0;
            for (Long uid : wanted) {
                StoredMessage s = source.get(uid);
                if (s != null) {
                    picked.add(s);
                    bytes += s.meta().size();
                }
            }
            if (picked.isEmpty()) {
                return new CopyResult(target.uidValidity(), List.of(), List.of());
            }
            if (!(move && sameUser)) {
                dst.checkQuota(picked.size(), bytes);
            }
            target.checkUidSpace(picked.size());

            long addSeq = target.nextModSeq();
            List<Long> sourceUids = new ArrayList<>(picked.size());
            List<Long> targetUids = new ArrayList<>(picked.size());
            List<MessageMeta> added = new ArrayList<>(picked.size());
            for (StoredMessage s : picked) {
                s.blob().retain();
                StoredMessage copy = target.add(s.blob(), s.meta().flags(), s.meta().internalDate(), addSeq);
                sourceUids.add(s.uid());
                targetUids.add(copy.uid());
                added.add(copy.meta());
            }
            dst.account(picked.size(), bytes);
            dst.emit(new StoreEvent.MessagesAdded(to, target.uidValidity(), added));
            if (move) {
                long expungeSeq = source.nextModSeq();
                for (StoredMessage s : picked) {
                    source.remove(s.uid());
                    s.blob().release();
                }
                src.account(-picked.size(), -bytes);
                src.emit(new StoreEvent.MessagesExpunged(from, source.uidValidity(), sourceUids, expungeSeq));
            }
            return new CopyResult(target.uidValidity(), sourceUids, targetUids);
        } finally {
            if (!sameUser) {
                second.unlock();
            }
            first.unlock();
            first.drainEvents();
            if (!sameUser) {
                second.drainEvents();
            }
        }
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        TreeSet<Long> wanted = new TreeSet<>(uids);
        UserState u = user(mailbox.user());
        u.lock();
        try {
            MailboxState m = mailboxOf(u, mailbox);
            List<StoredMessage> gone = new ArrayList<>();
            for (Long uid : wanted) {
                StoredMessage s = m.get(uid);
                if (s != null) {
                    gone.add(s);
                }
            }
            if (gone.isEmpty()) {
                return List.of();
            }
            long modSeq = m.nextModSeq();
            List<Long> removed = new ArrayList<>(gone.size());
            long bytes = 0;
            for (StoredMessage s : gone) {
                m.remove(s.uid());
                s.blob().release();
                removed.add(s.uid());
                bytes += s.meta().size();
            }
            u.account(-gone.size(), -bytes);
            u.emit(new StoreEvent.MessagesExpunged(mailbox, m.uidValidity(), removed, modSeq));
            return List.copyOf(removed);
        } finally {
            u.unlock();
            u.drainEvents();
        }
    }

    // ---- quota and events ----

    @Override
    public QuotaUsage quota(String user) {
        Objects.requireNonNull(user, "user");
        UserState u = user(user);
        u.lock();
        try {
            return u.quota();
        } finally {
            u.unlock();
        }
    }

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        Objects.requireNonNull(user, "user");
        return user(user).subscribe(listener);
    }

    /** Drops every event listener; the data stays. */
    @Override
    public void close() {
        for (UserState u : users.values()) {
            u.clearListeners();
        }
    }

    // ---- helpers ----

    private UserState user(String user) {
        String key = user.toLowerCase(Locale.ROOT);
        UserState u = users.get(key);
        return u != null ? u : users.computeIfAbsent(key, this::newUser);
    }

    private UserState newUser(String key) {
        UserState u = new UserState(key, bytesPerUser, messagesPerUser);
        u.mailboxes().put(MailboxRef.INBOX, newMailbox(Set.of()));
        for (Map.Entry<String, Set<String>> e : defaultFolders.entrySet()) {
            for (String parent : MailboxNames.parents(e.getKey())) {
                u.mailboxes().computeIfAbsent(parent, p -> newMailbox(Set.of()));
            }
            u.mailboxes().put(e.getKey(), newMailbox(e.getValue()));
            u.subscriptions().add(e.getKey());
        }
        return u;
    }

    private MailboxState newMailbox(Set<String> specialUse) {
        long now = Math.max(1, clock.instant().getEpochSecond());
        long v = lastUidValidity.updateAndGet(last -> Math.max(last + 1, now));
        return new MailboxState(v & 0xFFFF_FFFFL, specialUse);
    }

    /** Creates a mailbox and its missing parents (lock held; the name is valid and free). */
    private MailboxState createWithParents(UserState u, MailboxRef mailbox, Set<String> specialUse) {
        for (String parent : MailboxNames.parents(mailbox.name())) {
            if (!u.mailboxes().containsKey(parent)) {
                u.mailboxes().put(parent, newMailbox(Set.of()));
                u.emit(new StoreEvent.MailboxCreated(new MailboxRef(mailbox.user(), parent)));
            }
        }
        MailboxState m = newMailbox(specialUse);
        u.mailboxes().put(mailbox.name(), m);
        u.emit(new StoreEvent.MailboxCreated(mailbox));
        return m;
    }

    private static MailboxState mailboxOf(UserState u, MailboxRef ref) {
        MailboxState m = u.mailboxes().get(ref.name());
        if (m == null) {
            throw noSuchMailbox(ref);
        }
        return m;
    }

    private static StoreException noSuchMailbox(MailboxRef ref) {
        return new StoreException(StoreError.NO_SUCH_MAILBOX, "no such mailbox: " + ref.name());
    }

    private static StoreException exists(String name) {
        return new StoreException(StoreError.MAILBOX_EXISTS, "mailbox already exists: " + name);
    }

    private static void checkLimit(long limit, String what) {
        if (limit < 0) {
            throw new IllegalArgumentException(what + " must not be negative: " + limit);
        }
    }

    /** Settings of a {@link MemoryStore}; every one is optional. */
    public static final class Builder extends StoreBuilder<Builder> {
        private long maxBytes = Long.MAX_VALUE;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * The most message bytes the store holds in all (a message shared by several mailboxes counts once);
         * appends and deliveries beyond it fail with {@link StoreError#STORAGE_FULL}. Default: no limit.
         *
         * @param maxBytes the limit in octets, not negative
         * @return this builder
         */
        public Builder maxBytes(long maxBytes) {
            checkLimit(maxBytes, "maxBytes");
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * A new, empty store with these settings.
         *
         * @return the store
         */
        public MemoryStore build() {
            return new MemoryStore(this);
        }
    }
}
