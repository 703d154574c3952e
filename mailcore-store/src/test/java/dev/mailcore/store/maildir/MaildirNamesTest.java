package dev.mailcore.store.maildir;

import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.store.maildir.internal.FileOps;
import dev.mailcore.store.maildir.internal.Keywords;
import dev.mailcore.store.maildir.internal.MaildirNames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Name encodings of the Maildir layout and the mapping of I/O errors. */
class MaildirNamesTest {

    @Test
    void folderNamesMapToMaildirPlusPlusDirectories() {
        assertThat(MaildirNames.folderDirectory("Sent")).isEqualTo(".Sent");
        assertThat(MaildirNames.folderDirectory("Archive/2026")).isEqualTo(".Archive.2026");
        assertThat(MaildirNames.folderDirectory("a.b")).isEqualTo(".a&AC4-b");
        assertThat(MaildirNames.folderDirectory("Entwürfe")).isEqualTo(".Entw&APw-rfe");
        assertThat(MaildirNames.folderDirectory("台北")).isEqualTo(".&U,BTFw-");
        assertThat(MaildirNames.mailboxName(".Archive.2026")).isEqualTo("Archive/2026");
        assertThat(MaildirNames.mailboxName(".&U,BTFw-")).isEqualTo("台北");
        String emoji = new String(Character.toChars(0x1F600)) + "x";
        assertThat(MaildirNames.mailboxName(MaildirNames.folderDirectory(emoji))).isEqualTo(emoji);
        assertThat(MaildirNames.mailboxName(".INBOX")).isNull();
        assertThat(MaildirNames.mailboxName(".inbox.x")).isEqualTo("INBOX/x");
        assertThat(MaildirNames.mailboxName("..x")).isNull();
        assertThat(MaildirNames.mailboxName(".a&AC8-b")).as("a decoded '/' cannot be represented").isNull();
        assertThat(MaildirNames.mailboxName("cur")).isNull();
    }

    @Property
    void everyValidMailboxNameSurvivesTheRoundTrip(@ForAll("names") String name) {
        String dir = MaildirNames.folderDirectory(name);
        assertThat(dir.substring(1).split("\\.", -1)).hasSize(name.split("/", -1).length);
        assertThat(dir).doesNotContain("/");
        assertThat(MaildirNames.mailboxName(dir)).isEqualTo(name);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> level = Arbitraries.strings().withCharRange(' ', '~').withChars('.', '&', 'ü', '台')
                .ofMinLength(1).ofMaxLength(12).filter(s -> !s.contains("/"));
        return level.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l))
                .filter(n -> !n.equalsIgnoreCase("INBOX") && !n.regionMatches(true, 0, "INBOX/", 0, 6));
    }

    @Test
    void userNamesBecomeSafeDirectoryNames() {
        assertThat(MaildirNames.userDirectory("Alice@Example.org")).isEqualTo("alice@example.org");
        assertThat(MaildirNames.userDirectory("a+b_c-d.e")).isEqualTo("a+b_c-d.e");
        assertThat(MaildirNames.userDirectory("..")).isEqualTo("%2E.");
        assertThat(MaildirNames.userDirectory("x/y z")).isEqualTo("x%2Fy%20z");
        assertThat(MaildirNames.userDirectory("jürgen")).isEqualTo("j%C3%BCrgen");
    }

    @Test
    void messageFileNamesCarrySizeAndSortedFlags() throws IOException {
        String base = MaildirNames.newBaseName(Instant.parse("2026-01-02T03:04:05.123456Z"), 42);
        assertThat(base).matches("1767323045\\.M123456P\\d+Q\\d+\\.[^/:,]+,S=42");
        assertThat(MaildirNames.newBaseName(Instant.EPOCH, 1)).isNotEqualTo(MaildirNames.newBaseName(Instant.EPOCH, 1));
        assertThat(MaildirNames.sizeOf(base)).isEqualTo(42);
        assertThat(MaildirNames.sizeOf("123.abc.host")).isEqualTo(-1);
        Keywords none = Keywords.load(Path.of("/nonexistent"));
        String name = MaildirNames.fileName(base, Flags.of(Flag.SEEN, Flag.DRAFT, Flag.DELETED), none);
        assertThat(name).isEqualTo(base + ":2,DST");
        assertThat(MaildirNames.baseName(name)).isEqualTo(base);
        assertThat(MaildirNames.flagsOf(name, none)).isEqualTo(Flags.of(Flag.SEEN, Flag.DRAFT, Flag.DELETED));
        assertThat(MaildirNames.flagsOf("x:2,RSz", none)).isEqualTo(Flags.of(Flag.ANSWERED, Flag.SEEN));
    }

    @Test
    void aFullDiskIsStorageFullAndOtherErrorsAreFailures() {
        assertThat(FileOps.failure("write", new IOException("No space left on device")).error())
                .isEqualTo(StoreError.STORAGE_FULL);
        assertThat(FileOps.failure("write", new FileSystemException("/x", null, "Disk quota exceeded")).error())
                .isEqualTo(StoreError.STORAGE_FULL);
        IOException denied = new IOException("Permission denied");
        assertThat(FileOps.failure("write", denied).error()).isEqualTo(StoreError.FAILURE);
        assertThat(FileOps.failure("write", denied).getCause()).isSameAs(denied);
    }
}
