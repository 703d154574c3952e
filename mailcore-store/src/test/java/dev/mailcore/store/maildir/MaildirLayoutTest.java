package dev.mailcore.store.maildir;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
import dev.mailcore.api.store.Flags;
import dev.mailcore.api.store.MailboxInfo;
import dev.mailcore.api.store.MailboxRef;
import dev.mailcore.api.store.MessageMeta;
import dev.mailcore.api.store.StoreError;
import dev.mailcore.api.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link MaildirStore} puts on disk, and how it picks up what other tools changed there. */
class MaildirLayoutTest {
    private static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");
    private static final MailboxRef INBOX = MailboxRef.inbox("alice");

    @TempDir
    Path root;
    private MaildirStore store;

    @BeforeEach
    void open() {
        store = MaildirStore.open(root);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = MaildirStore.open(root);
    }

    private Path alice() {
        return root.resolve("alice");
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static MessageSource msg(String s) {
        return MessageSource.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(MessageSource source) throws IOException {
        try (InputStream in = source.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void anAppendedMessageIsAFileInCurWithItsSizeAndSortedInfoSuffix() throws IOException {
        store.append(INBOX, msg("hello"), new Flags(Set.of(Flag.SEEN, Flag.DRAFT, Flag.FLAGGED, Flag.ANSWERED,
                Flag.DELETED), Set.of("$Label1", "Project-X")), DATE);

        List<String> cur = files(alice().resolve("cur"));
        assertThat(cur).singleElement().satisfies(name ->
                assertThat(name).matches("\\d+\\.M\\d+P\\d+Q\\d+\\..+,S=5:2,DFRSTab"));
        assertThat(files(alice().resolve("new"))).isEmpty();
        assertThat(files(alice().resolve("tmp"))).isEmpty();
        assertThat(Files.readString(alice().resolve("cur").resolve(cur.get(0)))).isEqualTo("hello");
        assertThat(Files.getLastModifiedTime(alice().resolve("cur").resolve(cur.get(0))).toInstant())
                .isEqualTo(DATE);
        assertThat(Files.readString(alice().resolve("dovecot-keywords"))).isEqualTo("0 $Label1\n1 Project-X\n");
    }

    @Test
    void aDeliveredMessageLandsInNewWithoutInfoAndIsHardLinkedAcrossTargets() throws IOException {
        store.deliver(List.of(INBOX, MailboxRef.inbox("bob")), msg("to both"), DATE);

        List<String> aliceNew = files(alice().resolve("new"));
        List<String> bobNew = files(root.resolve("bob").resolve("new"));
        assertThat(aliceNew).singleElement().satisfies(n -> assertThat(n).endsWith(",S=7").doesNotContain(":"));
        assertThat(bobNew).hasSize(1);
        Path a = alice().resolve("new").resolve(aliceNew.get(0));
        Path b = root.resolve("bob").resolve("new").resolve(bobNew.get(0));
        assertThat(Files.isSameFile(a, b)).as("one file, two links").isTrue();
        assertThat(Files.getAttribute(a, "unix:nlink")).isEqualTo(2);
        assertThat(files(alice().resolve("tmp"))).isEmpty();
    }

    @Test
    void foldersAreMaildirPlusPlusDirectoriesWithEncodedNames() throws IOException {
        store.createMailbox(new MailboxRef("alice", "Archive/2026"));
        store.createMailbox(new MailboxRef("alice", "v1.2"));
        store.createMailbox(new MailboxRef("alice", "Entwürfe"));
        store.createMailbox(new MailboxRef("alice", "R&D"));

        assertThat(files(alice())).contains(".Archive", ".Archive.2026", ".v1&AC4-2", ".Entw&APw-rfe", ".R&-D");
        Path folder = alice().resolve(".Archive.2026");
        assertThat(files(folder)).contains("cur", "new", "tmp", "maildirfolder", "mailcore-uidlist");

        reopen();
        assertThat(store.mailboxes("alice")).extracting(i -> i.ref().name())
                .containsExactly("Archive", "Archive/2026", "Entwürfe", "INBOX", "R&D", "v1.2");
    }

    @Test
    void userDirectoriesAreLowerCaseWithOtherBytesEncoded() {
        store.append(MailboxRef.inbox("Alice@Example.ORG"), msg("x"), Flags.NONE, DATE);
        store.append(MailboxRef.inbox(".hidden user/x"), msg("y"), Flags.NONE, DATE);
        assertThat(root.resolve("alice@example.org").resolve("cur")).isDirectory();
        assertThat(root.resolve("%2Ehidden%20user%2Fx").resolve("cur")).isDirectory();
        assertThat(store.messages(MailboxRef.inbox("alice@example.org"))).hasSize(1);
    }

    @Test
    void aFlagChangeRenamesTheFileAndAnExpungeDeletesIt() throws IOException {
        AppendResult r = store.append(INBOX, msg("x"), Flags.NONE, DATE);
        assertThat(files(alice().resolve("cur"))).singleElement().satisfies(n -> assertThat(n).endsWith(":2,"));

        store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN, Flag.ANSWERED),
                Long.MAX_VALUE);
        assertThat(files(alice().resolve("cur"))).singleElement().satisfies(n -> assertThat(n).endsWith(":2,RS"));

        store.expunge(INBOX, List.of(r.uid()));
        assertThat(files(alice().resolve("cur"))).isEmpty();
    }

    @Test
    void aContentSourceFollowsARenameAndFailsOnceTheMessageIsExpunged() throws IOException {
        AppendResult r = store.append(INBOX, msg("body"), Flags.NONE, DATE);
        MessageSource source = store.content(INBOX, r.uid());
        store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        assertThat(read(source)).isEqualTo("body");
        store.expunge(INBOX, List.of(r.uid()));
        assertThatThrownBy(source::openStream).isInstanceOf(IOException.class);
    }

    @Test
    void aCopyIsAHardLinkWithItsOwnName() throws IOException {
        store.createMailbox(new MailboxRef("alice", "T"));
        AppendResult r = store.append(INBOX, msg("shared"), Flags.of(Flag.SEEN), DATE);
        store.copy(INBOX, List.of(r.uid()), new MailboxRef("alice", "T"));
        Path original = alice().resolve("cur").resolve(files(alice().resolve("cur")).get(0));
        List<String> copies = files(alice().resolve(".T").resolve("cur"));
        assertThat(copies).singleElement().satisfies(n -> assertThat(n).endsWith(":2,S"));
        assertThat(Files.isSameFile(original, alice().resolve(".T").resolve("cur").resolve(copies.get(0)))).isTrue();
    }

    @Test
    void uidValidityUidsAndModSeqSurviveARestart() throws IOException {
        store.createMailbox(new MailboxRef("alice", "Work"));
        AppendResult a = store.append(INBOX, msg("a"), Flags.NONE, DATE);
        store.updateFlags(INBOX, List.of(a.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        MailboxInfo before = store.mailbox(INBOX).orElseThrow();
        long workValidity = store.mailbox(new MailboxRef("alice", "Work")).orElseThrow().uidValidity();

        String header = Files.readAllLines(alice().resolve("mailcore-uidlist")).get(0);
        assertThat(header).startsWith("1 V" + before.uidValidity() + " ");

        reopen();
        assertThat(store.mailbox(INBOX)).contains(before);
        assertThat(store.mailbox(new MailboxRef("alice", "Work")).orElseThrow().uidValidity())
                .isEqualTo(workValidity);
        assertThat(store.messages(INBOX)).singleElement().satisfies(m -> {
            assertThat(m.uid()).isEqualTo(a.uid());
            assertThat(m.flags()).isEqualTo(Flags.of(Flag.SEEN));
            assertThat(m.modSeq()).isEqualTo(before.highestModSeq());
        });
    }

    @Test
    void aFileDroppedIntoNewByHandAppearsWithANewUid() throws IOException {
        AppendResult first = store.append(INBOX, msg("first"), Flags.NONE, DATE);
        long modSeqBefore = store.mailbox(INBOX).orElseThrow().highestModSeq();
        store.close();
        Path dropped = alice().resolve("new").resolve("1700000000.12345.otherhost");
        Files.writeString(dropped, "Subject: by hand\r\n\r\nhi\r\n");
        Instant mtime = Instant.parse("2023-11-14T22:13:20Z");
        Files.setLastModifiedTime(dropped, FileTime.from(mtime));
        Path seen = alice().resolve("cur").resolve("1700000001.777.otherhost:2,S");
        Files.writeString(seen, "seen one");

        store = MaildirStore.open(root);
        List<MessageMeta> metas = store.messages(INBOX);
        assertThat(metas).hasSize(3);
        assertThat(metas.get(0).uid()).isEqualTo(first.uid());
        MessageMeta byHand = metas.stream().filter(m -> m.internalDate().equals(mtime)).findFirst().orElseThrow();
        assertThat(byHand.uid()).isGreaterThan(first.uid());
        assertThat(byHand.modSeq()).isGreaterThan(modSeqBefore);
        assertThat(byHand.flags()).isEqualTo(Flags.NONE);
        assertThat(read(store.content(INBOX, byHand.uid()))).isEqualTo("Subject: by hand\r\n\r\nhi\r\n");
        assertThat(metas).anySatisfy(m -> assertThat(m.flags()).isEqualTo(Flags.of(Flag.SEEN)));
        assertThat(store.quota("alice").messages()).isEqualTo(3);

        reopen(); // the new UIDs were recorded
        assertThat(store.messages(INBOX)).isEqualTo(metas);
    }

    @Test
    void aFolderMadeByAnotherToolIsFoundAndAFileRemovedByHandIsDropped() throws IOException {
        AppendResult a = store.append(INBOX, msg("a"), Flags.NONE, DATE);
        AppendResult b = store.append(INBOX, msg("b"), Flags.NONE, DATE);
        long modSeq = store.mailbox(INBOX).orElseThrow().highestModSeq();
        store.close();
        Path hand = alice().resolve(".Hand.Made");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(hand.resolve(sub));
        }
        Files.writeString(hand.resolve("cur").resolve("1.2.host:2,Fa"), "flagged");
        Files.writeString(hand.resolve("dovecot-keywords"), "0 $Important\n");
        for (String name : files(alice().resolve("cur"))) {
            Path p = alice().resolve("cur").resolve(name);
            if (Files.readString(p).equals("b")) {
                Files.delete(p);
            }
        }

        store = MaildirStore.open(root);
        assertThat(store.messages(INBOX)).extracting(MessageMeta::uid).containsExactly(a.uid());
        assertThat(store.mailbox(INBOX).orElseThrow().highestModSeq()).isGreaterThan(modSeq);
        MailboxRef made = new MailboxRef("alice", "Hand/Made");
        assertThat(store.messages(made)).singleElement().satisfies(m -> assertThat(m.flags())
                .isEqualTo(new Flags(Set.of(Flag.FLAGGED), Set.of("$Important"))));
        assertThat(store.mailbox(new MailboxRef("alice", "Hand"))).isEmpty(); // no .Hand directory
        assertThat(b.uid()).isGreaterThan(a.uid());
    }

    @Test
    void aTornLastLineOfTheUidListIsIgnored() throws IOException {
        AppendResult a = store.append(INBOX, msg("a"), Flags.NONE, DATE);
        store.close();
        Files.writeString(alice().resolve("mailcore-uidlist"), "+99 99 2026-01-0",
                java.nio.file.StandardOpenOption.APPEND);
        store = MaildirStore.open(root);
        assertThat(store.messages(INBOX)).extracting(MessageMeta::uid).containsExactly(a.uid());
        assertThat(Files.readString(alice().resolve("mailcore-uidlist"))).endsWith("\n").doesNotContain("+99 ");
    }

    @Test
    void subscriptionsAreAFileOfNames() throws IOException {
        store.setSubscribed(new MailboxRef("alice", "Lists/java"), true);
        store.setSubscribed(new MailboxRef("alice", "Sent"), true);
        assertThat(Files.readAllLines(alice().resolve("subscriptions"))).containsExactly("Lists/java", "Sent");
    }

    @Test
    void standardFoldersAreCreatedOnFirstUseWithSpecialUse() throws IOException {
        store.close();
        store = MaildirStore.builder(root).standardFolders().defaultFolder("Lists/Java").build();
        assertThat(store.mailboxes("carol")).extracting(i -> i.ref().name())
                .containsExactly("Archive", "Drafts", "INBOX", "Junk", "Lists", "Lists/Java", "Sent", "Trash");
        assertThat(store.mailbox(new MailboxRef("carol", "Sent")).orElseThrow().specialUse())
                .containsExactly("\\Sent");
        assertThat(files(root.resolve("carol"))).contains(".Sent", ".Drafts", ".Trash", ".Junk", ".Archive",
                ".Lists.Java");
        assertThat(store.subscriptions("carol")).contains("Sent", "Lists/Java");
    }

    @Test
    void moreThanTwentySixKeywordsInAMailboxAreNotAllowed() {
        AppendResult r = store.append(INBOX, msg("x"), Flags.NONE, DATE);
        for (int i = 0; i < 26; i++) {
            store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD, new Flags(Set.of(), Set.of("k" + i)),
                    Long.MAX_VALUE);
        }
        assertThatThrownBy(() -> store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD,
                new Flags(Set.of(), Set.of("one-too-many")), Long.MAX_VALUE))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.NOT_ALLOWED));
        assertThat(store.messages(INBOX).get(0).flags().keywords()).hasSize(26);
    }

    @Test
    void aStoreWithoutFsyncWritesTheSameLayout() throws IOException {
        store.close();
        store = MaildirStore.builder(root).fsync(false).build();
        store.append(INBOX, msg("quick"), Flags.of(Flag.SEEN), DATE);
        assertThat(files(alice().resolve("cur"))).singleElement().satisfies(n -> assertThat(n).endsWith(":2,S"));
        reopen();
        assertThat(store.messages(INBOX)).hasSize(1);
    }

    @Test
    void aDeliveryThatFailsOnDiskLeavesNoFileAndNoMailboxBehind() throws IOException {
        store.createMailbox(new MailboxRef("bob", "Broken"));
        Path brokenNew = root.resolve("bob").resolve(".Broken").resolve("new");
        Files.delete(brokenNew);
        Files.writeString(brokenNew, "not a directory"); // links into it fail (even for root)

        assertThatThrownBy(() -> store.deliver(List.of(INBOX, new MailboxRef("alice", "Fresh"),
                new MailboxRef("bob", "Broken")), msg("all or nothing"), DATE))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.error()).isEqualTo(StoreError.FAILURE);
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                });

        assertThat(files(alice().resolve("new"))).isEmpty();
        assertThat(files(alice().resolve("tmp"))).isEmpty();
        assertThat(store.messages(INBOX)).isEmpty();
        assertThat(store.mailbox(new MailboxRef("alice", "Fresh"))).isEmpty();
        assertThat(alice().resolve(".Fresh")).doesNotExist();
        assertThat(store.quota("alice").messages()).isZero();
        reopen();
        assertThat(store.messages(INBOX)).isEmpty();
    }

    @Test
    void anAppendWhoseUidListCannotBeWrittenFailsAndLeavesNoFile() throws IOException {
        store.createMailbox(new MailboxRef("alice", "Stuck"));
        Path folder = alice().resolve(".Stuck");
        Files.delete(folder.resolve("mailcore-uidlist"));
        Files.createDirectory(folder.resolve("mailcore-uidlist")); // appending to it fails

        assertThatThrownBy(() -> store.append(new MailboxRef("alice", "Stuck"), msg("x"), Flags.NONE, DATE))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.error()).isEqualTo(StoreError.FAILURE));

        assertThat(files(folder.resolve("cur"))).isEmpty();
        assertThat(files(alice().resolve("tmp"))).isEmpty();
        assertThat(store.messages(new MailboxRef("alice", "Stuck"))).isEmpty();
        assertThat(store.quota("alice").messages()).isZero();
    }

    @Test
    void contentStaysReadableWhileAnotherThreadKeepsRenamingTheFile() throws Exception {
        byte[] body = new byte[20_000];
        java.util.Arrays.fill(body, (byte) 'x');
        AppendResult r = store.append(INBOX, MessageSource.of(body), Flags.NONE, DATE);
        MessageSource source = store.content(INBOX, r.uid());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<Integer> toggler = pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    FlagOperation op = n % 2 == 0 ? FlagOperation.ADD : FlagOperation.REMOVE;
                    store.updateFlags(INBOX, List.of(r.uid()), op, Flags.of(Flag.SEEN), Long.MAX_VALUE);
                    n++;
                }
                return n;
            });
            for (int i = 0; i < 300; i++) {
                try (InputStream in = source.openStream()) {
                    assertThat(in.readAllBytes()).isEqualTo(body);
                }
            }
            stop.set(true);
            assertThat(toggler.get(30, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void callsAfterCloseFail() {
        store.close();
        assertThatThrownBy(() -> store.messages(INBOX)).isInstanceOf(StoreException.class);
    }
}
