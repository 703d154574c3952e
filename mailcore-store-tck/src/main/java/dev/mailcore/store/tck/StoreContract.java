package dev.mailcore.store.tck;

import dev.mailcore.api.MessageSource;
import dev.mailcore.api.store.AppendResult;
import dev.mailcore.api.store.CopyResult;
import dev.mailcore.api.store.Flag;
import dev.mailcore.api.store.FlagOperation;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * What every {@link Store} must do: mailboxes, subscriptions, append and content, UIDs and MODSEQ, flags, copy and
 * move, expunge, delivery, quota, events and concurrency. Written against the SPI only. A store implementation tests
 * itself by extending this class (JUnit 5 and jqwik run the inherited tests) and supplying fresh, empty stores:
 *
 * <pre>{@code
 * class MyStoreTest extends StoreContract {
 *     @Override
 *     protected Store newStore() {                 // a new, EMPTY store on every call
 *         return MyStore.open(newTempDirectory("my-store"));
 *     }
 *     @Override
 *     protected Store newStoreWithQuota(long bytesPerUser, long messagesPerUser) {
 *         return MyStore.builder(newTempDirectory("my-store")).quota(bytesPerUser, messagesPerUser).build();
 *     }
 * }
 * }</pre>
 *
 * <p>The factories are also called from jqwik properties, where JUnit extensions such as {@code @TempDir} are not
 * active: use {@link #newTempDirectory} (or your own) rather than injected fields.
 *
 * <p>Stores that persist extend {@link DurableStoreContract} instead, which adds reopen tests. Every test uses the
 * users {@code alice}, {@code bob} and a few others; a store must accept any user name without setup. Stores made
 * by the factories are closed after each test ({@link #track}); property tests close their own.
 */
public abstract class StoreContract {

    /** A new, empty store without limits. Called at least once per test. */
    protected abstract Store newStore();

    /** A new, empty store where every user has this quota ({@link QuotaUsage#UNLIMITED} for none). */
    protected abstract Store newStoreWithQuota(long bytesPerUser, long messagesPerUser);

    /**
     * A new, empty store that gives every user the default folders on first use: {@code INBOX}, {@code Sent},
     * {@code Drafts}, {@code Trash}, {@code Junk} and {@code Archive} with the RFC 6154 attributes {@code \Sent},
     * {@code \Drafts}, {@code \Trash}, {@code \Junk} and {@code \Archive}. Returns {@code null} (the default)
     * when the store cannot do that; the default-folder tests are then skipped.
     */
    protected Store newStoreWithDefaultFolders() {
        return null;
    }

    /** The default folders and their SPECIAL-USE attribute, as {@link #newStoreWithDefaultFolders()} promises. */
    protected static final java.util.Map<String, String> DEFAULT_FOLDERS = java.util.Map.of(
            "Sent", "\\Sent", "Drafts", "\\Drafts", "Trash", "\\Trash", "Junk", "\\Junk", "Archive", "\\Archive");

    protected static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");
    protected static final MailboxRef INBOX = MailboxRef.inbox("alice");

    protected Store store;
    private final List<Store> opened = new ArrayList<>();

    /** Opens {@link #store} before each test. */
    @BeforeEach
    protected void openStore() {
        store = track(newStore());
    }

    /** Closes every store the test {@link #track tracked}. */
    @AfterEach
    protected void closeStores() {
        for (Store s : opened) {
            s.close();
        }
    }

    /** Stops closing {@code s} after the test (it was closed already, such as by a reopen). */
    void untrack(Store s) {
        opened.remove(s);
    }

    /** Closes {@code s} after the test; returns it. */
    protected Store track(Store s) {
        opened.add(s);
        return s;
    }

    // ---- helpers ----

    /**
     * A new empty directory under the system temporary directory, deleted with its contents when the JVM exits. For
     * factories of stores that keep files.
     */
    protected static Path newTempDirectory(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            TempDirectories.deleteOnExit(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    protected static MailboxRef box(String name) {
        return new MailboxRef("alice", name);
    }

    protected static MessageSource msg(String text) {
        return MessageSource.of(text.getBytes(StandardCharsets.UTF_8));
    }

    protected static byte[] bytes(MessageSource source) {
        try (InputStream in = source.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String text(MessageSource source) {
        return new String(bytes(source), StandardCharsets.UTF_8);
    }

    protected AppendResult append(MailboxRef ref, String text) {
        return store.append(ref, msg(text), Flags.NONE, DATE);
    }

    protected List<String> names(Store s, String user) {
        return s.mailboxes(user).stream().map(i -> i.ref().name()).toList();
    }

    protected List<Long> uids(MailboxRef ref) {
        return store.messages(ref).stream().map(MessageMeta::uid).toList();
    }

    protected MailboxInfo info(MailboxRef ref) {
        return store.mailbox(ref).orElseThrow();
    }

    protected static void assertStoreError(StoreError error, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(((StoreException) e).error()).isEqualTo(error));
    }

    protected static StoreEvent next(BlockingQueue<StoreEvent> events) {
        try {
            StoreEvent e = events.poll(5, TimeUnit.SECONDS);
            if (e == null) {
                fail("no store event within 5 seconds");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    protected BlockingQueue<StoreEvent> listen(Store s, String user) {
        BlockingQueue<StoreEvent> q = new LinkedBlockingQueue<>();
        s.subscribe(user, q::add);
        return q;
    }

    // ---- mailboxes ----

    @Test
    void inboxExistsForEveryUserWithoutBeingCreated() {
        assertThat(names(store, "alice")).containsExactly("INBOX");
        MailboxInfo inbox = info(INBOX);
        assertThat(inbox.messages()).isZero();
        assertThat(inbox.uidNext()).isEqualTo(1);
        assertThat(inbox.uidValidity()).isPositive();
        assertThat(store.messages(INBOX)).isEmpty();
    }

    @Test
    void inboxNameIsCaseInsensitive() {
        append(new MailboxRef("alice", "inbox"), "one");
        append(new MailboxRef("alice", "InBoX"), "two");
        assertThat(info(INBOX).messages()).isEqualTo(2);
    }

    @Test
    void createReturnsAnEmptyMailbox() {
        MailboxInfo created = store.createMailbox(box("Work"));
        assertThat(created.ref()).isEqualTo(box("Work"));
        assertThat(created.messages()).isZero();
        assertThat(created.uidNext()).isEqualTo(1);
        assertThat(created.uidValidity()).isPositive();
        assertThat(created.specialUse()).isEmpty();
        assertThat(store.mailbox(box("Work"))).contains(created);
    }

    @Test
    void createMakesMissingParents() {
        store.createMailbox(box("a/b/c"));
        assertThat(names(store, "alice")).containsExactly("INBOX", "a", "a/b", "a/b/c");
    }

    @Test
    void creatingAnExistingMailboxFailsWithMailboxExists() {
        store.createMailbox(box("a/b"));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.createMailbox(box("a/b")));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.createMailbox(box("a")));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.createMailbox(box("inbox")));
    }

    @Test
    void rejectsMailboxNamesWithEmptyLevels() {
        for (String bad : List.of("a//b", "a/", "/a", "/")) {
            assertStoreError(StoreError.NOT_ALLOWED, () -> store.createMailbox(box(bad)));
        }
        assertThat(names(store, "alice")).containsExactly("INBOX");
    }

    @Test
    void mailboxNamesOtherThanInboxAreCaseSensitive() {
        store.createMailbox(box("Work"));
        store.createMailbox(box("work"));
        assertThat(names(store, "alice")).contains("Work", "work");
        assertThat(store.mailbox(box("WORK"))).isEmpty();
    }

    @Test
    void mailboxesAreListedInNameOrder() {
        store.createMailbox(box("c/d"));
        store.createMailbox(box("b"));
        store.createMailbox(box("a"));
        List<String> names = names(store, "alice");
        assertThat(names).containsExactlyInAnyOrder("INBOX", "a", "b", "c", "c/d");
        assertThat(names).isSorted();
    }

    @Test
    void usersDoNotSeeEachOthersMailboxesOrMessages() {
        store.createMailbox(box("Private"));
        append(INBOX, "secret");
        assertThat(names(store, "bob")).containsExactly("INBOX");
        assertThat(store.messages(MailboxRef.inbox("bob"))).isEmpty();
        assertThat(store.mailbox(new MailboxRef("bob", "Private"))).isEmpty();
    }

    @Test
    void deleteRemovesTheMailboxAndItsMessages() {
        store.createMailbox(box("Old"));
        append(box("Old"), "bye");
        store.deleteMailbox(box("Old"));
        assertThat(store.mailbox(box("Old"))).isEmpty();
        assertThat(names(store, "alice")).containsExactly("INBOX");
        assertThat(store.quota("alice").messages()).isZero();
        assertThat(store.quota("alice").bytes()).isZero();
    }

    @Test
    void deleteKeepsChildren() {
        store.createMailbox(box("a/b"));
        store.deleteMailbox(box("a"));
        assertThat(names(store, "alice")).containsExactly("INBOX", "a/b");
    }

    @Test
    void deletingInboxIsNotAllowed() {
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.deleteMailbox(INBOX));
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.deleteMailbox(box("inbox")));
        assertThat(store.mailbox(INBOX)).isPresent();
    }

    @Test
    void deletingAMissingMailboxFailsWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.deleteMailbox(box("Nope")));
    }

    @Test
    void aRecreatedMailboxDoesNotReuseUidsUnderTheSameUidValidity() {
        long first = store.createMailbox(box("Box")).uidValidity();
        long uid = append(box("Box"), "x").uid();
        store.deleteMailbox(box("Box"));
        MailboxInfo again = store.createMailbox(box("Box"));
        assertThat(again.messages()).isZero();
        if (again.uidValidity() == first) { // RFC 9051 §6.3.4: keep the UIDs apart, or change UIDVALIDITY
            assertThat(append(box("Box"), "y").uid()).isGreaterThan(uid);
        }
    }

    @Test
    void renameKeepsMessagesFlagsAndUidValidity() {
        store.createMailbox(box("a"));
        store.append(box("a"), msg("hello"), Flags.of(Flag.SEEN), DATE);
        MailboxInfo before = info(box("a"));
        store.renameMailbox(box("a"), box("x"));
        assertThat(store.mailbox(box("a"))).isEmpty();
        MailboxInfo after = info(box("x"));
        assertThat(after.uidValidity()).isEqualTo(before.uidValidity());
        assertThat(after.messages()).isEqualTo(1);
        MessageMeta m = store.messages(box("x")).get(0);
        assertThat(m.flags()).isEqualTo(Flags.of(Flag.SEEN));
        assertThat(text(store.content(box("x"), m.uid()))).isEqualTo("hello");
    }

    @Test
    void renameMovesChildren() {
        store.createMailbox(box("a/b/c"));
        store.createMailbox(box("ab"));
        append(box("a/b"), "child");
        store.renameMailbox(box("a"), box("x"));
        assertThat(names(store, "alice")).containsExactlyInAnyOrder("INBOX", "ab", "x", "x/b", "x/b/c");
        assertThat(info(box("x/b")).messages()).isEqualTo(1);
    }

    @Test
    void renameCreatesMissingParentsOfTheNewName() {
        store.createMailbox(box("a"));
        store.renameMailbox(box("a"), box("p/q/a"));
        assertThat(names(store, "alice")).containsExactlyInAnyOrder("INBOX", "p", "p/q", "p/q/a");
    }

    @Test
    void renameOntoAnExistingNameFailsWithMailboxExists() {
        store.createMailbox(box("a"));
        store.createMailbox(box("x"));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.renameMailbox(box("a"), box("x")));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.renameMailbox(box("a"), box("INBOX")));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.renameMailbox(box("a"), box("a")));
    }

    @Test
    void renameFailsWithoutChangeWhenAChildWouldCollide() {
        store.createMailbox(box("a/b"));
        store.createMailbox(box("y/b"));
        store.deleteMailbox(box("y"));
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> store.renameMailbox(box("a"), box("y")));
        assertThat(names(store, "alice")).containsExactlyInAnyOrder("INBOX", "a", "a/b", "y/b");
    }

    @Test
    void renamingADeletedParentMovesItsChildren() {
        store.createMailbox(box("foo/bar"));
        append(box("foo/bar"), "kept");
        store.deleteMailbox(box("foo"));
        store.renameMailbox(box("foo"), box("zowie"));
        assertThat(names(store, "alice")).containsExactlyInAnyOrder("INBOX", "zowie/bar");
        assertThat(info(box("zowie/bar")).messages()).isEqualTo(1);
    }

    @Test
    void renameOfAMissingMailboxFailsWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.renameMailbox(box("nope"), box("x")));
    }

    @Test
    void renameToAnInvalidNameIsNotAllowed() {
        store.createMailbox(box("a"));
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.renameMailbox(box("a"), box("x//y")));
        assertThat(names(store, "alice")).containsExactly("INBOX", "a");
    }

    @Test
    void renameIntoItsOwnChildIsNotAllowed() {
        store.createMailbox(box("a"));
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.renameMailbox(box("a"), box("a/b")));
        assertThat(names(store, "alice")).containsExactly("INBOX", "a");
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesInboxEmpty() {
        store.append(INBOX, msg("one"), Flags.of(Flag.FLAGGED), DATE);
        append(INBOX, "two");
        store.createMailbox(box("INBOX/child"));
        MailboxInfo before = info(INBOX);

        store.renameMailbox(box("inbox"), box("Old"));

        MailboxInfo inbox = info(INBOX);
        assertThat(inbox.messages()).isZero();
        assertThat(store.mailbox(box("INBOX/child"))).isPresent();
        List<MessageMeta> old = store.messages(box("Old"));
        assertThat(old).hasSize(2);
        assertThat(old.get(0).flags()).isEqualTo(Flags.of(Flag.FLAGGED));
        assertThat(old.get(0).internalDate()).isEqualTo(DATE);
        assertThat(text(store.content(box("Old"), old.get(0).uid()))).isEqualTo("one");
        assertThat(text(store.content(box("Old"), old.get(1).uid()))).isEqualTo("two");
        // a later append to INBOX does not reuse a UID, unless INBOX got a new UIDVALIDITY
        AppendResult three = append(INBOX, "three");
        if (three.uidValidity() == before.uidValidity()) {
            assertThat(three.uid()).isGreaterThanOrEqualTo(before.uidNext());
        }
    }

    // ---- subscriptions ----

    @Test
    void subscriptionsNeedNotExistAndCanBeRemoved() {
        store.setSubscribed(box("Ghost"), true);
        store.setSubscribed(box("inbox"), true);
        assertThat(store.subscriptions("alice")).containsExactlyInAnyOrder("Ghost", "INBOX");
        store.setSubscribed(box("Ghost"), false);
        store.setSubscribed(box("Never"), false);
        assertThat(store.subscriptions("alice")).containsExactly("INBOX");
    }

    @Test
    void subscriptionsArePerUser() {
        store.setSubscribed(box("News"), true);
        assertThat(store.subscriptions("bob")).doesNotContain("News");
    }

    @Test
    void subscribingToAnInvalidNameIsNotAllowed() {
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.setSubscribed(box("a//b"), true));
    }

    // ---- append and content ----

    @Test
    void appendReturnsWhereTheMessageLanded() {
        MailboxInfo before = info(INBOX);
        AppendResult r = append(INBOX, "Subject: hi\r\n\r\nbody\r\n");
        assertThat(r.mailbox()).isEqualTo(INBOX);
        assertThat(r.uidValidity()).isEqualTo(before.uidValidity());
        assertThat(r.uid()).isEqualTo(before.uidNext());
        assertThat(r.modSeq()).isGreaterThan(before.highestModSeq());
        MailboxInfo after = info(INBOX);
        assertThat(after.uidNext()).isGreaterThan(r.uid());
        assertThat(after.highestModSeq()).isEqualTo(r.modSeq());
    }

    @Test
    void appendedMessageKeepsFlagsInternalDateAndSize() {
        Flags flags = new Flags(Set.of(Flag.SEEN, Flag.DRAFT), Set.of("$Label1"));
        AppendResult r = store.append(INBOX, msg("12345"), flags, DATE);
        MessageMeta m = store.messages(INBOX).get(0);
        assertThat(m.uid()).isEqualTo(r.uid());
        assertThat(m.modSeq()).isEqualTo(r.modSeq());
        assertThat(m.size()).isEqualTo(5);
        assertThat(m.internalDate()).isEqualTo(DATE);
        assertThat(m.flags()).isEqualTo(flags);
    }

    @Test
    void appendToAMissingMailboxFailsAndChangesNothing() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> append(box("Nope"), "x"));
        assertThat(store.mailbox(box("Nope"))).isEmpty();
        assertThat(store.quota("alice").messages()).isZero();
    }

    @Test
    void bytesAreReadBackExactlyIncludingNulBareLineEndsAndEightBitOctets() {
        byte[] nasty = {0, '\r', 'a', '\n', '.', '\r', '\n', (byte) 0xff, (byte) 0x80, 0, '\n', '\r'};
        AppendResult r = store.append(INBOX, MessageSource.of(nasty.clone()), Flags.NONE, DATE);
        MessageSource back = store.content(INBOX, r.uid());
        assertThat(back.size()).isEqualTo(nasty.length);
        assertThat(bytes(back)).isEqualTo(nasty);
        assertThat(bytes(back)).as("a source can be read again").isEqualTo(nasty);
    }

    @Test
    void anEmptyMessageRoundTrips() {
        AppendResult r = store.append(INBOX, MessageSource.of(new byte[0]), Flags.NONE, DATE);
        assertThat(bytes(store.content(INBOX, r.uid()))).isEmpty();
    }

    @Property(tries = 150)
    void appendedBytesAreReadBackExactly(@ForAll("rawMessages") byte[] raw) {
        Store s = newStore();
        try {
            AppendResult r = s.append(INBOX, MessageSource.of(raw.clone()), Flags.NONE, DATE);
            MessageSource back = s.content(INBOX, r.uid());
            assertThat(back.size()).isEqualTo(raw.length);
            assertThat(bytes(back)).isEqualTo(raw);
            assertThat(s.messages(INBOX).get(0).size()).isEqualTo(raw.length);
        } finally {
            s.close();
        }
    }

    /** Raw messages rich in NUL, bare CR and LF, dots and 8-bit octets. */
    @Provide
    protected Arbitrary<byte[]> rawMessages() {
        Arbitrary<Byte> special = Arbitraries.of((byte) 0, (byte) '\r', (byte) '\n', (byte) '.', (byte) 0xff,
                (byte) 0x80);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, special),
                        net.jqwik.api.Tuple.of(3, any))
                .array(byte[].class).ofMaxSize(5000);
    }

    @Test
    void messagesOfAMissingMailboxFailWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.messages(box("Nope")));
    }

    @Test
    void contentOfAnUnknownUidFailsWithNoSuchMessage() {
        AppendResult r = append(INBOX, "x");
        assertStoreError(StoreError.NO_SUCH_MESSAGE, () -> store.content(INBOX, r.uid() + 1));
        store.expunge(INBOX, List.of(r.uid()));
        assertStoreError(StoreError.NO_SUCH_MESSAGE, () -> store.content(INBOX, r.uid()));
    }

    @Test
    void contentOfAMissingMailboxFailsWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.content(box("Nope"), 1));
    }

    @Test
    void uidsAscendAndAreNeverReusedAfterExpunge() {
        long a = append(INBOX, "a").uid();
        long b = append(INBOX, "b").uid();
        long c = append(INBOX, "c").uid();
        assertThat(a).isPositive().isLessThan(b);
        assertThat(b).isLessThan(c);
        store.expunge(INBOX, List.of(b, c));
        long d = append(INBOX, "d").uid();
        assertThat(d).isGreaterThan(c);
        assertThat(uids(INBOX)).containsExactly(a, d);
    }

    @Test
    void modSeqIncreasesOnEveryChange() {
        long m0 = info(INBOX).highestModSeq();
        AppendResult r = append(INBOX, "a");
        long m1 = info(INBOX).highestModSeq();
        assertThat(m1).isGreaterThan(m0).isEqualTo(r.modSeq());

        List<MessageMeta> flagged = store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD,
                Flags.of(Flag.SEEN), Long.MAX_VALUE);
        long m2 = info(INBOX).highestModSeq();
        assertThat(m2).isGreaterThan(m1).isEqualTo(flagged.get(0).modSeq());

        append(INBOX, "b");
        long m3 = info(INBOX).highestModSeq();
        assertThat(m3).isGreaterThan(m2);

        store.expunge(INBOX, List.of(r.uid()));
        assertThat(info(INBOX).highestModSeq()).isGreaterThan(m3);
    }

    @Test
    void mailboxInfoCountsMessagesUnseenDeletedAndSize() {
        store.append(INBOX, msg("123"), Flags.of(Flag.SEEN), DATE);
        store.append(INBOX, msg("4567"), Flags.of(Flag.DELETED), DATE);
        store.append(INBOX, msg("89"), Flags.of(Flag.SEEN, Flag.DELETED), DATE);
        MailboxInfo i = info(INBOX);
        assertThat(i.messages()).isEqualTo(3);
        assertThat(i.unseen()).isEqualTo(1);
        assertThat(i.deleted()).isEqualTo(2);
        assertThat(i.totalSize()).isEqualTo(9);

        long first = store.messages(INBOX).get(0).uid();
        store.updateFlags(INBOX, List.of(first), FlagOperation.REPLACE, Flags.of(Flag.DELETED), Long.MAX_VALUE);
        i = info(INBOX);
        assertThat(i.unseen()).isEqualTo(2);
        assertThat(i.deleted()).isEqualTo(3);
    }

    // ---- flags ----

    @Test
    void updateFlagsAddsRemovesAndReplaces() {
        long uid = store.append(INBOX, msg("x"), Flags.of(Flag.SEEN), DATE).uid();
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD,
                new Flags(Set.of(Flag.FLAGGED), Set.of("work")), Long.MAX_VALUE);
        assertThat(r).singleElement().satisfies(m -> assertThat(m.flags())
                .isEqualTo(new Flags(Set.of(Flag.SEEN, Flag.FLAGGED), Set.of("work"))));

        r = store.updateFlags(INBOX, List.of(uid), FlagOperation.REMOVE, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        assertThat(r.get(0).flags()).isEqualTo(new Flags(Set.of(Flag.FLAGGED), Set.of("work")));

        r = store.updateFlags(INBOX, List.of(uid), FlagOperation.REPLACE, Flags.of(Flag.ANSWERED), Long.MAX_VALUE);
        assertThat(r.get(0).flags()).isEqualTo(Flags.of(Flag.ANSWERED));
        assertThat(store.messages(INBOX).get(0).flags()).isEqualTo(Flags.of(Flag.ANSWERED));
    }

    @Test
    void updateFlagsSkipsUidsThatDoNotExist() {
        long a = append(INBOX, "a").uid();
        long b = append(INBOX, "b").uid();
        store.expunge(INBOX, List.of(a));
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(a, b, b + 10), FlagOperation.ADD,
                Flags.of(Flag.SEEN), Long.MAX_VALUE);
        assertThat(r).extracting(MessageMeta::uid).containsExactly(b);
    }

    @Test
    void aMessageWhoseFlagsDoNotChangeKeepsItsModSeq() {
        long uid = store.append(INBOX, msg("x"), Flags.of(Flag.SEEN), DATE).uid();
        long before = info(INBOX).highestModSeq();
        long metaBefore = store.messages(INBOX).get(0).modSeq();
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD, Flags.of(Flag.SEEN),
                Long.MAX_VALUE);
        assertThat(r).singleElement().satisfies(m -> assertThat(m.modSeq()).isEqualTo(metaBefore));
        assertThat(info(INBOX).highestModSeq()).isEqualTo(before);
    }

    @Test
    void unchangedSinceSkipsMessagesChangedLater() {
        long a = append(INBOX, "a").uid();
        long b = append(INBOX, "b").uid();
        long modSeqOfA = store.messages(INBOX).get(0).modSeq();
        store.updateFlags(INBOX, List.of(b), FlagOperation.ADD, Flags.of(Flag.FLAGGED), Long.MAX_VALUE);
        long modSeqOfB = store.messages(INBOX).get(1).modSeq();
        assertThat(modSeqOfB).isGreaterThan(modSeqOfA);

        List<MessageMeta> r = store.updateFlags(INBOX, List.of(a, b), FlagOperation.ADD, Flags.of(Flag.SEEN),
                modSeqOfA);
        assertThat(r).extracting(MessageMeta::uid).containsExactly(a);
        assertThat(r.get(0).flags().contains(Flag.SEEN)).isTrue();
        assertThat(store.messages(INBOX).get(1).flags()).isEqualTo(Flags.of(Flag.FLAGGED));
    }

    @Test
    void keywordsCompareCaseInsensitively() {
        long uid = append(INBOX, "x").uid();
        store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD, new Flags(Set.of(), Set.of("$Label1")),
                Long.MAX_VALUE);
        long modSeq = store.messages(INBOX).get(0).modSeq();
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD,
                new Flags(Set.of(), Set.of("$LABEL1")), Long.MAX_VALUE);
        assertThat(r.get(0).modSeq()).isEqualTo(modSeq);
        r = store.updateFlags(INBOX, List.of(uid), FlagOperation.REMOVE, new Flags(Set.of(), Set.of("$label1")),
                Long.MAX_VALUE);
        assertThat(r.get(0).flags().isEmpty()).isTrue();
    }

    @Test
    void aKeywordKeepsTheSpellingFirstUsed() {
        long uid = store.append(INBOX, msg("x"), new Flags(Set.of(), Set.of("$Work")), DATE).uid();
        long modSeq = store.messages(INBOX).get(0).modSeq();
        List<MessageMeta> r = store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD,
                new Flags(Set.of(), Set.of("$WORK")), Long.MAX_VALUE);
        assertThat(r.get(0).modSeq()).isEqualTo(modSeq);
        assertThat(store.messages(INBOX).get(0).flags().keywords()).containsExactly("$Work");
    }

    @Test
    void updateFlagsOnAMissingMailboxFailsWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.updateFlags(box("Nope"), List.of(1L),
                FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE));
    }

    // ---- copy and move ----

    @Test
    void copyKeepsFlagsDateAndBytesAndGivesNewAscendingUids() {
        store.createMailbox(box("Target"));
        append(box("Target"), "already there");
        Instant other = DATE.plusSeconds(3600);
        long a = store.append(INBOX, msg("first"), Flags.of(Flag.SEEN), DATE).uid();
        long b = store.append(INBOX, msg("second"), Flags.of(Flag.FLAGGED), other).uid();
        long targetNext = info(box("Target")).uidNext();

        CopyResult r = store.copy(INBOX, List.of(b, a), box("Target"));

        assertThat(r.targetUidValidity()).isEqualTo(info(box("Target")).uidValidity());
        assertThat(r.sourceUids()).containsExactly(a, b);
        assertThat(r.targetUids()).hasSize(2).isSorted().doesNotHaveDuplicates();
        assertThat(r.targetUids().get(0)).isGreaterThanOrEqualTo(targetNext);
        List<MessageMeta> target = store.messages(box("Target"));
        MessageMeta ca = target.stream().filter(m -> m.uid() == r.targetUids().get(0)).findFirst().orElseThrow();
        MessageMeta cb = target.stream().filter(m -> m.uid() == r.targetUids().get(1)).findFirst().orElseThrow();
        assertThat(ca.flags()).isEqualTo(Flags.of(Flag.SEEN));
        assertThat(ca.internalDate()).isEqualTo(DATE);
        assertThat(cb.flags()).isEqualTo(Flags.of(Flag.FLAGGED));
        assertThat(cb.internalDate()).isEqualTo(other);
        assertThat(text(store.content(box("Target"), ca.uid()))).isEqualTo("first");
        assertThat(text(store.content(box("Target"), cb.uid()))).isEqualTo("second");
        assertThat(uids(INBOX)).containsExactly(a, b);
    }

    @Test
    void copyLeavesOutUidsThatDoNotExist() {
        store.createMailbox(box("T"));
        long a = append(INBOX, "a").uid();
        CopyResult r = store.copy(INBOX, List.of(a, a + 5), box("T"));
        assertThat(r.sourceUids()).containsExactly(a);
        assertThat(r.targetUids()).hasSize(1);

        long modSeq = info(box("T")).highestModSeq();
        CopyResult none = store.copy(INBOX, List.of(a + 7), box("T"));
        assertThat(none.sourceUids()).isEmpty();
        assertThat(none.targetUids()).isEmpty();
        assertThat(info(box("T")).highestModSeq()).isEqualTo(modSeq);
    }

    @Test
    void copyToOrFromAMissingMailboxFailsWithNoSuchMailbox() {
        long a = append(INBOX, "a").uid();
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.copy(INBOX, List.of(a), box("Nope")));
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.copy(box("Nope"), List.of(a), INBOX));
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.move(INBOX, List.of(a), box("Nope")));
        assertThat(uids(INBOX)).containsExactly(a);
    }

    @Test
    void moveRemovesTheSourcesAndPairsTheUids() {
        store.createMailbox(box("Archive"));
        long a = store.append(INBOX, msg("a"), Flags.of(Flag.SEEN), DATE).uid();
        long b = append(INBOX, "b").uid();
        long c = append(INBOX, "c").uid();

        CopyResult r = store.move(INBOX, List.of(c, a), box("Archive"));

        assertThat(r.sourceUids()).containsExactly(a, c);
        assertThat(uids(INBOX)).containsExactly(b);
        assertThat(uids(box("Archive"))).containsExactlyElementsOf(r.targetUids());
        assertThat(text(store.content(box("Archive"), r.targetUids().get(0)))).isEqualTo("a");
        assertThat(text(store.content(box("Archive"), r.targetUids().get(1)))).isEqualTo("c");
        assertThat(store.messages(box("Archive")).get(0).flags()).isEqualTo(Flags.of(Flag.SEEN));
        assertThat(store.quota("alice").messages()).isEqualTo(3);
    }

    @Test
    void moveSendsAddedToTheTargetBeforeExpungedFromTheSource() {
        store.createMailbox(box("T"));
        long a = append(INBOX, "a").uid();
        BlockingQueue<StoreEvent> events = listen(store, "alice");
        CopyResult r = store.move(INBOX, List.of(a), box("T"));
        StoreEvent added = next(events);
        StoreEvent expunged = next(events);
        assertThat(added).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class, e -> {
            assertThat(e.mailbox()).isEqualTo(box("T"));
            assertThat(e.messages()).extracting(MessageMeta::uid).containsExactlyElementsOf(r.targetUids());
        });
        assertThat(expunged).isInstanceOfSatisfying(StoreEvent.MessagesExpunged.class, e -> {
            assertThat(e.mailbox()).isEqualTo(INBOX);
            assertThat(e.uids()).containsExactly(a);
            assertThat(e.modSeq()).isEqualTo(info(INBOX).highestModSeq());
        });
    }

    @Test
    void copyBeyondTheQuotaFailsAndChangesNothing() {
        Store s = track(newStoreWithQuota(QuotaUsage.UNLIMITED, 3));
        s.createMailbox(box("T"));
        long a = s.append(INBOX, msg("a"), Flags.NONE, DATE).uid();
        long b = s.append(INBOX, msg("b"), Flags.NONE, DATE).uid();
        assertStoreError(StoreError.OVER_QUOTA, () -> s.copy(INBOX, List.of(a, b), box("T")));
        assertThat(s.messages(box("T"))).isEmpty();
        assertThat(s.quota("alice").messages()).isEqualTo(2);
    }

    @Test
    void moveWithinAUserNeedsNoExtraQuota() {
        Store s = track(newStoreWithQuota(10, 2));
        s.createMailbox(box("T"));
        long a = s.append(INBOX, msg("12345"), Flags.NONE, DATE).uid();
        long b = s.append(INBOX, msg("67890"), Flags.NONE, DATE).uid();
        CopyResult r = s.move(INBOX, List.of(a, b), box("T"));
        assertThat(r.sourceUids()).containsExactly(a, b);
        assertThat(s.quota("alice")).isEqualTo(new QuotaUsage(10, 10, 2, 2));
    }

    // ---- expunge ----

    @Test
    void expungeRemovesExactlyTheGivenExistingUids() {
        long a = append(INBOX, "a").uid();
        long b = store.append(INBOX, msg("b"), Flags.of(Flag.DELETED), DATE).uid();
        long c = append(INBOX, "c").uid();
        List<Long> removed = store.expunge(INBOX, List.of(c, a, c + 100));
        assertThat(removed).containsExactly(a, c);
        assertThat(uids(INBOX)).containsExactly(b);
        assertThat(store.quota("alice").messages()).isEqualTo(1);
    }

    @Test
    void expungeOfNothingChangesNothing() {
        append(INBOX, "a");
        long modSeq = info(INBOX).highestModSeq();
        assertThat(store.expunge(INBOX, List.of(99L))).isEmpty();
        assertThat(store.expunge(INBOX, List.of())).isEmpty();
        assertThat(info(INBOX).highestModSeq()).isEqualTo(modSeq);
    }

    @Test
    void expungeOnAMissingMailboxFailsWithNoSuchMailbox() {
        assertStoreError(StoreError.NO_SUCH_MAILBOX, () -> store.expunge(box("Nope"), List.of(1L)));
    }

    // ---- deliver ----

    @Test
    void deliverPutsTheMessageIntoEveryTargetAndCreatesMissingMailboxes() {
        MailboxRef bobInbox = MailboxRef.inbox("bob");
        MailboxRef aliceLists = box("Lists/java");
        List<AppendResult> results = store.deliver(List.of(INBOX, bobInbox, aliceLists), msg("hello all"), DATE);

        assertThat(results).extracting(AppendResult::mailbox).containsExactly(INBOX, bobInbox, aliceLists);
        for (AppendResult r : results) {
            assertThat(text(store.content(r.mailbox(), r.uid()))).isEqualTo("hello all");
            assertThat(r.uidValidity()).isEqualTo(info(r.mailbox()).uidValidity());
            MessageMeta m = store.messages(r.mailbox()).get(0);
            assertThat(m.internalDate()).isEqualTo(DATE);
            assertThat(m.flags().isEmpty()).isTrue();
        }
        assertThat(names(store, "alice")).contains("Lists", "Lists/java");
        assertThat(store.quota("alice").messages()).isEqualTo(2);
        assertThat(store.quota("bob").messages()).isEqualTo(1);
    }

    @Test
    void deliverAnnouncesACreatedMailboxBeforeItsMessage() {
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        store.deliver(List.of(box("Lists/java")), msg("x"), DATE);
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxCreated(box("Lists")));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxCreated(box("Lists/java")));
        assertThat(next(q)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class,
                e -> assertThat(e.mailbox()).isEqualTo(box("Lists/java")));
    }

    @Test
    void deliverIsAllOrNothingWhenOneUserIsOverQuota() {
        Store s = track(newStoreWithQuota(100, QuotaUsage.UNLIMITED));
        MailboxRef bob = MailboxRef.inbox("bob");
        MailboxRef carol = MailboxRef.inbox("carol");
        s.append(bob, MessageSource.of(new byte[95]), Flags.NONE, DATE);

        assertStoreError(StoreError.OVER_QUOTA, () -> s.deliver(
                List.of(INBOX, new MailboxRef("alice", "New"), bob, carol), MessageSource.of(new byte[10]), DATE));

        assertThat(s.messages(INBOX)).isEmpty();
        assertThat(s.mailbox(new MailboxRef("alice", "New"))).isEmpty();
        assertThat(s.messages(bob)).hasSize(1);
        assertThat(s.messages(carol)).isEmpty();
        assertThat(s.quota("alice").bytes()).isZero();
        assertThat(s.quota("bob").bytes()).isEqualTo(95);
    }

    @Test
    void deliverCountsEveryCopyAgainstTheUsersQuota() {
        Store s = track(newStoreWithQuota(QuotaUsage.UNLIMITED, 1));
        s.createMailbox(box("Copy"));
        assertStoreError(StoreError.OVER_QUOTA, () -> s.deliver(List.of(INBOX, box("Copy")), msg("x"), DATE));
        assertThat(s.quota("alice").messages()).isZero();
    }

    @Test
    void deliverRejectsAnInvalidTargetNameAndChangesNothing() {
        assertStoreError(StoreError.NOT_ALLOWED, () -> store.deliver(List.of(INBOX, box("a//b")), msg("x"), DATE));
        assertThat(store.messages(INBOX)).isEmpty();
    }

    // ---- quota ----

    @Test
    void aStoreWithoutQuotaReportsUnlimited() {
        append(INBOX, "abc");
        QuotaUsage q = store.quota("alice");
        assertThat(q.bytes()).isEqualTo(3);
        assertThat(q.messages()).isEqualTo(1);
        assertThat(q.bytesLimit()).isEqualTo(QuotaUsage.UNLIMITED);
        assertThat(q.messagesLimit()).isEqualTo(QuotaUsage.UNLIMITED);
    }

    @Test
    void quotaCountsBytesAndMessagesOverAllMailboxesAndExpungeFreesIt() {
        Store s = track(newStoreWithQuota(1000, 50));
        s.createMailbox(box("Other"));
        long a = s.append(INBOX, msg("12345"), Flags.NONE, DATE).uid();
        s.append(box("Other"), msg("123"), Flags.NONE, DATE);
        assertThat(s.quota("alice")).isEqualTo(new QuotaUsage(8, 1000, 2, 50));
        assertThat(s.quota("bob")).isEqualTo(new QuotaUsage(0, 1000, 0, 50));
        s.expunge(INBOX, List.of(a));
        assertThat(s.quota("alice")).isEqualTo(new QuotaUsage(3, 1000, 1, 50));
    }

    @Test
    void appendBeyondTheByteQuotaFailsWithOverQuota() {
        Store s = track(newStoreWithQuota(10, QuotaUsage.UNLIMITED));
        s.append(INBOX, MessageSource.of(new byte[10]), Flags.NONE, DATE);
        assertStoreError(StoreError.OVER_QUOTA, () -> s.append(INBOX, MessageSource.of(new byte[1]), Flags.NONE,
                DATE));
        assertThat(s.quota("alice").messages()).isEqualTo(1);
        assertThat(s.messages(INBOX)).hasSize(1);
    }

    @Test
    void appendBeyondTheMessageQuotaFailsWithOverQuota() {
        Store s = track(newStoreWithQuota(QuotaUsage.UNLIMITED, 2));
        s.append(INBOX, msg("a"), Flags.NONE, DATE);
        s.append(INBOX, msg("b"), Flags.NONE, DATE);
        assertStoreError(StoreError.OVER_QUOTA, () -> s.append(INBOX, msg("c"), Flags.NONE, DATE));
        assertThat(s.messages(INBOX)).hasSize(2);
    }

    // ---- events ----

    @Test
    void aSecondSubscriberSeesAddedFlagsChangedAndExpunged() {
        BlockingQueue<StoreEvent> first = listen(store, "alice");
        BlockingQueue<StoreEvent> second = listen(store, "alice");
        AppendResult r = append(INBOX, "x");
        store.updateFlags(INBOX, List.of(r.uid()), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        store.expunge(INBOX, List.of(r.uid()));
        long uidValidity = info(INBOX).uidValidity();

        for (BlockingQueue<StoreEvent> q : List.of(first, second)) {
            assertThat(next(q)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class, e -> {
                assertThat(e.mailbox()).isEqualTo(INBOX);
                assertThat(e.uidValidity()).isEqualTo(uidValidity);
                assertThat(e.messages()).extracting(MessageMeta::uid).containsExactly(r.uid());
                assertThat(e.messages().get(0).modSeq()).isEqualTo(r.modSeq());
            });
            assertThat(next(q)).isInstanceOfSatisfying(StoreEvent.FlagsChanged.class, e -> {
                assertThat(e.messages()).singleElement().satisfies(m -> {
                    assertThat(m.uid()).isEqualTo(r.uid());
                    assertThat(m.flags()).isEqualTo(Flags.of(Flag.SEEN));
                    assertThat(m.modSeq()).isGreaterThan(r.modSeq());
                });
            });
            assertThat(next(q)).isInstanceOfSatisfying(StoreEvent.MessagesExpunged.class, e -> {
                assertThat(e.uids()).containsExactly(r.uid());
                assertThat(e.modSeq()).isEqualTo(info(INBOX).highestModSeq());
            });
        }
    }

    @Test
    void aFlagUpdateThatChangesNothingSendsNoEvent() {
        long uid = store.append(INBOX, msg("x"), Flags.of(Flag.SEEN), DATE).uid();
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
        append(INBOX, "marker");
        assertThat(next(q)).isInstanceOf(StoreEvent.MessagesAdded.class);
    }

    @Test
    void subscribersSeeMailboxesCreatedRenamedAndDeleted() {
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        store.createMailbox(box("a/b"));
        store.renameMailbox(box("a"), box("x"));
        store.deleteMailbox(box("x/b"));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxCreated(box("a")));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxCreated(box("a/b")));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxRenamed(box("a"), box("x")));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxRenamed(box("a/b"), box("x/b")));
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxDeleted(box("x/b")));
    }

    @Test
    void aClosedRegistrationGetsNoMoreEvents() {
        BlockingQueue<StoreEvent> closed = new LinkedBlockingQueue<>();
        Registration reg = store.subscribe("alice", closed::add);
        BlockingQueue<StoreEvent> open = listen(store, "alice");
        append(INBOX, "before");
        next(open);
        reg.close();
        reg.close();
        append(INBOX, "after");
        next(open);
        assertThat(closed).hasSize(1);
    }

    @Test
    void aThrowingListenerBreaksNeitherOtherListenersNorTheCaller() {
        store.subscribe("alice", e -> {
            throw new IllegalStateException("listener bug");
        });
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        AppendResult r = append(INBOX, "x");
        assertThat(next(q)).isInstanceOf(StoreEvent.MessagesAdded.class);
        assertThat(uids(INBOX)).containsExactly(r.uid());
    }

    @Test
    void eventsOfOtherUsersAreNotDelivered() {
        BlockingQueue<StoreEvent> bob = listen(store, "bob");
        append(INBOX, "for alice");
        store.createMailbox(box("AliceOnly"));
        append(MailboxRef.inbox("bob"), "for bob");
        assertThat(next(bob)).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class,
                e -> assertThat(e.mailbox()).isEqualTo(MailboxRef.inbox("bob")));
    }

    @Test
    void eventsOfOneMailboxArriveInModSeqOrderUnderConcurrency() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        int threads = 4;
        int perThread = 200;
        CountDownLatch all = new CountDownLatch(threads * perThread * 2);
        store.subscribe("alice", e -> {
            if (e instanceof StoreEvent.MessagesAdded a) {
                a.messages().forEach(m -> seen.add(m.modSeq()));
                all.countDown();
            } else if (e instanceof StoreEvent.FlagsChanged f) {
                f.messages().forEach(m -> seen.add(m.modSeq()));
                all.countDown();
            }
        });
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                long uid = append(INBOX, "m" + i).uid();
                store.updateFlags(INBOX, List.of(uid), FlagOperation.ADD, Flags.of(Flag.SEEN), Long.MAX_VALUE);
            }
        });
        assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(seen).hasSize(threads * perThread * 2).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aListenerMayCallBackIntoTheStore() {
        List<Integer> countsSeen = new CopyOnWriteArrayList<>();
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        store.subscribe("alice", e -> {
            if (e instanceof StoreEvent.MessagesAdded a && a.mailbox().isInbox()) {
                countsSeen.add(store.messages(INBOX).size());
                if (store.mailbox(box("Seen")).isEmpty()) {
                    store.createMailbox(box("Seen"));
                }
            }
        });
        append(INBOX, "x");
        assertThat(next(q)).isInstanceOf(StoreEvent.MessagesAdded.class);
        assertThat(next(q)).isEqualTo(new StoreEvent.MailboxCreated(box("Seen")));
        assertThat(countsSeen).containsExactly(1);
    }

    @Test
    void renamingInboxTellsSubscribersAboutBothMailboxes() {
        long uid = append(INBOX, "x").uid();
        BlockingQueue<StoreEvent> q = listen(store, "alice");
        store.renameMailbox(INBOX, box("Old"));
        List<StoreEvent> events = List.of(next(q), next(q), next(q));
        assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new StoreEvent.MailboxCreated(box("Old"))));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(StoreEvent.MessagesAdded.class,
                a -> assertThat(a.mailbox()).isEqualTo(box("Old"))));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(StoreEvent.MessagesExpunged.class,
                x -> {
                    assertThat(x.mailbox()).isEqualTo(INBOX);
                    assertThat(x.uids()).containsExactly(uid);
                }));
    }

    // ---- default folders ----

    /** The default-folder store, or the test is skipped when the store has none. */
    protected Store defaultFolderStore() {
        Store s = newStoreWithDefaultFolders();
        Assumptions.assumeTrue(s != null, "this store has no default folders");
        return track(s);
    }

    @Test
    void defaultFoldersExistWithTheirSpecialUseOnAUsersFirstUse() {
        Store s = defaultFolderStore();
        List<MailboxInfo> boxes = s.mailboxes("alice");
        assertThat(boxes).extracting(i -> i.ref().name()).contains("INBOX", "Sent", "Drafts", "Trash", "Junk",
                "Archive").isSorted();
        for (MailboxInfo i : boxes) {
            String expected = DEFAULT_FOLDERS.get(i.ref().name());
            if (expected != null) {
                assertThat(i.specialUse()).as(i.ref().name()).containsExactly(expected);
                assertThat(i.messages()).isZero();
                assertThat(i.uidValidity()).isPositive();
            }
        }
        assertThat(s.mailbox(INBOX).orElseThrow().specialUse()).isEmpty();
        assertThat(s.mailbox(box("Trash")).orElseThrow().specialUse()).containsExactly("\\Trash");
        assertThat(s.quota("alice").messages()).isZero();
    }

    @Test
    void aDeliveryToANewUserGivesThatUserTheDefaultFolders() {
        Store s = defaultFolderStore();
        MailboxRef carol = MailboxRef.inbox("carol");
        AppendResult r = s.deliver(List.of(carol), msg("first mail"), DATE).get(0);
        assertThat(names(s, "carol")).contains("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
        assertThat(s.mailbox(new MailboxRef("carol", "Sent")).orElseThrow().specialUse()).containsExactly("\\Sent");
        assertThat(s.messages(carol)).extracting(MessageMeta::uid).containsExactly(r.uid());
    }

    @Test
    void everyUserGetsTheirOwnDefaultFolders() {
        Store s = defaultFolderStore();
        s.append(new MailboxRef("alice", "Sent"), msg("sent by alice"), Flags.of(Flag.SEEN), DATE);
        assertThat(s.mailbox(new MailboxRef("bob", "Sent")).orElseThrow().messages()).isZero();
        assertThat(s.mailbox(new MailboxRef("alice", "Sent")).orElseThrow().messages()).isEqualTo(1);
        assertThat(names(s, "bob")).contains("Sent", "Drafts", "Trash", "Junk", "Archive");
    }

    @Test
    void creatingADefaultFolderFindsItExists() {
        Store s = defaultFolderStore();
        assertStoreError(StoreError.MAILBOX_EXISTS, () -> s.createMailbox(new MailboxRef("dave", "Drafts")));
        assertThat(s.mailboxes("dave")).filteredOn(i -> i.ref().name().equals("Drafts")).hasSize(1);
    }

    @Test
    void aUserMayDeleteADefaultFolderAndItStaysDeleted() {
        Store s = defaultFolderStore();
        s.deleteMailbox(box("Junk"));
        assertThat(s.mailbox(box("Junk"))).isEmpty();
        assertThat(names(s, "alice")).doesNotContain("Junk").contains("Sent");
        s.append(INBOX, msg("later"), Flags.NONE, DATE);
        assertThat(names(s, "alice")).doesNotContain("Junk");
        assertThat(s.mailbox(new MailboxRef("bob", "Junk"))).isPresent();
    }

    @Test
    void ordinaryMailboxesOfADefaultFolderStoreHaveNoSpecialUse() {
        Store s = defaultFolderStore();
        MailboxInfo created = s.createMailbox(box("Projects"));
        assertThat(created.specialUse()).isEmpty();
        assertThat(s.mailbox(box("Projects")).orElseThrow().specialUse()).isEmpty();
    }

    // ---- random operation sequences against a model ----

    /** One step of a random scenario; {@code pick} chooses among the mailbox's UIDs (or a missing one). */
    record Op(int kind, int box, int otherBox, int pick, int flag, String body) {
        @Override
        public String toString() {
            return List.of("append", "add-flag", "remove-flag", "expunge", "copy", "move").get(kind) + "(" + box
                    + "->" + otherBox + ", pick " + pick + ", flag " + flag + ", " + body.length() + " bytes)";
        }
    }

    /** What the model expects of one message. */
    static final class ModelMessage {
        final String body;
        Flags flags;

        ModelMessage(String body, Flags flags) {
            this.body = body;
            this.flags = flags;
        }
    }

    @Provide
    Arbitrary<List<Op>> scenarios() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, Flag.values().length - 1),
                Arbitraries.strings().ofMaxLength(40)).as(Op::new);
        return op.list().ofMaxSize(60);
    }

    @Property(tries = 100)
    void randomOperationsKeepUidsModSeqsContentAndQuotaConsistent(@ForAll("scenarios") List<Op> ops) {
        Store s = newStore();
        try {
            List<MailboxRef> boxes = List.of(INBOX, box("A"), box("B/C"));
            s.createMailbox(boxes.get(1));
            s.createMailbox(boxes.get(2));
            // model: per mailbox, uid -> message; highest UID ever seen; last MODSEQ
            List<java.util.TreeMap<Long, ModelMessage>> model = new ArrayList<>();
            long[] maxUid = new long[boxes.size()];
            long[] modSeq = new long[boxes.size()];
            long[] uidValidity = new long[boxes.size()];
            for (int i = 0; i < boxes.size(); i++) {
                model.add(new java.util.TreeMap<>());
                MailboxInfo info = s.mailbox(boxes.get(i)).orElseThrow();
                modSeq[i] = info.highestModSeq();
                uidValidity[i] = info.uidValidity();
            }
            for (Op op : ops) {
                java.util.TreeMap<Long, ModelMessage> m = model.get(op.box());
                long modSeqBefore = modSeq[op.box()];
                List<Long> present = new ArrayList<>(m.keySet());
                long uid = op.pick() < present.size() ? present.get(op.pick()) : maxUid[op.box()] + 1 + op.pick();
                Flags flag = Flags.of(Flag.values()[op.flag()]);
                boolean changes;
                switch (op.kind()) {
                    case 0 -> {
                        AppendResult r = s.append(boxes.get(op.box()), msg(op.body()), Flags.NONE, DATE);
                        assertThat(r.uid()).isGreaterThan(maxUid[op.box()]);
                        assertThat(r.uidValidity()).isEqualTo(uidValidity[op.box()]);
                        m.put(r.uid(), new ModelMessage(op.body(), Flags.NONE));
                        maxUid[op.box()] = r.uid();
                        changes = true;
                    }
                    case 1, 2 -> {
                        FlagOperation how = op.kind() == 1 ? FlagOperation.ADD : FlagOperation.REMOVE;
                        List<MessageMeta> r = s.updateFlags(boxes.get(op.box()), List.of(uid), how, flag,
                                Long.MAX_VALUE);
                        ModelMessage entry = m.get(uid);
                        changes = false;
                        if (entry == null) {
                            assertThat(r).isEmpty();
                        } else {
                            Flags before = entry.flags;
                            Flags after = how == FlagOperation.ADD ? before.plus(flag) : before.minus(flag);
                            assertThat(r).singleElement().satisfies(x -> assertThat(x.flags()).isEqualTo(after));
                            changes = !after.equals(before);
                            entry.flags = after;
                        }
                    }
                    case 3 -> {
                        List<Long> r = s.expunge(boxes.get(op.box()), List.of(uid));
                        changes = m.remove(uid) != null;
                        assertThat(r).isEqualTo(changes ? List.of(uid) : List.of());
                    }
                    default -> {
                        int to = op.otherBox();
                        CopyResult r = op.kind() == 4 ? s.copy(boxes.get(op.box()), List.of(uid), boxes.get(to))
                                : s.move(boxes.get(op.box()), List.of(uid), boxes.get(to));
                        ModelMessage entry = m.get(uid);
                        // a copy changes only its target; a move changes its source too
                        changes = entry != null && (op.kind() == 5 || to == op.box());
                        if (entry == null) {
                            assertThat(r.sourceUids()).isEmpty();
                        } else {
                            assertThat(r.sourceUids()).containsExactly(uid);
                            long newUid = r.targetUids().get(0);
                            assertThat(newUid).isGreaterThan(maxUid[to]);
                            maxUid[to] = newUid;
                            if (op.kind() == 5) {
                                m.remove(uid);
                            }
                            model.get(to).put(newUid, new ModelMessage(entry.body, entry.flags));
                            if (to != op.box()) {
                                long toSeq = s.mailbox(boxes.get(to)).orElseThrow().highestModSeq();
                                assertThat(toSeq).isGreaterThan(modSeq[to]);
                                modSeq[to] = toSeq;
                            }
                        }
                    }
                }
                long now = s.mailbox(boxes.get(op.box())).orElseThrow().highestModSeq();
                if (changes) {
                    assertThat(now).as("MODSEQ after %s", op).isGreaterThan(modSeqBefore);
                } else {
                    assertThat(now).as("MODSEQ after no-op %s", op).isEqualTo(modSeqBefore);
                }
                modSeq[op.box()] = now;
            }
            long totalMessages = 0;
            long totalBytes = 0;
            for (int i = 0; i < boxes.size(); i++) {
                List<MessageMeta> metas = s.messages(boxes.get(i));
                assertThat(metas).extracting(MessageMeta::uid).containsExactlyElementsOf(model.get(i).keySet());
                for (MessageMeta meta : metas) {
                    ModelMessage expected = model.get(i).get(meta.uid());
                    assertThat(meta.flags()).isEqualTo(expected.flags);
                    assertThat(meta.modSeq()).isLessThanOrEqualTo(modSeq[i]);
                    assertThat(text(s.content(boxes.get(i), meta.uid()))).isEqualTo(expected.body);
                    totalMessages++;
                    totalBytes += meta.size();
                }
                MailboxInfo info = s.mailbox(boxes.get(i)).orElseThrow();
                assertThat(info.uidNext()).isGreaterThan(maxUid[i]);
                assertThat(info.uidValidity()).isEqualTo(uidValidity[i]);
                assertThat(info.messages()).isEqualTo(metas.size());
            }
            QuotaUsage q = s.quota("alice");
            assertThat(q.messages()).isEqualTo(totalMessages);
            assertThat(q.bytes()).isEqualTo(totalBytes);
        } finally {
            s.close();
        }
    }

    // ---- concurrency ----

    @Test
    void concurrentAppendsFromEightThreadsLoseAndDuplicateNoUid() throws Exception {
        int threads = 8;
        int perThread = 500;
        List<Long> returned = Collections.synchronizedList(new ArrayList<>());
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                returned.add(append(INBOX, Thread.currentThread().getName() + " " + i).uid());
            }
        });
        assertThat(returned).hasSize(threads * perThread).doesNotHaveDuplicates();
        List<Long> stored = uids(INBOX);
        assertThat(stored).hasSize(threads * perThread).isSorted();
        assertThat(new TreeSet<>(stored)).isEqualTo(new TreeSet<>(returned));
        MailboxInfo i = info(INBOX);
        assertThat(i.messages()).isEqualTo(threads * perThread);
        assertThat(i.uidNext()).isGreaterThan(Collections.max(returned));
        assertThat(store.quota("alice").messages()).isEqualTo(threads * perThread);
    }

    @Test
    void concurrentDeliveriesToOverlappingUsersKeepCountsRight() throws Exception {
        int threads = 6;
        int perThread = 200;
        List<String> users = List.of("u0", "u1", "u2", "u3");
        java.util.concurrent.atomic.AtomicInteger threadNo = new java.util.concurrent.atomic.AtomicInteger();
        runConcurrently(threads, () -> {
            int me = threadNo.getAndIncrement();
            for (int i = 0; i < perThread; i++) {
                // each delivery goes to two users; orders differ between threads to provoke lock-order bugs
                String a = users.get(i % users.size());
                String b = users.get((i + 1 + me % 2) % users.size());
                if (a.equals(b)) {
                    b = users.get((i + 2) % users.size());
                }
                List<MailboxRef> targets = new ArrayList<>(List.of(MailboxRef.inbox(a), MailboxRef.inbox(b)));
                if (me % 2 == 0) {
                    Collections.reverse(targets);
                }
                store.deliver(targets, msg("d" + i), DATE);
            }
        });
        long total = 0;
        for (String u : users) {
            int n = store.messages(MailboxRef.inbox(u)).size();
            assertThat(store.quota(u).messages()).isEqualTo(n);
            total += n;
        }
        assertThat(total).isEqualTo(2L * threads * perThread);
    }

    @Test
    void concurrentDeliveriesToSeveralUsersLoseAndDuplicateNoUid() throws Exception {
        int threads = 8;
        int perThread = 60;
        List<String> users = List.of("c0", "c1", "c2");
        java.util.Map<MailboxRef, java.util.Map<Long, String>> delivered = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger threadNo = new java.util.concurrent.atomic.AtomicInteger();
        runConcurrently(threads, () -> {
            int me = threadNo.getAndIncrement();
            for (int i = 0; i < perThread; i++) {
                String body = "From: t" + me + "\r\n\r\nmessage " + i + " of thread " + me + "\r\n";
                List<MailboxRef> targets = new ArrayList<>();
                for (int u = 0; u < users.size(); u++) {
                    if ((i + me + u) % 3 != 0) { // two of the three users, a different pair each time
                        targets.add(MailboxRef.inbox(users.get(u)));
                    }
                }
                if (me % 2 == 1) {
                    Collections.reverse(targets);
                }
                List<AppendResult> results = store.deliver(targets, msg(body), DATE);
                assertThat(results).extracting(AppendResult::mailbox).containsExactlyElementsOf(targets);
                for (AppendResult r : results) {
                    String before = delivered.computeIfAbsent(r.mailbox(),
                            k -> new java.util.concurrent.ConcurrentHashMap<>()).putIfAbsent(r.uid(), body);
                    assertThat(before).as("UID %d in %s given twice", r.uid(), r.mailbox()).isNull();
                }
            }
        });
        long total = 0;
        for (String u : users) {
            MailboxRef inbox = MailboxRef.inbox(u);
            java.util.Map<Long, String> expected = delivered.getOrDefault(inbox, java.util.Map.of());
            List<MessageMeta> stored = store.messages(inbox);
            assertThat(stored).extracting(MessageMeta::uid).isSorted().doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (MessageMeta m : stored) {
                assertThat(text(store.content(inbox, m.uid()))).isEqualTo(expected.get(m.uid()));
            }
            assertThat(store.quota(u).messages()).isEqualTo(stored.size());
            assertThat(info(inbox).uidNext()).isGreaterThan(stored.get(stored.size() - 1).uid());
            total += stored.size();
        }
        assertThat(total).isEqualTo(2L * threads * perThread);
    }

    @Test
    void aSecondSubscriberSeesEveryConcurrentDeliveryOnceInModSeqOrder() throws Exception {
        int threads = 6;
        int perThread = 50;
        List<String> users = List.of("e0", "e1");
        java.util.Map<String, List<List<MessageMeta>>> seenBy = new java.util.concurrent.ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(2 * users.size() * threads * perThread);
        for (String u : users) {
            for (int subscriber = 0; subscriber < 2; subscriber++) {
                List<MessageMeta> seen = new CopyOnWriteArrayList<>();
                seenBy.computeIfAbsent(u, k -> new CopyOnWriteArrayList<>()).add(seen);
                store.subscribe(u, e -> {
                    if (e instanceof StoreEvent.MessagesAdded a && a.mailbox().isInbox()) {
                        for (MessageMeta m : a.messages()) {
                            seen.add(m);
                            all.countDown();
                        }
                    }
                });
            }
        }
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                store.deliver(List.of(MailboxRef.inbox("e0"), MailboxRef.inbox("e1")), msg("m" + i), DATE);
            }
        });
        assertThat(all.await(30, TimeUnit.SECONDS)).as("every subscriber saw every delivery").isTrue();
        for (String u : users) {
            List<Long> stored = store.messages(MailboxRef.inbox(u)).stream().map(MessageMeta::uid).toList();
            for (List<MessageMeta> seen : seenBy.get(u)) {
                assertThat(seen).extracting(MessageMeta::uid).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(stored);
                assertThat(seen).extracting(MessageMeta::modSeq).isSorted().doesNotHaveDuplicates();
            }
        }
    }

    /** Runs the task on {@code threads} threads at once and rethrows the first failure. */
    protected static void runConcurrently(int threads, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    task.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
