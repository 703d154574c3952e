package dev.mailcore.store.maildir;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.Store;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import dev.mailcore.api.store.MailboxNames;
import dev.mailcore.store.maildir.internal.FileOps;
import dev.mailcore.store.maildir.internal.Keywords;
import dev.mailcore.store.maildir.internal.MaildirNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Copies an existing Maildir or Maildir++ tree (as Dovecot, Courier, Postfix's {@code local} or getmail write it)
 * into any {@link Store}, for one user.
 *
 * <p>The directory itself is INBOX; every subdirectory {@code .Name.Sub} with a {@code cur/} or {@code new/} is the
 * mailbox {@code Name/Sub} (levels decoded from modified UTF-7; mailboxes missing in the store are created). Messages
 * are read from {@code new/} and {@code cur/} and appended oldest first, with the flags of their {@code :2,} info
 * suffix ({@code D F R S T}), keywords through the folder's {@code dovecot-keywords} file when there is one (letters
 * without a keyword are ignored) and the file's modification time as internal date. Messages in {@code new/} get no
 * flags. Message files are streamed, never held in memory. Subdirectories whose name cannot be a mailbox name are
 * skipped and reported.
 *
 * <p>An import is not one transaction: if the store fails part-way (quota, I/O), what was appended so far stays and
 * the {@link StoreException} is thrown. Importing twice imports twice.
 *
 * <pre>{@code
 * MaildirImporter.Result r = MaildirImporter.importInto(Path.of("/home/alice/Maildir"), store, "alice");
 * System.out.println(r.messages() + " messages in " + r.mailboxes() + " mailboxes");
 * }</pre>
 */
public final class MaildirImporter {
    private static final Logger LOG = LoggerFactory.getLogger(MaildirImporter.class);

    private MaildirImporter() {
    }

    /**
     * What an import did.
     *
     * @param mailboxes        mailboxes imported from (INBOX included), whether or not they held messages
     * @param mailboxesCreated mailboxes that had to be created in the store
     * @param messages         messages appended
     * @param bytes            octets appended
     * @param skipped          directories or files that were not imported, with the reason
     */
    public record Result(int mailboxes, int mailboxesCreated, long messages, long bytes, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Imports the Maildir(++) tree at {@code maildir} into {@code user}'s mailboxes of {@code store}.
     *
     * @param maildir the Maildir (the directory with {@code cur/}, {@code new/}, {@code tmp/} and {@code .Folder}s)
     * @param store   the target store
     * @param user    the user whose mailboxes receive the messages
     * @return counts of what was imported
     * @throws StoreException {@link StoreError#FAILURE} when the tree cannot be read; whatever the store throws
     */
    public static Result importInto(Path maildir, Store store, String user) {
        Objects.requireNonNull(maildir, "maildir");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(user, "user");
        if (!Files.isDirectory(maildir)) {
            throw new StoreException(StoreError.FAILURE, "not a directory: " + maildir);
        }
        List<String> skipped = new ArrayList<>();
        int mailboxes = 0;
        int created = 0;
        long messages = 0;
        long bytes = 0;
        try {
            List<Path> folders = new ArrayList<>(); // with the mailbox names in a parallel list
            List<String> names = new ArrayList<>();
            folders.add(maildir);
            names.add(MailboxRef.INBOX);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(maildir, ".*")) {
                List<Path> subs = new ArrayList<>();
                ds.forEach(subs::add);
                subs.sort(Comparator.comparing(Path::toString));
                for (Path p : subs) {
                    String file = p.getFileName().toString();
                    if (file.startsWith("..") || !Files.isDirectory(p)) {
                        continue;
                    }
                    if (!Files.isDirectory(p.resolve("cur")) && !Files.isDirectory(p.resolve("new"))) {
                        continue;
                    }
                    String name = MaildirNames.mailboxName(file);
                    if (name == null || !MailboxNames.isValid(name)) {
                        skipped.add(p + ": not a mailbox name");
                        continue;
                    }
                    folders.add(p);
                    names.add(name);
                }
            }
            for (int i = 0; i < folders.size(); i++) {
                Path dir = folders.get(i);
                MailboxRef ref = new MailboxRef(user, names.get(i));
                if (store.mailbox(ref).isEmpty()) {
                    try {
                        store.createMailbox(ref);
                        created++;
                    } catch (StoreException e) {
                        if (e.error() != StoreError.MAILBOX_EXISTS) {
                            throw e;
                        }
                    }
                }
                mailboxes++;
                Keywords keywords = Keywords.load(dir);
                for (Found f : messageFiles(dir, skipped)) {
                    Flags flags = f.inCur ? MaildirNames.flagsOf(f.path.getFileName().toString(), keywords)
                            : Flags.NONE;
                    store.append(ref, new FileSource(f.path, f.size), flags, f.mtime);
                    messages++;
                    bytes += f.size;
                }
                LOG.debug("imported {} into {}", dir, ref);
            }
        } catch (IOException e) {
            throw FileOps.failure("cannot read Maildir " + maildir, e);
        }
        return new Result(mailboxes, created, messages, bytes, skipped);
    }

    private record Found(Path path, boolean inCur, long size, Instant mtime) {
    }

    private static List<Found> messageFiles(Path dir, List<String> skipped) throws IOException {
        List<Found> out = new ArrayList<>();
        for (String sub : new String[] {"new", "cur"}) {
            Path d = dir.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    if (p.getFileName().toString().startsWith(".")) {
                        continue;
                    }
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (!a.isRegularFile()) {
                        skipped.add(p + ": not a regular file");
                        continue;
                    }
                    out.add(new Found(p, sub.equals("cur"), a.size(), a.lastModifiedTime().toInstant()));
                }
            }
        }
        out.sort(Comparator.comparing(Found::mtime).thenComparing(f -> f.path.getFileName().toString()));
        return out;
    }

    /** A message file, streamed on each {@link #openStream()}. */
    private record FileSource(Path path, long size) implements MessageSource {
        @Override
        public InputStream openStream() throws IOException {
            return Files.newInputStream(path);
        }
    }
}
