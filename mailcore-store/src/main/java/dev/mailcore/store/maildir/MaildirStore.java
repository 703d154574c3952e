package dev.mailcore.store.maildir;

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
import dev.mailcore.api.store.StoreException;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.store.maildir.internal.Entry;
import dev.mailcore.store.maildir.internal.FileMessageSource;
import dev.mailcore.store.maildir.internal.FileOps;
import dev.mailcore.store.maildir.internal.Folder;
import dev.mailcore.store.maildir.internal.MaildirNames;
import dev.mailcore.store.maildir.internal.MaildirUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A durable {@link Store} on the file system, one Maildir++ directory per user, in a layout Dovecot and Courier
 * tools read.
 *
 * <h2>Layout</h2>
 * <pre>
 * root/
 *   alice@example.org/            the user's Maildir = INBOX (user name in lower case; bytes outside
 *     cur/ new/ tmp/                [a-z0-9@._+-] and a leading dot written as %XX)
 *     mailcore-uidlist            UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and "uid modseq date base-name" records
 *     dovecot-keywords            keyword letters a-z of this mailbox, as Dovecot writes them
 *     subscriptions               subscribed mailbox names, one per line (UTF-8, '/' as delimiter)
 *     mailcore-uidvalidity        the last UIDVALIDITY given to any of the user's mailboxes
 *     .Sent/  .Archive.2026/      other mailboxes, Maildir++ style: SPI name "Archive/2026"; each level in
 *                                 modified UTF-7, with a literal '.' written "&amp;AC4-"; each has cur/ new/ tmp/,
 *                                 maildirfolder, mailcore-uidlist and dovecot-keywords
 * </pre>
 * Message files are named {@code <seconds>.M<micros>P<pid>Q<counter>.<host>,S=<size>:2,<flags>} with the flags
 * {@code D F R S T} (Draft, Flagged, Answered, Seen, Deleted) then keyword letters, in ASCII order; delivered
 * messages land in {@code new/} without info suffix, appended, copied and re-flagged ones in {@code cur/}. The file's
 * modification time is set to the internal date, which is also recorded in the UID list.
 *
 * <p>The UID list {@code mailcore-uidlist} (our own format, named so that Dovecot does not take it for its {@code
 * dovecot-uidlist}) is UTF-8 text, one record per line:
 * <pre>
 * 1 V&lt;uidvalidity&gt; N&lt;uidnext&gt; M&lt;highestmodseq&gt;                       header, version 1
 * +&lt;uid&gt; &lt;modseq&gt; &lt;internal date, ISO-8601&gt; &lt;base file name&gt;   a message, or its new MODSEQ
 * -&lt;uid&gt; &lt;modseq&gt;                                                  an expunge
 * </pre>
 * Later records win. On open, UIDNEXT is the larger of the header's and the highest UID recorded plus one, and
 * HIGHESTMODSEQ the largest MODSEQ recorded, so neither goes backwards across restarts; a torn last line is ignored.
 *
 * <h2>Durability</h2>
 * A message is written to the user's {@code tmp/} and fsynced, then renamed (or, for further targets of a
 * delivery and for copies, hard-linked; copied where links fail) into {@code new/} or {@code cur/}, the directory is
 * fsynced, and a record is appended to the UID list and fsynced (an O(1) append rather than a rewrite per message):
 * only then does the call return. A delivery to
 * several mailboxes places every file first and commits the UID lists last; if anything fails, the files placed and
 * mailboxes created are removed again. Flag changes rename the file and append a record with the new MODSEQ; expunge
 * deletes the files first and then records it. The UID list is compacted (new file, fsync, rename, directory fsync)
 * when it holds more than twice as many records as messages. {@link Builder#fsync fsync(false)} skips every fsync,
 * for tests and benchmarks only.
 *
 * <h2>Index and other tools</h2>
 * Each user's mailboxes are indexed in memory on the user's first use (UID list plus a scan of {@code new/} and
 * {@code cur/}): files without a UID, such as ones another program dropped into {@code new/}, get new UIDs; records
 * whose file is gone are dropped. After that the index is the truth for this store: changes other programs make to
 * the Maildir while this store has the user open are only picked up when the store is opened again.
 *
 * <h2>Concurrency</h2>
 * All methods are thread-safe; each user has one lock, and operations spanning users lock them in a fixed order.
 * Message bytes are written to {@code tmp/} before the lock is taken (an append also renames its file into
 * {@code cur/} and fsyncs that directory without the lock: the file is not part of the index until its UID list
 * record is written under the lock). Several processes (or several
 * {@code MaildirStore}s) on the same Maildir are <b>not supported</b>: they would hand out the same UIDs. Readers
 * such as Dovecot (with its own {@code dovecot-uidlist}) may read the tree while the store runs; Maildir's atomic
 * renames guarantee they never see a half-written message. Streams returned by {@link #content} read the file
 * lazily; they follow a flag-change rename, and fail with an {@link IOException} once the message is expunged.
 *
 * <h2>Limits</h2>
 * At most 26 keywords per mailbox (one letter each, as Dovecot without its index); more fail with {@link
 * StoreError#NOT_ALLOWED}. Quota usage is computed from the index. I/O errors fail with {@link StoreError#FAILURE}
 * carrying the {@link IOException}, a full disk with {@link StoreError#STORAGE_FULL}.
 *
 * <pre>{@code
 * MaildirStore store = MaildirStore.builder(Path.of("/var/mail/mailcore"))
 *         .quota(1L << 30, 100_000)
 *         .standardFolders()
 *         .build();
 * }</pre>
 */
public final class MaildirStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirStore.class);

    private final Path root;
    private final long bytesPerUser;
    private final long messagesPerUser;
    private final Map<String, Set<String>> defaultFolders;
    private final Clock clock;
    private final FileOps io;
    private final ConcurrentHashMap<String, MaildirUser> users = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MaildirStore(Builder b) {
        this.root = b.root.toAbsolutePath().normalize();
        this.bytesPerUser = b.quotaBytes();
        this.messagesPerUser = b.quotaMessages();
        this.defaultFolders = b.defaultFolders();
        this.clock = b.clock();
        this.io = new FileOps(b.fsync);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw FileOps.failure("cannot create the store directory " + root, e);
        }
    }

    /**
     * Opens (creating it if needed) a store in {@code root} without quota or default folders, with fsync on.
     *
     * @param root the directory holding one Maildir per user
     * @return the store
     * @throws StoreException {@link StoreError#FAILURE} when the directory cannot be created
     */
    public static MaildirStore open(Path root) {
        return builder(root).build();
    }

    /**
     * A builder for a store in {@code root}.
     *
     * @param root the directory holding one Maildir per user
     * @return a builder with no quota, no default folder, fsync on and the UTC system clock
     */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /**
     * The directory this store keeps its users' Maildirs in.
     *
     * @return the absolute root directory
     */
    public Path root() {
        return root;
    }

    /**
     * The Maildir of a user (whether it exists yet or not).
     *
     * @param user the user name (case-insensitive)
     * @return the directory, under {@link #root()}
     */
    public Path userDirectory(String user) {
        return root.resolve(MaildirNames.userDirectory(user));
    }

    /**
     * Sets one user's quota limits, replacing the builder's default until the store is closed. Messages stored
     * already stay.
     *
     * @param user          the user name (case-insensitive)
     * @param bytesLimit    octets, or {@link QuotaUsage#UNLIMITED}
     * @param messagesLimit messages, or {@link QuotaUsage#UNLIMITED}
     */
    public void setQuota(String user, long bytesLimit, long messagesLimit) {
        checkLimit(bytesLimit, "bytesLimit");
        checkLimit(messagesLimit, "messagesLimit");
        user(user).state().setLimits(bytesLimit, messagesLimit);
    }

    // ---- mailboxes ----

    @Override
    public List<MailboxInfo> mailboxes(String user) {
        MaildirUser u = user(user);
        u.state().lock();
        try {
            List<MailboxInfo> out = new ArrayList<>(u.folders().size());
            for (Map.Entry<String, Folder> e : u.folders().entrySet()) {
                out.add(e.getValue().info(new MailboxRef(user, e.getKey()), specialUse(e.getKey())));
            }
            return Collections.unmodifiableList(out);
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public Optional<MailboxInfo> mailbox(MailboxRef mailbox) {
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            Folder f = u.folders().get(mailbox.name());
            return f == null ? Optional.empty() : Optional.of(f.info(mailbox, specialUse(mailbox.name())));
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public MailboxInfo createMailbox(MailboxRef mailbox) {
        MailboxNames.validate(mailbox.name());
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            if (u.folders().containsKey(mailbox.name())) {
                throw exists(mailbox.name());
            }
            for (String name : createWithParents(u, mailbox.name())) {
                u.state().emit(new StoreEvent.MailboxCreated(new MailboxRef(mailbox.user(), name)));
            }
            return u.folders().get(mailbox.name()).info(mailbox, specialUse(mailbox.name()));
        } finally {
            u.state().unlock();
            u.state().drainEvents();
        }
    }

    @Override
    public void deleteMailbox(MailboxRef mailbox) {
        if (mailbox.isInbox()) {
            throw new StoreException(StoreError.NOT_ALLOWED, "INBOX cannot be deleted");
        }
        MaildirUser u = user(mailbox.user());
        Path trash = null;
        u.state().lock();
        try {
            Folder f = u.folders().get(mailbox.name());
            if (f == null) {
                throw noSuchMailbox(mailbox);
            }
            // rename first (one atomic step), then remove the files at leisure, without the lock
            trash = u.dir().resolve("..deleted." + MaildirNames.newBaseName(clock.instant(), 0));
            try {
                io.move(f.dir(), trash);
                io.fsyncDirectory(u.dir());
            } catch (IOException e) {
                throw FileOps.failure("cannot delete mailbox " + mailbox.name(), e);
            }
            u.folders().remove(mailbox.name());
            u.state().account(-f.size(), -f.totalSize());
            u.state().emit(new StoreEvent.MailboxDeleted(mailbox));
        } finally {
            u.state().unlock();
            u.state().drainEvents();
        }
        try {
            FileOps.deleteTree(trash);
        } catch (IOException e) {
            LOG.warn("cannot remove {}; it is removed when the user's Maildir is opened again", trash, e);
        }
    }

    @Override
    public void renameMailbox(MailboxRef from, MailboxRef to) {
        if (!from.userKey().equals(to.userKey())) {
            throw new StoreException(StoreError.NOT_ALLOWED, "a mailbox cannot be renamed to another user");
        }
        MailboxNames.validate(to.name());
        MaildirUser u = user(from.user());
        u.state().lock();
        try {
            TreeMap<String, Folder> boxes = u.folders();
            Folder source = boxes.get(from.name());
            String prefix = from.name() + HIERARCHY_DELIMITER;
            String firstChild = boxes.ceilingKey(prefix);
            boolean hasChildren = firstChild != null && firstChild.startsWith(prefix);
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
            List<String> createdParents = new ArrayList<>();
            List<String> renamed = new ArrayList<>();
            try {
                for (String parent : MailboxNames.parents(to.name())) {
                    if (!boxes.containsKey(parent)) {
                        u.createFolder(parent);
                        createdParents.add(parent);
                    }
                }
                for (Map.Entry<String, String> m : moves.entrySet()) {
                    Path target = u.folderPath(m.getValue());
                    if (Files.exists(target)) {
                        throw new IOException("directory exists already: " + target);
                    }
                    io.move(u.folderPath(m.getKey()), target);
                    renamed.add(m.getKey());
                }
                io.fsyncDirectory(u.dir());
            } catch (IOException | RuntimeException e) {
                for (int i = renamed.size() - 1; i >= 0; i--) {
                    String old = renamed.get(i);
                    try {
                        io.move(u.folderPath(moves.get(old)), u.folderPath(old));
                    } catch (IOException again) {
                        e.addSuppressed(again);
                    }
                }
                removeFolders(u, createdParents, e);
                throw e instanceof IOException ioe ? FileOps.failure("cannot rename " + from.name(), ioe)
                        : (RuntimeException) e;
            }
            for (String parent : createdParents) {
                u.state().emit(new StoreEvent.MailboxCreated(new MailboxRef(to.user(), parent)));
            }
            Map<String, Folder> moved = new LinkedHashMap<>();
            for (String name : moves.keySet()) {
                moved.put(name, boxes.remove(name));
            }
            for (Map.Entry<String, String> m : moves.entrySet()) {
                Folder f = moved.get(m.getKey());
                f.setDir(u.folderPath(m.getValue()));
                boxes.put(m.getValue(), f);
                u.state().emit(new StoreEvent.MailboxRenamed(new MailboxRef(from.user(), m.getKey()),
                        new MailboxRef(to.user(), m.getValue())));
            }
        } finally {
            u.state().unlock();
            u.state().drainEvents();
        }
    }

    /** RFC 9051 §6.3.6: INBOX keeps its UIDVALIDITY and loses its messages; its children stay where they are. */
    private void renameInbox(MaildirUser u, Folder inbox, MailboxRef from, MailboxRef to) {
        for (String name : createWithParents(u, to.name())) {
            u.state().emit(new StoreEvent.MailboxCreated(new MailboxRef(to.user(), name)));
        }
        Folder target = u.folders().get(to.name());
        TreeSet<Long> all = new TreeSet<>();
        for (Entry e : inbox.all()) {
            all.add(e.uid());
        }
        transferLocked(u, from, inbox, u, to, target, all, true);
    }

    @Override
    public Set<String> subscriptions(String user) {
        MaildirUser u = user(user);
        u.state().lock();
        try {
            return Collections.unmodifiableSet(new TreeSet<>(u.state().subscriptions()));
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public void setSubscribed(MailboxRef mailbox, boolean subscribed) {
        MailboxNames.validate(mailbox.name());
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            TreeSet<String> next = new TreeSet<>(u.state().subscriptions());
            boolean changed = subscribed ? next.add(mailbox.name()) : next.remove(mailbox.name());
            if (!changed) {
                return;
            }
            try {
                u.writeSubscriptions(next);
            } catch (IOException e) {
                throw FileOps.failure("cannot write subscriptions of " + mailbox.user(), e);
            }
            u.state().subscriptions().clear();
            u.state().subscriptions().addAll(next);
        } finally {
            u.state().unlock();
        }
    }

    // ---- messages ----

    @Override
    public AppendResult append(MailboxRef mailbox, MessageSource content, Flags flags, Instant internalDate) {
        Objects.requireNonNull(content, "content");
        Flags initial = flags == null ? Flags.NONE : flags;
        Instant date = internalDate == null ? clock.instant() : internalDate;
        MaildirUser u = user(mailbox.user());
        long declared = checkSize(content.size());
        String base = MaildirNames.newBaseName(clock.instant(), declared);
        Folder folder;
        Path placedIn;
        String name;
        u.state().lock();
        try { // fail fast before writing anything (checked again below) and pick the file name
            folder = folderOf(u, mailbox);
            folder.checkUidSpace(1);
            u.state().checkQuota(1, declared);
            folder.keywords().ensure(initial.keywords(), folder.dir(), io); // letters are never reassigned
            name = MaildirNames.fileName(base, initial, folder.keywords());
            placedIn = folder.dir();
        } finally {
            u.state().unlock();
        }
        // write, fsync, rename into cur/ and fsync it without the lock, so that appends overlap their I/O; a file
        // in cur/ is not seen by this store before its UID list record exists
        Staged staged = stage(u, base, content, declared, date);
        Path placed = placedIn.resolve("cur").resolve(name);
        try {
            io.move(staged.path, placed);
            io.fsyncDirectory(placed.getParent());
        } catch (IOException e) {
            deleteQuietly(staged.path, e);
            deleteQuietly(placed, e);
            throw FileOps.failure("cannot store message in " + mailbox.name(), e);
        }
        boolean committed = false;
        u.state().lock();
        try {
            Folder f = u.folders().get(mailbox.name());
            if (f != folder) { // deleted (and perhaps created again) meanwhile: the file went with the old one
                throw noSuchMailbox(mailbox);
            }
            f.checkUidSpace(1);
            u.state().checkQuota(1, declared);
            MessageMeta meta = new MessageMeta(f.uidNext(), f.highestModSeq() + 1, declared, date,
                    MaildirNames.flagsOf(name, f.keywords()));
            Entry e = f.newEntry(base, "cur/" + name, meta);
            try {
                if (!f.dir().equals(placedIn)) { // renamed meanwhile: the file normally moved with its directory
                    Path now = f.dir().resolve("cur").resolve(name);
                    if (!Files.exists(now)) { // renamed before our rename: fetch it from the old place
                        io.move(placed, now);
                    }
                    io.fsyncDirectory(now.getParent());
                }
                f.commit(List.of(Folder.addRecord(e, meta)), io);
            } catch (IOException ex) {
                throw FileOps.failure("cannot store message in " + mailbox.name(), ex);
            }
            committed = true;
            f.put(e);
            f.compactIfNeeded(io);
            u.state().account(1, declared);
            u.state().emit(new StoreEvent.MessagesAdded(mailbox, f.uidValidity(), List.of(meta)));
            return new AppendResult(mailbox, f.uidValidity(), meta.uid(), meta.modSeq());
        } finally {
            if (!committed) {
                deleteQuietly(folder.dir().resolve("cur").resolve(name), null);
                deleteQuietly(placed, null);
            }
            u.state().unlock();
            u.state().drainEvents();
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
        TreeMap<String, MaildirUser> involved = new TreeMap<>();
        Map<String, Integer> copiesPerUser = new LinkedHashMap<>();
        for (MailboxRef t : list) {
            MailboxNames.validate(t.name());
        }
        for (MailboxRef t : list) {
            MaildirUser u = user(t.user());
            involved.put(t.userKey(), u);
            copiesPerUser.merge(t.userKey(), 1, Integer::sum);
        }
        long declared = checkSize(content.size());
        for (Map.Entry<String, MaildirUser> e : involved.entrySet()) { // fail fast; checked again below
            int n = copiesPerUser.get(e.getKey());
            e.getValue().state().lock();
            try {
                e.getValue().state().checkQuota(n, n * declared);
            } finally {
                e.getValue().state().unlock();
            }
        }
        Staged staged = stage(involved.get(list.get(0).userKey()), MaildirNames.newBaseName(clock.instant(), declared),
                content, declared, date);
        List<MaildirUser> locked = new ArrayList<>(involved.values()); // sorted by key: a global lock order
        for (MaildirUser u : locked) {
            u.state().lock();
        }
        try {
            for (Map.Entry<String, MaildirUser> e : involved.entrySet()) {
                int n = copiesPerUser.get(e.getKey());
                e.getValue().state().checkQuota(n, n * staged.size);
            }
            Map<Folder, Integer> perFolder = new LinkedHashMap<>();
            for (MailboxRef t : list) {
                Folder f = involved.get(t.userKey()).folders().get(t.name());
                if (f != null) {
                    perFolder.merge(f, 1, Integer::sum);
                }
            }
            for (Map.Entry<Folder, Integer> e : perFolder.entrySet()) {
                e.getKey().checkUidSpace(e.getValue());
            }
            return deliverLocked(list, involved, staged, date);
        } finally {
            for (int i = locked.size() - 1; i >= 0; i--) {
                locked.get(i).state().unlock();
            }
            for (MaildirUser u : locked) {
                u.state().drainEvents();
            }
            deleteQuietly(staged.path, null);
        }
    }

    private List<AppendResult> deliverLocked(List<MailboxRef> list, Map<String, MaildirUser> involved,
                                             Staged staged, Instant date) {
        Map<MaildirUser, List<String>> created = new LinkedHashMap<>();
        List<MailboxRef> createdRefs = new ArrayList<>();
        List<Path> placed = new ArrayList<>();
        Map<Folder, long[]> next = new LinkedHashMap<>(); // folder -> {next uid, last modseq}
        Map<Folder, List<String>> records = new LinkedHashMap<>();
        List<Folder> folders = new ArrayList<>(list.size());
        List<Entry> entries = new ArrayList<>(list.size());
        List<Folder> committed = new ArrayList<>();
        try {
            for (MailboxRef t : list) {
                MaildirUser u = involved.get(t.userKey());
                if (!u.folders().containsKey(t.name())) {
                    List<String> names = createWithParents(u, t.name());
                    created.computeIfAbsent(u, k -> new ArrayList<>()).addAll(names);
                    for (String n : names) {
                        createdRefs.add(new MailboxRef(t.user(), n));
                    }
                }
            }
            Set<Path> dirs = new LinkedHashSet<>();
            for (MailboxRef t : list) {
                Folder f = involved.get(t.userKey()).folders().get(t.name());
                long[] n = next.computeIfAbsent(f, k -> new long[] {k.uidNext(), k.highestModSeq()});
                String base = MaildirNames.newBaseName(clock.instant(), staged.size);
                Path target = f.dir().resolve("new").resolve(base);
                io.linkOrCopy(staged.path, target);
                placed.add(target);
                dirs.add(target.getParent());
                MessageMeta meta = new MessageMeta(n[0]++, ++n[1], staged.size, date, Flags.NONE);
                Entry e = f.newEntry(base, "new/" + base, meta);
                records.computeIfAbsent(f, k -> new ArrayList<>()).add(Folder.addRecord(e, meta));
                folders.add(f);
                entries.add(e);
            }
            for (Path d : dirs) {
                io.fsyncDirectory(d);
            }
            for (Map.Entry<Folder, List<String>> r : records.entrySet()) {
                r.getKey().commit(r.getValue(), io);
                committed.add(r.getKey());
            }
        } catch (IOException | RuntimeException e) {
            for (Folder f : committed) { // take the records back: the files go below
                List<String> undo = new ArrayList<>();
                for (int i = 0; i < folders.size(); i++) {
                    if (folders.get(i) == f) {
                        undo.add(Folder.expungeRecord(entries.get(i).uid(), next.get(f)[1] + 1));
                    }
                }
                try {
                    f.commit(undo, io);
                } catch (IOException again) {
                    e.addSuppressed(again); // the files are gone: the records are dropped on the next open
                }
            }
            for (Path p : placed) {
                deleteQuietly(p, e);
            }
            for (Map.Entry<MaildirUser, List<String>> c : created.entrySet()) {
                removeFolders(c.getKey(), c.getValue(), e);
            }
            if (e instanceof IOException ioe) {
                throw FileOps.failure("cannot deliver message", ioe);
            }
            throw (RuntimeException) e;
        }
        for (MailboxRef c : createdRefs) {
            involved.get(c.userKey()).state().emit(new StoreEvent.MailboxCreated(c));
        }
        List<AppendResult> results = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            MailboxRef t = list.get(i);
            MaildirUser u = involved.get(t.userKey());
            Folder f = folders.get(i);
            Entry e = entries.get(i);
            f.put(e);
            u.state().account(1, staged.size);
            u.state().emit(new StoreEvent.MessagesAdded(t, f.uidValidity(), List.of(e.meta())));
            results.add(new AppendResult(t, f.uidValidity(), e.uid(), e.meta().modSeq()));
        }
        for (Folder f : records.keySet()) {
            f.compactIfNeeded(io);
        }
        return Collections.unmodifiableList(results);
    }

    @Override
    public List<MessageMeta> messages(MailboxRef mailbox) {
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            return Collections.unmodifiableList(folderOf(u, mailbox).metas());
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public MessageSource content(MailboxRef mailbox, long uid) {
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            Entry e = folderOf(u, mailbox).get(uid);
            if (e == null) {
                throw new StoreException(StoreError.NO_SUCH_MESSAGE,
                        "no message with UID " + uid + " in " + mailbox.name());
            }
            return new FileMessageSource(e, u.state());
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public List<MessageMeta> updateFlags(MailboxRef mailbox, Collection<Long> uids, FlagOperation operation,
                                         Flags flags, long unchangedSince) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(flags, "flags");
        TreeSet<Long> wanted = new TreeSet<>(uids);
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            Folder f = folderOf(u, mailbox);
            List<Entry> considered = new ArrayList<>();
            List<Entry> changing = new ArrayList<>();
            List<Flags> nextFlags = new ArrayList<>();
            Set<String> keywords = new HashSet<>();
            for (Long uid : wanted) {
                Entry e = f.get(uid);
                if (e == null || e.meta().modSeq() > unchangedSince) {
                    continue;
                }
                considered.add(e);
                Flags old = e.meta().flags();
                Flags n = switch (operation) {
                    case REPLACE -> flags;
                    case ADD -> old.plus(flags);
                    case REMOVE -> old.minus(flags);
                };
                if (!old.equals(n)) { // keywords compare case-insensitively: the first spelling stays
                    changing.add(e);
                    nextFlags.add(n);
                    keywords.addAll(n.keywords());
                }
            }
            if (changing.isEmpty()) {
                return considered.stream().map(Entry::meta).toList();
            }
            f.keywords().ensure(keywords, f.dir(), io);
            long modSeq = f.highestModSeq() + 1;
            List<String> oldPaths = new ArrayList<>();
            List<MessageMeta> metas = new ArrayList<>();
            List<String> records = new ArrayList<>();
            boolean fromNew = false;
            try {
                for (int i = 0; i < changing.size(); i++) {
                    Entry e = changing.get(i);
                    String name = MaildirNames.fileName(e.base(), nextFlags.get(i), f.keywords());
                    String rel = "cur/" + name;
                    MessageMeta o = e.meta();
                    MessageMeta m = new MessageMeta(o.uid(), modSeq, o.size(), o.internalDate(),
                            MaildirNames.flagsOf(name, f.keywords()));
                    String old = e.relativePath();
                    if (!old.equals(rel)) {
                        io.move(f.dir().resolve(old), f.dir().resolve(rel));
                        fromNew |= old.startsWith("new/");
                    }
                    oldPaths.add(old);
                    e.setRelativePath(rel);
                    metas.add(m);
                    records.add(Folder.addRecord(e, m));
                }
                io.fsyncDirectory(f.dir().resolve("cur"));
                if (fromNew) {
                    io.fsyncDirectory(f.dir().resolve("new"));
                }
                f.commit(records, io);
            } catch (IOException | RuntimeException ex) {
                for (int i = oldPaths.size() - 1; i >= 0; i--) { // put the old names back
                    Entry e = changing.get(i);
                    String now = e.relativePath();
                    if (!now.equals(oldPaths.get(i))) {
                        try {
                            io.move(f.dir().resolve(now), f.dir().resolve(oldPaths.get(i)));
                        } catch (IOException again) {
                            ex.addSuppressed(again);
                        }
                        e.setRelativePath(oldPaths.get(i));
                    }
                }
                if (ex instanceof IOException ioe) {
                    throw FileOps.failure("cannot change flags in " + mailbox.name(), ioe);
                }
                throw (RuntimeException) ex;
            }
            for (int i = 0; i < changing.size(); i++) {
                f.update(changing.get(i), metas.get(i));
            }
            f.compactIfNeeded(io);
            u.state().emit(new StoreEvent.FlagsChanged(mailbox, f.uidValidity(), metas));
            return considered.stream().map(Entry::meta).toList();
        } finally {
            u.state().unlock();
            u.state().drainEvents();
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
        MaildirUser src = user(from.user());
        MaildirUser dst = user(to.user());
        boolean sameUser = src == dst;
        MaildirUser first = sameUser || src.state().key().compareTo(dst.state().key()) < 0 ? src : dst;
        MaildirUser second = first == src ? dst : src;
        first.state().lock();
        if (!sameUser) {
            second.state().lock();
        }
        try {
            Folder source = folderOf(src, from);
            Folder target = folderOf(dst, to);
            return transferLocked(src, from, source, dst, to, target, wanted, move);
        } finally {
            if (!sameUser) {
                second.state().unlock();
            }
            first.state().unlock();
            first.state().drainEvents();
            if (!sameUser) {
                second.state().drainEvents();
            }
        }
    }

    /** Copies (hard links) or moves messages; both users' locks are held. */
    private CopyResult transferLocked(MaildirUser src, MailboxRef from, Folder source, MaildirUser dst,
                                      MailboxRef to, Folder target, TreeSet<Long> wanted, boolean move) {
        List<Entry> picked = new ArrayList<>();
        long bytes = 0;
        Set<String> keywords = new HashSet<>();
        for (Long uid : wanted) {
            Entry e = source.get(uid);
            if (e != null) {
                picked.add(e);
                bytes += e.meta().size();
                keywords.addAll(e.meta().flags().keywords());
            }
        }
        if (picked.isEmpty()) {
            return new CopyResult(target.uidValidity(), List.of(), List.of());
        }
        if (!(move && src == dst)) {
            dst.state().checkQuota(picked.size(), bytes);
        }
        target.checkUidSpace(picked.size());
        target.keywords().ensure(keywords, target.dir(), io);

        long uid = target.uidNext();
        long addSeq = target.highestModSeq() + 1;
        List<Path> placed = new ArrayList<>();
        List<Entry> copies = new ArrayList<>(picked.size());
        List<String> records = new ArrayList<>(picked.size());
        try {
            for (Entry s : picked) {
                MessageMeta o = s.meta();
                String base = MaildirNames.newBaseName(clock.instant(), o.size());
                String name = MaildirNames.fileName(base, o.flags(), target.keywords());
                Path p = target.dir().resolve("cur").resolve(name);
                io.linkOrCopy(s.path(), p);
                placed.add(p);
                MessageMeta m = new MessageMeta(uid++, addSeq, o.size(), o.internalDate(),
                        MaildirNames.flagsOf(name, target.keywords()));
                Entry c = target.newEntry(base, "cur/" + name, m);
                copies.add(c);
                records.add(Folder.addRecord(c, m));
            }
            io.fsyncDirectory(target.dir().resolve("cur"));
            target.commit(records, io);
        } catch (IOException | RuntimeException e) {
            for (Path p : placed) {
                deleteQuietly(p, e);
            }
            if (e instanceof IOException ioe) {
                throw FileOps.failure("cannot copy messages to " + to.name(), ioe);
            }
            throw (RuntimeException) e;
        }
        List<Long> sourceUids = new ArrayList<>(picked.size());
        List<Long> targetUids = new ArrayList<>(picked.size());
        List<MessageMeta> added = new ArrayList<>(picked.size());
        for (int i = 0; i < picked.size(); i++) {
            Entry c = copies.get(i);
            target.put(c);
            sourceUids.add(picked.get(i).uid());
            targetUids.add(c.uid());
            added.add(c.meta());
        }
        target.compactIfNeeded(io);
        dst.state().account(picked.size(), bytes);
        dst.state().emit(new StoreEvent.MessagesAdded(to, target.uidValidity(), added));
        if (move) {
            long expungeSeq = source.highestModSeq() + 1;
            // the copies are committed: from here on, removing the originals must not fail the call
            List<Long> removed = removeFiles(source, picked, expungeSeq, null);
            long removedBytes = 0;
            for (Entry s : picked) {
                if (removed.contains(s.uid())) {
                    source.remove(s.uid(), expungeSeq);
                    removedBytes += s.meta().size();
                }
            }
            source.compactIfNeeded(io);
            src.state().account(-removed.size(), -removedBytes);
            if (!removed.isEmpty()) {
                src.state().emit(new StoreEvent.MessagesExpunged(from, source.uidValidity(), removed, expungeSeq));
            }
        }
        return new CopyResult(target.uidValidity(), sourceUids, targetUids);
    }

    @Override
    public List<Long> expunge(MailboxRef mailbox, Collection<Long> uids) {
        TreeSet<Long> wanted = new TreeSet<>(uids);
        MaildirUser u = user(mailbox.user());
        u.state().lock();
        try {
            Folder f = folderOf(u, mailbox);
            List<Entry> gone = new ArrayList<>();
            for (Long uid : wanted) {
                Entry e = f.get(uid);
                if (e != null) {
                    gone.add(e);
                }
            }
            if (gone.isEmpty()) {
                return List.of();
            }
            long modSeq = f.highestModSeq() + 1;
            IOException[] failure = new IOException[1];
            List<Long> removed = removeFiles(f, gone, modSeq, failure);
            long bytes = 0;
            for (Entry e : gone) {
                if (removed.contains(e.uid())) {
                    f.remove(e.uid(), modSeq);
                    bytes += e.meta().size();
                }
            }
            f.compactIfNeeded(io);
            u.state().account(-removed.size(), -bytes);
            if (!removed.isEmpty()) {
                u.state().emit(new StoreEvent.MessagesExpunged(mailbox, f.uidValidity(), removed, modSeq));
            }
            if (failure[0] != null) {
                throw FileOps.failure("cannot expunge from " + mailbox.name() + " (expunged " + removed + ")",
                        failure[0]);
            }
            return List.copyOf(removed);
        } finally {
            u.state().unlock();
            u.state().drainEvents();
        }
    }

    /**
     * Deletes message files, stopping at the first failure (kept in {@code failure}, or logged), then records the
     * expunges. Returns the UIDs whose files are gone, ascending.
     */
    private List<Long> removeFiles(Folder f, List<Entry> entries, long modSeq, IOException[] failure) {
        List<Long> removed = new ArrayList<>(entries.size());
        List<String> records = new ArrayList<>(entries.size());
        Set<Path> dirs = new LinkedHashSet<>();
        for (Entry e : entries) {
            try {
                Path p = e.path();
                dirs.add(p.getParent());
                Files.deleteIfExists(p);
            } catch (IOException ex) {
                if (failure != null) {
                    failure[0] = ex;
                } else {
                    LOG.warn("cannot delete {}; it shows up again with a new UID after a restart", e.path(), ex);
                    continue;
                }
                break;
            }
            removed.add(e.uid());
            records.add(Folder.expungeRecord(e.uid(), modSeq));
        }
        try {
            for (Path d : dirs) {
                io.fsyncDirectory(d);
            }
            f.commit(records, io);
        } catch (IOException ex) {
            // the files are gone, which is what counts: the records are dropped on the next open
            LOG.warn("cannot record expunges in {}", f.dir(), ex);
        }
        return removed;
    }

    // ---- quota and events ----

    @Override
    public QuotaUsage quota(String user) {
        MaildirUser u = user(user);
        u.state().lock();
        try {
            return u.state().quota();
        } finally {
            u.state().unlock();
        }
    }

    @Override
    public Registration subscribe(String user, Consumer<StoreEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return user(user).state().subscribe(listener);
    }

    /**
     * Drops every event listener and the in-memory indexes. Everything is on disk already; calls after close fail
     * with {@link StoreError#FAILURE}. Closing twice is harmless.
     */
    @Override
    public void close() {
        closed = true;
        for (MaildirUser u : users.values()) {
            u.state().clearListeners();
        }
        users.clear();
    }

    // ---- helpers ----

    private MaildirUser user(String user) {
        Objects.requireNonNull(user, "user");
        if (closed) {
            throw new StoreException(StoreError.FAILURE, "the Maildir store at " + root + " is closed");
        }
        String key = user.toLowerCase(Locale.ROOT);
        MaildirUser u = users.get(key);
        return u != null ? u : users.computeIfAbsent(key, this::loadUser);
    }

    private MaildirUser loadUser(String key) {
        try {
            return MaildirUser.load(root, key, bytesPerUser, messagesPerUser, defaultFolders, clock, io);
        } catch (IOException e) {
            throw FileOps.failure("cannot open the Maildir of " + key, e);
        }
    }

    private Set<String> specialUse(String name) {
        return defaultFolders.getOrDefault(name, Set.of());
    }

    /** Creates a mailbox and its missing parents (lock held; the name is valid); returns the names created. */
    private List<String> createWithParents(MaildirUser u, String name) {
        List<String> created = new ArrayList<>();
        try {
            for (String parent : MailboxNames.parents(name)) {
                if (!u.folders().containsKey(parent)) {
                    u.createFolder(parent);
                    created.add(parent);
                }
            }
            u.createFolder(name);
            created.add(name);
            io.fsyncDirectory(u.dir());
            return created;
        } catch (IOException | RuntimeException e) {
            removeFolders(u, created, e);
            if (e instanceof IOException ioe) {
                throw FileOps.failure("cannot create mailbox " + name, ioe);
            }
            throw (RuntimeException) e;
        }
    }

    /** Takes back folders this call created (lock held). */
    private void removeFolders(MaildirUser u, List<String> names, Exception cause) {
        for (int i = names.size() - 1; i >= 0; i--) {
            Folder f = u.folders().remove(names.get(i));
            if (f != null) {
                try {
                    FileOps.deleteTree(f.dir());
                } catch (IOException e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    private Staged stage(MaildirUser u, String base, MessageSource content, long size, Instant date) {
        Path tmp = u.dir().resolve("tmp").resolve(base);
        try (InputStream in = content.openStream()) {
            io.writeNew(tmp, in, size, date);
        } catch (IOException e) {
            deleteQuietly(tmp, e);
            throw FileOps.failure("cannot write message", e);
        }
        return new Staged(tmp, base, size);
    }

    private static long checkSize(long size) {
        if (size < 0) {
            throw new StoreException(StoreError.FAILURE, "message source reports a negative size: " + size);
        }
        return size;
    }

    private static void deleteQuietly(Path p, Exception cause) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                LOG.warn("cannot delete {}", p, e);
            }
        }
    }

    private static Folder folderOf(MaildirUser u, MailboxRef ref) {
        Folder f = u.folders().get(ref.name());
        if (f == null) {
            throw noSuchMailbox(ref);
        }
        return f;
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

    /** A message written to a user's {@code tmp/} and fsynced, not yet in any mailbox. */
    private record Staged(Path path, String base, long size) {
    }

    /** Settings of a {@link MaildirStore}; every one is optional. */
    public static final class Builder extends StoreBuilder<Builder> {
        private final Path root;
        private boolean fsync = true;

        private Builder(Path root) {
            this.root = Objects.requireNonNull(root, "root");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Whether to fsync message files, UID lists and directories before a call returns. Default {@code true};
         * turn it off only for tests and benchmarks, as mail may then be lost in a crash.
         *
         * @param fsync whether to fsync
         * @return this builder
         */
        public Builder fsync(boolean fsync) {
            this.fsync = fsync;
            return this;
        }

        /**
         * Opens the store, creating the root directory if needed. Users' Maildirs are read on first use.
         *
         * @return the store
         * @throws StoreException {@link StoreError#FAILURE} when the root cannot be created
         */
        public MaildirStore build() {
            return new MaildirStore(this);
        }
    }
}
