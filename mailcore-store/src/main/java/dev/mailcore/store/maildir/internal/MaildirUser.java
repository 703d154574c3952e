package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.store.internal.UserState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One user's Maildir: its folders by mailbox name, subscriptions, the last UIDVALIDITY handed out (file {@value
 * #UIDVALIDITY_FILE}, so that a mailbox deleted and created again never gets the same one), and a {@link UserState}
 * for the lock, quota accounting and event dispatch. Guarded by {@code state().lock()}.
 */
public final class MaildirUser {
    /** File in the user's directory with the last UIDVALIDITY given to any of the user's mailboxes. */
    public static final String UIDVALIDITY_FILE = "mailcore-uidvalidity";
    /** File in the user's directory with the subscribed names, one per line (UTF-8, {@code /} as delimiter). */
    public static final String SUBSCRIPTIONS_FILE = "subscriptions";
    private static final Logger LOG = LoggerFactory.getLogger(MaildirUser.class);

    private final UserState state;
    private final Path dir;
    private final Clock clock;
    private final FileOps io;
    private final TreeMap<String, Folder> folders = new TreeMap<>();
    private long lastUidValidity;

    private MaildirUser(UserState state, Path dir, Clock clock, FileOps io) {
        this.state = state;
        this.dir = dir;
        this.clock = clock;
        this.io = io;
    }

    /**
     * Opens (creating it if needed) a user's Maildir under the store root. A user seen for the first time gets the
     * default folders, subscribed.
     */
    public static MaildirUser load(Path root, String key, long bytesLimit, long messagesLimit,
                                   Map<String, Set<String>> defaultFolders, Clock clock, FileOps io)
            throws IOException {
        Path dir = root.resolve(MaildirNames.userDirectory(key));
        boolean fresh = !Files.isDirectory(dir);
        io.ensureMaildir(dir);
        MaildirUser u = new MaildirUser(new UserState(key, bytesLimit, messagesLimit), dir, clock, io);
        try {
            String v = Files.readString(dir.resolve(UIDVALIDITY_FILE), StandardCharsets.US_ASCII).trim();
            u.lastUidValidity = Long.parseLong(v);
        } catch (NoSuchFileException | NumberFormatException e) {
            u.lastUidValidity = 0;
        }
        u.folders.put(MailboxRef.INBOX, Folder.load(dir, u::nextUidValidity, io));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*")) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                if (file.startsWith("..deleted.")) { // a delete that did not finish
                    FileOps.deleteTree(p);
                    continue;
                }
                if (file.startsWith("..") || !Files.isDirectory(p.resolve("cur"))) {
                    continue;
                }
                String name = MaildirNames.mailboxName(file);
                if (name == null || !MailboxNames.isValid(name)) {
                    LOG.warn("ignoring folder {}: not a mailbox name this store can represent", p);
                    continue;
                }
                u.folders.put(name, Folder.load(p, u::nextUidValidity, io));
            }
        }
        try {
            for (String line : Files.readAllLines(dir.resolve(SUBSCRIPTIONS_FILE), StandardCharsets.UTF_8)) {
                if (!line.isBlank() && MailboxNames.isValid(line)) {
                    u.state.subscriptions().add(new MailboxRef(key, line).name());
                }
            }
        } catch (NoSuchFileException e) {
            // none yet
        }
        if (fresh && !defaultFolders.isEmpty()) {
            for (String name : defaultFolders.keySet()) {
                for (String parent : MailboxNames.parents(name)) {
                    if (!u.folders.containsKey(parent)) {
                        u.createFolder(parent);
                    }
                }
                if (!u.folders.containsKey(name)) {
                    u.createFolder(name);
                }
                u.state.subscriptions().add(name);
            }
            u.writeSubscriptions(u.state.subscriptions());
        }
        for (Folder f : u.folders.values()) {
            u.state.account(f.size(), f.totalSize());
        }
        return u;
    }

    public UserState state() {
        return state;
    }

    public Path dir() {
        return dir;
    }

    /** Folders by mailbox name; guarded by the lock. */
    public TreeMap<String, Folder> folders() {
        return folders;
    }

    /** The directory of a mailbox (existing or not). */
    public Path folderPath(String mailboxName) {
        return MailboxRef.INBOX.equals(mailboxName) ? dir : dir.resolve(MaildirNames.folderDirectory(mailboxName));
    }

    /** Creates a folder on disk and in the index (the name is valid and not indexed). */
    public Folder createFolder(String name) throws IOException {
        Path p = folderPath(name);
        Folder f;
        if (Files.isDirectory(p)) { // left over, or made by another tool meanwhile: index what is there
            io.ensureMaildir(p);
            f = Folder.load(p, this::nextUidValidity, io);
        } else {
            f = Folder.create(p, false, nextUidValidity(), io);
        }
        folders.put(name, f);
        return f;
    }

    /** A new UIDVALIDITY, above every one this user had, recorded durably. */
    public long nextUidValidity() {
        long now = Math.max(1, clock.instant().getEpochSecond());
        long v = Math.max(lastUidValidity + 1, now);
        if (v > 0xFFFF_FFFFL) {
            v = 1; // 2106: start again
        }
        try {
            io.writeAtomically(dir.resolve(UIDVALIDITY_FILE), (v + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw FileOps.failure("cannot record UIDVALIDITY in " + dir, e);
        }
        lastUidValidity = v;
        return v;
    }

    /** Rewrites the subscriptions file. */
    public void writeSubscriptions(Set<String> names) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(n).append('\n');
        }
        io.writeAtomically(dir.resolve(SUBSCRIPTIONS_FILE), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
