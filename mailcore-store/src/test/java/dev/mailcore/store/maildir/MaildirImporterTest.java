package dev.mailcore.store.maildir;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.Store;
import dev.mailcore.store.MemoryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Importing a Maildir++ tree such as Dovecot or Courier leave behind. */
class MaildirImporterTest {
    private static final Instant OLD = Instant.parse("2020-05-06T07:08:09Z");
    private static final Instant NEWER = Instant.parse("2021-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    /** A Dovecot-style Maildir: INBOX with new/ and cur/, .Sent, .Archive.2026, a folder in modified UTF-7. */
    private Path buildMaildir() throws IOException {
        Path md = tmp.resolve("Maildir");
        for (String folder : List.of("", ".Sent", ".Archive", ".Archive.2026", ".Entw&APw-rfe")) {
            for (String sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(md.resolve(folder.isEmpty() ? sub : folder + "/" + sub));
            }
        }
        write(md.resolve("new/1600000000.M1P1.host"), "Subject: unread\r\n\r\nnew mail\r\n", NEWER);
        write(md.resolve("cur/1500000000.M2P1.host,S=19,W=20:2,FSb"), "Subject: old\r\n\r\nx\r\n", OLD);
        Files.writeString(md.resolve("dovecot-keywords"), "0 $Junk\n1 $Important\n");
        Files.writeString(md.resolve("dovecot-uidlist"), "3 V1 N3\n1 :1500000000.M2P1.host,S=19,W=20\n");
        write(md.resolve(".Sent/cur/1500000001.M3P1.host:2,RS"), "sent", OLD);
        write(md.resolve(".Archive.2026/cur/1500000002.M4P1.host:2,T"), "archived", OLD);
        write(md.resolve(".Entw&APw-rfe/cur/1500000003.M5P1.host:2,D"), "draft", OLD);
        Files.createDirectories(md.resolve(".Bad&Name/cur")); // not valid modified UTF-7
        return md;
    }

    private static void write(Path p, String content, Instant mtime) throws IOException {
        Files.writeString(p, content);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    private static String text(Store s, MailboxRef ref, long uid) throws IOException {
        try (InputStream in = s.content(ref, uid).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void importsEveryFolderWithFlagsKeywordsAndInternalDatesIntoAMemoryStore() throws IOException {
        Path md = buildMaildir();
        Store store = new MemoryStore();

        MaildirImporter.Result r = MaildirImporter.importInto(md, store, "alice");

        assertThat(r.mailboxes()).isEqualTo(5);
        assertThat(r.mailboxesCreated()).isEqualTo(4);
        assertThat(r.messages()).isEqualTo(5);
        assertThat(r.bytes()).isEqualTo(29 + 19 + 4 + 8 + 5);
        assertThat(r.skipped()).singleElement().satisfies(s -> assertThat(s).contains(".Bad&Name"));
        assertThat(store.mailboxes("alice")).extracting(i -> i.ref().name())
                .containsExactly("Archive", "Archive/2026", "Entwürfe", "INBOX", "Sent");

        MailboxRef inbox = MailboxRef.inbox("alice");
        List<MessageMeta> metas = store.messages(inbox);
        assertThat(metas).hasSize(2);
        MessageMeta old = metas.get(0); // oldest first
        assertThat(old.internalDate()).isEqualTo(OLD);
        assertThat(old.flags()).isEqualTo(new Flags(Set.of(Flag.FLAGGED, Flag.SEEN), Set.of("$Important")));
        assertThat(text(store, inbox, old.uid())).isEqualTo("Subject: old\r\n\r\nx\r\n");
        MessageMeta unread = metas.get(1);
        assertThat(unread.internalDate()).isEqualTo(NEWER);
        assertThat(unread.flags()).isEqualTo(Flags.NONE);

        assertThat(store.messages(new MailboxRef("alice", "Sent"))).singleElement()
                .satisfies(m -> assertThat(m.flags()).isEqualTo(Flags.of(Flag.ANSWERED, Flag.SEEN)));
        assertThat(store.messages(new MailboxRef("alice", "Archive/2026"))).singleElement()
                .satisfies(m -> assertThat(m.flags()).isEqualTo(Flags.of(Flag.DELETED)));
        MailboxRef drafts = new MailboxRef("alice", "Entwürfe");
        assertThat(text(store, drafts, store.messages(drafts).get(0).uid())).isEqualTo("draft");
    }

    @Test
    void importsIntoAMaildirStoreAndIntoMailboxesThatExistAlready() throws IOException {
        Path md = buildMaildir();
        try (MaildirStore store = MaildirStore.builder(tmp.resolve("store")).standardFolders().build()) {
            MaildirImporter.Result r = MaildirImporter.importInto(md, store, "bob");
            assertThat(r.messages()).isEqualTo(5);
            assertThat(r.mailboxesCreated()).isEqualTo(2); // Sent and Archive were default folders
            assertThat(store.quota("bob").messages()).isEqualTo(5);
            assertThat(store.messages(new MailboxRef("bob", "Sent"))).hasSize(1);
        }
    }

    @Test
    void anEmptyMaildirImportsNothing() throws IOException {
        Path md = tmp.resolve("empty");
        Files.createDirectories(md.resolve("cur"));
        MaildirImporter.Result r = MaildirImporter.importInto(md, new MemoryStore(), "alice");
        assertThat(r).isEqualTo(new MaildirImporter.Result(1, 0, 0, 0, List.of()));
    }
}
