package dev.mailcore.store.maildir.internal;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The in-memory index of one Maildir folder and its UID list file {@value #UIDLIST}.
 *
 * <p>UID list format (UTF-8, one record per line, {@code \n} line ends):
 * <pre>
 * 1 V&lt;uidvalidity&gt; N&lt;uidnext&gt; M&lt;highestmodseq&gt;      header (version 1)
 * +&lt;uid&gt; &lt;modseq&gt; &lt;internal date, ISO-8601&gt; &lt;base file name&gt;   a message, or its new MODSEQ
 * -&lt;uid&gt; &lt;modseq&gt;                                          the message was expunged
 * </pre>
 * Changes are appended and fsynced (a torn last line is ignored and cut off on the next open); when the file holds
 * more than twice as many records as messages it is compacted by writing a new file, fsyncing it and renaming it
 * over the old one. On open, UIDNEXT is the larger of the header's and the highest UID plus one, HIGHESTMODSEQ the
 * largest MODSEQ in the file; so neither ever goes backwards. Files in {@code new/} and {@code cur/} without a record
 * get new UIDs (oldest first); records whose file is gone are dropped. Both count as a change with a new MODSEQ.
 *
 * <p>Not thread-safe: guarded by the owning user's lock (the directory path is volatile for content readers).
 */
public final class Folder {
    /** The name of the UID list file in each folder directory. */
    public static final String UIDLIST = "mailcore-uidlist";
    /** The largest UID IMAP can express. */
    static final long MAX_UID = 0xFFFF_FFFFL;
    private static final Logger LOG = LoggerFactory.getLogger(Folder.class);

    private volatile Path dir;
    private final long uidValidity;
    private final Keywords keywords;
    private final TreeMap<Long, Entry> entries = new TreeMap<>();
    private long uidNext = 1;
    private long highestModSeq = 1;
    private int unseen;
    private int deleted;
    private long totalSize;
    private int logRecords;

    private Folder(Path dir, long uidValidity, Keywords keywords) {
        this.dir = dir;
        this.uidValidity = uidValidity;
        this.keywords = keywords;
    }

    /** Creates an empty folder on disk (directories, {@code maildirfolder} marker unless INBOX, UID list). */
    public static Folder create(Path dir, boolean inbox, long uidValidity, FileOps io) throws IOException {
        io.ensureMaildir(dir);
        if (!inbox && !Files.exists(dir.resolve("maildirfolder"))) {
            Files.createFile(dir.resolve("maildirfolder")); // Maildir++ marks subfolders so
        }
        Folder f = new Folder(dir, uidValidity, Keywords.load(dir));
        f.compact(io);
        return f;
    }

    /** Opens a folder: reads its UID list and keywords and scans {@code new/} and {@code cur/}. */
    public static Folder load(Path dir, LongSupplier newUidValidity, FileOps io) throws IOException {
        Path list = dir.resolve(UIDLIST);
        long uidValidity = 0;
        long uidNext = 1;
        long modSeq = 1;
        TreeMap<Long, String[]> records = new TreeMap<>(); // uid -> {modseq, date, base}
        boolean rewrite = false;
        int recordLines = 0;
        String text = null;
        try {
            text = new String(Files.readAllBytes(list), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            rewrite = true;
        }
        if (text != null) {
            int lastNl = text.lastIndexOf('\n');
            if (lastNl != text.length() - 1) {
                rewrite = true; // a torn last record
                text = text.substring(0, lastNl + 1);
            }
            String[] lines = text.split("\n");
            recordLines = Math.max(0, lines.length - 1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                try {
                    if (i == 0) {
                        for (String t : line.split(" ")) {
                            if (t.startsWith("V")) {
                                uidValidity = Long.parseLong(t.substring(1));
                            } else if (t.startsWith("N")) {
                                uidNext = Math.max(uidNext, Long.parseLong(t.substring(1)));
                            } else if (t.startsWith("M")) {
                                modSeq = Math.max(modSeq, Long.parseLong(t.substring(1)));
                            }
                        }
                    } else if (line.startsWith("+")) {
                        String[] p = line.substring(1).split(" ", 4);
                        long uid = Long.parseLong(p[0]);
                        long ms = Long.parseLong(p[1]);
                        Instant.parse(p[2]);
                        records.put(uid, new String[] {p[1], p[2], p[3]});
                        uidNext = Math.max(uidNext, uid + 1);
                        modSeq = Math.max(modSeq, ms);
                    } else if (line.startsWith("-")) {
                        String[] p = line.substring(1).split(" ");
                        long uid = Long.parseLong(p[0]);
                        records.remove(uid);
                        uidNext = Math.max(uidNext, uid + 1);
                        modSeq = Math.max(modSeq, Long.parseLong(p[1]));
                    } else if (!line.isEmpty()) {
                        rewrite = true;
                    }
                } catch (RuntimeException bad) { // NumberFormat, ArrayIndex, DateTimeParse
                    LOG.warn("skipping bad line {} of {}: {}", i + 1, list, line);
                    rewrite = true;
                }
            }
        }
        if (uidValidity <= 0) {
            uidValidity = newUidValidity.getAsLong();
            rewrite = true;
        }
        Folder f = new Folder(dir, uidValidity, Keywords.load(dir));
        f.uidNext = uidNext;
        f.highestModSeq = modSeq;
        f.logRecords = recordLines;

        Map<String, String> files = new HashMap<>(); // base -> relative path
        for (String sub : new String[] {"new", "cur"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d);
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".") || name.indexOf('\n') >= 0) {
                        continue;
                    }
                    files.put(MaildirNames.baseName(name), sub + "/" + name); // cur/ wins over new/
                }
            }
        }
        boolean changed = false;
        for (Map.Entry<Long, String[]> r : records.entrySet()) {
            String[] v = r.getValue();
            String rel = files.remove(v[2]);
            if (rel == null) {
                changed = true; // deleted by another tool
                continue;
            }
            long size = MaildirNames.sizeOf(v[2]);
            if (size < 0) {
                size = sizeOnDisk(dir.resolve(rel));
                if (size < 0) {
                    changed = true;
                    continue;
                }
            }
            f.put(f.entry(v[2], rel, r.getKey(), Long.parseLong(v[0]), size, Instant.parse(v[1])));
        }
        if (!files.isEmpty()) {
            // dropped in by another tool (or a crash between rename and UID list): new UIDs, oldest first
            List<Object[]> found = new ArrayList<>();
            for (String rel : files.values()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(dir.resolve(rel), BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        found.add(new Object[] {a.lastModifiedTime().toInstant(), rel, a.size()});
                    }
                } catch (NoSuchFileException gone) {
                    // moved away meanwhile
                }
            }
            found.sort(Comparator.comparing((Object[] o) -> (Instant) o[0]).thenComparing(o -> (String) o[1]));
            if (!found.isEmpty()) {
                changed = true;
            }
            long ms = f.highestModSeq + 1;
            for (Object[] o : found) {
                String rel = (String) o[1];
                if (f.uidNext > MAX_UID) {
                    LOG.warn("{} has run out of UIDs; not indexing {}", dir, rel);
                    continue;
                }
                f.put(f.entry(MaildirNames.baseName(rel.substring(4)), rel, f.uidNext, ms, (Long) o[2],
                        (Instant) o[0]));
            }
        }
        if (changed) {
            f.highestModSeq++;
        }
        if (changed || rewrite || f.needsCompaction()) {
            f.compact(io);
        }
        return f;
    }

    private static long sizeOnDisk(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }

    private Entry entry(String base, String rel, long uid, long modSeq, long size, Instant date) {
        Flags flags = rel.startsWith("cur/") ? MaildirNames.flagsOf(rel, keywords) : Flags.NONE;
        return new Entry(this, base, rel, new MessageMeta(uid, modSeq, size, date, flags));
    }

    /** A new entry for a message file placed in this folder (not yet in the index). */
    public Entry newEntry(String base, String relativePath, MessageMeta meta) {
        return new Entry(this, base, relativePath, meta);
    }

    // ---- state ----

    public Path dir() {
        return dir;
    }

    /** After a rename of the folder directory. */
    public void setDir(Path dir) {
        this.dir = dir;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModSeq() {
        return highestModSeq;
    }

    public Keywords keywords() {
        return keywords;
    }

    public int size() {
        return entries.size();
    }

    public long totalSize() {
        return totalSize;
    }

    public Entry get(long uid) {
        return entries.get(uid);
    }

    /** All entries in UID order (a live view). */
    public Collection<Entry> all() {
        return entries.values();
    }

    public List<MessageMeta> metas() {
        List<MessageMeta> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.meta());
        }
        return out;
    }

    /** Fails with {@link StoreError#FAILURE} if {@code count} more UIDs would not fit in 32 bits. */
    public void checkUidSpace(int count) {
        if (uidNext + count - 1 > MAX_UID) {
            throw new StoreException(StoreError.FAILURE, "mailbox has run out of UIDs");
        }
    }

    /** Adds a committed entry to the index. */
    public void put(Entry e) {
        MessageMeta m = e.meta();
        entries.put(m.uid(), e);
        uidNext = Math.max(uidNext, m.uid() + 1);
        highestModSeq = Math.max(highestModSeq, m.modSeq());
        count(m, 1);
    }

    /** Replaces an entry's metadata (new flags and MODSEQ) after the change was committed. */
    public void update(Entry e, MessageMeta meta) {
        count(e.meta(), -1);
        e.setMeta(meta);
        count(meta, 1);
        highestModSeq = Math.max(highestModSeq, meta.modSeq());
    }

    /** Removes an entry from the index after its expunge was committed. */
    public Entry remove(long uid, long modSeq) {
        Entry e = entries.remove(uid);
        if (e != null) {
            count(e.meta(), -1);
        }
        highestModSeq = Math.max(highestModSeq, modSeq);
        return e;
    }

    private void count(MessageMeta m, int sign) {
        Flags f = m.flags();
        if (!f.contains(Flag.SEEN)) {
            unseen += sign;
        }
        if (f.contains(Flag.DELETED)) {
            deleted += sign;
        }
        totalSize += sign * m.size();
    }

    public MailboxInfo info(MailboxRef ref, Set<String> specialUse) {
        return new MailboxInfo(ref, uidValidity, uidNext, highestModSeq, entries.size(), unseen, deleted, totalSize,
                specialUse);
    }

    // ---- UID list ----

    /** The record of a message (new, or with a new MODSEQ). */
    public static String addRecord(Entry e, MessageMeta m) {
        return "+" + m.uid() + " " + m.modSeq() + " " + m.internalDate() + " " + e.base() + "\n";
    }

    /** The record of an expunge. */
    public static String expungeRecord(long uid, long modSeq) {
        return "-" + uid + " " + modSeq + "\n";
    }

    /** Appends records durably; compacts the file when it has grown large. */
    public void commit(List<String> records, FileOps io) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String r : records) {
            sb.append(r);
        }
        io.append(dir.resolve(UIDLIST), sb.toString().getBytes(StandardCharsets.UTF_8));
        logRecords += records.size();
    }

    /** Whether the UID list holds many records of messages that are gone or changed since. */
    public boolean needsCompaction() {
        return logRecords > 2 * entries.size() + 64;
    }

    /** Rewrites the UID list from the index: temp file, fsync, rename, directory fsync. */
    public void compact(FileOps io) throws IOException {
        StringBuilder sb = new StringBuilder(64 + 80 * entries.size());
        sb.append("1 V").append(uidValidity).append(" N").append(uidNext).append(" M").append(highestModSeq)
                .append('\n');
        for (Entry e : entries.values()) {
            sb.append(addRecord(e, e.meta()));
        }
        io.writeAtomically(dir.resolve(UIDLIST), sb.toString().getBytes(StandardCharsets.UTF_8));
        logRecords = entries.size();
    }

    /** Compacts if worthwhile; a failure is only logged (the appended file stays valid). */
    public void compactIfNeeded(FileOps io) {
        if (needsCompaction()) {
            try {
                compact(io);
            } catch (IOException e) {
                LOG.warn("cannot compact {}", dir.resolve(UIDLIST), e);
            }
        }
    }
}
